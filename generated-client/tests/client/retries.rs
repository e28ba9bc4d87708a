//! Retries against a local server: transient failures are repeated (with
//! `Retry-After` honoured), everything else is returned at once.

use std::time::{Duration, Instant};

use genviral_partner::{Client, RetryPolicy, USER_AGENT_VALUE, types};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";
const TOKEN: &str = "gva_test_retry.retry-secret";

fn pack_json() -> serde_json::Value {
    serde_json::json!({
        "ok": true, "code": 200, "message": "Pack updated",
        "data": {"id": PACK_ID, "name": "P", "image_count": 0, "is_public": true,
                 "created_at": "2026-02-14T09:00:00.000Z", "images": []}
    })
}

fn error_json(status: u16, code: &str) -> serde_json::Value {
    serde_json::json!({"ok": false, "code": status, "message": "busy", "error_code": code})
}

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_secs(2))
}

async fn update(client: &Client) -> Result<u16, u16> {
    client
        .update_pack()
        .pack_id(uuid::Uuid::parse_str(PACK_ID).unwrap())
        .body(types::UpdatePackRequest::builder().is_public(true))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map_err(|e| e.status().map_or(0, |s| s.as_u16()))
}

#[tokio::test]
async fn gateway_errors_are_retried_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_json(503, "unavailable")))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/packs/{PACK_ID}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("user-agent", USER_AGENT_VALUE))
        .respond_with(ResponseTemplate::new(200).set_body_json(pack_json()))
        .mount(&server)
        .await;

    assert_eq!(update(&client(&server, fast())).await, Ok(200));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retries_are_capped() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(502).set_body_json(error_json(502, "bad_gateway")))
        .mount(&server)
        .await;

    assert_eq!(
        update(&client(&server, fast().with_max_retries(1))).await,
        Err(502)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn disabled_policy_sends_once_and_non_transient_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_json(503, "unavailable")))
        .mount(&server)
        .await;
    assert_eq!(
        update(&client(&server, RetryPolicy::disabled())).await,
        Err(503)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(409).set_body_json(error_json(409, "conflict")))
        .mount(&server)
        .await;
    assert_eq!(update(&client(&server, fast())).await, Err(409));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "409 is not retried"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(error_json(429, "rate_limited")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pack_json()))
        .mount(&server)
        .await;

    let started = Instant::now();
    // The backoff alone would wait ~10 ms; Retry-After asks for 1 s.
    assert_eq!(update(&client(&server, fast())).await, Ok(200));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn connection_failures_are_retried() {
    let client = Client::builder()
        .base_url(support::refused_base_url())
        .token(TOKEN)
        .retry_policy(fast().with_max_retries(2))
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(update(&client).await, Err(0));
    // Two backoff waits of at least 5 ms and 10 ms happened.
    assert!(
        started.elapsed() >= Duration::from_millis(15),
        "{:?}",
        started.elapsed()
    );
}

const OTHER_PACK_ID: &str = "22222222-2222-2222-2222-222222222222";

/// A retry that waits for a slot waits until the deadline at most, and is
/// then not sent: the call ends with its failure, although another call
/// holds the only slot for longer than the deadline.
#[tokio::test]
async fn a_retry_waiting_for_a_slot_is_not_sent_after_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/packs/{PACK_ID}")))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_json(503, "unavailable")))
        .mount(&server)
        .await;
    Mock::given(path(format!("/packs/{OTHER_PACK_ID}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(pack_json())
                .set_delay(Duration::from_secs(4)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(200)))
        .max_concurrent_requests(1)
        .total_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let first = update(&client);
    let other = async {
        // Takes the slot while the first call waits to retry.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = client
            .with_options(
                genviral_partner::RequestOptions::new().total_timeout(Duration::from_secs(10)),
            )
            .update_pack()
            .pack_id(OTHER_PACK_ID)
            .is_public(true)
            .send()
            .await;
    };
    let (first, ()) = tokio::join!(first, other);
    assert_eq!(first, Err(503), "the failure before the deadline");
    let requests = server.received_requests().await.unwrap();
    let to_first = requests
        .iter()
        .filter(|request| request.url.path().ends_with(PACK_ID))
        .count();
    assert_eq!(to_first, 1, "the retry was not sent after the deadline");
}

/// A retry cut short by the deadline that times out ends the call with the
/// failure before it (its status and code), not with a timeout the
/// deadline made.
#[tokio::test]
async fn a_retry_cut_by_the_deadline_reports_the_failure_before_it() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_json(503, "unavailable")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(pack_json())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry_policy(fast())
        .total_timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let error = client
        .update_pack()
        .pack_id(PACK_ID)
        .is_public(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(
        error.error_code(),
        Some(genviral_partner::ErrorCode::Unknown("unavailable".into()))
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
