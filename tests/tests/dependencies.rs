//! The published crate must stay light: users compile `genviral-partner`,
//! not the generator. This asks cargo for its dependency tree and fails if
//! any generator crate crept in.
//!
//! Proc-macro crates (`serde_derive`, …) are left out of the tree
//! (`--edges no-proc-macro`): they run at build time on any serde user's
//! machine and pull in `syn` themselves. What the crate must not carry is
//! `syn` or the generator as a library dependency.

use std::process::Command;

/// Crates that belong to code generation only.
const FORBIDDEN: [&str; 9] = [
    "syn",
    "progenitor-impl",
    "progenitor",
    "typify",
    "typify-impl",
    "serde_yaml",
    "openapiv3",
    "prettyplease",
    "genviral-partner-codegen",
];

#[test]
fn client_does_not_depend_on_the_generator() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            "genviral-partner",
            "--edges",
            "normal,build,no-proc-macro",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Lines look like `name vX.Y.Z` (with ` (*)` or a path after some).
    let crates: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"genviral-partner"), "{stdout}");
    assert!(crates.contains(&"progenitor-client"), "{stdout}");
    let found: Vec<&&str> = FORBIDDEN
        .iter()
        .filter(|name| crates.contains(name))
        .collect();
    assert!(
        found.is_empty(),
        "genviral-partner depends on generator crates {found:?}; dependency tree:\n{stdout}"
    );
}
