//! `cargo xtask generate [--check]`, and the drift test that runs the same
//! comparison inside `cargo test`.
//!
//! Everything is generated in memory first; files are only written once all
//! of them were produced, each through a temporary file renamed over the old
//! one, so a failure never leaves a half-written or missing client behind.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use similar::TextDiff;

use crate::paths;

/// What to generate from what, and where to.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    pub out_dir: PathBuf,
    pub settings: codegen::Settings,
}

/// Whether stale files are rewritten or only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
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

/// Generates every file for `job`, then writes or compares them.
pub fn run(job: &Job, mode: Mode) -> anyhow::Result<Report> {
    let started = Instant::now();
    let spec = spec::load(&job.spec)?;
    let outputs = codegen::generate_files(&spec, &job.settings)?;
    let elapsed = started.elapsed();

    let mut files = Vec::with_capacity(outputs.len());
    for output in outputs {
        let path = job.out_dir.join(output.relative_path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let outcome = if current.as_deref() == Some(output.contents.as_str()) {
            FileOutcome::Unchanged
        } else if mode == Mode::Write {
            write_atomically(&path, &output.contents)?;
            FileOutcome::Written
        } else {
            FileOutcome::Stale {
                diff: unified_diff(&path, current.as_deref().unwrap_or(""), &output.contents),
            }
        };
        files.push((path, outcome));
    }
    Ok(Report {
        spec: job.spec.clone(),
        files,
        elapsed,
    })
}

/// Writes `contents` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never a partial one.
pub fn write_atomically(path: &Path, contents: &str) -> anyhow::Result<()> {
    write_atomically_with(path, |file| file.write_all(contents.as_bytes()))
}

/// [`write_atomically`] with the writing done by `write`, so that tests can
/// make it fail half-way.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent directory", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".generated-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    write(temp.as_file_mut())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    // On failure, keep only the I/O error: the temporary file it carries is
    // dropped (deleted) here, not whenever the caller drops the error.
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
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

    /// The sorted file names in `dir`.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn fixture_job(out_dir: &Path) -> Job {
        Job {
            spec: paths::workspace_root().join("codegen/tests/fixtures/minimal.yaml"),
            out_dir: out_dir.to_path_buf(),
            settings: codegen::Settings::standalone(),
        }
    }

    /// The rust-analyzer pattern: the checked-in client must be what the spec
    /// produces. Outside CI a stale file is regenerated (and the test still
    /// fails once so the change is noticed); in CI nothing is written.
    #[test]
    fn generated_client_is_up_to_date() {
        let root = paths::workspace_root();
        let job = Job {
            spec: root.join(paths::SPEC),
            out_dir: root.join(paths::CLIENT_SRC),
            settings: codegen::Settings::default(),
        };
        let in_ci = std::env::var_os("CI").is_some();
        let mode = if in_ci { Mode::Check } else { Mode::Write };
        let report = run(&job, mode).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(
            report.is_clean(),
            "\n{report}\n\nThe generated client did not match spec/openapi.yaml. {}",
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
        let target = dir.path().join(codegen::GENERATED_FILE);
        std::fs::write(&target, "// stale\n").unwrap();

        let report = run(&fixture_job(dir.path()), Mode::Check).unwrap();

        assert!(!report.is_clean());
        let text = report.to_string();
        assert!(text.contains("-// stale"), "{text}");
        assert!(text.contains("+// @generated"), "{text}");
        assert!(text.contains("run `cargo xtask generate`"), "{text}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// stale\n");
        assert_eq!(
            names_in(dir.path()),
            ["generated.rs"],
            "check mode must not leave files behind"
        );
    }

    #[test]
    fn write_mode_writes_then_reports_clean() {
        let dir = tempfile::tempdir().unwrap();
        let first = run(&fixture_job(dir.path()), Mode::Write).unwrap();
        assert!(matches!(first.files[0].1, FileOutcome::Written));
        let second = run(&fixture_job(dir.path()), Mode::Check).unwrap();
        assert!(second.is_clean(), "{second}");
        assert_eq!(
            names_in(dir.path()),
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
        let target = dir.path().join(codegen::GENERATED_FILE);
        std::fs::write(&target, "// previous\n").unwrap();
        let job = Job {
            spec,
            ..fixture_job(dir.path())
        };

        let error = run(&job, Mode::Write).unwrap_err().to_string();

        assert!(
            error.contains("broken.yaml: $.openapi: OpenAPI 3.1.0 is not supported"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// previous\n");
        assert_eq!(names_in(dir.path()), ["broken.yaml", "generated.rs"]);
    }

    #[test]
    fn a_write_failing_half_way_leaves_the_previous_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("generated.rs");
        std::fs::write(&target, "// previous\n").unwrap();

        let error = write_atomically_with(&target, |file| {
            file.write_all(b"// half of the new")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();

        assert!(
            format!("{error:#}").contains("cannot write a temporary file"),
            "{error:#}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// previous\n");
        assert_eq!(
            names_in(dir.path()),
            ["generated.rs"],
            "the temporary file is removed"
        );
    }

    #[test]
    fn a_failing_rename_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory where the file should go: the temporary file
        // is written in full, then the rename over the target fails.
        let target = dir.path().join("generated.rs");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "kept").unwrap();

        let error = write_atomically(&target, "// new\n").unwrap_err();

        assert!(format!("{error:#}").contains("cannot replace"), "{error:#}");
        assert_eq!(
            std::fs::read_to_string(target.join("keep")).unwrap(),
            "kept"
        );
        assert_eq!(
            names_in(dir.path()),
            ["generated.rs"],
            "the temporary file is removed"
        );
    }
}
