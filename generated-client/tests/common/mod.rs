//! Shared by the integration tests: the four operations of the spec, each
//! callable with a minimal valid body, so a test that is about every
//! operation does not spell out four builder chains again.

// Each test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use genviral_partner::{ApiError, Client, RetryPolicy, types};

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

/// One operation of the spec.
#[derive(Debug, Clone, Copy)]
pub enum Operation {
    UpdatePack,
    UpdateTemplate,
    UpdateSlideshow,
    MoveFolder,
}

impl Operation {
    /// Every operation, in the order of the spec.
    pub const ALL: [Operation; 4] = [
        Operation::UpdatePack,
        Operation::UpdateTemplate,
        Operation::UpdateSlideshow,
        Operation::MoveFolder,
    ];

    /// The operationId.
    pub fn id(self) -> &'static str {
        match self {
            Operation::UpdatePack => "update_pack",
            Operation::UpdateTemplate => "update_template",
            Operation::UpdateSlideshow => "update_slideshow",
            Operation::MoveFolder => "move_folder",
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
                client
                    .update_pack()
                    .pack_id(id)
                    .body(types::UpdatePackRequest::builder().is_public(true))
                    .send()
                    .await?;
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

/// A `tracing` writer (`MakeWriter`) that keeps everything in memory, for
/// tests that read what a subscriber printed.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("tracing writes UTF-8")
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
