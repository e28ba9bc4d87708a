//! Repository tasks, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`). Plain Rust, no shell scripts: see
//! <https://github.com/matklad/cargo-xtask>.

mod generate;
mod lint;
mod paths;

use std::path::PathBuf;
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
    Generate(GenerateArgs),
    /// Lint the spec: codegen's semantic checks, then Redocly CLI (recommended rules, zero warnings).
    Lint(LintArgs),
}

#[derive(Debug, clap::Args)]
struct LintArgs {
    /// The OpenAPI 3.0 document to lint [default: spec/openapi.yaml].
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// Do not write: exit non-zero and print a unified diff if the checked-in
    /// files differ from what the spec produces.
    #[arg(long)]
    check: bool,
    /// The OpenAPI 3.0 document to generate from [default: spec/openapi.yaml].
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Directory the generated files go to [default: generated-client/src].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Generate a plain progenitor client that does not rely on the
    /// hand-written layer of `genviral-partner` (for other OpenAPI documents).
    #[arg(long)]
    standalone: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Generate(args) => run_generate(args),
        Task::Lint(args) => {
            let root = paths::workspace_root();
            let spec = args.spec.unwrap_or_else(|| root.join(paths::SPEC));
            lint::run(&root, &spec).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let root = paths::workspace_root();
    let job = generate::Job {
        spec: args.spec.unwrap_or_else(|| root.join(paths::SPEC)),
        out_dir: args.out.unwrap_or_else(|| root.join(paths::CLIENT_SRC)),
        settings: if args.standalone {
            codegen::Settings::standalone()
        } else {
            codegen::Settings::default()
        },
    };
    let mode = if args.check {
        generate::Mode::Check
    } else {
        generate::Mode::Write
    };
    let report = generate::run(&job, mode)?;
    println!("{report}");
    Ok(if report.is_clean() || mode == generate::Mode::Write {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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
}
