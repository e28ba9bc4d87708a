//! Rename a template, clear its description and share it with the workspace.
//!
//! `GENVIRAL_API_KEY=<public_id>.<secret> cargo run -p genviral-partner --example update_template -- <template-id>`

use genviral_partner::{ApiError, Client, ErrorCode, Nullable, types};

/// Renames the template; a name already used by the owner is reported.
pub async fn run(client: &Client, template_id: uuid::Uuid) -> Result<types::Template, ApiError> {
    let result = client
        .update_template()
        .template_id(template_id)
        .name("Hooks Template v2")
        // `Nullable::Null` sends `"description": null` (clear it);
        // leaving the field out keeps the description.
        .description(Nullable::Null)
        .visibility("workspace")
        .send()
        .await;
    match result {
        Ok(response) => Ok(response.into_inner().data),
        Err(error) if error.error_code() == Some(ErrorCode::TemplateNameConflict) => {
            eprintln!("the owner already has a template with that name");
            Err(error)
        }
        Err(error) => Err(error),
    }
}

#[allow(dead_code)] // `main` is unused when the tests include this file.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa".into());
    let template = run(&Client::from_env()?, id.parse()?).await?;
    println!("{} is now {}", template.name, template.visibility);
    Ok(())
}
