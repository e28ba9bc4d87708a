//! The Genviral Partner API document, `spec/openapi.yaml`, as one model.
//!
//! ```text
//! openapi.yaml ──load──▶ Spec ──▶ operations, parameters, schemas,
//!               (parse + check)    documented statuses, error codes, examples
//! ```
//!
//! Every crate that reads the spec (the generator, the contract tests,
//! `cargo xtask` record/docs/lint/breaking) asks this crate, so each fact
//! about the document is derived in one place. [`load`] runs the semantic
//! checks first: a broken spec is one line per problem naming the file, the
//! JSON path and what is wrong, never a panic further down.
//!
//! This crate reads; it never writes Rust. It depends on `serde_yaml`,
//! `openapiv3` and `jsonschema`, never on progenitor, typify or syn.

mod check;
pub mod constraints;
mod document;
mod error;
mod json_path;
pub mod json_schema;
pub mod keywords;
mod load;
pub mod names;

pub use document::{
    Case, ErrorCodeUse, Example, METHODS, Operation, Parameter, Response, StatusClass, deref,
    documented_cases, documented_error_codes, operations, resolve,
};
pub use error::{Diagnostic, Error, Location};
pub use json_path::{JsonPath, Segment};
pub use load::{Spec, load, parse, sha256_hex};

/// The repository's spec, `spec/openapi.yaml`, as an absolute path.
pub fn path() -> &'static std::path::Path {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
}

/// The spec's path relative to the workspace root, for messages and help.
pub const PATH_IN_WORKSPACE: &str = "spec/openapi.yaml";

/// The Rust type that carries PATCH's three states (absent, `null`, a
/// value). The spec names it with typify's `x-rust-type` extension on every
/// clearable field; the client crate defines it and the generator decodes
/// it exactly.
pub const NULLABLE_RUST_TYPE: &str = "genviral_partner::Nullable";

/// The crate that defines [`NULLABLE_RUST_TYPE`], as `x-rust-type` names it.
pub const CLIENT_CRATE: &str = "genviral-partner";

/// Documents for the unit tests of the checks and walks.
#[cfg(test)]
pub(crate) mod test_documents {
    use serde_json::{Value, json};

    /// A document with one operation, `update_x` (`PATCH /x/{id}`), whose
    /// request body schema is `request`, and these component schemas.
    pub(crate) fn one_patch_operation(request: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/x/{id}": {"patch": {
                "operationId": "update_x",
                "requestBody": {"content": {"application/json": {"schema": request}}}
            }}},
            "components": {"schemas": schemas}
        })
    }
}
