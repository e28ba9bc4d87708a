//! Where things live in this repository (the spec's own path is the spec
//! crate's: [`spec::path`], [`spec::PATH_IN_WORKSPACE`]), and whether the
//! tests run in CI.

use std::path::{Path, PathBuf};

/// The generated client's source directory, relative to the workspace root.
pub const CLIENT_SRC: &str = "generated-client/src";

/// The contract tests' recordings, relative to the workspace root.
pub const RECORDED: &str = "tests/recorded";

/// The documentation site `cargo xtask docs` builds, relative to the
/// workspace root.
pub const SITE: &str = "target/site";

/// The screenshot `cargo xtask docs --verify` saves (CI keeps it as an
/// artifact), relative to the workspace root.
pub const DOCS_SCREENSHOT: &str = "target/docs-screenshot.png";

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// `relative` below the workspace root.
pub fn in_workspace(relative: &str) -> PathBuf {
    workspace_root().join(relative)
}

/// An argument's help text naming its default, a path relative to the
/// workspace root, so the text cannot drift from the default.
pub fn help_with_default(what: &str, default: &str) -> String {
    format!("{what} [default: {default}]")
}

/// `path` relative to the current directory when it is below it, for
/// shorter messages; otherwise `path` unchanged.
pub fn display(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Whether the tests run in CI (`CI` is set): there a missing tool or a
/// stale file fails a test instead of being skipped or fixed in place.
#[cfg(test)]
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// `--spec PATH`: the OpenAPI document a task reads; the workspace's spec
/// unless given. Declared once for every task that reads the spec.
#[derive(Debug, Clone, clap::Args)]
pub struct SpecArg {
    #[arg(
        long = "spec",
        value_name = "PATH",
        default_value_os_t = spec::path().to_path_buf(),
        hide_default_value = true,
        help = help_with_default("The OpenAPI 3.0 document to read", spec::PATH_IN_WORKSPACE),
        value_parser = absolute_path,
    )]
    pub path: PathBuf,
}

/// A path made absolute against the directory the task was started in:
/// tasks that run other programs from the workspace root (Redocly for
/// `lint`) must read the same file.
fn absolute_path(text: &str) -> Result<PathBuf, String> {
    std::path::absolute(text).map_err(|e| format!("{text}: {e}"))
}

impl SpecArg {
    /// `--spec path`.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        SpecArg { path: path.into() }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(clap::Parser)]
    struct WithSpec {
        #[command(flatten)]
        spec: SpecArg,
    }

    #[test]
    fn a_relative_spec_path_is_made_absolute_against_the_current_directory() {
        let parsed = WithSpec::try_parse_from(["xtask", "--spec", "specs/x.yaml"]).unwrap();
        assert!(parsed.spec.path.is_absolute(), "{:?}", parsed.spec.path);
        assert_eq!(
            parsed.spec.path,
            std::env::current_dir().unwrap().join("specs/x.yaml")
        );
        let default = WithSpec::try_parse_from(["xtask"]).unwrap();
        assert_eq!(default.spec.path, spec::path());
    }
}
