//! Repository tasks, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`). Plain Rust, no shell scripts: see
//! <https://github.com/matklad/cargo-xtask>.

mod bench_build;
mod browser;
#[cfg(test)]
mod dependency_rules;
mod docs;
mod generate;
mod lint;
mod node;
mod paths;
mod record;

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
    /// Build the documentation site (API reference, openapi.yaml/json, Rust docs) into target/site/.
    Docs(DocsArgs),
    /// Measure a cold build of a tiny consumer of genviral-partner versus the same consumer using progenitor::generate_api! (minutes).
    BenchBuild(BenchBuildArgs),
    /// Make one real API call (token from GENVIRAL_API_KEY) and save it as a HAR recording under tests/recorded/, token redacted.
    Record(RecordArgs),
}

#[derive(Debug, clap::Args)]
struct BenchBuildArgs {
    /// Parallel jobs for both builds.
    #[arg(long, short = 'j', default_value_t = 2)]
    jobs: usize,
    /// Build with `--release` instead of the dev profile.
    #[arg(long)]
    release: bool,
    /// Cold builds per consumer (the order alternates); medians are reported.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
}

#[derive(Debug, clap::Args)]
struct DocsArgs {
    /// The site folder, replaced as a whole [default: target/site].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Skip the Rust docs (`rust/`), e.g. for a quick look at the reference.
    #[arg(long)]
    no_rustdoc: bool,
    /// Also save a PNG screenshot of the rendered page (needs Chromium).
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// The OpenAPI document [default: spec/openapi.yaml].
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct RecordArgs {
    /// The operationId to call, e.g. `update_pack`.
    #[arg(long, value_name = "ID")]
    operation: String,
    /// Case name (lower-case, digits, `_`); the file is
    /// `tests/recorded/<operation>/<status>_<case>.har`.
    #[arg(long, value_name = "NAME")]
    case: String,
    /// API base URL [default: GENVIRAL_BASE_URL, else the spec's first server].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Path id [default: the path parameter's example in the spec].
    #[arg(long, value_name = "UUID")]
    id: Option<String>,
    /// Request body as JSON, or `@file.json` [default: a request example from the spec].
    #[arg(long, value_name = "JSON|@FILE")]
    body: Option<String>,
    /// Name of the spec's request example to send [default: the first by name].
    #[arg(long, value_name = "NAME", conflicts_with = "body")]
    example: Option<String>,
    /// Replace an existing recording.
    #[arg(long)]
    force: bool,
    /// The OpenAPI document [default: spec/openapi.yaml].
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
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
        Task::Record(args) => run_record(args),
        Task::Docs(args) => run_docs(args),
        Task::BenchBuild(args) => bench_build::run(
            &paths::workspace_root(),
            args.jobs,
            args.release,
            usize::from(args.runs),
        )
        .map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_docs(args: DocsArgs) -> anyhow::Result<ExitCode> {
    let root = paths::workspace_root();
    let job = docs::Job {
        spec: args.spec.unwrap_or_else(|| root.join(paths::SPEC)),
        out: args.out.unwrap_or_else(|| docs::default_out(&root)),
        rustdoc: !args.no_rustdoc,
    };
    let sizes = docs::build(&root, &job)?;
    docs::report(&job.out, &sizes, job.rustdoc);
    if let Some(png) = args.screenshot {
        let chromium = browser::chromium().ok_or_else(|| {
            anyhow::anyhow!(
                "--screenshot needs Chromium (`apt-get install chromium`, or set CHROMIUM)"
            )
        })?;
        let server = browser::StaticServer::start(&job.out)?;
        let png = std::path::absolute(&png)?;
        browser::screenshot(
            &chromium,
            &format!("{}/index.html", server.url),
            &png,
            (1280, 900),
        )?;
        println!("screenshot: {}", paths::display(&png));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_record(args: RecordArgs) -> anyhow::Result<ExitCode> {
    let root = paths::workspace_root();
    let token = std::env::var("GENVIRAL_API_KEY")
        .ok()
        .filter(|token| !token.trim().is_empty())
        .ok_or_else(|| {
            anyhow::anyhow!("set GENVIRAL_API_KEY to the API token (`<public_id>.<secret>`)")
        })?;
    let options = record::Options {
        spec: args.spec.unwrap_or_else(|| root.join(paths::SPEC)),
        operation: args.operation,
        case: args.case,
        base_url: args.base_url.or_else(|| {
            std::env::var("GENVIRAL_BASE_URL")
                .ok()
                .filter(|url| !url.is_empty())
        }),
        id: args.id,
        body: args.body.as_deref().map(record::parse_body).transpose()?,
        example: args.example,
        token: token.trim().to_string(),
        out_dir: root.join(paths::RECORDED),
        force: args.force,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let recorded = runtime.block_on(record::record(&options))?;
    println!(
        "wrote {} (status {}{})",
        paths::display(&recorded.path),
        recorded.status,
        recorded
            .error_code
            .map(|code| format!(", error_code {code}"))
            .unwrap_or_default()
    );
    println!(
        "next: review it (no personal data?), commit it, run `cargo test -p genviral-partner-contract-tests`"
    );
    Ok(ExitCode::SUCCESS)
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
