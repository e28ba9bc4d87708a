//! Contract tests for `genviral-partner`: recorded HTTP exchanges (HAR 1.2,
//! `recorded/<operationId>/*.har`) are served by a local mock server, the
//! generated client makes the matching call, and both the request it sent and
//! the typed result it returned are compared with the recording.
//!
//! `tests/contract.rs` turns every recording into one named test, and every
//! constraint of every request schema into one case ([`constraints`]): a
//! body breaking it must be refused by the client before sending and by the
//! spec's JSON Schema.

pub mod constraints;
pub mod contract;
pub mod har_conventions;
pub mod operations;
pub mod recording;
pub mod replay;
#[cfg(test)]
mod side_by_side;

/// Compiles the repository README's Rust blocks as doctests. They live
/// here, not in `genviral-partner`, because the README is outside that
/// crate's package: a doctest including it would not build from the
/// published crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The directory holding the recordings.
pub fn recorded_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}

#[cfg(test)]
mod coverage_tests {
    //! The coverage check itself must fail when a recording goes missing or
    //! the spec documents a code nobody recorded.

    use crate::contract::{Contract, coverage_gaps};
    use crate::recording;

    fn recordings() -> Vec<recording::Recording> {
        recording::load_all(&crate::recorded_dir()).unwrap()
    }

    #[test]
    fn complete_corpus_has_no_gaps() {
        let gaps = coverage_gaps(&Contract::load().unwrap(), &recordings());
        assert!(gaps.is_empty(), "{gaps:#?}");
    }

    #[test]
    fn deleting_the_recordings_of_any_documented_case_is_named() {
        let contract = Contract::load().unwrap();
        let all = recordings();
        let documented = contract.documented_cases();
        for operation in contract.spec().operation_ids() {
            assert!(
                documented.iter().any(|case| case.operation == operation),
                "the spec documents no case of `{operation}`"
            );
        }
        for case in documented {
            let rest: Vec<_> = all
                .iter()
                .filter(|recording| crate::contract::case_of(recording) != case)
                .cloned()
                .collect();
            assert!(rest.len() < all.len(), "{case} is recorded");
            let gaps = coverage_gaps(&contract, &rest);
            assert_eq!(gaps.len(), 1, "without {case}: {gaps:#?}");
            assert!(
                gaps[0].starts_with(&format!("documented {case} has no recording")),
                "{gaps:#?}"
            );
        }
    }

    #[test]
    fn an_undocumented_error_code_in_the_spec_is_named() {
        let path = spec::path();
        let mut json = spec::load(path).unwrap().json().clone();
        json.pointer_mut("/paths/~1packs~1{packId}/patch/responses/404/content/application~1json/examples")
            .and_then(serde_json::Value::as_object_mut)
            .expect("update_pack documents 404 examples")
            .insert(
                "pack_archived".into(),
                serde_json::json!({"summary": "new", "value": {"ok": false, "code": 404, "message": "Archived", "error_code": "pack_archived"}}),
            );
        let bytes = serde_json::to_vec(&json).unwrap();
        let contract = Contract::from_spec(spec::parse(path, &bytes).unwrap());
        let gaps = coverage_gaps(&contract, &recordings());
        assert_eq!(
            gaps,
            [
                "documented (update_pack, 404, pack_archived) has no recording (add tests/recorded/update_pack/404_<case>.har, e.g. with `cargo xtask record`)"
            ]
        );
    }

    #[test]
    fn a_recording_of_an_undocumented_code_is_named() {
        let contract = Contract::load().unwrap();
        let mut all = recordings();
        let mut extra = all
            .iter()
            .find(|r| r.name() == "update_pack/404_not_found")
            .unwrap()
            .clone();
        extra.case = "404_gone".into();
        extra.response.body =
            br#"{"ok":false,"code":404,"message":"Gone","error_code":"pack_gone"}"#.to_vec();
        all.push(extra);
        let gaps = coverage_gaps(&contract, &all);
        assert_eq!(gaps.len(), 1, "{gaps:#?}");
        assert!(
            gaps[0].starts_with("recording update_pack/404_gone (")
                && gaps[0].ends_with("exercises (update_pack, 404, pack_gone), which the spec does not document: `update_pack` documents no error_code `pack_gone` for status 404"),
            "{}",
            gaps[0]
        );
    }
}

#[cfg(test)]
mod client_method_names {
    //! The spec checks refuse an `operationId` whose method `Client` already
    //! has (`spec::names::CLIENT_METHODS`); that list must name every
    //! method of the client crate's `impl Client` blocks that is not an
    //! operation.

    use std::collections::BTreeSet;

    #[test]
    fn the_reserved_method_names_are_the_clients_own() {
        let sources =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src");
        let mut methods = BTreeSet::new();
        for entry in std::fs::read_dir(&sources).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for block in text.split("\nimpl Client {").skip(1) {
                let body = block.split("\n}").next().unwrap_or_default();
                methods.extend(body.split("fn ").skip(1).filter_map(|rest| {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    (!name.is_empty()).then_some(name)
                }));
            }
        }
        let spec = spec::load(spec::path()).unwrap();
        for operation in spec::operations(spec.json()) {
            if let Some(id) = operation.id() {
                methods.remove(&spec::names::snake(id));
            }
        }
        let missing: Vec<&String> = methods
            .iter()
            .filter(|name| !spec::names::CLIENT_METHODS.contains(&name.as_str()))
            .collect();
        assert!(missing.is_empty(), "not in CLIENT_METHODS: {missing:?}");
        assert!(methods.len() > 5, "read the impl blocks: {methods:?}");
    }
}
