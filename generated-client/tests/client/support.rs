//! What several modules need: a client that sends each request once, a
//! base URL that refuses connections, and every operation of the spec
//! callable with a minimal valid body, so a test about every operation does
//! not spell out each builder chain again.

use genviral_partner::{ApiError, Client, RetryPolicy, SUCCESS_STATUSES, types};

/// A client for the server at `base_url` that tries every request once, so
/// a test sees exactly the reply it served.
pub fn client_without_retries(base_url: impl Into<String>) -> Client {
    Client::builder()
        .base_url(base_url)
        .token("gva_test.secret")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a valid test configuration")
}

/// The base URL of a local port nothing listens on: the listener that
/// picked the port is dropped at once, so connecting is refused.
pub fn refused_base_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

/// Makes pack `id` public (a valid one-field body) and returns the decoded
/// reply.
pub async fn update_pack<T>(client: &Client, id: T) -> Result<types::PackResponse, ApiError>
where
    T: TryInto<uuid::Uuid>,
{
    let response = client
        .update_pack()
        .pack_id(id)
        .body(types::UpdatePackRequest::builder().is_public(true))
        .send()
        .await?;
    Ok(response.into_inner())
}

/// One operation of the spec, with a client call written for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    UpdatePack,
    UpdateTemplate,
    UpdateSlideshow,
    MoveFolder,
}

impl Operation {
    /// Every operation of the spec, in the order of the generated
    /// [`SUCCESS_STATUSES`] (one entry per operationId).
    ///
    /// Panics, naming the operation, when the spec has one that this enum
    /// has no call for: adding an operation to the spec fails the tests
    /// that cover every operation until it gets a call here.
    pub fn all() -> Vec<Operation> {
        SUCCESS_STATUSES
            .iter()
            .map(|(id, _)| {
                Operation::from_id(id).unwrap_or_else(|| {
                    panic!("the spec's operation `{id}` has no call in tests/client/support.rs")
                })
            })
            .collect()
    }

    fn from_id(id: &str) -> Option<Operation> {
        [
            Operation::UpdatePack,
            Operation::UpdateTemplate,
            Operation::UpdateSlideshow,
            Operation::MoveFolder,
        ]
        .into_iter()
        .find(|operation| operation.id() == id)
    }

    /// The operationId.
    pub fn id(self) -> &'static str {
        match self {
            Operation::UpdatePack => "update_pack",
            Operation::UpdateTemplate => "update_template",
            Operation::UpdateSlideshow => "update_slideshow",
            Operation::MoveFolder => "move_folder",
        }
    }

    /// The builder method [`Operation::call`] passes the resource id to
    /// (named by the error for an id that is not a UUID).
    pub fn id_setter(self) -> &'static str {
        match self {
            Operation::UpdatePack => "pack_id",
            Operation::UpdateTemplate => "template_id",
            Operation::UpdateSlideshow => "slideshow_id",
            Operation::MoveFolder => "folder_id",
        }
    }

    /// Whether `body` decodes as a success body of this operation.
    pub fn decodes(self, body: &[u8]) -> bool {
        match self {
            Operation::UpdatePack => serde_json::from_slice::<types::PackResponse>(body).is_ok(),
            Operation::UpdateTemplate => {
                serde_json::from_slice::<types::TemplateResponse>(body).is_ok()
            }
            Operation::UpdateSlideshow => {
                serde_json::from_slice::<types::SlideshowResponse>(body).is_ok()
            }
            Operation::MoveFolder => serde_json::from_slice::<types::FolderResponse>(body).is_ok(),
        }
    }

    /// Calls the operation on the resource `id` (anything the builders
    /// accept as an id: a `Uuid`, or a string that must parse as one) with
    /// a valid one-field body; the decoded value is dropped.
    pub async fn call<T>(self, client: &Client, id: T) -> Result<(), ApiError>
    where
        T: TryInto<uuid::Uuid>,
    {
        match self {
            Operation::UpdatePack => {
                update_pack(client, id).await?;
            }
            Operation::UpdateTemplate => {
                client
                    .update_template()
                    .template_id(id)
                    .body(
                        types::UpdateTemplateRequest::builder()
                            .visibility(types::UpdateTemplateRequestVisibility::Private),
                    )
                    .send()
                    .await?;
            }
            Operation::UpdateSlideshow => {
                client
                    .update_slideshow()
                    .slideshow_id(id)
                    .body(
                        types::UpdateSlideshowRequest::builder()
                            .slideshow_type(types::UpdateSlideshowRequestSlideshowType::Personal),
                    )
                    .send()
                    .await?;
            }
            Operation::MoveFolder => {
                client
                    .move_folder()
                    .folder_id(id)
                    .body(types::MoveFolderRequest::builder().parent_folder_id(None))
                    .send()
                    .await?;
            }
        }
        Ok(())
    }
}

/// The list the other modules iterate is the spec's: it fails here, by
/// name, rather than in a property test's shrinking output.
#[test]
fn every_operation_of_the_spec_has_a_call() {
    let ids: Vec<&str> = Operation::all().into_iter().map(Operation::id).collect();
    let spec: Vec<&str> = SUCCESS_STATUSES.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, spec);
}
