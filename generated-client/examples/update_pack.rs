//! Rename a pack and make it public.
//!
//! `GENVIRAL_API_KEY=<public_id>.<secret> cargo run -p genviral-partner --example update_pack -- <pack-id>`

use genviral_partner::{ApiError, Client, ErrorCode, types};

/// Renames `pack_id` to "Motivation Pack v2" and publishes it.
pub async fn run(client: &Client, pack_id: uuid::Uuid) -> Result<types::Pack, ApiError> {
    // Each value is checked against the spec before anything is sent.
    let result = client
        .update_pack()
        .pack_id(pack_id)
        .name("Motivation Pack v2")
        .is_public(true)
        .send()
        .await;
    match result {
        Ok(response) => Ok(response.into_inner().data),
        Err(error) => {
            if error.error_code() == Some(ErrorCode::NotFound) {
                eprintln!("no pack {pack_id} in this key's scope");
            }
            Err(error)
        }
    }
}

#[allow(dead_code)] // `main` is unused when the tests include this file.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pack_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "11111111-1111-1111-1111-111111111111".into());
    let pack = run(&Client::from_env()?, pack_id.parse()?).await?;
    println!(
        "{} ({} images, public: {})",
        pack.name, pack.image_count, pack.is_public
    );
    Ok(())
}
