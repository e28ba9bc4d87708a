//! The Genviral Partner client generator.
//!
//! ```text
//! spec/openapi.yaml ──load──▶ Spec ──generate──▶ generated.rs (String)
//!                    (parse + check)     (progenitor → syn → prettyplease)
//! ```
//!
//! [`load`] reads a spec and runs our own checks before progenitor sees it,
//! so a broken spec produces a one-line error naming the file, the JSON path
//! and the problem instead of a panic. [`generate`] produces the client
//! module; it never touches the file system, so callers decide whether to
//! write (`cargo xtask generate`) or compare (`--check`, the drift test).

mod check;
mod docs;
mod error;
mod extras;
mod generate;
mod json_path;
pub mod json_schema;
mod load;
mod messages;
mod nullable_fields;
mod type_names;
mod versions;

pub use check::deref;
pub use error::{Diagnostic, Error, Location};
pub use generate::{GENERATED_FILE, OutputFile, Settings, generate, generate_files};
pub use json_path::{JsonPath, Segment};
pub use load::{Spec, load, parse, sha256_hex};
