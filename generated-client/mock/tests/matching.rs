//! What the generated matchers match, against the real client: the exact
//! body (PATCH's absent / `null` / value told apart), path parameters, and
//! the mock client's settings.

use genviral_partner::{ErrorKind, Nullable, types};
use genviral_partner_mock::{MOCK_TOKEN, MockServerExt, examples, httpmock::MockServer};
use uuid::{Uuid, uuid};

const TEMPLATE: Uuid = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");

/// The request types are `#[non_exhaustive]`: built with their builders.
fn request(
    edit: impl FnOnce(types::builder::UpdateTemplateRequest) -> types::builder::UpdateTemplateRequest,
) -> types::UpdateTemplateRequest {
    edit(types::UpdateTemplateRequest::builder())
        .try_into()
        .unwrap()
}

fn clearing_description() -> types::UpdateTemplateRequest {
    request(|body| body.description(Nullable::Null))
}

fn renaming() -> types::UpdateTemplateRequest {
    request(|body| body.name("Hooks v3"))
}

fn renaming_and_clearing() -> types::UpdateTemplateRequest {
    request(|body| body.name("Hooks v3").description(Nullable::Null))
}

/// Mocks `update_template` to expect `expected`, sends `sent`, and returns
/// how often the mock matched.
async fn hits(
    expected: &types::UpdateTemplateRequest,
    sent: types::UpdateTemplateRequest,
) -> usize {
    let server = MockServer::start_async().await;
    let mock = server.update_template(|when, then| {
        when.template_id(&TEMPLATE).body(expected);
        then.ok(&examples::update_template::updated());
    });
    let result = genviral_partner_mock::client(&server)
        .update_template()
        .template_id(TEMPLATE)
        .body(sent)
        .send()
        .await;
    let hits = mock.calls_async().await;
    assert_eq!(result.is_ok(), hits == 1, "{result:?}");
    hits
}

#[tokio::test]
async fn a_body_expecting_null_matches_null_only() {
    assert_eq!(
        hits(&clearing_description(), clearing_description()).await,
        1
    );
    assert_eq!(
        hits(&renaming_and_clearing(), renaming()).await,
        0,
        "absent must not match null"
    );
}

#[tokio::test]
async fn a_body_leaving_a_field_out_does_not_match_null() {
    assert_eq!(
        hits(&renaming(), renaming_and_clearing()).await,
        0,
        "null must not match absent"
    );
    assert_eq!(hits(&renaming(), renaming()).await, 1);
}

#[tokio::test]
async fn a_body_with_a_value_matches_that_value_only() {
    let described = |text: &str| {
        let description: types::TemplateDescription = text.parse().unwrap();
        request(|body| body.description(Nullable::Value(description)))
    };
    assert_eq!(hits(&described("Hooks"), described("Hooks")).await, 1);
    assert_eq!(hits(&described("Hooks"), described("Other")).await, 0);
    assert_eq!(hits(&described("Hooks"), clearing_description()).await, 0);
}

#[tokio::test]
async fn a_path_parameter_matcher_matches_that_id_only() {
    let server = MockServer::start_async().await;
    let mock = server.update_template(|when, then| {
        when.template_id(&TEMPLATE);
        then.ok(&examples::update_template::updated());
    });
    let client = genviral_partner_mock::client(&server);
    let other = uuid!("bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb");
    let missed = client
        .update_template()
        .template_id(other)
        .name("x")
        .send()
        .await;
    assert!(missed.is_err());
    assert_eq!(mock.calls_async().await, 0);
    client
        .update_template()
        .template_id(TEMPLATE)
        .name("x")
        .send()
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn the_mock_client_sends_the_dummy_token_and_does_not_retry() {
    let server = MockServer::start_async().await;
    let reply = examples::update_pack::PACK_UPDATE_FAILED;
    let mock = server.update_pack(|when, then| {
        when.into_inner()
            .header("authorization", format!("Bearer {MOCK_TOKEN}"));
        reply.respond(then.into_inner());
    });
    let error = genviral_partner_mock::client(&server)
        .update_pack()
        .pack_id(uuid!("11111111-1111-1111-1111-111111111111"))
        .is_public(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert!(
        error.is_retryable(),
        "a 500 is retryable: the client must not retry it here"
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn an_example_reply_sends_its_status_and_exact_bytes() {
    let server = MockServer::start_async().await;
    let reply = examples::update_template::TEMPLATE_NAME_CONFLICT;
    server.update_template(|_, then| {
        reply.respond(then.into_inner());
    });
    let url = format!("{}/templates/{TEMPLATE}", server.base_url());
    let response = genviral_partner::reqwest::Client::new()
        .patch(url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), reply.status);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(response.text().await.unwrap(), reply.body);
}
