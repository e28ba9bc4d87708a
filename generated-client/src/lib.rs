//! Typed client for the [Genviral Partner API](https://docs.genviral.io):
//! update slideshow packs, templates and slideshows, and move folders.
//!
//! The request and response types and the per-operation builders are
//! generated from `spec/openapi.yaml` by progenitor (module [`types`],
//! [`builder`]); this crate adds authentication, a user agent and timeouts
//! around them.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use genviral_partner::{Client, types};
//!
//! let client = Client::with_token(std::env::var("GENVIRAL_API_KEY")?)?;
//! let pack = client
//!     .update_pack()
//!     .pack_id(uuid::Uuid::parse_str("11111111-1111-1111-1111-111111111111")?)
//!     .body(types::UpdatePackRequest::builder().name(types::UpdatePackRequestName::try_from("Motivation Pack v2")?).is_public(true))
//!     .send()
//!     .await?;
//! println!("{} now has {} images", pack.data.name, pack.data.image_count);
//! # Ok(())
//! # }
//! ```

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
