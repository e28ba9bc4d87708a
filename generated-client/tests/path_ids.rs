//! What callers can pass as an id: the builders take `TryInto<Uuid>`, so a
//! string is accepted by the compiler but must parse as a UUID; anything
//! else (path traversal, separators, encoded dots, a query) is refused
//! before a request is sent. (`tests/tests/path_safety.rs` checks that every
//! path parameter of the spec is a UUID and how string values would be
//! encoded.)

mod common;

use common::Operation;
use genviral_partner::ErrorKind;

#[tokio::test]
async fn ids_that_are_not_uuids_never_reach_the_server() {
    let server = wiremock::MockServer::start().await;
    let client = common::client_without_retries(server.uri());
    for id in ["../../admin", "a/b", "..", ".", "%2e%2e", "", "/", "?x=1"] {
        for operation in Operation::ALL {
            let error = operation
                .call(&client, id)
                .await
                .expect_err("a non-UUID id is refused");
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidRequest,
                "{} {id:?}: {error}",
                operation.id()
            );
            // The message names the builder method the caller used.
            let parameter = match operation {
                Operation::UpdatePack => "pack_id",
                Operation::UpdateTemplate => "template_id",
                Operation::UpdateSlideshow => "slideshow_id",
                Operation::MoveFolder => "folder_id",
            };
            assert_eq!(error.to_string(), format!("{parameter}: not a UUID"));
        }
    }
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.is_empty(),
        "requests reached the server: {:?}",
        sent.iter().map(|r| r.url.path()).collect::<Vec<_>>()
    );
}
