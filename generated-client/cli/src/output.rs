//! What `genviral` prints: the reply's body as JSON on standard output, a
//! failure on standard error (a line for people, or a JSON object with
//! `--output json`).

use std::io::Write as _;

use genviral_partner::{ApiError, ResponseValue};
use serde::Serialize;

use crate::failure::Failure;
use crate::generated::CliConfig;

/// How results are printed (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented JSON for people; failures as one sentence.
    Pretty,
    /// One line of JSON per result, failures included, for programs.
    Json,
}

impl Format {
    /// The `--output` values, in the order `--help` lists them.
    pub const NAMES: [&'static str; 2] = ["pretty", "json"];

    /// The format the command line asks for, read from the raw arguments
    /// (`--output json`, `--output=json`; the last one counts): for
    /// reporting a command line clap refused, whose matches do not exist.
    pub fn requested(args: impl IntoIterator<Item = String>) -> Format {
        let mut format = Format::Pretty;
        let mut previous = String::new();
        for arg in args {
            let value = match arg.strip_prefix("--output=") {
                Some(value) => Some(value.to_string()),
                None if previous == "--output" => Some(arg.clone()),
                None => None,
            };
            if let Some(requested) = value.as_deref().and_then(Format::from_name) {
                format = requested;
            }
            previous = arg;
        }
        format
    }

    /// The format named `name` (one of [`Format::NAMES`]).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "pretty" => Some(Format::Pretty),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Prints what the generated commands hand over.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub format: Format,
}

impl Printer {
    fn json<T: Serialize>(&self, value: &T) -> String {
        let text = match self.format {
            Format::Pretty => serde_json::to_string_pretty(value),
            Format::Json => serde_json::to_string(value),
        };
        // The values are the client's types and JSON objects built here,
        // which always serialize.
        text.unwrap_or_else(|error| format!("{{\"unprintable\": \"{error}\"}}"))
    }
}

/// A failure as `--output json` prints it on standard error.
#[derive(Serialize)]
struct FailureJson<'a> {
    error: &'a str,
    status: Option<u16>,
    error_code: Option<&'a str>,
    message: &'a str,
}

impl Printer {
    /// Reports a failure that is not the client's (the command line, the
    /// API key, `--json-body`): `genviral: <message>`, or with `--output
    /// json` the same JSON object as an API failure, without status or
    /// `error_code`.
    pub fn failure(&self, failure: Failure, message: &str) {
        let message = message.trim_end();
        let text = match self.format {
            Format::Json => self.json(&FailureJson {
                error: failure.name(),
                status: None,
                error_code: None,
                message,
            }),
            Format::Pretty => format!("genviral: {message}"),
        };
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

impl CliConfig for Printer {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: Serialize + std::fmt::Debug,
    {
        let text = self.json(&**value);
        // A closed pipe (`genviral … | head`) is not worth a panic.
        let _ = writeln!(std::io::stdout(), "{text}");
    }

    fn error(&self, error: &ApiError) {
        let code = error.error_code();
        let failure = Failure::of(error);
        let text = match self.format {
            Format::Json => self.json(&FailureJson {
                error: failure.name(),
                status: error.status().map(|status| status.as_u16()),
                error_code: code.as_ref().map(|code| code.as_str()),
                message: error.message(),
            }),
            Format::Pretty => {
                let mut line = format!("genviral: {}", failure.describe());
                if let Some(status) = error.status() {
                    line.push_str(&format!(": status {}", status.as_u16()));
                }
                if let Some(code) = &code {
                    line.push_str(&format!(", error_code {code}"));
                }
                format!("{line}: {}", error.message())
            }
        };
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}
