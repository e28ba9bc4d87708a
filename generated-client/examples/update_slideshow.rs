//! Retitle a slideshow, switch it to 9:16 with narrow text, detach its product.
//!
//! `GENVIRAL_API_KEY=<public_id>.<secret> cargo run -p genviral-partner --example update_slideshow -- <slideshow-id>`

use genviral_partner::{ApiError, Client, Nullable, types};

/// Applies a partial settings patch; fields left out keep their values.
pub async fn run(client: &Client, slideshow_id: uuid::Uuid) -> Result<types::Slideshow, ApiError> {
    let response = client
        .update_slideshow()
        .slideshow_id(slideshow_id)
        .title("5 discipline quotes (v2)")
        // Nested values are built in place; each is checked against the spec.
        .settings_with(|settings| {
            settings
                .aspect_ratio("9:16")
                .advanced_settings_with(|advanced| advanced.text_width("narrow"))
        })
        // Sends `"product_id": null`: detach the product.
        .product_id(Nullable::Null)
        .send()
        .await?;
    Ok(response.into_inner().data)
}

#[allow(dead_code)] // `main` is unused when the tests include this file.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "2ab58bb0-0c39-45c0-a4d5-b6852f9d7fc0".into());
    let slideshow = run(&Client::from_env()?, id.parse()?).await?;
    println!(
        "{} ({}, {} slides)",
        slideshow.title, slideshow.status, slideshow.slide_count
    );
    Ok(())
}
