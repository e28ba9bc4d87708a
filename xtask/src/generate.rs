//! `cargo xtask generate [--check]`, and the drift test that runs the same
//! comparison inside `cargo test`. One run writes every crate's generated
//! module: the client's, the mock crate's and the CLI's
//! ([`codegen::generate_files`]; each output names its place in the
//! workspace).
//!
//! Everything is generated in memory first; files are only written once all
//! of them were produced, each through a temporary file renamed over the old
//! one ([`files::write_atomically`]), so a failure never leaves a
//! half-written or missing client behind.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use similar::TextDiff;

use crate::{files, paths};

/// `cargo xtask generate`: what to generate from what, and where to.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Do not write: exit non-zero and print a unified diff if the checked-in
    /// files differ from what the spec produces.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub spec: paths::SpecArg,
    /// Directory the generated files' workspace-relative paths are taken
    /// from (e.g. `generated-client/src/generated.rs`) [default: the
    /// workspace root].
    #[arg(
        long,
        value_name = "DIR",
        default_value_os_t = paths::workspace_root(),
        hide_default_value = true
    )]
    pub out: PathBuf,
    /// Generate a plain progenitor client that does not rely on the
    /// hand-written layer of `genviral-partner` (for other OpenAPI
    /// documents), without the mock crate's and the CLI's modules.
    #[arg(long)]
    pub standalone: bool,
}

impl Args {
    fn settings(&self) -> codegen::Settings {
        if self.standalone {
            codegen::Settings::standalone()
        } else {
            codegen::Settings::default()
        }
    }
}

/// Generates, then writes or (with `--check`) compares; fails when
/// `--check` finds a stale file.
pub fn run(args: Args) -> anyhow::Result<()> {
    let report = generate(&args)?;
    println!("{report}");
    if !report.is_clean() && args.check {
        bail!("the generated files are out of date (see the diff above)");
    }
    Ok(())
}

/// What happened to one output file.
#[derive(Debug)]
pub enum FileOutcome {
    /// Already identical to what the spec produces; not touched.
    Unchanged,
    /// Differed (or was missing) and has been rewritten.
    Written,
    /// Differs (or is missing) and was left alone; the unified diff from the
    /// file on disk to what the spec produces.
    Stale { diff: String },
}

/// The result of one run.
#[derive(Debug)]
pub struct Report {
    pub spec: PathBuf,
    pub files: Vec<(PathBuf, FileOutcome)>,
    pub elapsed: Duration,
}

impl Report {
    /// True when every file already matched the spec.
    pub fn is_clean(&self) -> bool {
        self.files
            .iter()
            .all(|(_, outcome)| matches!(outcome, FileOutcome::Unchanged))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, outcome) in &self.files {
            let path = paths::display(path);
            match outcome {
                FileOutcome::Unchanged => writeln!(f, "up to date: {path}")?,
                FileOutcome::Written => writeln!(f, "wrote: {path}")?,
                FileOutcome::Stale { diff } => {
                    writeln!(f, "{diff}")?;
                    writeln!(
                        f,
                        "out of date: {path} differs from what {} produces; run `cargo xtask generate` and commit the result",
                        paths::display(&self.spec)
                    )?;
                }
            }
        }
        write!(
            f,
            "generation from {} took {:.2} s",
            paths::display(&self.spec),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Generates every file, then writes it (or, with `--check`, compares it).
fn generate(args: &Args) -> anyhow::Result<Report> {
    let started = Instant::now();
    let spec = spec::load(&args.spec.path)?;
    let outputs = codegen::generate_files(&spec, &args.settings())?;
    let elapsed = started.elapsed();

    let mut files = Vec::with_capacity(outputs.len());
    for output in outputs {
        let path = args.out.join(output.relative_path);
        let outcome = update(&path, &output.contents, args.check)?;
        files.push((path, outcome));
    }
    Ok(Report {
        spec: args.spec.path.clone(),
        files,
        elapsed,
    })
}

/// Brings one file up to date with `contents`, or with `check_only`
/// reports how it differs.
fn update(path: &Path, contents: &str, check_only: bool) -> anyhow::Result<FileOutcome> {
    let current = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    Ok(if current.as_deref() == Some(contents) {
        FileOutcome::Unchanged
    } else if check_only {
        FileOutcome::Stale {
            diff: unified_diff(path, current.as_deref().unwrap_or(""), contents),
        }
    } else {
        files::write_atomically(path, contents)?;
        FileOutcome::Written
    })
}

/// A unified diff from the checked-in file to the regenerated one.
fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = paths::display(path);
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (checked in)"),
            &format!("{name} (from spec)"),
        )
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::names_in;

    fn fixture_args(out: &Path, check: bool) -> Args {
        Args {
            check,
            spec: paths::SpecArg::at(paths::in_workspace("codegen/tests/fixtures/minimal.yaml")),
            out: out.to_path_buf(),
            standalone: true,
        }
    }

    /// The rust-analyzer pattern: the checked-in client, mock and CLI modules
    /// must be what the spec produces. Outside CI a stale file is regenerated (and the test still
    /// fails once so the change is noticed); in CI nothing is written.
    #[test]
    fn generated_client_is_up_to_date() {
        let in_ci = paths::in_ci();
        let args = Args {
            check: in_ci,
            spec: paths::SpecArg::at(spec::path()),
            out: paths::workspace_root(),
            standalone: false,
        };
        let report = generate(&args).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(
            report.is_clean(),
            "\n{report}\n\nThe generated client did not match {}. {}",
            spec::PATH_IN_WORKSPACE,
            if in_ci {
                "Run `cargo xtask generate` and commit the result."
            } else {
                "It has been regenerated: review the change, re-run the tests and commit it."
            }
        );
    }

    #[test]
    fn check_mode_reports_a_diff_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(codegen::CLIENT_OUTPUT);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "// stale\n").unwrap();

        let report = generate(&fixture_args(dir.path(), true)).unwrap();

        assert!(!report.is_clean());
        let text = report.to_string();
        assert!(text.contains("-// stale"), "{text}");
        assert!(text.contains("+// @generated"), "{text}");
        assert!(text.contains("run `cargo xtask generate`"), "{text}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// stale\n");
        assert_eq!(
            names_in(target.parent().unwrap()),
            ["generated.rs"],
            "check mode must not leave files behind"
        );

        let error = run(fixture_args(dir.path(), true)).unwrap_err().to_string();
        assert!(error.contains("out of date"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// stale\n");
    }

    #[test]
    fn write_mode_writes_then_reports_clean() {
        let dir = tempfile::tempdir().unwrap();
        let first = generate(&fixture_args(dir.path(), false)).unwrap();
        assert!(matches!(first.files[0].1, FileOutcome::Written));
        let second = generate(&fixture_args(dir.path(), true)).unwrap();
        assert!(second.is_clean(), "{second}");
        let written = dir.path().join(codegen::CLIENT_OUTPUT);
        assert_eq!(
            names_in(written.parent().unwrap()),
            ["generated.rs"],
            "no temporary files may be left behind"
        );
    }

    #[test]
    fn a_broken_spec_leaves_the_previous_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("broken.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let target = dir.path().join(codegen::CLIENT_OUTPUT);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "// previous\n").unwrap();
        let args = Args {
            spec: paths::SpecArg::at(spec),
            ..fixture_args(dir.path(), false)
        };

        let error = generate(&args).unwrap_err().to_string();

        assert!(
            error.contains("broken.yaml: $.openapi: OpenAPI 3.1.0 is not supported"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// previous\n");
        assert_eq!(names_in(dir.path()), ["broken.yaml", "generated-client"]);
        assert_eq!(names_in(target.parent().unwrap()), ["generated.rs"]);
    }
}
