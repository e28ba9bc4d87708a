//! One request example of each operation from the spec, written twice: with
//! the SDK (`sdk`) and with hand-written reqwest + `serde_json::json!`
//! (`raw`), both returning the reply's envelope. The SDK form is never
//! longer (rustfmt'd, lines of at most 100 columns), and it checks every
//! value against the spec before sending, retries, and returns typed data
//! or a typed error.
//!
//! The contract suite (`tests/src/side_by_side.rs`) runs both forms of each
//! operation against a local server, requires the same request body (the
//! spec's example), and counts the lines of each function body.
//!
//! ```sh
//! GENVIRAL_API_KEY=<public_id>.<secret> \
//!     cargo run -p genviral-partner --example side_by_side -- <pack-id>
//! ```

#![allow(dead_code)] // The test includes this file and calls every function.

/// The SDK: checked, typed, retried.
pub mod sdk {
    use genviral_partner::{ApiError, Client, Nullable, ResponseValue, types};
    use uuid::Uuid;

    pub async fn update_pack(
        client: &Client,
        id: Uuid,
    ) -> Result<ResponseValue<types::PackResponse>, ApiError> {
        client
            .update_pack()
            .pack_id(id)
            .name("Motivation Pack v2")
            .is_public(true)
            .send()
            .await
    }

    pub async fn update_template(
        client: &Client,
        id: Uuid,
    ) -> Result<ResponseValue<types::TemplateResponse>, ApiError> {
        client
            .update_template()
            .template_id(id)
            .name("Hooks Template v2")
            .description(Nullable::Null)
            .visibility("workspace")
            .send()
            .await
    }

    pub async fn update_slideshow(
        client: &Client,
        id: Uuid,
    ) -> Result<ResponseValue<types::SlideshowResponse>, ApiError> {
        client
            .update_slideshow()
            .slideshow_id(id)
            .title("5 discipline quotes (v2)")
            .settings_with(|s| {
                s.aspect_ratio("9:16")
                    .advanced_settings_with(|a| a.text_width("narrow"))
            })
            .send()
            .await
    }

    pub async fn move_folder(
        client: &Client,
        id: Uuid,
        to: Uuid,
    ) -> Result<ResponseValue<types::FolderResponse>, ApiError> {
        client
            .move_folder()
            .folder_id(id)
            .parent_folder_id(to)
            .send()
            .await
    }
}

/// The same calls by hand: unchecked JSON, no retries, untyped replies.
pub mod raw {
    use serde_json::{Value, json};
    use uuid::Uuid;

    pub async fn update_pack(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        id: Uuid,
    ) -> reqwest::Result<Value> {
        http.patch(format!("{base}/packs/{id}"))
            .bearer_auth(token)
            .json(&json!({"name": "Motivation Pack v2", "is_public": true}))
            .send()
            .await?
            .error_for_status()?
            .json::<Value>()
            .await
    }

    pub async fn update_template(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        id: Uuid,
    ) -> reqwest::Result<Value> {
        http.patch(format!("{base}/templates/{id}"))
            .bearer_auth(token)
            .json(&json!({
                "name": "Hooks Template v2", "description": null, "visibility": "workspace"
            }))
            .send()
            .await?
            .error_for_status()?
            .json::<Value>()
            .await
    }

    pub async fn update_slideshow(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        id: Uuid,
    ) -> reqwest::Result<Value> {
        http.patch(format!("{base}/slideshows/{id}"))
            .bearer_auth(token)
            .json(&json!({
                "title": "5 discipline quotes (v2)",
                "settings": {"aspect_ratio": "9:16", "advanced_settings": {"text_width": "narrow"}}
            }))
            .send()
            .await?
            .error_for_status()?
            .json::<Value>()
            .await
    }

    pub async fn move_folder(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        id: Uuid,
        to: Uuid,
    ) -> reqwest::Result<Value> {
        http.patch(format!("{base}/folders/{id}"))
            .bearer_auth(token)
            .json(&json!({"parent_folder_id": to}))
            .send()
            .await?
            .error_for_status()?
            .json::<Value>()
            .await
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = genviral_partner::Client::from_env()?;
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "11111111-1111-1111-1111-111111111111".into());
    let pack = sdk::update_pack(&client, id.parse()?).await?;
    println!("{} ({} images)", pack.data.name, pack.data.image_count);
    Ok(())
}
