//! Typed client for the [Genviral Partner API](https://docs.genviral.io):
//! update slideshow packs, templates and slideshows, and move folders.
//!
//! The request and response types ([`types`]) and the per-operation request
//! builders ([`builder`]) are generated from the repository's
//! `spec/openapi.yaml` by progenitor; this crate adds, by hand, what a
//! production client needs around them: authentication, a user agent,
//! timeouts, retries, tracing and one error type.
//!
//! # Quick start
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use genviral_partner::{Client, ErrorCode};
//!
//! // Reads GENVIRAL_API_KEY (`<public_id>.<secret>`) and, optionally,
//! // GENVIRAL_BASE_URL.
//! let client = Client::from_env()?;
//! let pack_id = uuid::uuid!("11111111-1111-1111-1111-111111111111");
//! let result = client
//!     .update_pack()
//!     .pack_id(pack_id)
//!     .name("Motivation Pack v2")
//!     .is_public(true)
//!     .send()
//!     .await;
//! match result {
//!     Ok(pack) => println!("{} now has {} images", pack.data.name, pack.data.image_count),
//!     Err(error) if error.error_code() == Some(ErrorCode::NotFound) => println!("no such pack"),
//!     Err(error) => return Err(error.into()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Runnable programs for each operation are in `examples/`
//! (`cargo run -p genviral-partner --example update_template -- <id>`);
//! `examples/side_by_side.rs` puts each call beside the same call written
//! with reqwest and `serde_json::json!` (the SDK form is never longer).
//!
//! # Building a request
//!
//! - Each operation's builder sets body fields directly:
//!   `.name("…")`, `.is_public(true)`, `.product_id(uuid)`. A setter takes
//!   anything that converts into the field's type (`&str` for strings,
//!   constrained strings and enums, clearable text and ids, `"small"` for a
//!   font size, a `Uuid` for an id, a nested builder for a nested object)
//!   and the conversion checks the spec.
//! - Nested objects are built in place with `<field>_with`:
//!   `.settings_with(|s| s.aspect_ratio("9:16").advanced_settings_with(|a| a.text_width("narrow")))`.
//! - The whole body can also be given at once: `.body(types::UpdatePackRequest::builder().…)`
//!   (replacing the fields set before it) or edited with `.body_map(|b| …)`.
//! - `send()` returns `Result<ResponseValue<…Response>, ApiError>`: match on
//!   [`ApiError::error_code`] directly. `send_json()` makes the same call
//!   and returns the reply's body as the `serde_json::Value` the server
//!   sent, for tools that print or forward it.
//!
//! # PATCH bodies
//!
//! - Fields left out of a body keep their stored values. A body that sets
//!   no field is refused before anything is sent ([`ErrorKind::InvalidRequest`]).
//! - Clearable fields (template `description`, slideshow `product_id`,
//!   `settings.image_pack_id`, a folder's `parent_folder_id`, …) are
//!   [`Nullable<T>`]: `Nullable::Null` is the one way to send `null`
//!   (`.product_id(Nullable::Null)`), a value sends the value
//!   (`.product_id(uuid)`), and a field never set is left out.
//! - Optional arrays and maps are named types (e.g. [`types::SlidePayloads`],
//!   [`types::SlideshowPackAssignments`]) so that an empty one is sent as
//!   `[]`/`{}`: nothing the caller set is dropped.
//! - Every constraint of the spec's request schemas (lengths, numeric
//!   bounds, array sizes, enums, patterns, UUIDs, required fields, at any
//!   depth) is checked before sending; a violation is an
//!   [`ErrorKind::InvalidRequest`] naming the JSON path and the rule, e.g.
//!   `$.settings.advanced_settings.font_size: 5 is below the minimum 8`.
//! - Replies are read leniently: unknown fields are ignored, and `null` in
//!   an optional field reads as absent (an empty list for arrays).
//!
//! # Errors
//!
//! Every failure is an [`ApiError`] (`send()` returns it). [`ApiError::kind`] says what happened, so the
//! caller knows what to do:
//!
//! | [`ErrorKind`] | what happened | status |
//! |---|---|---|
//! | `InvalidRequest` | refused before sending (a value against the spec, an empty PATCH, a per-call header that cannot be sent) | none |
//! | `Timeout` | an attempt or the whole call ran out of time | the reply's, if its body was being read |
//! | `Dns` | the host name did not resolve | none |
//! | `Connect` | no connection (refused, unreachable) | none |
//! | `Tls` | the TLS handshake failed | none |
//! | `Communication` | the connection was lost before a reply arrived | none |
//! | `BodyRead` | the reply's body broke off; the bytes that arrived are kept | the reply's |
//! | `InvalidPayload` | a success body that does not match the spec | `200` |
//! | `Api` | an error status, or an envelope saying `ok: false` whatever its status | the reply's |
//! | `UnexpectedStatus` | a status the spec does not declare (1xx/3xx, a 2xx other than 200) | the reply's |
//!
//! Every reply whose status line arrived keeps its status
//! ([`ApiError::status`]) and headers, whatever happened to its body. The
//! error also keeps the machine-readable [`ErrorCode`] (a `#[non_exhaustive]`
//! enum generated from the codes the spec documents, plus `Unknown(String)`
//! for new ones), the message, and the raw body when it was not Genviral's
//! JSON envelope (an HTML page from a proxy, an empty or cut-short body).
//! The underlying reqwest or serde_json error is its
//! [`source`](std::error::Error::source). Unknown fields, statuses and codes
//! never fail decoding.
//!
//! # Retries, timeouts and concurrency
//!
//! Every operation here is a `PATCH` that sets absolute values, so sending
//! it twice has the same effect as sending it once; the spec says retrying
//! after a timeout, a `429` or a `500`/`502`/`503`/`504` is safe. The client
//! retries, as far as the policy and the deadline allow, exactly what
//! [`ApiError::is_retryable`] calls retryable: no
//! connection (DNS, refused), a timeout, a connection lost before the reply,
//! and the statuses `408`, `429`, `500`, `502`, `503`, `504`; never another
//! 4xx, a TLS failure or a request refused before sending. Waits grow
//! exponentially with jitter and honour `Retry-After` (default 2 retries;
//! see [`RetryPolicy`], [`ClientBuilder::retry_policy`]).
//!
//! Each attempt may take [`DEFAULT_TIMEOUT`] (30 s,
//! [`ClientBuilder::timeout`]), and the whole call, retries and waits
//! included, [`DEFAULT_TOTAL_TIMEOUT`] (60 s,
//! [`ClientBuilder::total_timeout`]): a retry whose wait would end past the
//! deadline is not made, and the last attempt gets what is left. So with
//! the defaults a call returns within about a minute, plus any wait for a
//! free slot: a client and its clones keep at most
//! [`DEFAULT_MAX_CONCURRENT_REQUESTS`] (5) requests in flight, inside
//! Genviral's guidance of 3 to 10 ([`ClientBuilder::max_concurrent_requests`]).
//!
//! # Per-call options and a custom reqwest
//!
//! [`Client::with_options`] returns a cheap copy of the client (same
//! connection pool, limit and token) whose calls use [`RequestOptions`]: an
//! extra header, a timeout, a total timeout, a retry policy. progenitor's
//! builders borrow the client they are called on, so one call reads:
//!
//! ```no_run
//! # async fn run(client: genviral_partner::Client) -> Result<(), genviral_partner::ApiError> {
//! use std::time::Duration;
//! use genviral_partner::{RequestOptions, RetryPolicy, types};
//!
//! let options = RequestOptions::new()
//!     .header("x-request-id", "import-42")
//!     .timeout(Duration::from_secs(5))
//!     .retry(RetryPolicy::disabled());
//! client
//!     .with_options(options)
//!     .update_pack()
//!     .pack_id(uuid::uuid!("11111111-1111-1111-1111-111111111111"))
//!     .body(types::UpdatePackRequest::builder().is_public(true))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! A per-call header cannot replace `Authorization` (the call is refused,
//! not sent with another token). For proxies, extra root certificates and
//! other transport settings, pass a `reqwest::ClientBuilder` to
//! [`ClientBuilder::reqwest_client`] (reqwest is re-exported as
//! [`reqwest`]); the client still adds the token, the user agent, the
//! same-origin redirect policy and its timeouts.
//!
//! The client sends only the headers the API uses: `Authorization`,
//! `User-Agent`, `Accept`, `Content-Type` (and HTTP's own `Host`,
//! `Content-Length`); progenitor's `api-version` header, which the spec
//! does not declare, is removed.
//!
//! # Versions and compatibility
//!
//! [`VERSION`] is this crate's version and [`API_VERSION`] the version of
//! the API description it was generated from (the spec's `info.version`);
//! both are in the `User-Agent`. `CHANGELOG.md` lists, for each release,
//! its breaking changes first, then additions, each naming the operation
//! and field.
//!
//! ```
//! use genviral_partner::{API_VERSION, USER_AGENT_VALUE, VERSION};
//!
//! assert_eq!(USER_AGENT_VALUE, format!("genviral-partner/{VERSION} (api {API_VERSION})"));
//! ```
//!
//! Versions follow semver as Cargo reads it (before 1.0, a new minor
//! version may break and a new patch version only adds). An addition to
//! the API (an operation, an optional request field, a response field, a
//! request enum value) comes in a compatible release, because every
//! generated struct with public fields and every generated enum in
//! [`types`] is `#[non_exhaustive]`: build request values with the
//! operation builders' setters or `types::…::builder()` rather than struct
//! literals, destructure with `..` and match enums with a `_` arm, and code
//! written against one release compiles against the next compatible one.
//!
//! # Observability
//!
//! Each call runs in a `tracing` span `genviral_partner.request` that
//! records the operation id, method, path, status, attempts and duration.
//! Bodies and headers (the token) are never recorded.

// Every public item is documented; the generator adds docs to what
// progenitor and typify leave bare (codegen/src/passes/doc_comments.rs).
#![deny(missing_docs)]

mod auth;
mod client;
mod constraints;
mod error;
mod hooks;
mod nullable;
mod options;
mod reply;
mod retry;
mod timestamp;
mod tls;

// Lets generated code name hand-written types as `genviral_partner::…`
// (`Nullable` from the spec's `x-rust-type` extension, `Timestamp` for
// `date-time`: codegen/src/client_layer.rs) from inside this crate.
extern crate self as genviral_partner;

#[rustfmt::skip]
mod generated;

pub use auth::ApiToken;
pub use client::{
    ClientBuilder, ClientState, ConfigError, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, ENV_API_KEY,
    ENV_BASE_URL,
};
pub use error::{ApiError, ErrorKind};
pub use generated::*;
pub use nullable::Nullable;
pub use options::RequestOptions;
/// This crate's version (`Cargo.toml`); the API version it implements is
/// [`API_VERSION`].
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The HTTP client underneath, re-exported so that
/// [`ClientBuilder::reqwest_client`] needs no separate (and possibly
/// mismatched) reqwest dependency.
pub use reqwest;
pub use retry::RetryPolicy;
pub use timestamp::Timestamp;
pub use tls::install_crypto_provider;

/// Not part of the API: entry points for the repository's own tests.
#[doc(hidden)]
pub mod __private {
    pub use crate::constraints::{Violation, Violations};

    /// Checks a request body of `operation_id` against every constraint of
    /// the spec's request schema, as the client does before sending.
    pub fn check_request(operation_id: &str, body: &[u8]) -> Result<(), Violations> {
        crate::constraints::check(operation_id, body)
    }
}

/// Compiles this crate's README (shown on crates.io) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
