//! What the spec documents, asked of the spec model (`genviral-partner-spec`,
//! the same loader and checks the generator uses): the suite never restates
//! the spec by hand.

use std::collections::BTreeSet;

use serde_json::Value;
pub use spec::Case;

use crate::recording::Recording;

/// The case a recording exercises, read from its response.
pub fn case_of(recording: &Recording) -> Case {
    Case {
        operation: recording.operation_id.clone(),
        status: recording.response.status,
        error_code: recording
            .response
            .json()
            .and_then(|json| json.get("error_code")?.as_str().map(str::to_string)),
    }
}

/// The loaded spec.
pub struct Contract {
    spec: spec::Spec,
}

impl Contract {
    /// Loads `spec/openapi.yaml` from the workspace.
    pub fn load() -> Result<Contract, String> {
        spec::load(spec::path())
            .map(|spec| Contract { spec })
            .map_err(|e| e.to_string())
    }

    /// Builds a contract from an already loaded spec (tests of the tests).
    pub fn from_spec(spec: spec::Spec) -> Contract {
        Contract { spec }
    }

    /// The spec model.
    pub fn spec(&self) -> &spec::Spec {
        &self.spec
    }

    fn operation(&self, id: &str) -> Result<spec::Operation<'_>, String> {
        self.spec
            .operation(id)
            .ok_or_else(|| format!("the spec has no operation `{id}`"))
    }

    /// Every documented case (see [`spec::Operation::documented_cases`]).
    pub fn documented_cases(&self) -> BTreeSet<Case> {
        self.spec.documented_cases()
    }

    /// Why the spec does not document `case`, or `Ok` when it does: the
    /// status must have a response (exact, range or default) and an error
    /// code must appear in that response's examples.
    pub fn documents(&self, case: &Case) -> Result<(), String> {
        let operation = self.operation(&case.operation)?;
        let Some(response) = operation.response_for(case.status) else {
            return Err(format!(
                "`{}` documents no response for status {}",
                case.operation, case.status
            ));
        };
        match &case.error_code {
            None => Ok(()),
            Some(code) => {
                let documented = response
                    .examples()
                    .iter()
                    .any(|example| example.error_code() == Some(code.as_str()));
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
        self.operation(operation)
            .map_err(|e| vec![e])?
            .validate_response(status, body)
    }

    /// Validates a request body against the operation's request schema.
    pub fn validate_request(&self, operation: &str, body: &Value) -> Result<(), Vec<String>> {
        self.operation(operation)
            .map_err(|e| vec![e])?
            .validate_request(body)
    }
}

/// Documented cases without a recording, and recordings of undocumented
/// cases, as one message each (empty when coverage is complete).
pub fn coverage_gaps(contract: &Contract, recordings: &[Recording]) -> Vec<String> {
    let recorded: BTreeSet<Case> = recordings.iter().map(case_of).collect();
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
        if let Err(why) = contract.documents(&case_of(recording)) {
            gaps.push(format!(
                "recording {} ({}) exercises {}, which the spec does not document: {why}",
                recording.name(),
                recording.file.display(),
                case_of(recording)
            ));
        }
    }
    gaps
}
