//! The contract suite, one named test per check:
//!
//! - `coverage::…`: every documented `(operation, status, error_code)` has a
//!   recording and every recording is documented;
//! - `schema::<operationId>/<case>`: the recorded response body validates
//!   against the spec's schema for that operation and status (JSON Schema,
//!   independent of serde decoding);
//! - `replay::<operationId>/<case>`: the recording is served by a local mock
//!   server, the generated client makes the matching call; the request it
//!   sent must match the recording and validate against the request schema,
//!   and the typed outcome must match the recorded response;
//! - `constraints::<operationId>::<place>::<constraint>`: a body breaking
//!   that constraint of the request schema is refused by the client before
//!   sending and by the spec's JSON Schema (`contract_tests::constraints`).
//!
//! Uses libtest-mimic so each check is its own test: `cargo test -p
//! genviral-partner-contract-tests -- update_pack` runs one operation's cases.

use std::sync::Arc;

use contract_tests::contract::{Contract, coverage_gaps};
use contract_tests::recording::{self, Recording};
use contract_tests::replay::replay;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let loaded = recording::load_all(&contract_tests::recorded_dir())
        .and_then(|recordings| Ok((recordings, Contract::load()?)));
    let (recordings, contract) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("cannot load the recordings or the spec: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut trials = contract_tests::constraints::trials(Arc::new(contract.spec().clone()));
    let contract = Arc::new(contract);
    trials.extend(coverage_trials(&contract, &recordings));
    for recording in recordings {
        trials.push(schema_trial(&contract, recording.clone()));
        let contract = Arc::clone(&contract);
        trials.push(Trial::test(
            format!("replay::{}", recording.name()),
            move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Failed::from(format!("cannot start a runtime: {e}")))?;
                runtime
                    .block_on(replay(&recording, &contract))
                    .map(drop)
                    .map_err(Failed::from)
            },
        ));
    }
    libtest_mimic::run(&args, trials).exit_code()
}

fn coverage_trials(contract: &Contract, recordings: &[Recording]) -> Vec<Trial> {
    let gaps = coverage_gaps(contract, recordings);
    let (missing, undocumented): (Vec<String>, Vec<String>) = gaps
        .into_iter()
        .partition(|gap| gap.starts_with("documented "));
    let trial = |name: &str, gaps: Vec<String>| {
        Trial::test(name, move || {
            if gaps.is_empty() {
                Ok(())
            } else {
                Err(Failed::from(format!(
                    "{} gap(s):\n  {}",
                    gaps.len(),
                    gaps.join("\n  ")
                )))
            }
        })
    };
    vec![
        trial("coverage::every_documented_case_has_a_recording", missing),
        trial("coverage::every_recording_is_documented", undocumented),
    ]
}

/// The recorded response body must satisfy the spec's schema. Bodies that
/// are not JSON (an HTML page from a proxy, an empty body) cannot: they are
/// recorded on purpose to test the client, and the replay checks them.
fn schema_trial(contract: &Arc<Contract>, recording: Recording) -> Trial {
    let contract = Arc::clone(contract);
    Trial::test(format!("schema::{}", recording.name()), move || {
        let Some(body) = recording.response.json() else {
            return Ok(());
        };
        contract
            .validate_response(&recording.operation_id, recording.response.status, &body)
            .map_err(|errors| {
                Failed::from(format!(
                    "{} ({}): the recorded {} body does not match the spec's schema:\n  {}",
                    recording.name(),
                    recording.file.display(),
                    recording.response.status,
                    errors.join("\n  ")
                ))
            })
    })
}
