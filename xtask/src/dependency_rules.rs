//! Which crates may depend on what. Users compile `genviral-partner` (and
//! the mock crate and the CLI beside it), not the generator; the spec model and the contract tests only read the spec.
//! Each rule asks cargo for a crate's dependency tree and fails naming any
//! forbidden crate that crept in.
//!
//! Proc-macro crates (`serde_derive`, …) are left out of the tree
//! (`--edges no-proc-macro`): they run at build time on any serde user's
//! machine and pull in `syn` themselves. What a crate must not carry is
//! `syn` or the generator as a library dependency.

use std::process::Command;

/// Crates that write Rust: only the generator may depend on them.
const CODE_GENERATION: [&str; 6] = [
    "syn",
    "progenitor-impl",
    "progenitor",
    "typify",
    "typify-impl",
    "prettyplease",
];

/// Crates that read the spec document: the client must not carry them.
const SPEC_READING: [&str; 4] = [
    "serde_yaml",
    "openapiv3",
    "genviral-partner-spec",
    "genviral-partner-codegen",
];

/// The crate names in `package`'s tree of normal and build dependencies.
fn dependency_tree(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            package,
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
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Lines look like `name vX.Y.Z` (with ` (*)` or a path after some).
    let crates: Vec<String> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(crates.iter().any(|name| name == package), "{stdout}");
    crates
}

fn assert_free_of(package: &str, forbidden: &[&str]) {
    let tree = dependency_tree(package);
    let found: Vec<&&str> = forbidden
        .iter()
        .filter(|name| tree.iter().any(|crate_name| crate_name == *name))
        .collect();
    assert!(
        found.is_empty(),
        "{package} depends on {found:?}; its tree: {tree:?}"
    );
}

#[test]
fn client_depends_on_neither_the_generator_nor_the_spec_reader() {
    assert_free_of("genviral-partner", &CODE_GENERATION);
    assert_free_of("genviral-partner", &SPEC_READING);
    assert!(dependency_tree("genviral-partner").contains(&"progenitor-client".to_string()));
}

/// What users build beside the client: the mock crate (a dev-dependency
/// of their tests) and the `genviral` CLI. Their generated modules come
/// from the generator like the client's, but neither carries it.
#[test]
fn mock_crate_and_cli_depend_on_neither_the_generator_nor_the_spec_reader() {
    for package in ["genviral-partner-mock", "genviral-partner-cli"] {
        assert_free_of(package, &CODE_GENERATION);
        assert_free_of(package, &SPEC_READING);
        assert!(
            dependency_tree(package).contains(&"genviral-partner".to_string()),
            "{package} calls the client crate"
        );
    }
}

#[test]
fn spec_model_and_contract_tests_only_read_the_spec() {
    for package in ["genviral-partner-spec", "genviral-partner-contract-tests"] {
        assert_free_of(package, &CODE_GENERATION);
    }
}

/// The client compiles a regular-expression engine only for a spec with a
/// `pattern` in a request schema: the generated `matches_pattern` calls
/// `regex-lite` then and nothing otherwise (`codegen/src/request_rules.rs`).
/// A spec that gains a pattern needs `regex-lite` in
/// `generated-client/Cargo.toml`; one that loses its last pattern should
/// drop it, since every user's cold build pays for it.
#[test]
fn client_carries_regex_lite_exactly_when_the_spec_has_a_pattern() {
    let spec = spec::load(spec::path()).expect("the spec loads");
    let schemas = spec::constraints::RequestSchemas::of(&spec);
    let has_pattern = schemas.patterns().next().is_some();
    let carries_regex = dependency_tree("genviral-partner").contains(&"regex-lite".to_string());
    assert_eq!(
        carries_regex,
        has_pattern,
        "{}: a request schema {} a `pattern`, so generated-client/Cargo.toml should {} regex-lite",
        spec::path().display(),
        if has_pattern { "has" } else { "has no" },
        if has_pattern {
            "declare"
        } else {
            "not declare"
        },
    );
}
