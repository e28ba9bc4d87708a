//! Versions of the crates that shape the generated code, printed in its header.
//!
//! Cargo does not expose dependency versions to a crate at compile time, so
//! they are written here and a test holds them equal to `Cargo.lock`: bumping
//! a generator dependency without updating this file fails `cargo test`.

/// `progenitor-impl`, which turns the spec into tokens.
pub const PROGENITOR_IMPL: &str = "0.15.1";
/// `typify`, which progenitor uses to turn schemas into types.
pub const TYPIFY: &str = "0.8.0";
/// `syn`, which parses the tokens into a file.
pub const SYN: &str = "3.0.10";
/// `prettyplease`, which prints the file.
pub const PRETTYPLEASE: &str = "0.3.0";

#[cfg(test)]
mod tests {
    use super::*;

    /// Versions of `name` recorded in the workspace lock file.
    fn locked_versions(lock: &str, name: &str) -> Vec<String> {
        let mut versions = Vec::new();
        let mut lines = lock.lines();
        while let Some(line) = lines.next() {
            if line == format!("name = \"{name}\"")
                && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
            {
                versions.push(version.trim_end_matches('"').to_string());
            }
        }
        versions
    }

    #[test]
    fn header_versions_match_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        for (name, version) in [
            ("progenitor-impl", PROGENITOR_IMPL),
            ("typify", TYPIFY),
            ("syn", SYN),
            ("prettyplease", PRETTYPLEASE),
        ] {
            let locked = locked_versions(lock, name);
            assert!(
                locked.iter().any(|v| v == version),
                "codegen/src/versions.rs says {name} {version}, Cargo.lock has {locked:?}: update versions.rs"
            );
        }
    }
}
