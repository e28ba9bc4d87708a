//! `genviral --help` and every subcommand's `--help`, compared with the
//! files in `tests/help/` so that a change of the spec's descriptions or of
//! the flags shows in review. After an intended change, run
//! `UPDATE_HELP_SNAPSHOTS=1 cargo test -p genviral-partner-cli --test help`
//! and commit the files.

use std::path::{Path, PathBuf};

const UPDATE: &str = "UPDATE_HELP_SNAPSHOTS";

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/help")
}

/// `(snapshot name, arguments)` for the root command and one subcommand
/// per operation of the spec.
fn help_pages() -> Vec<(String, Vec<String>)> {
    let spec = spec::load(spec::path()).unwrap_or_else(|e| panic!("{e}"));
    let mut pages = vec![("genviral".to_string(), vec!["--help".to_string()])];
    for operation in spec.operations() {
        let subcommand = operation.name().replace('_', "-");
        pages.push((
            format!("genviral {subcommand}"),
            vec![subcommand, "--help".to_string()],
        ));
    }
    pages
}

fn help(args: &[String]) -> String {
    let output = assert_cmd::cargo::cargo_bin_cmd!("genviral")
        .env_remove("GENVIRAL_API_KEY")
        .env_remove("GENVIRAL_BASE_URL")
        .args(args)
        .output()
        .expect("genviral runs");
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("help is UTF-8")
}

#[test]
fn help_pages_match_their_snapshots() {
    let update = std::env::var_os(UPDATE).is_some();
    let mut stale = Vec::new();
    let mut expected_files = Vec::new();
    for (name, args) in help_pages() {
        let file = snapshots().join(format!("{}.txt", name.replace(' ', "_")));
        let actual = help(&args);
        expected_files.push(file.clone());
        if update {
            std::fs::create_dir_all(snapshots()).unwrap();
            std::fs::write(&file, &actual).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(actual.as_str()) {
            stale.push(format!("--- {} ---\n{actual}", file.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "help output changed; review it and run `{UPDATE}=1 cargo test -p genviral-partner-cli --test help`:\n{}",
        stale.join("\n")
    );
    let mut on_disk: Vec<PathBuf> = std::fs::read_dir(snapshots())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    on_disk.sort();
    expected_files.sort();
    assert_eq!(
        on_disk, expected_files,
        "snapshots of commands that no longer exist"
    );
}
