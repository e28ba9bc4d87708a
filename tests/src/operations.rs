//! The one place that maps an operationId to a generated client call.
//!
//! A recording's request (path and JSON body) is turned back into the typed
//! arguments of the matching builder, so replaying also proves that the
//! generated request types can express every recorded request. The mapping
//! is checked against the spec, not trusted: an operation the spec gains
//! fails `coverage::…` until it has recordings, and each of those fails
//! `replay::<operation>/…` with "no client call for operation …" until it
//! has an arm here.

use genviral_partner::{Client, types};
use serde::de::DeserializeOwned;

use crate::recording::Recording;
use crate::replay::{Outcome, outcome};

/// Makes the call the recording's request describes.
pub async fn call(client: &Client, recording: &Recording) -> Result<Outcome, String> {
    let id = path_id(recording)?;
    Ok(match recording.operation_id.as_str() {
        "update_pack" => outcome(
            client
                .update_pack()
                .pack_id(id)
                .body(body::<types::UpdatePackRequest>(recording)?)
                .send()
                .await,
        ),
        "update_template" => outcome(
            client
                .update_template()
                .template_id(id)
                .body(body::<types::UpdateTemplateRequest>(recording)?)
                .send()
                .await,
        ),
        "update_slideshow" => outcome(
            client
                .update_slideshow()
                .slideshow_id(id)
                .body(body::<types::UpdateSlideshowRequest>(recording)?)
                .send()
                .await,
        ),
        "move_folder" => outcome(
            client
                .move_folder()
                .folder_id(id)
                .body(body::<types::MoveFolderRequest>(recording)?)
                .send()
                .await,
        ),
        other => {
            return Err(format!(
                "no client call for operation `{other}`: add an arm to tests/src/operations.rs (the operations are {:?})",
                spec_operation_ids()
            ));
        }
    })
}

/// The id in the last path segment (`/packs/{packId}`).
fn path_id(recording: &Recording) -> Result<uuid::Uuid, String> {
    let segment = recording
        .request
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default();
    uuid::Uuid::parse_str(segment).map_err(|e| format!("path id `{segment}` is not a UUID: {e}"))
}

/// The recorded request body as the operation's typed request.
fn body<T: DeserializeOwned>(recording: &Recording) -> Result<T, String> {
    let json = recording
        .request
        .body
        .clone()
        .ok_or_else(|| "the recorded request has no JSON body".to_string())?;
    serde_json::from_value(json).map_err(|e| {
        format!(
            "recorded request body does not fit {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

fn spec_operation_ids() -> Vec<String> {
    spec::load(spec::path())
        .map(|spec| {
            spec.operation_ids()
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}
