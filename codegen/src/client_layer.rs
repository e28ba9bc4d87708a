//! The contract between the generated module and the client crate's
//! hand-written layer, stated once.
//!
//! The generated code names these; the client crate (`generated-client/`)
//! must define them. Changing one here means changing the client crate too.

/// The client crate's name, as the spec's `x-rust-type` extensions name it.
pub(crate) const CLIENT_CRATE: &str = spec::CLIENT_CRATE;

/// The client crate's name as a Rust path: what the mock crate and the CLI
/// import.
pub(crate) const CLIENT_CRATE_PATH: &str = "genviral_partner";

/// The tri-state type of clearable PATCH fields (`Option<Nullable<T>>`).
pub(crate) const NULLABLE: &str = spec::NULLABLE_RUST_TYPE;

/// The type of every `format: date-time` string: the text the server sent,
/// with conversions to time crates behind features (the client's
/// `src/timestamp.rs` says why it is not `chrono::DateTime`).
pub(crate) const TIMESTAMP: &str = "::genviral_partner::Timestamp";

/// The state kept inside the generated `Client` (auth, retry policy).
pub(crate) const CLIENT_STATE: &str = "crate::ClientState";

/// The one error type callers match on; `send()` returns it.
pub(crate) const ERROR_TYPE: &str = "crate::ApiError";

/// The module that defines the request constraints' types and checks
/// request bodies against them (`codegen/src/request_rules.rs` emits the
/// data).
pub(crate) const CONSTRAINTS_MODULE: &str = "crate::constraints";

/// What the generated `Client::new` calls before it builds its
/// `reqwest::Client`: under the default `rustls-ring` feature reqwest has
/// no crypto provider of its own, and building one without an installed
/// provider panics.
pub(crate) const CLIENT_SETUP: &str = "crate::install_crypto_provider";

/// What a success reply whose body does not decode becomes: an error that
/// keeps the reply's status and headers (progenitor's keeps the body only).
pub(crate) const PAYLOAD_ERROR: &str = "crate::reply::invalid_payload";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_path_is_the_crate_name_and_prefixes_nullable() {
        assert_eq!(CLIENT_CRATE_PATH, CLIENT_CRATE.replace('-', "_"));
        assert!(NULLABLE.starts_with(&format!("{CLIENT_CRATE_PATH}::")));
        assert!(TIMESTAMP.starts_with(&format!("::{CLIENT_CRATE_PATH}::")));
    }
}
