//! Path values cannot change which resource a request targets.
//!
//! Every path parameter of the spec is a UUID, so the generated client takes
//! `uuid::Uuid` and no caller-supplied text reaches the path. Should a
//! string path parameter ever be added, progenitor percent-encodes it: `/`
//! becomes `%2F`, so `../x` stays one segment. (A value of exactly `..` is
//! left as is by `encode_path` and would be normalised away by URL parsing;
//! that is why string ids would need a pattern in the spec; a test pins this
//! behaviour.) That a string which is not a UUID, passed where an id is
//! expected, is refused before anything is sent is tested with the client,
//! in `generated-client/tests/path_ids.rs`.

use std::path::Path;

fn spec_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml")
}

#[test]
fn every_path_parameter_is_a_uuid() {
    let spec = codegen::load(spec_path()).unwrap();
    let mut checked = 0;
    for (template, item) in spec.openapi().paths.iter() {
        let item = item.as_item().expect("path items are inline");
        for (method, operation) in item.iter() {
            for parameter in &operation.parameters {
                let parameter = parameter.as_item().expect("parameters are inline");
                let openapiv3::Parameter::Path { parameter_data, .. } = parameter else {
                    continue;
                };
                let json = serde_json::to_value(&parameter_data.format).unwrap();
                let schema = json.get("schema").cloned().unwrap_or_default();
                assert_eq!(
                    (schema.get("type"), schema.get("format")),
                    (Some(&"string".into()), Some(&"uuid".into())),
                    "{} {template}: path parameter `{}` must be `type: string, format: uuid`",
                    method.to_uppercase(),
                    parameter_data.name
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4, "one id per operation");
}

#[test]
fn string_path_values_are_percent_encoded_by_the_generated_code() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/minimal.yaml");
    let mut json = codegen::load(&fixture).unwrap().json().clone();
    let parameter = json
        .pointer_mut("/paths/~1things~1{thingId}/patch/parameters/0/schema")
        .expect("the fixture's path parameter");
    *parameter = serde_json::json!({"type": "string"});
    let spec = codegen::parse(&fixture, &serde_json::to_vec(&json).unwrap()).unwrap();
    let source = codegen::generate(&spec, &codegen::Settings::standalone()).unwrap();
    assert!(
        source.contains("encode_path(& thing_id.to_string())")
            || source.contains("encode_path(&thing_id.to_string())"),
        "the string id goes through encode_path:\n{}",
        source
            .lines()
            .filter(|line| line.contains("things"))
            .collect::<Vec<_>>()
            .join("\n")
    );

    assert_eq!(progenitor_client::encode_path("../a/b"), "..%2Fa%2Fb");
    assert_eq!(progenitor_client::encode_path("a b?c#d"), "a%20b%3Fc%23d");
    let url = reqwest::Url::parse(&format!(
        "https://api.example/things/{}",
        progenitor_client::encode_path("../../admin")
    ))
    .unwrap();
    assert_eq!(
        url.path(),
        "/things/..%2F..%2Fadmin",
        "still one segment under /things"
    );

    // The residual risk the UUID type removes: a value of exactly `..` (or
    // `.`) is not encoded, and URL parsing then drops the segment, so a
    // string id could address the parent collection. Encoded dots are safe
    // because `%` itself is encoded.
    assert_eq!(progenitor_client::encode_path(".."), "..");
    let url = reqwest::Url::parse("https://api.example/things/..").unwrap();
    assert_eq!(url.path(), "/", "`..` escapes when it is the whole value");
    assert_eq!(progenitor_client::encode_path("%2e%2e"), "%252e%252e");
}
