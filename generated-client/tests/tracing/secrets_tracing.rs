//! The API token never appears in tracing output, at any level, of the
//! client or its dependencies.
//!
//! This is the only test of its binary, because it needs the process to
//! itself:
//! - `tracing_log::LogTracer::init` installs the process-wide `log` logger,
//!   which can be set once per process;
//! - `tracing` caches per call site whether anyone listens, for the whole
//!   process. While this test's subscriber is the only one, a call site
//!   first reached on another thread (another test's client calls) is asked
//!   of that thread's subscriber, none, and is then skipped for good: the
//!   capture would silently miss what it is meant to check.

mod capture;

use capture::Capture;
use genviral_partner::{Client, RetryPolicy, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "gva_live_pub123.SECRETsecretSECRET";
const SECRET: &str = "SECRETsecretSECRET";

/// Captures TRACE and everything above from this crate and its
/// dependencies: hyper-util emits `tracing` events; reqwest logs with the
/// `log` crate, which `LogTracer` forwards (among reqwest's TRACE records are
/// the raw bytes written to the socket when `connection_verbose` is on, i.e.
/// the `Authorization` header; the client never turns it on).
#[test]
fn tracing_at_every_level_never_shows_the_token() {
    // Process-wide: reqwest's `log` records become `tracing` events.
    tracing_log::LogTracer::init().expect("no other `log` logger is installed");
    let captured = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("PATCH"))
                .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
                .mount(&server)
                .await;
            let client = Client::builder()
                .base_url(server.uri())
                .token(TOKEN)
                .retry_policy(
                    RetryPolicy::default()
                        .with_max_retries(1)
                        .with_base_delay(std::time::Duration::from_millis(1)),
                )
                .build()
                .unwrap();
            let error = client
                .update_pack()
                .pack_id(uuid::Uuid::nil())
                .body(types::UpdatePackRequest::builder().is_public(true))
                .send()
                .await
                .map(drop)
                .unwrap_err();
            tracing::error!(%error, ?error, "the call failed");
        });
    });
    let output = captured.text();
    for expected in [
        // This crate's span and the retry event.
        "genviral_partner.request",
        "retrying",
        // reqwest (`log`) and hyper-util (`tracing`) records.
        "log.target=\"reqwest::connect\"",
        "hyper_util::client",
    ] {
        assert!(
            output.contains(expected),
            "the capture includes {expected}: {output}"
        );
    }
    assert!(
        !output.contains(SECRET),
        "tracing output shows the token's secret:\n{output}"
    );
}
