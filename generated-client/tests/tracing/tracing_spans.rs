//! Each request gets a span with its operation, status, attempts and
//! duration; no level of output ever contains the token or a body.
//!
//! This is the only test of its binary, because the subscriber, although
//! scoped to this test's thread (`tracing::subscriber::set_default`), sees
//! only call sites whose process-wide interest cache includes it: while it
//! is the only subscriber, `tracing` asks a call site first reached on
//! another thread (another test calling the client) of that thread's
//! subscriber, none, and caches "never" (`Rebuilder::JustOne` in
//! tracing-core). The span and the `retrying` event asserted here are
//! reached by every client test: run in one binary alongside the `retries`
//! and `errors` modules, this test failed 28 times in 30.

mod capture;

use std::time::Duration;

use capture::Capture;
use genviral_partner::{Client, RetryPolicy, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "tracing-secret-value";

#[tokio::test]
async fn spans_carry_metadata_and_never_the_token_or_bodies() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_string("{\"ok\":false,\"code\":503,\"message\":\"busy-body\"}"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "ok": true, "code": 200, "message": "Pack updated",
            "data": {"id": "11111111-1111-1111-1111-111111111111", "name": "secret-pack-name",
                     "image_count": 0, "is_public": true, "created_at": "2026-02-14T09:00:00Z"}
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(format!("gva_test.{SECRET}"))
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    client
        .update_pack()
        .pack_id(uuid::Uuid::parse_str("11111111-1111-1111-1111-111111111111").unwrap())
        .body(
            types::UpdatePackRequest::builder()
                .name(types::UpdatePackRequestName::try_from("secret-pack-name").unwrap()),
        )
        .send()
        .await
        .unwrap();

    let output = capture.text();
    assert!(output.contains("genviral_partner.request"), "{output}");
    assert!(output.contains("operation=\"update_pack\""), "{output}");
    assert!(output.contains("status=200"), "{output}");
    assert!(output.contains("attempts=2"), "{output}");
    assert!(output.contains("duration_ms="), "{output}");
    assert!(output.contains("retrying"), "{output}");
    for secret in [SECRET, "secret-pack-name", "busy-body"] {
        assert!(
            !output.contains(secret),
            "`{secret}` leaked into tracing output:\n{output}"
        );
    }
}
