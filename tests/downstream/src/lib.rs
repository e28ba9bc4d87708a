//! A small program built on `genviral-partner`, as a user would write it,
//! whose tests (`tests/`) use `genviral-partner-mock` instead of the
//! network. It is how this repository knows the mock crate is usable from
//! outside: this crate depends on the client and the mock crate by path
//! only, and on nothing else of the workspace.

use genviral_partner::{ApiError, Client, Nullable, types};
use uuid::Uuid;

/// Renames a pack and makes it public; the updated pack.
pub async fn publish_pack(
    client: &Client,
    pack: Uuid,
    name: &str,
) -> Result<types::Pack, ApiError> {
    let reply = client
        .update_pack()
        .pack_id(pack)
        .name(name)
        .is_public(true)
        .send()
        .await?;
    Ok(reply.into_inner().data)
}

/// How long ago, from `now`, a pack was created (the client's `chrono`
/// feature reads its `created_at`); `None` if the server's text is not an
/// RFC 3339 date-time.
pub fn pack_age(
    pack: &types::Pack,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::TimeDelta> {
    pack.created_at
        .to_chrono()
        .ok()
        .map(|created| now - created)
}

/// Clears a template's description (sends `"description": null`); the
/// updated template.
pub async fn clear_template_description(
    client: &Client,
    template: Uuid,
) -> Result<types::Template, ApiError> {
    let reply = client
        .update_template()
        .template_id(template)
        .description(Nullable::Null)
        .send()
        .await?;
    Ok(reply.into_inner().data)
}

/// Gives a slideshow a new title and detaches its product; the updated
/// slideshow.
pub async fn retitle_slideshow(
    client: &Client,
    slideshow: Uuid,
    title: &str,
) -> Result<types::Slideshow, ApiError> {
    let reply = client
        .update_slideshow()
        .slideshow_id(slideshow)
        .title(title)
        .product_id(Nullable::Null)
        .send()
        .await?;
    Ok(reply.into_inner().data)
}

/// Moves a folder to the root level; the moved folder.
pub async fn move_folder_to_root(client: &Client, folder: Uuid) -> Result<types::Folder, ApiError> {
    let reply = client
        .move_folder()
        .folder_id(folder)
        .parent_folder_id(Nullable::Null)
        .send()
        .await?;
    Ok(reply.into_inner().data)
}
