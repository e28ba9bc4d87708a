//! The changes drift finds, classified for users of the generated crate.
//!
//! drift (Oxide's comparer) walks both documents operation by operation,
//! following `$ref`s, and classes each change for a *server* that must keep
//! old clients working: `BackwardIncompatible` breaks old clients,
//! `ForwardIncompatible` only new clients talking to old servers. For an SDK
//! the question is what breaks its users, so its class is re-read from the
//! kind of change ([`decide`]): anything removed breaks (a status, a
//! parameter, a body), anything added is an addition (a new status is
//! decoded as an error like any undocumented one). What drift leaves
//! unhandled in a schema goes to [`schema_rules`].
//!
//! Two things drift cannot take are handled before it runs: it asserts that
//! both sides of a body or response have the same media types (and
//! panics otherwise), so media types are compared here and only the shared
//! ones are left for it; and it never reports a change of `nullable`, so
//! every `nullable: true` is mirrored into an extension drift does report
//! as a metadata change at the very node.

use std::collections::BTreeMap;

use drift::{ChangeClass, ChangeDetails};
use serde_json::Value;

use super::change::{Change, Class, Part, Subject};
use super::location::{self, Operations, Reached};
use super::pointer::Ptr;
use super::schema_rules::{self, Finding, Node};

/// The extension that carries `nullable: true` through drift.
const NULLABLE_MIRROR: &str = "x-breaking-nullable";

/// The changes drift finds between `old` and `new`, and every node it
/// reported (in either document): what the leftover check treats as
/// explained.
pub fn changes(old: &Value, new: &Value, explained: &mut Vec<Ptr>) -> anyhow::Result<Vec<Change>> {
    let (old_operations, new_operations) = (Operations::new(old), Operations::new(new));
    let mut out = Vec::new();
    let (mut old_copy, mut new_copy) = (old.clone(), new.clone());
    align_media_types(old, new, &mut old_copy, &mut new_copy, &mut out);
    mirror_nullable(&mut old_copy);
    mirror_nullable(&mut new_copy);
    // drift asserts on constructs it does not support yet; the known ones
    // are taken out above, and any other is an error here, not a crash.
    let records = std::panic::catch_unwind(|| drift::compare(&old_copy, &new_copy))
        .map_err(|_| {
            anyhow::anyhow!(
                "drift stopped on a construct it does not support (its message is above)"
            )
        })?
        .map_err(|e| anyhow::anyhow!("drift could not compare the documents: {e:#}"))?;
    let docs = Docs {
        old,
        new,
        old_operations: &old_operations,
        new_operations: &new_operations,
    };
    for record in &records {
        for info in &record.changes {
            out.extend(docs.classify(record, info, explained));
        }
    }
    explained.extend(out.iter().map(|change| change.at.clone()));
    Ok(out)
}

/// How a drift finding is classed: directly, or by the schema rules at its
/// node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Class(Class),
    /// A schema change drift leaves unhandled, or reports as metadata
    /// (where a `nullable` change shows).
    SchemaRules,
}

/// The class of a drift finding, read from what changed (see the module
/// docs).
fn decide(class: ChangeClass, details: ChangeDetails) -> Decision {
    match (class, details) {
        (ChangeClass::Incompatible, _) => Decision::Class(Class::Breaking),
        (_, ChangeDetails::Metadata | ChangeDetails::UnknownDifference) => Decision::SchemaRules,
        (
            _,
            ChangeDetails::Removed
            | ChangeDetails::AddedRequired
            | ChangeDetails::MoreStrict
            | ChangeDetails::Datatype,
        ) => Decision::Class(Class::Breaking),
        (_, ChangeDetails::Added | ChangeDetails::LessStrict) => Decision::Class(Class::Addition),
    }
}

struct Docs<'a> {
    old: &'a Value,
    new: &'a Value,
    old_operations: &'a Operations,
    new_operations: &'a Operations,
}

impl Docs<'_> {
    fn classify(
        &self,
        record: &drift::Change,
        info: &drift::ChangeInfo,
        explained: &mut Vec<Ptr>,
    ) -> Vec<Change> {
        // Every route to the change, seen in both documents.
        let routes: Vec<(Option<Reached>, Option<Reached>)> = record
            .paths
            .iter()
            .map(|path| {
                (
                    location::reached(
                        self.old,
                        self.old_operations,
                        &path.old,
                        &info.old_subpath,
                        path.comparison,
                    ),
                    location::reached(
                        self.new,
                        self.new_operations,
                        &path.new,
                        &info.new_subpath,
                        path.comparison,
                    ),
                )
            })
            .collect();
        for (old, new) in &routes {
            explained.extend(old.iter().chain(new).map(|reached| reached.node.clone()));
        }
        match decide(info.class, info.details) {
            Decision::Class(class) => routes
                .iter()
                .filter_map(|(old, new)| {
                    let (at, subject) = match (old, new) {
                        // Removed: where it was.
                        (Some(old), _) if class == Class::Breaking => (old, &old.subject),
                        (_, Some(new)) | (Some(new), None) => (new, &new.subject),
                        (None, None) => return None,
                    };
                    Some(Change::new(
                        class,
                        at.node.clone(),
                        subject.clone(),
                        sentence(&info.message),
                    ))
                })
                .collect(),
            Decision::SchemaRules => self.schema_changes(info, &routes),
        }
    }

    /// The schema rules' findings at the node, for each direction it was
    /// reached in. An unhandled drift finding the rules do not explain is
    /// breaking: nothing may pass unclassified.
    fn schema_changes(
        &self,
        info: &drift::ChangeInfo,
        routes: &[(Option<Reached>, Option<Reached>)],
    ) -> Vec<Change> {
        let mut out = Vec::new();
        for (old, new) in routes {
            let (Some(old), Some(new)) = (old, new) else {
                continue;
            };
            let (Some(old_node), Some(new_node), Some(direction)) = (
                old.node.get(self.old),
                new.node.get(self.new),
                new.direction,
            ) else {
                continue;
            };
            let findings = schema_rules::compare(&Node {
                new_doc: self.new,
                old: old_node,
                new: new_node,
                direction,
                field: new.field.clone(),
            });
            out.extend(
                findings
                    .into_iter()
                    .map(|finding| located(finding, old, new)),
            );
        }
        let unexplained = out.is_empty()
            && (info.class == ChangeClass::Unhandled
                || (info.class == ChangeClass::Trivial && info.details != ChangeDetails::Metadata));
        if unexplained {
            let class = match info.class {
                ChangeClass::Trivial => Class::Other,
                _ => Class::Breaking,
            };
            out.extend(routes.iter().filter_map(|(_, new)| {
                let new = new.as_ref()?;
                Some(Change::new(
                    class,
                    new.node.clone(),
                    new.subject.clone(),
                    format!(
                        "{} (drift cannot tell whether it is compatible)",
                        sentence(&info.message)
                    ),
                ))
            }));
        }
        out
    }
}

/// A finding placed: at its property (where it is, or was) or at the node.
fn located(finding: Finding, old: &Reached, new: &Reached) -> Change {
    let (reached, subject) = match &finding.property {
        Some(name) => {
            let reached = if finding.removed { old } else { new };
            (
                reached.node.keys(["properties", name.as_str()]),
                reached.subject.field(name),
            )
        }
        None => (new.node.clone(), new.subject.clone()),
    };
    Change::new(finding.class, reached, subject, finding.what)
}

/// drift's message as the tail of a sentence: lower-case first letter.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// Copies `nullable: true` into [`NULLABLE_MIRROR`] on every schema of
/// `doc`, so drift reports a changed `nullable` as a metadata change.
fn mirror_nullable(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.insert(NULLABLE_MIRROR.to_string(), Value::Bool(true));
            }
            map.values_mut().for_each(mirror_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(mirror_nullable),
        _ => {}
    }
}

/// The media types of a body or response (followed through `$ref`) at
/// `at`, with the location of its `content`.
fn content(doc: &Value, at: &Ptr) -> (Ptr, BTreeMap<String, bool>) {
    let object = at.deref(doc);
    let content = object.key("content");
    let media = content
        .get(doc)
        .and_then(Value::as_object)
        .map(|media| {
            media
                .iter()
                .map(|(name, media)| (name.clone(), media.get("schema").is_some()))
                .collect()
        })
        .unwrap_or_default();
    (content, media)
}

/// Compares the media types of each body and response both documents
/// have, reports those only one side has (and a schema only one side
/// gives), and removes them from the copies drift reads.
fn align_media_types(
    old: &Value,
    new: &Value,
    old_copy: &mut Value,
    new_copy: &mut Value,
    out: &mut Vec<Change>,
) {
    let new_operations: BTreeMap<String, spec::Operation<'_>> = spec::operations(new)
        .into_iter()
        .map(|operation| (route_key(operation.path, operation.method), operation))
        .collect();
    for old_operation in spec::operations(old) {
        let Some(new_operation) =
            new_operations.get(&route_key(old_operation.path, old_operation.method))
        else {
            continue;
        };
        let (old_at, new_at) = (
            Ptr::from_path(&old_operation.at),
            Ptr::from_path(&new_operation.at),
        );
        let mut parts = Vec::new();
        if old_operation.request_body().is_some() && new_operation.request_body().is_some() {
            parts.push((Part::Request, vec!["requestBody".to_string()]));
        }
        for response in old_operation.responses() {
            if new_operation
                .responses()
                .iter()
                .any(|r| r.status == response.status)
            {
                let status = response.status.to_string();
                parts.push((
                    Part::Response(status.clone()),
                    vec!["responses".into(), status],
                ));
            }
        }
        for (part, below) in parts {
            let subject = Subject::Operation {
                operations: vec![new_operation.name()],
                part: part.clone(),
                field: String::new(),
            };
            let (old_content, old_media) =
                content(old, &old_at.keys(below.iter().map(String::as_str)));
            let (new_content, new_media) =
                content(new, &new_at.keys(below.iter().map(String::as_str)));
            let receives = matches!(part, Part::Response(_));
            for (media, has_schema) in &old_media {
                match new_media.get(media) {
                    None => {
                        let what = if receives {
                            format!("no longer answers with `{media}`")
                        } else {
                            format!("no longer accepts `{media}`")
                        };
                        out.push(Change::new(
                            Class::Breaking,
                            old_content.key(media.as_str()),
                            subject.clone(),
                            what,
                        ));
                        remove(old_copy, &old_content, media);
                    }
                    Some(new_has_schema) if new_has_schema != has_schema => {
                        out.push(Change::new(
                            Class::Breaking,
                            new_content.key(media.as_str()),
                            subject.clone(),
                            format!(
                                "`{media}` body schema {} (the generated Rust type changes)",
                                if *has_schema { "removed" } else { "added" }
                            ),
                        ));
                        remove(old_copy, &old_content.key(media.as_str()), "schema");
                        remove(new_copy, &new_content.key(media.as_str()), "schema");
                    }
                    Some(_) => {}
                }
            }
            for media in new_media
                .keys()
                .filter(|media| !old_media.contains_key(*media))
            {
                let what = if receives {
                    format!("may also answer with `{media}`")
                } else {
                    format!("now also accepts `{media}`")
                };
                out.push(Change::new(
                    Class::Addition,
                    new_content.key(media.as_str()),
                    subject.clone(),
                    what,
                ));
                remove(new_copy, &new_content, media);
            }
        }
    }
}

/// Removes `key` from the object at `at` in `doc` (no-op when absent).
fn remove(doc: &mut Value, at: &Ptr, key: &str) {
    if let Some(Value::Object(map)) = at.get_mut(doc) {
        map.remove(key);
    }
}

/// How drift matches operations across documents: the path with its
/// parameter names blanked (`/packs/{}`), and the method.
pub fn route_key(path: &str, method: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                key.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if in_parameter => {}
            c => key.push(c),
        }
    }
    format!("{} {key}", method.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_match_whatever_their_path_parameters_are_named() {
        assert_eq!(route_key("/packs/{packId}", "patch"), "PATCH /packs/{}");
        assert_eq!(
            route_key("/packs/{id}", "patch"),
            route_key("/packs/{packId}", "patch")
        );
    }

    #[test]
    fn every_kind_of_drift_finding_has_a_decision() {
        use ChangeClass as C;
        use ChangeDetails as D;
        assert_eq!(
            decide(C::ForwardIncompatible, D::Removed),
            Decision::Class(Class::Breaking)
        );
        assert_eq!(
            decide(C::BackwardIncompatible, D::Added),
            Decision::Class(Class::Addition)
        );
        assert_eq!(
            decide(C::Incompatible, D::Added),
            Decision::Class(Class::Breaking)
        );
        assert_eq!(
            decide(C::Unhandled, D::UnknownDifference),
            Decision::SchemaRules
        );
        assert_eq!(decide(C::Trivial, D::Metadata), Decision::SchemaRules);
    }
}
