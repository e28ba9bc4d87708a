//! Constrained strings and enums are built from `&str` with one call, and a
//! bad value fails with a message that names the field and says why (the
//! codegen rewrites typify's bare "invalid value" messages).

use genviral_partner::types;

#[test]
fn constrained_strings_name_the_field_and_the_limit() {
    let name = types::UpdatePackRequestName::try_from("Motivation Pack v2").unwrap();
    assert_eq!(name.as_str(), "Motivation Pack v2");

    let empty = types::UpdatePackRequestName::try_from("").unwrap_err();
    assert_eq!(
        empty.to_string(),
        "UpdatePackRequest.name: must not be empty"
    );

    let long = "x".repeat(121);
    let too_long = long.parse::<types::UpdatePackRequestName>().unwrap_err();
    assert_eq!(
        too_long.to_string(),
        "UpdatePackRequest.name: must be at most 120 characters"
    );

    let description = types::TemplateDescription::try_from("y".repeat(501)).unwrap_err();
    assert_eq!(
        description.to_string(),
        "TemplateDescription: must be at most 500 characters"
    );
}

#[test]
fn enums_parse_from_str_and_list_the_accepted_values() {
    let visibility: types::UpdateTemplateRequestVisibility = "workspace".parse().unwrap();
    assert_eq!(
        visibility,
        types::UpdateTemplateRequestVisibility::Workspace
    );
    assert_eq!(visibility.to_string(), "workspace");

    let error = "wrkspace"
        .parse::<types::UpdateTemplateRequestVisibility>()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"UpdateTemplateRequest.visibility: "wrkspace" is not one of "private", "workspace""#
    );

    let version = types::TemplateConfigVersion::try_from(2).unwrap_err();
    assert_eq!(
        version.to_string(),
        "TemplateConfig.version: 2 is not one of 1"
    );

    let ratio = types::SlideshowSettingsPatchAspectRatio::try_from("16:9").unwrap_err();
    assert_eq!(
        ratio.to_string(),
        r#"SlideshowSettingsPatch.aspect_ratio: "16:9" is not one of "9:16", "1:1", "4:5""#
    );
}

#[test]
fn a_missing_required_field_in_a_nested_builder_is_named() {
    let error =
        types::TextElementPayload::try_from(types::TextElementPayload::builder().x(50.0).y(25.0))
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "TextElementPayload.content: required, no value supplied"
    );
}

/// A value refused in a nested builder is reported once, at its place in
/// the spec, not wrapped once per level of nesting.
#[test]
fn a_bad_value_in_a_nested_builder_is_named_once() {
    let error = types::UpdateSlideshowRequest::try_from(
        types::UpdateSlideshowRequest::builder()
            .settings_with(|s| s.advanced_settings_with(|a| a.text_width("wide"))),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            r#"SlideshowSettingsPatch.advanced_settings.text_width: "wide" is not one of"#
        ),
        "{message}"
    );
    assert_eq!(message.matches("text_width").count(), 1, "{message}");

    let pack = types::Pack::builder()
        .created_at("2026-01-01T00:00:00Z")
        .id(uuid::Uuid::nil())
        .image_count(-1);
    let error = types::Pack::try_from(pack).unwrap_err();
    assert!(
        error.to_string().starts_with("Pack.image_count: "),
        "a value that is not a generated type gets its place: {error}"
    );
}

#[test]
fn decoding_a_bad_value_reports_the_field_too() {
    let error = serde_json::from_str::<types::UpdatePackRequest>(r#"{"name": ""}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("UpdatePackRequest.name: must not be empty"),
        "{error}"
    );
}

/// Replies are read leniently: `null` in an optional array reads as an
/// empty list (as `null` in an optional scalar reads as absent), and
/// unknown fields are ignored.
#[test]
fn null_in_an_optional_reply_array_reads_as_empty() {
    let reply = serde_json::json!({
        "ok": true, "code": 200, "message": "Pack updated",
        "data": {
            "id": "11111111-1111-1111-1111-111111111111", "name": "Motivation Pack v2",
            "image_count": 0, "is_public": true, "created_at": "2026-02-14T09:00:00.000Z",
            "images": null, "brand_new_field": {"nested": [1, 2]}
        }
    });
    let decoded: types::PackResponse = serde_json::from_value(reply).unwrap();
    assert!(decoded.data.images.is_empty());
}
