//! Rename a template, clear its description and share it with the workspace.
//!
//! `GENVIRAL_API_KEY=<public_id>.<secret> cargo run -p genviral-partner --example update_template -- <template-id>`

use genviral_partner::{ApiError, Client, ErrorCode, types};

/// Renames the template; a name already used by the owner is reported.
pub async fn run(client: &Client, template_id: uuid::Uuid) -> Result<types::Template, ApiError> {
    let name = types::UpdateTemplateRequestName::try_from("Hooks Template v2")
        .map_err(|e| ApiError::invalid_request(format!("name: {e}")))?;
    let body = types::UpdateTemplateRequest::builder()
        .name(name)
        // `Nullable::Null` sends `"description": null` (clear it);
        // leaving the field out keeps the description.
        .description(genviral_partner::Nullable::Null)
        .visibility(types::UpdateTemplateRequestVisibility::Workspace);
    let result = client
        .update_template()
        .template_id(template_id)
        .body(body)
        .send()
        .await;
    match result.map_err(ApiError::from) {
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
