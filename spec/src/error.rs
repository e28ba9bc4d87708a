//! Errors reading a spec: every one names the spec file and, where it can,
//! the place inside it, so a broken spec is fixed without guesswork.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::json_path::JsonPath;

/// Where in the spec file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The document as a whole (for example: the file could not be read).
    Document,
    /// A 1-based line and column, as reported by the YAML parser.
    Line { line: usize, column: usize },
    /// A JSON path into the parsed document, e.g. `$.paths['/packs/{packId}'].patch`.
    Path(JsonPath),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Document => f.write_str("$"),
            Location::Line { line, column } => write!(f, "line {line}, column {column}"),
            Location::Path(path) => path.fmt(f),
        }
    }
}

/// One problem in a spec, printed on one line as `file: location: problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file the problem is in.
    pub file: PathBuf,
    /// Where in that file.
    pub location: Location,
    /// What is wrong, and where useful, what to write instead.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `location` in `file`.
    pub fn at(file: &Path, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.location,
            self.message
        )
    }
}

/// Why a spec could not be loaded.
#[derive(Debug)]
pub enum Error {
    /// The spec file could not be read.
    Io {
        /// The file that could not be read.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The spec was read but is not acceptable; every problem found is listed.
    Spec(Vec<Diagnostic>),
}

impl Error {
    /// The diagnostics of a [`Error::Spec`] error; empty for other kinds.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(diagnostics) => diagnostics,
            Error::Io { .. } => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { file, source } => write!(f, "{}: $: cannot read: {source}", file.display()),
            Error::Spec(diagnostics) => {
                for (i, diagnostic) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    diagnostic.fmt(f)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Spec(_) => None,
        }
    }
}
