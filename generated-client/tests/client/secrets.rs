//! The API token never leaves the `Authorization` header of requests to the
//! API: not in `Debug`/`Display` of any type, not in errors, and not to
//! another host after a redirect. Tracing output is checked by the
//! `secrets_tracing` test binary (`tests/tracing/secrets_tracing.rs`).

use genviral_partner::{ApiError, ApiToken, Client, ConfigError, RetryPolicy, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

const TOKEN: &str = "gva_live_pub123.SECRETsecretSECRET";
const SECRET: &str = "SECRETsecretSECRET";

/// Every rendering of `value` a log line or a panic message could contain.
fn renderings(value: &(impl std::fmt::Debug + ?Sized)) -> String {
    format!("{value:?}\n{value:#?}")
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET),
        "{what} shows the token's secret:\n{text}"
    );
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

async fn call(client: &Client) -> Result<types::PackResponse, ApiError> {
    support::update_pack(client, uuid::Uuid::nil()).await
}

#[test]
fn token_builder_and_client_hide_the_secret() {
    let token = ApiToken::new(TOKEN).unwrap();
    assert_clean("ApiToken", &renderings(&token));
    let builder = Client::builder().token(TOKEN);
    assert_clean("ClientBuilder", &renderings(&builder));
    let client = builder.build().unwrap();
    assert_clean("Client", &renderings(&client));
}

#[test]
fn config_errors_do_not_echo_a_malformed_token() {
    for malformed in [
        "SECRETsecretSECRET",
        "SECRETsecretSECRET.",
        ".SECRETsecretSECRET",
        "pub SECRETsecretSECRET",
    ] {
        let error: ConfigError = Client::builder().token(malformed).build().unwrap_err();
        let text = format!("{error}\n{}", renderings(&error));
        assert_clean(&format!("ConfigError for {malformed:?}"), &text);
        assert!(text.contains("invalid API token"), "{text}");
    }
}

#[tokio::test]
async fn api_errors_do_not_carry_the_token() {
    let replies = [
        ResponseTemplate::new(401).set_body_raw(
            r#"{"ok":false,"code":401,"message":"Invalid token","error_code":"invalid_token"}"#,
            "application/json",
        ),
        ResponseTemplate::new(500).set_body_string(""),
        ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
        ResponseTemplate::new(200).set_body_raw("{\"ok\":tru", "application/json"),
    ];
    for reply in replies {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(reply)
            .mount(&server)
            .await;
        let error = call(&client(&server.uri())).await.unwrap_err();
        assert!(error.status().is_some());
        assert_clean("ApiError", &format!("{error}\n{}", renderings(&error)));
    }

    let error = call(&client(&support::refused_base_url()))
        .await
        .unwrap_err();
    assert!(error.status().is_none());
    assert_clean(
        "ApiError (connection refused)",
        &format!("{error}\n{}", renderings(&error)),
    );
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed() {
    let other_host = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&other_host)
        .await;
    let api = MockServer::start().await;
    // Other origins on this machine: another port (a policy comparing only
    // host names would follow it), and another host name and port.
    let elsewhere = [
        other_host.uri(),
        other_host.uri().replace("127.0.0.1", "localhost"),
    ];
    for target in &elsewhere {
        // 307/308 keep the method, body and headers; 301/302/303 turn the
        // PATCH into a GET, which would still carry default headers.
        for status in [301, 302, 303, 307, 308] {
            Mock::given(method("PATCH"))
                .respond_with(
                    ResponseTemplate::new(status)
                        .insert_header("location", format!("{target}/steal").as_str()),
                )
                .up_to_n_times(1)
                .mount(&api)
                .await;
            let error = call(&client(&api.uri())).await.unwrap_err();
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "the redirect to {target} is returned, not followed"
            );
        }
    }
    // Asserting "no request at all" is stricter than "no Authorization
    // header": reqwest's default policy follows and strips the header, and
    // this test fails with it (the request body would still leave).
    let leaked = other_host.received_requests().await.unwrap();
    assert!(
        leaked.is_empty(),
        "the other host received {} request(s); with Authorization: {}",
        leaked.len(),
        leaked
            .iter()
            .any(|request| request.headers.contains_key("authorization"))
    );
}

#[tokio::test]
async fn same_origin_redirects_keep_working() {
    let api = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/moved/packs/00000000-0000-0000-0000-000000000000"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"ok":true,"code":200,"message":"Pack updated","data":{"id":"00000000-0000-0000-0000-000000000000","name":"n","image_count":0,"is_public":true,"created_at":"2026-02-14T09:00:00.000Z","images":[]}}"#,
            "application/json",
        ))
        .mount(&api)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(308).insert_header(
                "location",
                format!(
                    "{}/moved/packs/00000000-0000-0000-0000-000000000000",
                    api.uri()
                )
                .as_str(),
            ),
        )
        .mount(&api)
        .await;
    let pack = call(&client(&api.uri())).await.unwrap();
    assert_eq!(pack.data.name, "n");
    let requests = api.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|request| request.headers.contains_key("authorization")),
        "same origin keeps the token"
    );
}

/// A `303 See Other` would be followed with a `GET` without the body, whose
/// reply would pass for the PATCH's: it is returned with its status.
#[tokio::test]
async fn a_see_other_redirect_is_returned_not_followed_as_a_get() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(303).insert_header("location", "/moved/here"))
        .mount(&api)
        .await;
    let error = call(&client(&api.uri())).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(303));
    assert_eq!(error.kind(), genviral_partner::ErrorKind::UnexpectedStatus);
    let requests = api.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "no GET follows");
}
