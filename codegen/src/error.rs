//! What can stop generation: a spec that does not load (its error names the
//! file and the JSON path), progenitor refusing a spec that passed our
//! checks, or generated tokens that are not Rust (a generator bug).

use std::fmt;
use std::path::PathBuf;

/// Everything that can stop the generator.
#[derive(Debug)]
pub enum Error {
    /// The spec could not be read or failed a check.
    Spec(spec::Error),
    /// progenitor refused (or panicked on) a spec that passed our own checks.
    Generate {
        /// The spec file.
        file: PathBuf,
        /// The operation being generated when it failed, when known.
        operation: Option<String>,
        /// progenitor's message.
        message: String,
    },
    /// The generated tokens did not parse as a Rust file (a generator bug).
    Format {
        /// The spec file.
        file: PathBuf,
        /// syn's message.
        message: String,
    },
}

impl From<spec::Error> for Error {
    fn from(error: spec::Error) -> Self {
        Error::Spec(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(error) => error.fmt(f),
            Error::Generate {
                file,
                operation: Some(operation),
                message,
            } => write!(
                f,
                "{}: operation `{operation}`: progenitor cannot generate it: {message}",
                file.display()
            ),
            Error::Generate {
                file,
                operation: None,
                message,
            } => write!(
                f,
                "{}: $: progenitor cannot generate a client: {message}",
                file.display()
            ),
            Error::Format { file, message } => write!(
                f,
                "{}: $: generated code is not valid Rust (generator bug): {message}",
                file.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Spec(error) => Some(error),
            Error::Generate { .. } | Error::Format { .. } => None,
        }
    }
}
