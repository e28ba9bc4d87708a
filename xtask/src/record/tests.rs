use crate::har_conventions::is_framing_header;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

const TOKEN: &str = "gva_live_pub123.SECRETsecretSECRET";

fn token() -> Token {
    Token(TOKEN.into())
}

fn args(server: &MockServer) -> Args {
    Args {
        operation: "update_pack".into(),
        case: "not_found".into(),
        base_url: Some(format!("{}/api/partner/v1", server.uri())),
        id: None,
        body: None,
        example: None,
        force: false,
        spec: crate::paths::SpecArg::at(spec::path()),
    }
}

/// The one entry of the HAR file at `path`.
fn entry(path: &Path) -> har::v1_2::Entries {
    let har::Spec::V1_2(log) = har::from_path(path).unwrap().log else {
        panic!("HAR 1.2 expected");
    };
    let [entry] = log.entries.try_into().unwrap();
    entry
}

#[tokio::test]
async fn records_the_exchange_with_the_token_redacted_everywhere() {
    let server = MockServer::start().await;
    // A server that echoes the token back: the recording must not keep it.
    Mock::given(method("PATCH"))
        .and(path(
            "/api/partner/v1/packs/11111111-1111-1111-1111-111111111111",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("set-cookie", "session=abc")
                .insert_header("x-debug-token", TOKEN)
                .set_body_raw(
                    r#"{"ok":false,"code":404,"message":"Pack not found for SECRETsecretSECRET","error_code":"not_found"}"#,
                    "application/json",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let recorded = record(&args(&server), &token(), out.path()).await.unwrap();

    assert_eq!(recorded.status, 404);
    assert_eq!(recorded.error_code.as_deref(), Some("not_found"));
    assert_eq!(
        recorded.path,
        out.path().join("update_pack/404_not_found.har")
    );
    let text = std::fs::read_to_string(&recorded.path).unwrap();
    assert!(!text.contains("SECRETsecretSECRET"), "{text}");
    assert!(!text.contains("session=abc"), "{text}");

    let entry = entry(&recorded.path);
    assert_request_is_the_first_example_with_the_token_redacted(&entry.request);
    assert_eq!(entry.response.status, 404);
    let body = entry.response.content.text.unwrap();
    assert!(body.contains("Pack not found for <redacted>"), "{body}");
    // Framing headers are the contract suite's: none is kept.
    let names: Vec<&str> = entry
        .response
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert!(names.contains(&"x-debug-token"), "{names:?}");
    assert!(
        !names.iter().any(|name| is_framing_header(name)),
        "{names:?}"
    );

    replays_in_the_contract_suite(&recorded.path).await;
}

/// `update_pack`'s first request example by name, sent with the token and
/// recorded with [`REDACTED_AUTHORIZATION`].
fn assert_request_is_the_first_example_with_the_token_redacted(request: &har::v1_2::Request) {
    assert_eq!(request.method, "PATCH");
    let auth = request
        .headers
        .iter()
        .find(|h| h.name == "Authorization")
        .unwrap();
    assert_eq!(auth.value, REDACTED_AUTHORIZATION);
    let post_data = request.post_data.as_ref().unwrap();
    let sent: Value = serde_json::from_str(post_data.text.as_deref().unwrap()).unwrap();
    let spec = spec::load(spec::path()).unwrap();
    let first_by_name = spec
        .operation("update_pack")
        .unwrap()
        .request_examples()
        .into_iter()
        .filter(|example| example.name.is_some())
        .min_by_key(|example| example.name)
        .unwrap()
        .value
        .clone();
    assert_eq!(sent, first_by_name);
}

/// The contract suite loads the recording, finds it documented, and
/// replays it.
async fn replays_in_the_contract_suite(path: &Path) {
    let contract = contract_tests::contract::Contract::load().unwrap();
    let [recording] = contract_tests::recording::load(path)
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        contract_tests::contract::coverage_gaps(&contract, std::slice::from_ref(&recording))
            .iter()
            .filter(|gap| gap.starts_with("recording "))
            .count(),
        0
    );
    contract_tests::replay::replay(&recording, &contract)
        .await
        .unwrap();
}

#[tokio::test]
async fn refuses_to_overwrite_and_accepts_force() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let mut args = args(&server);
    args.case = "updated".into();
    args.operation = "move_folder".into();
    args.body = Some(r#"{"parent_folder_id": null}"#.into());
    args.id = Some("../../etc".into());
    let first = record(&args, &token(), out.path()).await.unwrap();
    let text = std::fs::read_to_string(&first.path).unwrap();
    assert!(
        text.contains("/folders/..%2F..%2Fetc"),
        "path values are encoded: {text}"
    );
    let again = record(&args, &token(), out.path())
        .await
        .unwrap_err()
        .to_string();
    assert!(again.contains("exists; pass --force"), "{again}");
    args.force = true;
    record(&args, &token(), out.path()).await.unwrap();
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let out = tempfile::tempdir().unwrap();
    let mut args = args(&server);
    args.operation = "delete_pack".into();
    let error = record(&args, &token(), out.path())
        .await
        .unwrap_err()
        .to_string();
    let ids = spec::load(spec::path()).unwrap().operation_ids().join(", ");
    assert!(
        error.contains(&format!("no operation `delete_pack` (operations: {ids})")),
        "{error}"
    );
    args.operation = "update_pack".into();
    args.case = "Not Found".into();
    let error = record(&args, &token(), out.path()).await.unwrap_err();
    assert!(error.to_string().contains("--case"), "{error}");
    args.case = "not_found".into();
    args.example = Some("no_such_example".into());
    let error = record(&args, &token(), out.path()).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no request example `no_such_example` (examples: "),
        "{error}"
    );
    args.example = None;
    args.body = Some("{not json".into());
    let error = record(&args, &token(), out.path()).await.unwrap_err();
    assert!(error.to_string().contains("--body is not JSON"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(crate::files::names_in(out.path()).is_empty());
}

#[tokio::test]
async fn an_encoded_body_is_refused_not_stored_undecoded() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(vec![0x1f, 0x8b, 0x08, 0x00]),
        )
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let error = record(&args(&server), &token(), out.path())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("`gzip`-encoded"), "{error}");
    assert!(crate::files::names_in(out.path()).is_empty());
}

#[test]
fn the_token_never_shows_in_debug_output() {
    assert_eq!(format!("{:?}", token()), "Token(<redacted>)");
}
