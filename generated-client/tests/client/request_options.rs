//! What goes on the wire, and the settings of one call
//! ([`Client::with_options`]): extra headers, a timeout, a retry policy.

use std::time::Duration;

use genviral_partner::{Client, ErrorKind, RequestOptions, RetryPolicy, USER_AGENT_VALUE};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, Operation};
use crate::wire::{self, RawServer};

const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";
const TOKEN: &str = "gva_test.secret";

/// The headers a request has on the wire: HTTP's own, the token and the
/// user agent. The spec declares no header parameter, so nothing else.
const EXPECTED_HEADERS: [&str; 6] = [
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "user-agent",
];

fn names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_str()).collect()
}

#[tokio::test]
async fn every_operation_sends_only_declared_headers() {
    let server = RawServer::replying(wire::pack_reply()).await;
    let client = support::client_without_retries(server.base_url());
    for operation in Operation::all() {
        // The reply only fits update_pack; what matters is the request.
        let _ = operation.call(&client, uuid::Uuid::nil()).await;
    }
    let requests = server.requests();
    assert_eq!(requests.len(), Operation::all().len());
    for request in requests {
        let headers = wire::header_lines(&request);
        assert_eq!(names(&headers), EXPECTED_HEADERS, "{headers:?}");
        let value = |name: &str| {
            headers
                .iter()
                .find(|(header, _)| header == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(
            value("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(value("user-agent"), Some(USER_AGENT_VALUE));
        assert_eq!(value("accept"), Some("application/json"));
        assert_eq!(value("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn a_call_can_add_headers_without_changing_the_client() {
    let server = RawServer::replying(wire::pack_reply()).await;
    let client = support::client_without_retries(server.base_url());
    let tagged = client.with_options(
        RequestOptions::new()
            .header("x-request-id", "import-42")
            .header("accept", "application/json; charset=utf-8"),
    );
    support::update_pack(&tagged, PACK_ID).await.unwrap();
    support::update_pack(&client, PACK_ID).await.unwrap();

    let requests = server.requests();
    let with = wire::header_lines(&requests[0]);
    assert!(
        with.contains(&("x-request-id".into(), "import-42".into())),
        "{with:?}"
    );
    assert!(
        with.contains(&("accept".into(), "application/json; charset=utf-8".into())),
        "an extra header replaces the client's: {with:?}"
    );
    assert_eq!(
        with.iter().filter(|(name, _)| name == "accept").count(),
        1,
        "{with:?}"
    );
    assert_eq!(names(&wire::header_lines(&requests[1])), EXPECTED_HEADERS);
}

#[tokio::test]
async fn a_call_cannot_replace_the_token_and_nothing_is_sent() {
    let server = RawServer::replying(wire::pack_reply()).await;
    let client = support::client_without_retries(server.base_url());
    for name in ["Authorization", "authorization", "content-length"] {
        let error = support::update_pack(
            &client.with_options(RequestOptions::new().header(name, "Bearer someone.else")),
            PACK_ID,
        )
        .await
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert!(
            error
                .message()
                .contains(&format!("`{}` cannot be set per call", name.to_lowercase())),
            "{error}"
        );
        assert!(!format!("{error:?}").contains("someone.else"), "{error:?}");
    }
    let error = support::update_pack(
        &client.with_options(RequestOptions::new().header("x-bad", "line\nbreak")),
        PACK_ID,
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
    assert!(error.message().contains("`x-bad`"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_call_timeout_replaces_the_clients() {
    let server = RawServer::silent().await;
    // The client would wait 120 s; the call's option allows 100 ms.
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .timeout(Duration::from_secs(120))
        .total_timeout(Duration::from_secs(120))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let hasty = client.with_options(RequestOptions::new().timeout(Duration::from_millis(100)));
    let error = tokio::time::timeout(
        Duration::from_secs(20),
        support::update_pack(&hasty, PACK_ID),
    )
    .await
    .expect("the call's own timeout applies, not the client's")
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");

    let total =
        client.with_options(RequestOptions::new().total_timeout(Duration::from_millis(100)));
    let error = tokio::time::timeout(
        Duration::from_secs(20),
        support::update_pack(&total, PACK_ID),
    )
    .await
    .expect("the call's own total timeout applies, not the client's")
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[tokio::test]
async fn a_call_retry_policy_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = support::client_without_retries(server.uri());
    let patient = client.with_options(
        RequestOptions::new().retry(
            RetryPolicy::default()
                .with_max_retries(2)
                .with_base_delay(Duration::ZERO)
                .with_max_delay(Duration::ZERO),
        ),
    );
    let error = support::update_pack(&patient, PACK_ID).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        4,
        "the client itself still sends once"
    );
}
