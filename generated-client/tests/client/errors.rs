//! Every server reply becomes a typed value or an `ApiError` that keeps
//! the HTTP status; empty PATCH bodies are refused before sending; the three
//! wire forms of PATCH bodies are pinned in `patch_bodies`.

use genviral_partner::{Client, ErrorCode, ErrorKind, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";

async fn serve(template: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(template)
        .mount(&server)
        .await;
    let client = support::client_without_retries(server.uri());
    (server, client)
}

#[tokio::test]
async fn html_from_a_proxy_keeps_its_status_and_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let (_server, client) = serve(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.raw_body(), Some(html.as_bytes()));
    assert_eq!(error.error_code(), None);
    assert!(error.is_retryable());
    let header = |name: &str| error.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("content-type"), Some("text/html"), "as received");
    assert_eq!(header("content-length"), Some(&*html.len().to_string()));
}

/// A body that is almost the envelope (a member missing, or of another
/// type) still gives its `error_code` and `message`.
#[tokio::test]
async fn an_envelope_missing_a_member_keeps_its_code_and_message() {
    for body in [
        serde_json::json!({"ok": false, "message": "Name taken", "error_code": "template_name_conflict"}),
        serde_json::json!({"ok": false, "code": "409", "message": "Name taken", "error_code": "template_name_conflict"}),
    ] {
        let (_server, client) = serve(ResponseTemplate::new(409).set_body_json(&body)).await;
        let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(409), "{body}");
        assert_eq!(
            error.error_code(),
            Some(ErrorCode::TemplateNameConflict),
            "{body}"
        );
        assert_eq!(error.message(), "Name taken", "{body}");
        assert!(error.envelope().is_none(), "not the envelope: {body}");
        assert_eq!(error.raw_body(), Some(body.to_string().as_bytes()));
    }
    let (_server, client) =
        serve(ResponseTemplate::new(422).set_body_json(serde_json::json!({"error_code": 7}))).await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.error_code(), None, "only a string is a code");
    assert!(
        error.message().contains("not the error envelope"),
        "{error}"
    );
}

/// `send_json()` returns the reply's body as sent; its failures are
/// `send()`'s.
#[tokio::test]
async fn send_json_returns_the_reply_as_sent_and_fails_as_send() {
    let reply = serde_json::json!({
        "ok": true, "code": 200, "message": "Pack updated", "request_id": "req-1",
        "data": {"id": PACK_ID, "images": [], "preview_image_url": null, "size": 48}
    });
    let (_server, client) = serve(ResponseTemplate::new(200).set_body_json(&reply)).await;
    let sent = client
        .update_pack()
        .pack_id(PACK_ID)
        .is_public(true)
        .send_json()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 200);
    assert_eq!(sent.into_inner(), reply);

    let (_server, client) = serve(ResponseTemplate::new(404).set_body_json(serde_json::json!({
        "ok": false, "code": 404, "message": "Pack not found", "error_code": "not_found"
    })))
    .await;
    let error = client
        .update_pack()
        .pack_id(PACK_ID)
        .is_public(true)
        .send_json()
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), Some(ErrorCode::NotFound));
    let refused = client
        .update_pack()
        .pack_id(PACK_ID)
        .send_json()
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidRequest, "an empty body");
}

#[tokio::test]
async fn empty_and_truncated_bodies_keep_their_status() {
    for (status, body) in [
        (500u16, ""),
        (404, "{\"ok\":false,\"code\":404,\"mess"),
        (503, "null"),
    ] {
        let (_server, client) = serve(ResponseTemplate::new(status).set_body_string(body)).await;
        let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{body:?}");
        assert_eq!(error.raw_body(), Some(body.as_bytes()), "{body:?}");
    }
}

#[tokio::test]
async fn documented_codes_match_in_one_line_and_unknown_codes_survive() {
    let (_server, client) = serve(ResponseTemplate::new(409).set_body_json(serde_json::json!({
        "ok": false, "code": 409, "message": "A template with this name already exists",
        "error_code": "template_name_conflict", "details": {"field": "name"}
    })))
    .await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert!(matches!(
        error.error_code(),
        Some(ErrorCode::TemplateNameConflict)
    ));
    assert_eq!(error.message(), "A template with this name already exists");
    assert!(!error.is_retryable());

    let (_server, client) = serve(ResponseTemplate::new(418).set_body_json(serde_json::json!({
        "ok": false, "code": 418, "message": "teapot", "error_code": "brand_new_code"
    })))
    .await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(418),
        "undeclared 4xx decodes via 4XX"
    );
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::Unknown("brand_new_code".into()))
    );
}

#[tokio::test]
async fn success_payloads_tolerate_extra_fields_and_bad_ones_keep_status_200() {
    let (_server, client) = serve(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "ok": true, "code": 200, "message": "Pack updated", "request_id": "r-1",
        "data": {"id": PACK_ID, "name": "P", "image_count": 3, "is_public": true,
                 "created_at": "2026-02-14T09:00:00.000Z", "new_server_field": [1, 2]}
    })))
    .await;
    assert_eq!(
        support::update_pack(&client, PACK_ID)
            .await
            .unwrap()
            .data
            .image_count,
        3
    );

    let (_server, client) =
        serve(ResponseTemplate::new(200).set_body_string("<html>oops</html>")).await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidPayload);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.raw_body(), Some(&b"<html>oops</html>"[..]));

    let (_server, client) = serve(ResponseTemplate::new(201).set_body_string("{}")).await;
    let error = support::update_pack(&client, PACK_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedStatus);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(201));
}

#[tokio::test]
async fn an_empty_patch_is_refused_before_sending() {
    let (server, client) = serve(ResponseTemplate::new(200)).await;
    let error = client
        .update_template()
        .template_id(uuid::Uuid::nil())
        .body(types::UpdateTemplateRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        error.message(),
        "update_template: the body sets no field; set at least one of: config, description, name, visibility"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
