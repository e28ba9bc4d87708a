//! Adding an operation to the spec needs no edit anywhere but the spec and
//! its recordings: it flows through loading, generation, the generated
//! error-code and operation lists, and the contract suite's coverage, which
//! names exactly the recordings it is missing.

use contract_tests::contract::{Contract, coverage_gaps};
use contract_tests::recording;
use serde_json::Value;

/// The repository spec plus a read-only `GET` beside its first operation
/// (same path and parameters, same documented responses, no body).
fn spec_with_a_get_operation() -> (spec::Spec, String) {
    let original = spec::load(spec::path()).unwrap();
    let first = original.operations()[0].clone();
    let id = format!("get_{}", first.id().unwrap());
    let mut operation = first.op.clone();
    let object = operation.as_object_mut().unwrap();
    object.remove("requestBody");
    object.insert("operationId".into(), Value::String(id.clone()));
    object.insert("summary".into(), Value::String("Read it back".into()));
    let mut json = original.json().clone();
    json["paths"][first.path]
        .as_object_mut()
        .unwrap()
        .insert("get".into(), operation);
    let bytes = serde_json::to_vec(&json).unwrap();
    let grown = spec::parse(original.path(), &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grown.operation_ids().len(),
        original.operation_ids().len() + 1
    );
    (grown, id)
}

#[test]
fn a_new_operation_is_generated_with_its_error_codes_and_statuses() {
    let (grown, id) = spec_with_a_get_operation();
    let source = codegen::generate(&grown, &codegen::Settings::default()).unwrap();
    assert!(
        source.contains(&format!("pub fn {id}(&self)")),
        "no client method `{id}`"
    );
    let statuses = grown.operation(&id).unwrap().success_statuses();
    assert!(!statuses.is_empty());
    assert!(
        source.contains(&format!("(\"{id}\", &[{}u16])", statuses[0])),
        "SUCCESS_STATUSES lacks `{id}`"
    );
    for (code, uses) in grown.documented_error_codes() {
        if uses.iter().any(|used| used.operation == id) {
            assert!(
                source.contains(&format!("`{id}` (")),
                "ErrorCode::{code} does not list `{id}`"
            );
        }
    }
}

#[test]
fn a_new_operation_without_recordings_fails_coverage_by_name() {
    let (grown, id) = spec_with_a_get_operation();
    let expected: Vec<String> = grown
        .operation(&id)
        .unwrap()
        .documented_cases()
        .iter()
        .map(|case| format!("documented {case} has no recording"))
        .collect();
    assert!(!expected.is_empty());
    let recordings = recording::load_all(&contract_tests::recorded_dir()).unwrap();
    let gaps = coverage_gaps(&Contract::from_spec(grown), &recordings);
    assert_eq!(gaps.len(), expected.len(), "{gaps:#?}");
    for (gap, expected) in gaps.iter().zip(&expected) {
        assert!(gap.starts_with(expected), "{gap} / {expected}");
    }
}
