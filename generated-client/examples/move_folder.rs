//! Move a folder to the root level (or into another folder).
//!
//! `GENVIRAL_API_KEY=<public_id>.<secret> cargo run -p genviral-partner --example move_folder -- <folder-id> [<parent-id>]`

use genviral_partner::{ApiError, Client, types};

/// Moves `folder_id` under `parent` (`None`: to the root). Never renames.
pub async fn run(
    client: &Client,
    folder_id: uuid::Uuid,
    parent: Option<uuid::Uuid>,
) -> Result<types::Folder, ApiError> {
    let body = types::MoveFolderRequest::builder().parent_folder_id(parent);
    let response = client
        .move_folder()
        .folder_id(folder_id)
        .body(body)
        .send()
        .await?;
    Ok(response.into_inner().data)
}

#[allow(dead_code)] // `main` is unused when the tests include this file.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let id = args
        .next()
        .unwrap_or_else(|| "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa".into());
    let parent = args.next().map(|p| p.parse()).transpose()?;
    let folder = run(&Client::from_env()?, id.parse()?, parent).await?;
    println!("{} is now at {}", folder.name, folder.path);
    Ok(())
}
