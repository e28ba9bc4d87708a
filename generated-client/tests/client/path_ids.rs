//! What callers can pass as an id: the builders take `TryInto<Uuid>`, so a
//! string is accepted by the compiler but must parse as a UUID; anything
//! else (path traversal, separators, encoded dots, a query) is refused
//! before a request is sent. (`spec/tests/repository_spec.rs` checks that
//! every path parameter of the spec is a UUID, `codegen/tests/generate.rs`
//! how string values would be encoded.)

use genviral_partner::ErrorKind;

use crate::support::{self, Operation};

#[tokio::test]
async fn ids_that_are_not_uuids_never_reach_the_server() {
    let server = wiremock::MockServer::start().await;
    let client = support::client_without_retries(server.uri());
    for id in ["../../admin", "a/b", "..", ".", "%2e%2e", "", "/", "?x=1"] {
        for operation in Operation::all() {
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
            assert_eq!(
                error.to_string(),
                format!("{}: not a UUID", operation.id_setter())
            );
        }
    }
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.is_empty(),
        "requests reached the server: {:?}",
        sent.iter().map(|r| r.url.path()).collect::<Vec<_>>()
    );
}
