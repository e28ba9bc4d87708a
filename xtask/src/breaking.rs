//! `cargo xtask breaking`: the breaking-change gate. Compares the working
//! spec with the latest released one (`spec/released/<version>.yaml`),
//! prints one line per change (class, JSON path, operation and field, what
//! happened) and fails when `info.version` and the `genviral-partner`
//! version do not carry the bump the changes need: a major one for a
//! breaking change, a minor one for an addition (semver as Cargo reads it,
//! see [`crate::versioning`]).
//!
//! "Breaking" is judged for a user of the generated crate, who both calls
//! the API and compiles against the Rust types generated from the spec.
//! drift (Oxide's OpenAPI comparer) walks the documents
//! ([`drift_changes`]); rules over the spec model add what drift does not
//! judge: schema keywords ([`schema_rules`]), the names the Rust API is
//! built from and the documented error codes ([`model_rules`]), and the
//! documentation and anything left unexplained ([`leftovers`]).
//!
//! Adding a field to a generated struct or a variant to a generated enum
//! only counts as an addition because the generator marks them
//! `#[non_exhaustive]` (codegen's `non_exhaustive` pass): users build
//! values with builders and match with `..`/`_`, so new fields and variants
//! cannot break their code.

mod change;
mod drift_changes;
mod leftovers;
mod location;
mod model_rules;
mod pointer;
mod schema_rules;
#[cfg(test)]
mod tests;

use std::fmt;

use anyhow::bail;
use serde_json::Value;

pub use change::{Change, Class};

use crate::paths;
use crate::versioning::{self, Bump, Layout, Versions};

/// `cargo xtask breaking` takes no arguments: it compares the repository's
/// spec with its latest release.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Prints the changes, then fails when the versions do not carry them.
pub fn run(_: Args) -> anyhow::Result<()> {
    let report = check(&Layout::workspace())?;
    print!("{report}");
    report.verdict()
}

/// The classified changes from `old` to `new` (two spec documents), sorted
/// breaking first.
pub fn compare(old: &Value, new: &Value) -> anyhow::Result<Vec<Change>> {
    let mut explained = Vec::new();
    let mut changes = drift_changes::changes(old, new, &mut explained)?;
    let named = model_rules::changes(old, new);
    explained.extend(named.iter().map(|change| change.at.clone()));
    changes.extend(named);
    changes.extend(leftovers::changes(old, new, &explained));
    Ok(change::normalize(changes))
}

/// The bump `changes` need.
pub fn required_bump(changes: &[Change]) -> Bump {
    changes
        .iter()
        .map(|change| change.class.bump())
        .max()
        .unwrap_or(Bump::None)
}

/// The comparison of the working tree with its latest release.
#[derive(Debug)]
pub struct Report {
    released: Versions,
    working: Versions,
    changes: Vec<Change>,
}

/// Compares the working spec of `layout` with its latest release.
pub fn check(layout: &Layout) -> anyhow::Result<Report> {
    let working_spec = spec::load(layout.spec())?;
    let working = versioning::working_versions(layout, &working_spec)?;
    let Some((released_spec, released)) = versioning::latest_release(layout)? else {
        bail!(
            "nothing released yet in {}: bless the first release with `cargo xtask release {}`",
            paths::display(&layout.released_dir()),
            working.api
        );
    };
    let changes = compare(released_spec.json(), working_spec.json())?;
    Ok(Report {
        released,
        working,
        changes,
    })
}

impl Report {
    /// The changes found.
    #[cfg(test)]
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Ok when the working versions carry the bump the changes need;
    /// otherwise an error naming each version that falls short and the
    /// smallest one that would do.
    pub fn verdict(&self) -> anyhow::Result<()> {
        let problems =
            version_problems(required_bump(&self.changes), &self.released, &self.working);
        if problems.is_empty() {
            Ok(())
        } else {
            bail!(
                "{}\nBump the versions together with `cargo xtask release <version>` (README, \"Releasing\").",
                problems.join("\n")
            )
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "released: API {} ({} {}); working: API {} ({} {})",
            self.released.api,
            versioning::CLIENT_CRATE,
            self.released.krate,
            self.working.api,
            versioning::CLIENT_CRATE,
            self.working.krate
        )?;
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        let count = |class: Class| {
            self.changes
                .iter()
                .filter(|change| change.class == class)
                .count()
        };
        writeln!(
            f,
            "{} breaking, {} additions, {} other: {} version bump needed",
            count(Class::Breaking),
            count(Class::Addition),
            count(Class::Other),
            required_bump(&self.changes).name()
        )
    }
}

/// Each version of `working` that does not carry `required` over its
/// released counterpart (or goes backwards), as a message naming the
/// smallest version that would.
pub fn version_problems(required: Bump, released: &Versions, working: &Versions) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, base, new) in [
        ("info.version", &released.api, &working.api),
        (versioning::CLIENT_CRATE, &released.krate, &working.krate),
    ] {
        if new < base {
            problems.push(format!("{name} {new} is older than the released {base}"));
        } else if versioning::carried(base, new) < required {
            problems.push(format!(
                "the changes need {} version bump: {name} {new} does not carry it over the released {base}; use {} or later",
                required.name(),
                versioning::next(base, required)
            ));
        }
    }
    problems
}
