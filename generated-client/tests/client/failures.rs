//! Errors say what happened: each way a call can fail has its own
//! [`ErrorKind`], its cause is reachable through `source()`, every reply
//! whose status line arrived keeps its status whatever happens to its body,
//! and `is_retryable()` is true only where a retry can help.

use std::error::Error as _;
use std::time::Duration;

use genviral_partner::{ApiError, Client, ErrorCode, ErrorKind, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;
use crate::wire::{RawServer, cut_reply};

const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";

/// Every error in `error`'s chain of causes, including what `io::Error`s
/// wrap (their `source()` skips it).
fn causes(error: &ApiError) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut causes = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        causes.push(cause);
        next = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => cause.source(),
        };
    }
    causes
}

fn io_kinds(error: &ApiError) -> Vec<std::io::ErrorKind> {
    causes(error)
        .into_iter()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
        .collect()
}

async fn call(client: &Client) -> ApiError {
    support::update_pack(client, PACK_ID)
        .await
        .expect_err("the call must fail")
}

/// Retries without waiting, as many as `retries`.
fn retrying_client(base_url: String, retries: u32) -> Client {
    Client::builder()
        .base_url(base_url)
        .token("gva_test.secret")
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(retries)
                .with_base_delay(Duration::ZERO)
                .with_max_delay(Duration::ZERO),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_connection_is_connect_with_the_os_error_as_cause() {
    let client = support::client_without_retries(support::refused_base_url());
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert_eq!(error.status(), None);
    assert!(error.is_retryable());
    assert!(
        io_kinds(&error).contains(&std::io::ErrorKind::ConnectionRefused),
        "{:?}",
        causes(&error)
    );
    assert!(
        error.to_string().starts_with("could not connect"),
        "{error}"
    );
    assert!(
        error
            .source()
            .unwrap()
            .is::<genviral_partner::reqwest::Error>(),
        "the reqwest error itself is the source"
    );
}

#[tokio::test]
async fn a_host_that_does_not_resolve_is_dns() {
    // `.invalid` never resolves (RFC 6761): no server is contacted.
    let client = support::client_without_retries("http://genviral-partner-test.invalid");
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::Dns, "{error}");
    assert_eq!(error.status(), None);
    assert!(error.is_retryable());
    assert!(error.source().is_some());
    assert!(
        error
            .to_string()
            .starts_with("the host name did not resolve"),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_tls_failure_and_not_retried() {
    let server = RawServer::replying(b"HTTP/1.1 200 OK\r\n\r\nnot a TLS record".to_vec()).await;
    let client = retrying_client(server.https_base_url(), 2);
    let error = call(&client).await;
    assert_eq!(
        error.kind(),
        ErrorKind::Tls,
        "{error}: {:?}",
        causes(&error)
    );
    assert_eq!(error.status(), None);
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1, "a TLS failure is not retried");
    assert!(error.source().is_some());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = RawServer::silent().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token("gva_test.secret")
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.status(), None);
    assert!(error.is_retryable());
    assert!(error.source().is_some());
    assert!(error.to_string().starts_with("timed out"), "{error}");
}

#[tokio::test]
async fn a_200_whose_body_breaks_off_keeps_status_headers_and_bytes() {
    let sent = r#"{"ok":true,"code":200,"message":"Pack upd"#;
    let server = RawServer::replying(cut_reply(200, "x-request-id: r-1\r\n", sent)).await;
    let client = retrying_client(server.base_url(), 2);
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::BodyRead, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.headers()["x-request-id"], "r-1");
    assert_eq!(error.raw_body(), Some(sent.as_bytes()));
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1, "a 200 is not retried");
    assert!(
        error
            .source()
            .unwrap()
            .is::<genviral_partner::reqwest::Error>(),
        "{:?}",
        error.source()
    );
}

#[tokio::test]
async fn a_409_whose_body_breaks_off_stays_a_409_and_is_not_retried() {
    let sent = r#"{"ok":false,"code":409,"message":"A template with this name"#;
    let server = RawServer::replying(cut_reply(409, "", sent)).await;
    let client = retrying_client(server.base_url(), 2);
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::BodyRead, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(error.raw_body(), Some(sent.as_bytes()));
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_503_whose_body_breaks_off_is_retried_and_keeps_its_status() {
    let server = RawServer::replying(cut_reply(503, "", "{\"ok\":false")).await;
    let client = retrying_client(server.base_url(), 1);
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::BodyRead, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_broken_body_says_so_with_its_status_and_length() {
    let server = RawServer::replying(cut_reply(409, "", "{\"ok\":false")).await;
    let client = support::client_without_retries(server.base_url());
    let error = call(&client).await;
    let text = error.to_string();
    assert!(
        text.starts_with("409 Conflict: the reply's body broke off after 11 bytes"),
        "{text}"
    );
}

async fn serve_once(template: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(template)
        .mount(&server)
        .await;
    let client = retrying_client(server.uri(), 2);
    (server, client)
}

#[tokio::test]
async fn ok_false_in_a_2xx_envelope_is_an_api_error_with_its_status_and_code() {
    let not_found = serde_json::json!({
        "ok": false, "code": 404, "message": "Pack not found", "error_code": "not_found"
    });
    let mut with_data = not_found.clone();
    with_data["data"] =
        serde_json::from_str::<serde_json::Value>(crate::wire::PACK_JSON).unwrap()["data"].clone();
    for (status, body) in [(200, &not_found), (200, &with_data), (201, &not_found)] {
        let (server, client) = serve_once(ResponseTemplate::new(status).set_body_json(body)).await;
        let error = call(&client).await;
        assert_eq!(error.kind(), ErrorKind::Api, "{status} {body}: {error}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.error_code(), Some(ErrorCode::NotFound));
        assert_eq!(error.message(), "Pack not found");
        assert!(!error.is_retryable());
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn ok_false_without_the_envelopes_fields_keeps_the_raw_body() {
    let (_server, client) =
        serve_once(ResponseTemplate::new(200).set_body_raw(r#"{"ok":false}"#, "application/json"))
            .await;
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::Api, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.raw_body(), Some(&br#"{"ok":false}"#[..]));
    assert_eq!(error.error_code(), None);
}

#[tokio::test]
async fn an_undecodable_success_body_has_the_decoding_error_as_source() {
    let (_server, client) = serve_once(
        ResponseTemplate::new(200)
            .set_body_string("<html>")
            .insert_header("x-request-id", "req-123"),
    )
    .await;
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::InvalidPayload);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.raw_body(), Some(b"<html>".as_slice()));
    assert_eq!(
        error.headers().get("x-request-id").unwrap(),
        "req-123",
        "the reply's headers are kept"
    );
    assert!(error.source().unwrap().is::<serde_json::Error>());
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_500_is_retried_a_422_is_not() {
    let envelope = |status: u16| serde_json::json!({"ok": false, "code": status, "message": "m", "error_code": "x"});
    let (server, client) =
        serve_once(ResponseTemplate::new(500).set_body_json(envelope(500))).await;
    let error = call(&client).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let (server, client) =
        serve_once(ResponseTemplate::new(422).set_body_json(envelope(422))).await;
    let error = call(&client).await;
    assert!(!error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_connection_closed_before_the_reply_is_communication_and_retried() {
    let server = RawServer::replying(Vec::new()).await;
    let client = retrying_client(server.base_url(), 1);
    let error = call(&client).await;
    assert_eq!(error.kind(), ErrorKind::Communication, "{error}");
    assert_eq!(error.status(), None);
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 2);
}
