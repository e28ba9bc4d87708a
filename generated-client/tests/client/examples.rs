//! Runs each program of `examples/` against a local mock that answers with
//! the spec's success example, and checks what it sent and got back.

use genviral_partner::Client;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

#[path = "../../examples/move_folder.rs"]
mod move_folder;
#[path = "../../examples/update_pack.rs"]
mod update_pack;
#[path = "../../examples/update_slideshow.rs"]
mod update_slideshow;
#[path = "../../examples/update_template.rs"]
mod update_template;

async fn mock(
    route: &str,
    sent: serde_json::Value,
    reply: serde_json::Value,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(route))
        .and(body_json(sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(reply))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client_without_retries(server.uri());
    (server, client)
}

fn envelope(data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"ok": true, "code": 200, "message": "updated", "data": data})
}

#[tokio::test]
async fn update_pack_example() {
    let id = uuid::Uuid::parse_str("11111111-1111-1111-1111-111111111111").unwrap();
    let (_server, client) = mock(
        &format!("/packs/{id}"),
        serde_json::json!({"name": "Motivation Pack v2", "is_public": true}),
        envelope(
            serde_json::json!({"id": id, "name": "Motivation Pack v2", "image_count": 24,
            "is_public": true, "created_at": "2026-02-14T09:00:00.000Z", "images": []}),
        ),
    )
    .await;
    let pack = update_pack::run(&client, id).await.unwrap();
    assert_eq!(
        (pack.name.as_str(), pack.image_count),
        ("Motivation Pack v2", 24)
    );
}

#[tokio::test]
async fn update_template_example() {
    let id = uuid::Uuid::parse_str("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa").unwrap();
    let (_server, client) = mock(
        &format!("/templates/{id}"),
        serde_json::json!({"name": "Hooks Template v2", "description": null, "visibility": "workspace"}),
        envelope(serde_json::json!({"id": id, "name": "Hooks Template v2", "description": null,
            "visibility": "workspace", "created_at": "2026-02-12T15:00:00.000Z",
            "updated_at": "2026-02-14T10:00:00.000Z",
            "config": {"version": 1, "structure": {"slides": [{"type": "pack"}]},
                       "content": {"mode": "manual"}, "visuals": {}}})),
    )
    .await;
    let template = update_template::run(&client, id).await.unwrap();
    assert_eq!(template.visibility, "workspace");
}

#[tokio::test]
async fn update_slideshow_example() {
    let id = uuid::Uuid::parse_str("2ab58bb0-0c39-45c0-a4d5-b6852f9d7fc0").unwrap();
    let (_server, client) = mock(
        &format!("/slideshows/{id}"),
        serde_json::json!({"title": "5 discipline quotes (v2)", "product_id": null,
            "settings": {"aspect_ratio": "9:16", "advanced_settings": {"text_width": "narrow"}}}),
        envelope(
            serde_json::json!({"id": id, "title": "5 discipline quotes (v2)", "status": "draft",
            "slideshow_type": "educational", "product_id": null, "slide_count": 5, "settings": {}}),
        ),
    )
    .await;
    let slideshow = update_slideshow::run(&client, id).await.unwrap();
    assert_eq!(slideshow.slide_count, 5);
}

#[tokio::test]
async fn move_folder_example() {
    let id = uuid::Uuid::parse_str("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa").unwrap();
    let (_server, client) = mock(
        &format!("/folders/{id}"),
        serde_json::json!({"parent_folder_id": null}),
        envelope(serde_json::json!({"id": id, "name": "Product Shots", "media_type": "upload",
            "parent_folder_id": null, "path": format!("/{id}"), "created_at": "2026-03-01T09:00:00.000Z",
            "updated_at": "2026-03-01T10:00:00.000Z"})),
    )
    .await;
    let folder = move_folder::run(&client, id, None).await.unwrap();
    assert_eq!(folder.parent_folder_id, None);
}
