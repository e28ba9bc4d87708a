//! Client-wide control: the concurrency limit, the deadline across retries,
//! and a user-supplied reqwest configuration that keeps what the API needs.

use std::time::Duration;

use genviral_partner::{
    Client, DEFAULT_MAX_CONCURRENT_REQUESTS, ErrorKind, RequestOptions, RetryPolicy,
    USER_AGENT_VALUE, reqwest,
};
use tokio::task::JoinSet;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;
use crate::wire::{self, CountingServer, RawServer};

const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";
const TOKEN: &str = "gva_test.secret";
const CALLS: usize = 64;

/// Makes [`CALLS`] calls at once, half of them through a
/// [`Client::with_options`] copy (which shares the limit), and returns the
/// most requests the server had in flight.
async fn peak_in_flight(builder: genviral_partner::ClientBuilder) -> usize {
    // Each request is held long enough for every free slot to fill.
    let server = CountingServer::start(Duration::from_millis(100)).await;
    let client = builder
        .base_url(server.base_url())
        .token(TOKEN)
        .build()
        .unwrap();
    let mut calls = JoinSet::new();
    for call in 0..CALLS {
        let client = if call % 2 == 0 {
            client.clone()
        } else {
            client.with_options(RequestOptions::new().header("x-call", call.to_string()))
        };
        calls.spawn(async move { support::update_pack(&client, PACK_ID).await });
    }
    while let Some(done) = calls.join_next().await {
        done.unwrap().unwrap();
    }
    assert_eq!(server.served(), CALLS);
    server.peak()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_peak_at_the_limit() {
    assert_eq!(
        peak_in_flight(Client::builder()).await,
        DEFAULT_MAX_CONCURRENT_REQUESTS
    );
    assert_eq!(
        peak_in_flight(Client::builder().max_concurrent_requests(3)).await,
        3
    );
}

#[tokio::test]
async fn the_total_timeout_stops_retries_that_would_end_after_it() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "1")
                .set_body_string("busy"),
        )
        .mount(&server)
        .await;
    // The policy would try 11 times, 1 s apart; the deadline leaves room
    // for one wait only.
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(10)
                .with_max_delay(Duration::from_secs(5)),
        )
        .total_timeout(Duration::from_millis(1_500))
        .build()
        .unwrap();
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_total_timeout_cuts_an_attempt_that_hangs() {
    let server = RawServer::silent().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .timeout(Duration::from_secs(120))
        .total_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = tokio::time::timeout(
        Duration::from_secs(20),
        support::update_pack(&client, PACK_ID),
    )
    .await
    .expect("the deadline ends the attempt, not the 120 s attempt timeout")
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(server.requests().len(), 1, "no retry after the deadline");
}

#[tokio::test]
async fn a_custom_reqwest_client_keeps_auth_user_agent_and_its_own_headers() {
    let server = RawServer::replying(wire::pack_reply()).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-team", "growth".parse().unwrap());
    defaults.insert("user-agent", "not-the-sdk".parse().unwrap());
    defaults.insert("authorization", "Bearer someone.else".parse().unwrap());
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .reqwest_client(reqwest::Client::builder().default_headers(defaults))
        .build()
        .unwrap();
    support::update_pack(&client, PACK_ID).await.unwrap();
    let headers = wire::header_lines(&server.requests()[0]);
    for expected in [
        ("authorization", format!("Bearer {TOKEN}")),
        ("user-agent", USER_AGENT_VALUE.to_string()),
        ("x-team", "growth".to_string()),
    ] {
        let expected = (expected.0.to_string(), expected.1);
        assert!(headers.contains(&expected), "{expected:?} in {headers:?}");
    }
}

#[tokio::test]
async fn a_custom_reqwest_client_keeps_the_same_origin_redirect_policy() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(wire::PACK_JSON, "application/json"))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/packs/{PACK_ID}", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    let client = Client::builder()
        .base_url(api.uri())
        .token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        // reqwest's own default follows redirects to any host.
        .reqwest_client(reqwest::Client::builder())
        .build()
        .unwrap();
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedStatus, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
