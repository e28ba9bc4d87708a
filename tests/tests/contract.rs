//! One test per recorded exchange, named `<operationId>/<case>`.
//!
//! Uses libtest-mimic so each recording is its own test: `cargo test -p
//! genviral-partner-contract-tests -- update_pack` runs one operation's cases.

use contract_tests::recording;
use contract_tests::replay::replay;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let recordings = match recording::load_all(&contract_tests::recorded_dir()) {
        Ok(recordings) => recordings,
        Err(error) => {
            eprintln!("cannot load recordings: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let trials = recordings
        .into_iter()
        .map(|recording| {
            Trial::test(format!("replay::{}", recording.name()), move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Failed::from(format!("cannot start a runtime: {e}")))?;
                runtime
                    .block_on(replay(&recording))
                    .map(drop)
                    .map_err(Failed::from)
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
