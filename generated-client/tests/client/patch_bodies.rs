//! The exact JSON bytes the client sends for PATCH bodies.
//!
//! Every clearable field has three wire forms (absent, `null`, a value) and
//! every optional array can be sent empty; these tests pin the bytes a
//! local server receives, so a generator or spec change that loses a state
//! (e.g. progenitor's default `Option<T>` for a nullable field, which cannot
//! send `null`, or typify skipping empty inline arrays) turns them red.

use genviral_partner::{Client, Nullable, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

const ID: &str = "2ab58bb0-0c39-45c0-a4d5-b6852f9d7fc0";
const OTHER: &str = "33333333-3333-3333-3333-333333333333";

fn uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap()
}

/// A server that answers every PATCH with an empty 500 (the reply does not
/// matter here) and a client that does not retry, so each call sends once.
async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = support::client_without_retries(server.uri());
    (server, client)
}

/// The bodies the server received, in order, as text.
async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| String::from_utf8(request.body.clone()).unwrap())
        .collect()
}

async fn send_slideshow(client: &Client, body: types::builder::UpdateSlideshowRequest) {
    let _ = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .body(body)
        .send()
        .await;
}

#[tokio::test]
async fn slideshow_product_id_absent_null_value() {
    let (server, client) = server().await;
    let title = || types::UpdateSlideshowRequest::builder().title("t".to_string());
    send_slideshow(&client, title()).await;
    send_slideshow(&client, title().product_id(Nullable::Null)).await;
    send_slideshow(&client, title().product_id(Nullable::Value(uuid(OTHER)))).await;
    assert_eq!(
        received(&server).await,
        [
            r#"{"title":"t"}"#,
            r#"{"product_id":null,"title":"t"}"#,
            r#"{"product_id":"33333333-3333-3333-3333-333333333333","title":"t"}"#,
        ]
    );
}

#[tokio::test]
async fn template_description_absent_null_value() {
    let (server, client) = server().await;
    let description = types::TemplateDescription::try_from("Hooks that open strong").unwrap();
    let bodies = [
        types::UpdateTemplateRequest::builder()
            .visibility(types::UpdateTemplateRequestVisibility::Private),
        types::UpdateTemplateRequest::builder().description(Nullable::Null),
        types::UpdateTemplateRequest::builder().description(Nullable::Value(description)),
    ];
    for body in bodies {
        let _ = client
            .update_template()
            .template_id(uuid(ID))
            .body(body)
            .send()
            .await;
    }
    assert_eq!(
        received(&server).await,
        [
            r#"{"visibility":"private"}"#,
            r#"{"description":null}"#,
            r#"{"description":"Hooks that open strong"}"#,
        ]
    );
}

/// Clearable text fields take text, as every other text setter does, and
/// refuse it as their type does.
#[tokio::test]
async fn clearable_text_fields_take_text() {
    let (server, client) = server().await;
    let _ = client
        .update_template()
        .template_id(uuid(ID))
        .description("Hooks that open strong")
        .send()
        .await;
    let title = types::UpdateSlideshowRequest::builder().title("t");
    send_slideshow(&client, title.product_id(OTHER)).await;
    assert_eq!(
        received(&server).await,
        [
            r#"{"description":"Hooks that open strong"}"#,
            r#"{"product_id":"33333333-3333-3333-3333-333333333333","title":"t"}"#,
        ]
    );

    let too_long = client
        .update_template()
        .template_id(uuid(ID))
        .description("x".repeat(501))
        .send()
        .await
        .unwrap_err();
    assert!(too_long.message().contains("description"), "{too_long}");
    let not_a_uuid = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .product_id("not-a-uuid")
        .send()
        .await
        .unwrap_err();
    assert!(not_a_uuid.message().contains("product_id"), "{not_a_uuid}");
    // Compiles: a `Nullable<String>` field of a nested builder takes a &str.
    let slide: Result<types::TemplateSlide, _> = types::TemplateSlide::builder()
        .pinned_image_url("https://cdn.example/a.png")
        .try_into();
    if let Err(error) = slide {
        assert!(
            !error.to_string().contains("pinned_image_url"),
            "a &str is a pinned_image_url: {error}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A field whose schema is "a name or a number" takes the name as text.
#[tokio::test]
async fn a_named_size_is_set_as_text() {
    let (server, client) = server().await;
    let _ = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .settings_with(|s| s.advanced_settings_with(|a| a.font_size("small")))
        .send()
        .await;
    assert_eq!(
        received(&server).await,
        [r#"{"settings":{"advanced_settings":{"font_size":"small"}}}"#]
    );
    let refused = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .settings_with(|s| s.advanced_settings_with(|a| a.font_size("huge")))
        .send()
        .await
        .unwrap_err();
    assert!(refused.message().contains("\"huge\""), "{refused}");
}

#[tokio::test]
async fn slideshow_settings_image_pack_id_absent_null_value() {
    let (server, client) = server().await;
    // `None`: the setter is not called, so the field is left out.
    let settings = |image_pack_id: Option<Nullable<uuid::Uuid>>| {
        let builder = types::SlideshowSettingsPatch::builder()
            .aspect_ratio(types::SlideshowSettingsPatchAspectRatio::X45);
        let builder = match image_pack_id {
            Some(image_pack_id) => builder.image_pack_id(image_pack_id),
            None => builder,
        };
        types::SlideshowSettingsPatch::try_from(builder).unwrap()
    };
    for image_pack_id in [
        None,
        Some(Nullable::Null),
        Some(Nullable::Value(uuid(OTHER))),
    ] {
        let body = types::UpdateSlideshowRequest::builder().settings(settings(image_pack_id));
        send_slideshow(&client, body).await;
    }
    assert_eq!(
        received(&server).await,
        [
            r#"{"settings":{"aspect_ratio":"4:5"}}"#,
            r#"{"settings":{"aspect_ratio":"4:5","image_pack_id":null}}"#,
            r#"{"settings":{"aspect_ratio":"4:5","image_pack_id":"33333333-3333-3333-3333-333333333333"}}"#,
        ]
    );
}

#[tokio::test]
async fn optional_arrays_can_be_sent_empty() {
    let (server, client) = server().await;
    let title = || types::UpdateSlideshowRequest::builder().title("t".to_string());
    let text = types::TextElementPayload::try_from(
        types::TextElementPayload::builder()
            .content("Hook".to_string())
            .x(50.0)
            .y(25.0),
    )
    .unwrap();
    let slide = types::SlidePayload::try_from(
        types::SlidePayload::builder()
            .text_elements(vec![text])
            .grid_images(types::GridImagesPayload(Vec::new())),
    )
    .unwrap();
    send_slideshow(&client, title()).await;
    send_slideshow(&client, title().slides(types::SlidePayloads(Vec::new()))).await;
    send_slideshow(&client, title().slides(types::SlidePayloads(vec![slide]))).await;
    assert_eq!(
        received(&server).await,
        [
            r#"{"title":"t"}"#,
            r#"{"slides":[],"title":"t"}"#,
            r#"{"slides":[{"grid_images":[],"text_elements":[{"content":"Hook","x":50.0,"y":25.0}]}],"title":"t"}"#,
        ]
    );
}

#[tokio::test]
async fn folder_parent_is_required_and_may_be_null() {
    let (server, client) = server().await;
    for parent in [None, Some(uuid(OTHER))] {
        let _ = client
            .move_folder()
            .folder_id(uuid(ID))
            .body(types::MoveFolderRequest::builder().parent_folder_id(parent))
            .send()
            .await;
    }
    let missing = client
        .move_folder()
        .folder_id(uuid(ID))
        .body(types::MoveFolderRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("parent_folder_id"),
        "the refusal names the field: {missing}"
    );
    assert_eq!(
        received(&server).await,
        [
            r#"{"parent_folder_id":null}"#,
            r#"{"parent_folder_id":"33333333-3333-3333-3333-333333333333"}"#,
        ],
        "the request without parent_folder_id was never sent"
    );
}

#[test]
fn decoding_keeps_the_three_states() {
    let decode = |json: &str| serde_json::from_str::<types::UpdateSlideshowRequest>(json).unwrap();
    assert_eq!(decode(r#"{"title":"t"}"#).product_id, None);
    assert_eq!(
        decode(r#"{"product_id":null}"#).product_id,
        Some(Nullable::Null)
    );
    assert_eq!(
        decode(r#"{"product_id":"33333333-3333-3333-3333-333333333333"}"#).product_id,
        Some(Nullable::Value(uuid(OTHER)))
    );
    for json in [
        r#"{"title":"t"}"#,
        r#"{"product_id":null,"settings":{"image_pack_id":null}}"#,
    ] {
        assert_eq!(
            serde_json::to_string(&decode(json)).unwrap(),
            json,
            "round trip"
        );
    }
}

/// A required clearable field must be present when decoding: a missing
/// `parent_folder_id` is an error, not `null` (which moves the folder to
/// the root), at the top level and nested (`config.visuals.packId`).
#[test]
fn decoding_refuses_a_missing_required_nullable_field() {
    let error = serde_json::from_str::<types::MoveFolderRequest>("{}").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("missing field `parent_folder_id`"),
        "{error}"
    );
    let folder =
        serde_json::from_str::<types::MoveFolderRequest>(r#"{"parent_folder_id":null}"#).unwrap();
    assert_eq!(folder.parent_folder_id, Nullable::Null);
    let text = r#""textSettings":{"fontSize":48,"preset":"tiktok","width":"default"}"#;
    let visuals = format!(r#"{{"aspectRatio":"9:16","packId":null,{text}}}"#);
    let without_pack = format!(r#"{{"aspectRatio":"9:16",{text}}}"#);
    assert_eq!(
        serde_json::from_str::<types::TemplateVisuals>(&visuals)
            .unwrap()
            .pack_id,
        Nullable::Null
    );
    let error = serde_json::from_str::<types::TemplateVisuals>(&without_pack).unwrap_err();
    assert!(
        error.to_string().contains("missing field `packId`"),
        "{error}"
    );
}

/// An empty map the caller sets is sent as `{}` ("clear the assignments"),
/// not dropped; a map never set is left out.
#[tokio::test]
async fn empty_pack_assignments_are_sent_not_dropped() {
    let (server, client) = server().await;
    let empty = types::SlideshowPackAssignments(Default::default());
    let _ = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .settings_with(|settings| settings.pack_assignments(empty))
        .send()
        .await;
    let _ = client
        .update_slideshow()
        .slideshow_id(uuid(ID))
        .settings_with(|settings| settings.aspect_ratio("9:16"))
        .send()
        .await;
    assert_eq!(
        received(&server).await,
        [
            r#"{"settings":{"pack_assignments":{}}}"#,
            r#"{"settings":{"aspect_ratio":"9:16"}}"#
        ]
    );
}
