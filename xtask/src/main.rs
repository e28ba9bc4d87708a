//! Repository tasks, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`). Plain Rust, no shell scripts: see
//! <https://github.com/matklad/cargo-xtask>.
//!
//! Each task is a module owning its command-line arguments (`Args`) and its
//! `run`; this file only dispatches.

mod bench_build;
mod breaking;
mod browser;
#[cfg(test)]
mod dependency_rules;
mod files;
mod generate;
// The HAR conventions the contract suite replays (see the file's docs).
#[path = "../../tests/src/har_conventions.rs"]
mod har_conventions;
mod lint;
mod npm;
mod paths;
mod record;
mod release;
mod site;
#[cfg(test)]
mod spec_growth;
mod versioning;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tasks for the genviral-partner repository.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Generate the client from the OpenAPI spec (with --check: fail on drift, write nothing).
    Generate(generate::Args),
    /// Lint the spec: the spec crate's semantic checks, then Redocly CLI (recommended rules, zero warnings).
    Lint(lint::Args),
    /// Build the documentation site into target/site/: API reference with Rust and curl samples, llms.txt, a Markdown page per operation, the changelog, current and released specs, Rust docs (with --verify: check it in headless Chromium and save a screenshot).
    Docs(site::Args),
    /// Measure, per TLS backend, the cold build and the rebuild of a one-call consumer written with raw reqwest + serde_json (untyped, typed with serde derives, typed with progenitor-client), with genviral-partner, and with progenitor::generate_api! (and with --baseline, genviral-partner at a git revision); targets as speed-normalised ratios (minutes).
    BenchBuild(bench_build::Args),
    /// Make one real API call (token from GENVIRAL_API_KEY) and save it as a HAR recording under tests/recorded/, token redacted.
    Record(record::Args),
    /// Compare the spec with the latest released one (spec/released/): one line per change with its JSON path and class (breaking, addition, other); fail when info.version and the genviral-partner version do not carry the bump the changes need.
    Breaking(breaking::Args),
    /// Release the spec as API version VERSION: check the bump, set info.version and the genviral-partner version, bless spec/released/VERSION.yaml, write the CHANGELOG.md section, regenerate the client.
    Release(release::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Generate(args) => generate::run(args),
        Task::Lint(args) => lint::run(args),
        Task::Docs(args) => site::run(args),
        Task::BenchBuild(args) => bench_build::run(args),
        Task::Record(args) => record::run(args),
        Task::Breaking(args) => breaking::run(args),
        Task::Release(args) => release::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_lists_every_task_with_a_description() {
        let help = Cli::command().render_long_help().to_string();
        for task in Cli::command().get_subcommands() {
            let about = task
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                !about.is_empty(),
                "task `{}` has no description",
                task.get_name()
            );
            assert!(help.contains(task.get_name()), "{help}");
        }
    }

    /// Every argument is described, and the defaults the help names are the
    /// ones the tasks use.
    #[test]
    fn every_argument_has_help_and_the_spec_default_is_the_spec_crates() {
        for task in Cli::command().get_subcommands() {
            for arg in task.get_arguments() {
                assert!(
                    arg.get_help().is_some(),
                    "`{} --{}` has no help",
                    task.get_name(),
                    arg.get_id()
                );
            }
        }
        for task in ["generate", "lint", "docs"] {
            let Cli { task: parsed } = Cli::try_parse_from(["cargo xtask", task]).unwrap();
            let used = match parsed {
                Task::Generate(args) => args.spec,
                Task::Lint(args) => args.spec,
                Task::Docs(args) => args.spec,
                other => panic!("{other:?}"),
            };
            assert_eq!(used.path, spec::path(), "{task}");
        }
        let help = Cli::command()
            .find_subcommand_mut("lint")
            .unwrap()
            .render_help()
            .to_string();
        assert!(
            help.contains(&format!("[default: {}]", spec::PATH_IN_WORKSPACE)),
            "{help}"
        );
    }
}
