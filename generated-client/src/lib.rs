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
//! use genviral_partner::{ApiError, Client, ErrorCode, types};
//!
//! // Reads GENVIRAL_API_KEY (`<public_id>.<secret>`) and, optionally,
//! // GENVIRAL_BASE_URL.
//! let client = Client::from_env()?;
//! let pack_id = uuid::uuid!("11111111-1111-1111-1111-111111111111");
//! let name = types::UpdatePackRequestName::try_from("Motivation Pack v2")?;
//! let result = client
//!     .update_pack()
//!     .pack_id(pack_id)
//!     .body(types::UpdatePackRequest::builder().name(name).is_public(true))
//!     .send()
//!     .await;
//! match result.map_err(ApiError::from) {
//!     Ok(pack) => println!("{} now has {} images", pack.data.name, pack.data.image_count),
//!     Err(error) if error.error_code() == Some(ErrorCode::NotFound) => println!("no such pack"),
//!     Err(error) => return Err(error.into()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Runnable programs for each operation are in `examples/`
//! (`cargo run -p genviral-partner --example update_template -- <id>`).
//!
//! # PATCH bodies
//!
//! - Fields left out of a body keep their stored values. A body that sets
//!   no field is refused before anything is sent ([`ErrorKind::InvalidRequest`]).
//! - Clearable fields (template `description`, slideshow `product_id`,
//!   `settings.image_pack_id`, …) are `Option<`[`Nullable<T>`]`>`: `None` leaves
//!   the field out, `Some(Nullable::Null)` sends `null`, `Some(Nullable::Value(v))`
//!   sends `v`. A builder setter takes the `Nullable` directly:
//!   `.product_id(Nullable::Null)`.
//! - Optional arrays are named types (e.g. [`types::SlidePayloads`]) so that
//!   an empty array is sent as `[]`.
//! - Constrained strings and enums parse from `&str` (`TryFrom`/`FromStr`);
//!   a bad value names the field and the rule, e.g.
//!   `UpdatePackRequest.name: must not be empty`.
//!
//! # Errors
//!
//! Every failure converts (`?` or [`ApiError::from`]) into [`ApiError`], which
//! keeps the HTTP status of any reply ([`ApiError::status`]), the
//! machine-readable [`ErrorCode`] (a `#[non_exhaustive]` enum generated from
//! the codes the spec documents, plus `Unknown(String)` for new ones), the
//! message, the response headers, and the raw body when it was not
//! Genviral's JSON envelope (an HTML page from a proxy, an empty body).
//! Unknown fields, statuses and codes never fail decoding.
//!
//! # Retries
//!
//! Every operation here is a `PATCH` that sets absolute values, so sending
//! it twice has the same effect as sending it once. The client therefore
//! retries connection errors, timeouts, `429` and `502`/`503`/`504` with
//! exponential backoff and jitter, honouring `Retry-After` (default 2
//! retries; see [`RetryPolicy`], [`ClientBuilder::retry_policy`]).
//!
//! # Observability
//!
//! Each call runs in a `tracing` span `genviral_partner.request` that
//! records the operation id, method, path, status, attempts and duration.
//! Bodies and headers (the token) are never recorded.

// Every public item is documented; the generator adds docs to what
// progenitor and typify leave bare (codegen/src/docs.rs).
#![deny(missing_docs)]

mod auth;
mod client;
mod error;
mod hooks;
mod nullable;
mod retry;

// Lets generated code name hand-written types as `genviral_partner::…`
// (the spec's `x-rust-type` extension) from inside this crate.
extern crate self as genviral_partner;

#[rustfmt::skip]
mod generated;

pub use auth::ApiToken;
pub use client::{
    ClientBuilder, ClientState, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_API_KEY,
    ENV_BASE_URL, USER_AGENT_VALUE,
};
pub use error::{ApiError, ErrorKind};
pub use generated::*;
pub use nullable::Nullable;
pub use retry::RetryPolicy;

/// Compiles the repository README's Rust blocks as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// Compiles this crate's README (shown on crates.io) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
