//! Reading a spec file: YAML (or JSON) → checked JSON tree → `openapiv3` model.
//!
//! The document is kept in three forms because each serves a purpose: the raw
//! bytes (hashed into the generated header), the JSON tree (our own checks
//! report JSON paths into it) and the typed model (what progenitor consumes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use sha2::{Digest, Sha256};

use crate::check;
use crate::document::{self, Case, ErrorCodeUse, Operation};
use crate::error::{Diagnostic, Error, Location};
use crate::json_path::JsonPath;

/// A spec that parsed and passed every semantic check (see [`load`]).
#[derive(Debug, Clone)]
pub struct Spec {
    path: PathBuf,
    sha256: String,
    json: serde_json::Value,
    openapi: OpenAPI,
}

impl Spec {
    /// The file the spec was read from (as given to [`load`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lower-case hex SHA-256 of the file's bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The document as a JSON tree (YAML converted), for tools that publish
    /// or inspect it.
    pub fn json(&self) -> &serde_json::Value {
        &self.json
    }

    /// The typed OpenAPI model.
    pub fn openapi(&self) -> &OpenAPI {
        &self.openapi
    }

    /// `info.version`: the API version the document describes.
    pub fn version(&self) -> &str {
        &self.openapi.info.version
    }

    /// The first entry of `servers`, without a trailing `/`.
    pub fn base_url(&self) -> Option<&str> {
        self.openapi
            .servers
            .first()
            .map(|server| server.url.trim_end_matches('/'))
    }

    /// The file name the spec was read from (`openapi.yaml`).
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        )
    }

    /// Every operation (see [`document::operations`] for the order).
    pub fn operations(&self) -> Vec<Operation<'_>> {
        document::operations(&self.json)
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<Operation<'_>> {
        self.operations()
            .into_iter()
            .find(|operation| operation.id() == Some(id))
    }

    /// The `operationId` of every operation.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.operations().iter().filter_map(Operation::id).collect()
    }

    /// Follows local `$ref`s from `node` (see [`document::deref`]).
    pub fn deref<'a>(&'a self, node: &'a serde_json::Value) -> &'a serde_json::Value {
        document::deref(&self.json, node)
    }

    /// Every documented `(operation, status, error_code)` case.
    pub fn documented_cases(&self) -> BTreeSet<Case> {
        document::documented_cases(&self.json)
    }

    /// Every documented `error_code`, with where it is documented.
    pub fn documented_error_codes(&self) -> BTreeMap<String, Vec<ErrorCodeUse>> {
        document::documented_error_codes(&self.json)
    }
}

/// Reads, parses and checks the spec at `path`.
///
/// Every error names the file; spec errors also name the place (YAML line or
/// JSON path) and list every problem found, not only the first.
pub fn load(path: impl AsRef<Path>) -> Result<Spec, Error> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        file: path.to_path_buf(),
        source,
    })?;
    parse(path, &bytes)
}

/// Parses and checks spec bytes; `path` is only used in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Spec, Error> {
    let fail =
        |location, message: String| Error::Spec(vec![Diagnostic::at(path, location, message)]);

    // The YAML reader reports bytes that are not UTF-8 at line 1, column 1;
    // say where they are.
    if let Err(error) = std::str::from_utf8(bytes) {
        let before = &bytes[..error.valid_up_to()];
        let line = before.iter().filter(|byte| **byte == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        return Err(fail(
            Location::Line { line, column },
            "not UTF-8 text (the spec must be UTF-8)".to_string(),
        ));
    }
    // YAML is a superset of JSON, so this reads both.
    let yaml: serde_yaml::Value = serde_yaml::from_slice(bytes).map_err(|e| {
        let location = e.location().map_or(Location::Document, |l| Location::Line {
            line: l.line(),
            column: l.column(),
        });
        fail(
            location,
            format!("not valid YAML: {}", strip_location(&e.to_string())),
        )
    })?;
    let json = serde_json::to_value(&yaml).map_err(|e| {
        fail(
            Location::Document,
            format!("YAML that JSON cannot represent (non-string key or tag?): {e}"),
        )
    })?;

    let diagnostics: Vec<Diagnostic> = check::check(&json)
        .into_iter()
        .map(|(at, message)| Diagnostic::at(path, Location::Path(at), message))
        .collect();
    if !diagnostics.is_empty() {
        return Err(Error::Spec(diagnostics));
    }

    let openapi: OpenAPI = serde_path_to_error::deserialize(&json).map_err(|e| {
        let at = JsonPath::from_serde(e.path());
        fail(
            Location::Path(at),
            format!("not a valid OpenAPI 3.0 document here: {}", e.inner()),
        )
    })?;

    Ok(Spec {
        path: path.to_path_buf(),
        sha256: sha256_hex(bytes),
        json,
        openapi,
    })
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// serde_yaml appends " at line L column C" to its messages; the location is
/// printed separately, so drop it from the message.
fn strip_location(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |index| &message[..index])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Spec, Error> {
        parse(Path::new("spec.yaml"), text.as_bytes())
    }

    #[test]
    fn yaml_syntax_errors_carry_line_and_column() {
        let err = parse_str("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("spec.yaml: line "), "{message}");
        assert!(message.contains("not valid YAML"), "{message}");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let bytes = b"openapi: 3.0.3\ninfo:\n  title: t\xc3\xa9\xff\n";
        let message = parse(Path::new("spec.yaml"), bytes)
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "spec.yaml: line 3, column 12: not UTF-8 text (the spec must be UTF-8)"
        );
    }

    #[test]
    fn type_errors_carry_the_json_path() {
        let text = "openapi: 3.0.3\ninfo: {title: [t], version: '1'}\npaths: {}\n";
        let message = parse_str(text).unwrap_err().to_string();
        assert!(
            message.starts_with("spec.yaml: $.info.title: not a valid OpenAPI 3.0 document here"),
            "{message}"
        );
    }

    #[test]
    fn hash_is_of_the_exact_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
