//! What the spec documents, read from `spec/openapi.yaml` itself.
//!
//! The suite never restates the spec by hand: the documented
//! `(operation, status, error_code)` cases, the response schema for a status
//! and the request schema of an operation all come from the loaded document
//! (`codegen::load`, the same loader and checks the generator uses).

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::recording::Recording;

/// One documented or recorded case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Case {
    /// The operationId.
    pub operation: String,
    /// The HTTP status.
    pub status: u16,
    /// The `error_code` of an error envelope; `None` for a success, or for
    /// an error body that is not the envelope (HTML, empty).
    pub error_code: Option<String>,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_code {
            Some(code) => write!(f, "({}, {}, {code})", self.operation, self.status),
            None => write!(f, "({}, {})", self.operation, self.status),
        }
    }
}

impl Case {
    /// The case a recording exercises, read from its response.
    pub fn of(recording: &Recording) -> Case {
        Case {
            operation: recording.operation_id.clone(),
            status: recording.response.status,
            error_code: recording
                .response
                .json()
                .and_then(|json| json.get("error_code")?.as_str().map(str::to_string)),
        }
    }
}

/// The loaded spec.
pub struct Contract {
    spec: codegen::Spec,
}

impl Contract {
    /// Loads `spec/openapi.yaml` from the workspace.
    pub fn load() -> Result<Contract, String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
        codegen::load(&path)
            .map(|spec| Contract { spec })
            .map_err(|e| e.to_string())
    }

    /// Builds a contract from an already loaded spec (tests of the tests).
    pub fn from_spec(spec: codegen::Spec) -> Contract {
        Contract { spec }
    }

    fn doc(&self) -> &Value {
        self.spec.json()
    }

    /// Follows local `$ref`s.
    fn deref<'a>(&'a self, node: &'a Value) -> &'a Value {
        codegen::deref(self.doc(), node)
    }

    /// Every operation: `(operationId, operation object)`.
    fn operations(&self) -> Vec<(&str, &Value)> {
        let mut out = Vec::new();
        if let Some(Value::Object(paths)) = self.doc().get("paths") {
            for item in paths.values() {
                let item = self.deref(item);
                if let Value::Object(methods) = item {
                    for operation in methods.values() {
                        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                            out.push((id, operation));
                        }
                    }
                }
            }
        }
        out
    }

    fn operation(&self, id: &str) -> Option<&Value> {
        self.operations()
            .into_iter()
            .find(|(op, _)| *op == id)
            .map(|(_, operation)| operation)
    }

    /// The response object for `status`: the exact status, else its range
    /// (`4XX`), else `default`.
    fn response(&self, operation: &str, status: u16) -> Option<&Value> {
        let responses = self.operation(operation)?.get("responses")?;
        let range = format!("{}XX", status / 100);
        [status.to_string(), range, "default".to_string()]
            .iter()
            .find_map(|key| responses.get(key.as_str()))
            .map(|response| self.deref(response))
    }

    /// Every documented case: each success example status, and each
    /// `error_code` in the examples of each explicitly listed error status.
    /// Ranges (`4XX`, `5XX`) document what the API may add, not cases.
    pub fn documented_cases(&self) -> BTreeSet<Case> {
        let mut cases = BTreeSet::new();
        for (id, operation) in self.operations() {
            let Some(Value::Object(responses)) = operation.get("responses") else {
                continue;
            };
            for (key, response) in responses {
                let Ok(status) = key.parse::<u16>() else {
                    continue;
                };
                for example in self.examples(self.deref(response)) {
                    let error_code = example
                        .get("error_code")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    if error_code.is_some() || status < 400 {
                        cases.insert(Case {
                            operation: id.to_string(),
                            status,
                            error_code,
                        });
                    }
                }
            }
        }
        cases
    }

    fn examples<'a>(&'a self, response: &'a Value) -> Vec<&'a Value> {
        let Some(media) = response.pointer("/content/application~1json") else {
            return Vec::new();
        };
        let mut out: Vec<&Value> = media.get("example").into_iter().collect();
        if let Some(Value::Object(examples)) = media.get("examples") {
            out.extend(
                examples
                    .values()
                    .filter_map(|example| self.deref(example).get("value")),
            );
        }
        out
    }

    /// Why the spec does not document `case`, or `Ok` when it does: the
    /// status must have a response (exact, range or default) and an error
    /// code must appear in that response's examples.
    pub fn documents(&self, case: &Case) -> Result<(), String> {
        if self.operation(&case.operation).is_none() {
            return Err(format!("the spec has no operation `{}`", case.operation));
        }
        let Some(response) = self.response(&case.operation, case.status) else {
            return Err(format!(
                "`{}` documents no response for status {}",
                case.operation, case.status
            ));
        };
        match &case.error_code {
            None => Ok(()),
            Some(code) => {
                let documented = self
                    .examples(response)
                    .iter()
                    .any(|example| example.get("error_code").and_then(Value::as_str) == Some(code));
                if documented {
                    Ok(())
                } else {
                    Err(format!(
                        "`{}` documents no error_code `{code}` for status {}",
                        case.operation, case.status
                    ))
                }
            }
        }
    }

    /// Validates a response body against the schema the spec gives for the
    /// operation and status.
    pub fn validate_response(
        &self,
        operation: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        let schema = self
            .response(operation, status)
            .and_then(|response| response.pointer("/content/application~1json/schema"))
            .ok_or_else(|| vec![format!("no JSON schema for `{operation}` status {status}")])?;
        codegen::json_schema::validate(self.doc(), schema, body)
    }

    /// Validates a request body against the operation's request schema.
    pub fn validate_request(&self, operation: &str, body: &Value) -> Result<(), Vec<String>> {
        let schema = self
            .operation(operation)
            .and_then(|op| op.get("requestBody"))
            .map(|body| self.deref(body))
            .and_then(|body| body.pointer("/content/application~1json/schema"))
            .ok_or_else(|| vec![format!("`{operation}` has no JSON request body schema")])?;
        codegen::json_schema::validate(self.doc(), schema, body)
    }
}

/// Documented cases without a recording, and recordings of undocumented
/// cases, as one message each (empty when coverage is complete).
pub fn coverage_gaps(contract: &Contract, recordings: &[Recording]) -> Vec<String> {
    let recorded: BTreeSet<Case> = recordings.iter().map(Case::of).collect();
    let mut gaps: Vec<String> = contract
        .documented_cases()
        .into_iter()
        .filter(|case| !recorded.contains(case))
        .map(|case| {
            format!(
                "documented {case} has no recording (add tests/recorded/{}/{}_<case>.har, e.g. with `cargo xtask record`)",
                case.operation, case.status
            )
        })
        .collect();
    for recording in recordings {
        if let Err(why) = contract.documents(&Case::of(recording)) {
            gaps.push(format!(
                "recording {} ({}) exercises {}, which the spec does not document: {why}",
                recording.name(),
                recording.file.display(),
                Case::of(recording)
            ));
        }
    }
    gaps
}
