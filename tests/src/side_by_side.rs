//! The SDK is never longer to write than hand-written reqwest + `json!`,
//! and both send the same request: one of the spec's request examples of
//! each operation (the seed's). The two forms live side by side in
//! `generated-client/examples/side_by_side.rs` (compiled as an example, so
//! they cannot drift from the API); this module runs them and counts them.

#[path = "../../generated-client/examples/side_by_side.rs"]
#[allow(clippy::duplicate_mod)]
mod examples;

use serde_json::Value;
use uuid::Uuid;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::contract::Contract;

const SOURCE: &str = include_str!("../../generated-client/examples/side_by_side.rs");
const TOKEN: &str = "gva_test.secret";

/// Lines of the body of `pub async fn <name>` inside `mod <module>`, between
/// the line that opens the body and the line that closes it.
fn body_lines(module: &str, name: &str) -> Option<usize> {
    let start = SOURCE.find(&format!("pub mod {module} {{"))?;
    let module_source = &SOURCE[start..];
    let function = module_source.find(&format!("pub async fn {name}("))?;
    let after_signature = &module_source[function..];
    let open = after_signature.find("{\n")?;
    let body = &after_signature[open + 2..];
    let close = body.find("\n    }\n")?;
    Some(body[..close].lines().count())
}

/// Both forms of `operation` against one server: the request bodies each sent.
async fn requests_of(operation: &str, id: Uuid, examples: &[Value], reply: &Value) -> Vec<Value> {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(reply))
        .mount(&server)
        .await;
    let client = genviral_partner::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let base = server.uri();
    let outcome = match operation {
        "update_pack" => (
            examples::sdk::update_pack(&client, id).await.map(drop),
            examples::raw::update_pack(&http, &base, TOKEN, id)
                .await
                .map(drop),
        ),
        "update_template" => (
            examples::sdk::update_template(&client, id).await.map(drop),
            examples::raw::update_template(&http, &base, TOKEN, id)
                .await
                .map(drop),
        ),
        "update_slideshow" => (
            examples::sdk::update_slideshow(&client, id).await.map(drop),
            examples::raw::update_slideshow(&http, &base, TOKEN, id)
                .await
                .map(drop),
        ),
        "move_folder" => {
            let to = examples
                .iter()
                .find_map(|example| {
                    serde_json::from_value(example["parent_folder_id"].clone()).ok()
                })
                .expect("an example moves the folder into a parent");
            (
                examples::sdk::move_folder(&client, id, to).await.map(drop),
                examples::raw::move_folder(&http, &base, TOKEN, id, to)
                    .await
                    .map(drop),
            )
        }
        other => panic!("examples/side_by_side.rs has no `{other}`: add both forms"),
    };
    assert!(outcome.0.is_ok(), "{operation} (sdk): {:?}", outcome.0);
    assert!(outcome.1.is_ok(), "{operation} (raw): {:?}", outcome.1);
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect()
}

#[tokio::test]
async fn the_sdk_form_is_never_longer_and_sends_the_spec_example() {
    let contract = Contract::load().unwrap();
    let spec = contract.spec();
    for operation in spec.operations() {
        let id = operation.id().unwrap();
        let sdk = body_lines("sdk", id).unwrap_or_else(|| panic!("no sdk::{id}"));
        let raw = body_lines("raw", id).unwrap_or_else(|| panic!("no raw::{id}"));
        assert!(
            sdk <= raw,
            "{id}: the SDK form takes {sdk} lines, raw reqwest {raw}"
        );

        let examples: Vec<Value> = operation
            .request_examples()
            .iter()
            .map(|example| example.value.clone())
            .collect();
        let reply = operation
            .response_for(200)
            .and_then(|response| response.examples().first().map(|e| e.value.clone()))
            .unwrap_or_else(|| panic!("{id} documents a 200 example"));
        let sent = requests_of(id, Uuid::new_v4(), &examples, &reply).await;
        assert_eq!(sent.len(), 2, "{id}: one request each");
        assert_eq!(sent[0], sent[1], "{id}: sdk then raw");
        assert!(
            examples.contains(&sent[0]),
            "{id}: sent {} which is none of the spec's request examples",
            sent[0]
        );
    }
}

#[test]
fn both_forms_keep_to_rustfmt_line_width() {
    for (number, line) in SOURCE.lines().enumerate() {
        assert!(
            line.chars().count() <= 100,
            "side_by_side.rs:{}: {} columns",
            number + 1,
            line.chars().count()
        );
    }
}

#[test]
fn line_counting_reads_function_bodies() {
    assert_eq!(body_lines("raw", "update_pack"), Some(8));
    assert_eq!(body_lines("sdk", "nothing"), None);
}
