//! Rewrites of progenitor's output, each one `syn` pass over the parsed
//! file, run in this order by [`run`].

use serde_json::Value;

use crate::Settings;
use crate::type_names::TypeIndex;

mod body_field_setters;
mod builder_messages;
mod client_setup;
mod conversion_messages;
mod doc_comments;
mod exact_nullable_decoding;
mod nested_builders;
mod non_exhaustive;
mod null_as_absent;
mod optional_setters;
mod request_urls;
mod reqwest_timeout;
mod response_decoding;
mod send_error;
mod status_arms;
mod syntax;
mod text_conversions;
mod undeclared_headers;

/// Runs every pass over `file`, generated from the spec document `doc`.
pub(crate) fn run(file: &mut syn::File, doc: &Value, settings: &Settings) -> Result<(), String> {
    let types = TypeIndex::new(doc);
    // `.title("x")`, `.settings(nested_builder)`: optional setters take the value.
    optional_setters::rewrite(file);
    // `.settings_with(|s| s.aspect_ratio("9:16"))`: nested values in place.
    nested_builders::add(file);
    // `client.update_pack().pack_id(id).name("x")`: no body builder to name.
    body_field_setters::add(file);
    if let Some(error_type) = &settings.error_type {
        let error_type: syn::Path = syn::parse_str(error_type)
            .map_err(|e| format!("error type `{error_type}` is not a Rust path: {e}"))?;
        send_error::rewrite(file, &error_type);
    }
    // Conversion errors name the spec field (`UpdatePackRequest.name: …`).
    conversion_messages::rewrite(file, &types);
    // Builder errors too, once: `TextElementPayload.content: required, …`.
    builder_messages::rewrite(file, &types);
    // Every public item gets a doc comment (the client denies missing_docs).
    doc_comments::add(file, doc, &types);
    // `Option<Nullable<T>>` fields decode a present `null` as `Some(Null)`.
    exact_nullable_decoding::add(file);
    // `.description("…")`, `.font_size("small")`: text where a field takes it.
    text_conversions::add(file);
    // `"images": null` in a reply reads as an empty list.
    null_as_absent::add(file);
    // A spec addition (a field, an enum value) must not break code built
    // against the previous release: structs and enums are non-exhaustive.
    non_exhaustive::add(file);
    // Requests send only declared headers: no `api-version`.
    undeclared_headers::remove(file);
    // Each request parses only its path onto the base URL parsed once.
    request_urls::rewrite(file);
    // Replies decode with their headers moved, not copied (and kept in the
    // error of a body that does not decode, when the crate says how).
    let payload_error = match &settings.payload_error {
        Some(path) => Some(
            syn::parse_str::<syn::Path>(path)
                .map_err(|e| format!("payload error `{path}` is not a Rust path: {e}"))?,
        ),
        None => None,
    };
    response_decoding::rewrite(file, payload_error.as_ref());
    // One arm per outcome of the status match: no arm that cannot match.
    status_arms::simplify(file);
    // The hand-written builder records the timeout its reqwest client applies.
    if settings.inner_type.is_some() {
        reqwest_timeout::add(file);
    }
    // `Client::new` installs what its `reqwest::Client` needs first.
    if let Some(setup) = &settings.client_setup {
        let setup: syn::Path = syn::parse_str(setup)
            .map_err(|e| format!("client setup `{setup}` is not a Rust path: {e}"))?;
        client_setup::add(file, &setup);
    }
    Ok(())
}
