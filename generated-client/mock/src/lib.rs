#![doc = include_str!("../README.md")]
//!
//! The pieces: [`MockServerExt`] (typed matchers in [`operations`]`::*When`,
//! typed replies in `*Then`), [`examples`] ([`ExampleReply`],
//! [`examples::ALL`]), [`client`] and [`client_builder`], and the
//! re-exported [`httpmock`].

use std::fmt;

use genviral_partner::{Client, ClientBuilder, RetryPolicy};
use serde::de::DeserializeOwned;

pub use httpmock;

#[rustfmt::skip]
mod generated;

pub use generated::*;

/// The token [`client`] sends: shaped like a real key
/// (`<public_id>.<secret>`), valid nowhere.
pub const MOCK_TOKEN: &str = "gva_mock_public.mock_secret";

/// A [`ClientBuilder`] aimed at `server` with [`MOCK_TOKEN`] and retries
/// off, to change further (e.g. turn retries back on to test them).
pub fn client_builder(server: &httpmock::MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .token(MOCK_TOKEN)
        .retry_policy(RetryPolicy::disabled())
}

/// A client aimed at `server`: [`MOCK_TOKEN`], retries off (a mocked error
/// reply is seen once, not retried), every other setting the default.
pub fn client(server: &httpmock::MockServer) -> Client {
    client_builder(server).build().unwrap_or_else(|error| {
        panic!(
            "a client for the mock server at {} could not be built: {error}",
            server.base_url()
        )
    })
}

/// One named example of a documented reply in the spec: an operation's
/// status, the example's `error_code` for an error, and the exact body.
///
/// The constants are in [`examples`] (`examples::update_pack::UPDATED`),
/// each beside a function returning the typed body
/// (`examples::update_pack::updated()`); [`examples::ALL`] lists them all.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ExampleReply {
    /// The operation's `operationId`, e.g. `update_template`.
    pub operation: &'static str,
    /// The example's name in the spec, e.g. `template_name_conflict`.
    pub name: &'static str,
    /// The HTTP status it is documented under.
    pub status: u16,
    /// The `error_code` of an error envelope; `None` for a success body.
    pub error_code: Option<&'static str>,
    /// The example's summary in the spec (may be empty).
    pub summary: &'static str,
    /// The body, as JSON text.
    pub body: &'static str,
}

impl ExampleReply {
    /// The body as a JSON value.
    pub fn json(&self) -> serde_json::Value {
        self.decode()
    }

    /// The body decoded into `T`: the operation's body type for this status.
    ///
    /// # Panics
    ///
    /// When the body does not decode into `T`: `T` is not the type the
    /// spec documents for this status. (Every example decodes into its
    /// documented type; the mock crate's tests check each one.)
    pub fn decode<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(self.body).unwrap_or_else(|error| {
            panic!(
                "the example `{}` of `{}` ({}) does not decode into {}: {error}",
                self.name,
                self.operation,
                self.status,
                std::any::type_name::<T>()
            )
        })
    }

    /// Replies with this example: its status, `content-type:
    /// application/json` and the body's exact bytes. For a typed reply use
    /// the operation's `Then` method with the typed example instead.
    pub fn respond(&self, then: httpmock::Then) -> httpmock::Then {
        then.status(self.status)
            .header("content-type", "application/json")
            .body(self.body)
    }
}

impl fmt::Debug for ExampleReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error_code {
            Some(code) => write!(f, "({}, {}, {code})", self.operation, self.status),
            None => write!(f, "({}, {}, {})", self.operation, self.status, self.name),
        }
    }
}

/// One named example of a request body in the spec.
///
/// The constants are in each operation's `requests` module
/// (`examples::update_pack::requests::RENAME_AND_PUBLISH`), each beside a
/// function returning the typed body (`…::requests::rename_and_publish()`),
/// ready for `when.body(&…)` and the client's `.body(…)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleRequest {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The example's name in the spec.
    pub name: &'static str,
    /// The example's summary in the spec (may be empty).
    pub summary: &'static str,
    /// The body, as JSON text.
    pub body: &'static str,
}

impl ExampleRequest {
    /// The body as a JSON value.
    pub fn json(&self) -> serde_json::Value {
        self.decode()
    }

    /// The body decoded into `T`, the operation's request body type.
    ///
    /// # Panics
    ///
    /// When the body does not decode into `T` (see [`ExampleReply::decode`]).
    pub fn decode<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(self.body).unwrap_or_else(|error| {
            panic!(
                "the request example `{}` of `{}` does not decode into {}: {error}",
                self.name,
                self.operation,
                std::any::type_name::<T>()
            )
        })
    }
}
