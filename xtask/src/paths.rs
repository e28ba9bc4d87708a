//! Where things live in this repository.

use std::path::{Path, PathBuf};

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";
/// The generated client's source directory, relative to the workspace root.
pub const CLIENT_SRC: &str = "generated-client/src";

/// The contract tests' recordings, relative to the workspace root.
pub const RECORDED: &str = "tests/recorded";

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
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
