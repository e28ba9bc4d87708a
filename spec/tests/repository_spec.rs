//! Facts the repository's own spec (`spec/openapi.yaml`) must keep, beyond
//! what [`spec::load`] checks for any document.

/// Path values cannot change which resource a request targets: every path
/// parameter is a UUID, so the generated client takes `uuid::Uuid` and no
/// caller-supplied text reaches the path. (That string ids would still be
/// percent-encoded is pinned in `codegen/tests/generate.rs`.)
#[test]
fn every_path_parameter_is_a_uuid() {
    let spec = spec::load(spec::path()).unwrap();
    let operations = spec.operations();
    assert!(!operations.is_empty());
    for operation in &operations {
        let parameters = operation.path_parameters();
        assert!(
            !parameters.is_empty(),
            "`{}` addresses one resource by id",
            operation.name()
        );
        for parameter in parameters {
            let schema = spec.deref(parameter.schema().expect("a path parameter has a schema"));
            assert_eq!(
                (schema.get("type"), schema.get("format")),
                (Some(&"string".into()), Some(&"uuid".into())),
                "{} {}: path parameter `{}` must be `type: string, format: uuid`",
                operation.method.to_uppercase(),
                operation.path,
                parameter.name
            );
        }
    }
}

#[test]
fn the_default_path_is_the_repository_spec() {
    assert!(spec::path().ends_with(spec::PATH_IN_WORKSPACE));
    assert!(spec::path().is_file());
}
