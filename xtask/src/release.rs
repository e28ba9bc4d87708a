//! `cargo xtask release <VERSION>`: releases the working spec as API
//! version `VERSION`, in one step that keeps every version in agreement:
//!
//! 1. classifies the changes since the latest release (as `cargo xtask
//!    breaking` does) and refuses a version that does not carry the bump
//!    they need;
//! 2. sets `info.version` in `spec/openapi.yaml`, and the version of
//!    `genviral-partner` and of the crates released with it (the mock crate
//!    and the CLI, [`versioning::PUBLISHED`]) in their manifests, in
//!    `Cargo.lock` and in the workspace's exact requirements of them (each
//!    a one-line edit);
//! 3. blesses the spec: `spec/released/<VERSION>.yaml`, byte for byte;
//! 4. writes the `CHANGELOG.md` section from the classified changes;
//! 5. regenerates the client (the generated header hashes the spec).
//!
//! Every new file is computed before anything is written. The crate version
//! moves by the same step as the API version unless `--crate-version` says
//! otherwise (`0.x` crates: see [`crate::versioning`]).

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use semver::Version;

use crate::breaking::{self, Change, Class};
use crate::versioning::{self, Bump, Layout, PUBLISHED, Versions, changelog, edits};
use crate::{files, generate, paths};

/// `cargo xtask release`: the version to release and its options.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The API version to release (the new `info.version`, MAJOR.MINOR.PATCH).
    #[arg(value_name = "VERSION")]
    pub version: Version,
    /// The new genviral-partner version [default: the released crate version
    /// moved by the same step as the API version, or the manifest's when it
    /// already does]
    #[arg(long, value_name = "VERSION")]
    pub crate_version: Option<Version>,
    /// The release date in the changelog, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    pub date: Option<NaiveDate>,
}

/// Releases into the repository and prints what changed.
pub fn run(args: Args) -> anyhow::Result<()> {
    let request = Request {
        api: args.version,
        krate: args.crate_version,
        date: args.date.unwrap_or_else(|| chrono::Utc::now().date_naive()),
    };
    let released = release(&Layout::workspace(), &request)?;
    println!("{released}");
    println!("Review the diff, then commit and tag it (README, \"Releasing\").");
    Ok(())
}

/// What to release.
#[derive(Debug, Clone)]
pub struct Request {
    /// The new API version.
    pub api: Version,
    /// The new crate version, when chosen by hand.
    pub krate: Option<Version>,
    /// The changelog date.
    pub date: NaiveDate,
}

/// What a release did.
#[derive(Debug)]
pub struct Released {
    /// The released versions.
    pub versions: Versions,
    /// The blessed spec.
    pub spec: PathBuf,
    /// The changes since the previous release (none for the first).
    pub changes: Vec<Change>,
}

impl std::fmt::Display for Released {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        write!(
            f,
            "released API {} as {} ({} {}); CHANGELOG.md has its section",
            self.versions.api,
            paths::display(&self.spec),
            versioning::CLIENT_CRATE,
            self.versions.krate
        )
    }
}

/// The previous release and what changed since; `None` for the first.
struct Since {
    versions: Versions,
    changes: Vec<Change>,
}

/// Releases the working spec of `layout` (see the module docs).
pub fn release(layout: &Layout, request: &Request) -> anyhow::Result<Released> {
    if !request.api.pre.is_empty() || !request.api.build.is_empty() {
        bail!(
            "{}: an API version is MAJOR.MINOR.PATCH, without a pre-release or build part",
            request.api
        );
    }
    let blessed = layout.released_spec(&request.api);
    if blessed.exists() {
        bail!(
            "{} exists: API {} is already released",
            blessed.display(),
            request.api
        );
    }
    let working_spec = spec::load(layout.spec())?;
    let working = versioning::working_versions(layout, &working_spec)?;
    let since = match versioning::latest_release(layout)? {
        Some((released_spec, versions)) => Some(Since {
            changes: breaking::compare(released_spec.json(), working_spec.json())?,
            versions,
        }),
        None => None,
    };
    let versions = Versions {
        api: request.api.clone(),
        krate: crate_version(request, &working, since.as_ref())?,
    };
    if let Some(since) = &since {
        check_carries(since, &versions)?;
    }

    // Every file's new text first, so that a refusal writes nothing.
    let spec_text = versioning::read(&layout.spec())?;
    let spec_text = edits::set_info_version(&spec_text, &versions.api)
        .with_context(|| layout.spec().display().to_string())?;
    check_only_version_changed(layout, &working_spec, &spec_text, &versions.api)?;
    let manifests = published_manifests(layout, &versions.krate)?;
    let workspace_manifest = pinned_workspace_manifest(layout, &versions.krate)?;
    let mut lock = versioning::read(&layout.lock_file())?;
    for krate in &PUBLISHED {
        lock = edits::set_locked_version(&lock, krate.name, &versions.krate)
            .with_context(|| layout.lock_file().display().to_string())?;
    }
    let heading = changelog::Heading {
        api: versions.api.clone(),
        date: request.date,
        krate: versions.krate.clone(),
    };
    let body = match &since {
        Some(since) => changes_body(&since.changes),
        None => first_release_body(&working_spec),
    };
    let changelog_text = match std::fs::read_to_string(layout.changelog()) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "# Changelog\n".to_string(),
        Err(e) => return Err(e).with_context(|| layout.changelog().display().to_string()),
    };
    let changelog_text = changelog::insert(&changelog_text, &changelog::section(&heading, &body));
    // A spec the generator refuses must not be released: generate it in
    // memory first (the released text differs from it only in
    // `info.version`, `check_only_version_changed` made sure).
    codegen::generate_files(&working_spec, &codegen::Settings::default())
        .context("the spec does not generate, so nothing was released")?;

    files::write_atomically(&layout.spec(), &spec_text)?;
    files::write_atomically(&blessed, &spec_text)?;
    for (path, text) in &manifests {
        files::write_atomically(path, text)?;
    }
    files::write_atomically(&layout.workspace_manifest(), &workspace_manifest)?;
    files::write_atomically(&layout.lock_file(), &lock)?;
    files::write_atomically(&layout.changelog(), &changelog_text)?;
    generate::run(generate::Args {
        check: false,
        spec: paths::SpecArg::at(layout.spec()),
        out: layout.root().to_path_buf(),
        standalone: false,
    })
    .context("the release files are written, but regenerating the client failed: fix it and run `cargo xtask generate`")?;
    Ok(Released {
        versions,
        spec: blessed,
        changes: since.map(|since| since.changes).unwrap_or_default(),
    })
}

/// Each published crate's manifest with its version set to `version`.
fn published_manifests(
    layout: &Layout,
    version: &Version,
) -> anyhow::Result<Vec<(PathBuf, String)>> {
    PUBLISHED
        .iter()
        .map(|krate| {
            let path = layout.manifest(krate);
            let text = edits::set_crate_version(&versioning::read(&path)?, version)
                .with_context(|| path.display().to_string())?;
            Ok((path, text))
        })
        .collect()
}

/// The workspace manifest with each published crate it requires required
/// at exactly `version`.
fn pinned_workspace_manifest(layout: &Layout, version: &Version) -> anyhow::Result<String> {
    let path = layout.workspace_manifest();
    let mut text = versioning::read(&path)?;
    for krate in &PUBLISHED {
        text = edits::set_workspace_requirement(&text, krate.name, version)
            .with_context(|| path.display().to_string())?;
    }
    Ok(text)
}

/// The crate version to release: the one asked for, else the released one
/// moved by the API's step (the manifest's when it already moved that far);
/// for the first release, the manifest's.
fn crate_version(
    request: &Request,
    working: &Versions,
    since: Option<&Since>,
) -> anyhow::Result<Version> {
    if let Some(krate) = &request.krate {
        return Ok(krate.clone());
    }
    let Some(since) = since else {
        return Ok(working.krate.clone());
    };
    let step = versioning::carried(&since.versions.api, &request.api);
    if versioning::carried(&since.versions.krate, &working.krate) >= step {
        Ok(working.krate.clone())
    } else {
        Ok(versioning::next(&since.versions.krate, step))
    }
}

/// Refuses versions that are not newer than the previous release, or do
/// not carry the bump the changes need (naming the breaking changes).
fn check_carries(since: &Since, versions: &Versions) -> anyhow::Result<()> {
    let required = breaking::required_bump(&since.changes).max(Bump::Patch);
    let problems = breaking::version_problems(required, &since.versions, versions);
    if problems.is_empty() {
        return Ok(());
    }
    let breaking: Vec<String> = since
        .changes
        .iter()
        .filter(|change| change.class == Class::Breaking)
        .map(|change| format!("  {change}"))
        .collect();
    bail!(
        "refusing to release API {} ({} {}):\n{}{}",
        versions.api,
        versioning::CLIENT_CRATE,
        versions.krate,
        problems.join("\n"),
        if breaking.is_empty() {
            String::new()
        } else {
            format!("\nbreaking changes:\n{}", breaking.join("\n"))
        }
    )
}

/// The edited spec must read back as the working one with only
/// `info.version` changed, so that a surprising layout is never blessed
/// half-edited.
fn check_only_version_changed(
    layout: &Layout,
    working: &spec::Spec,
    edited: &str,
    version: &Version,
) -> anyhow::Result<()> {
    let reread = spec::parse(&layout.spec(), edited.as_bytes())?;
    let mut expected = working.json().clone();
    expected["info"]["version"] = version.to_string().into();
    if reread.json() != &expected {
        bail!(
            "{}: setting info.version to {version} changed more than info.version; set it by hand",
            layout.spec().display()
        );
    }
    Ok(())
}

/// A section's lists: breaking changes, additions, other changes.
fn changes_body(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "No API changes.\n".to_string();
    }
    let entries = |class: Class| -> Vec<String> {
        changes
            .iter()
            .filter(|change| change.class == class)
            .map(Change::entry)
            .collect()
    };
    changelog::lists(&[
        ("Breaking changes", entries(Class::Breaking)),
        ("Additions", entries(Class::Addition)),
        ("Other changes", entries(Class::Other)),
    ])
}

/// The first release's section: its operations.
fn first_release_body(spec: &spec::Spec) -> String {
    let mut body = "First release. Operations:\n\n".to_string();
    for operation in spec.operations() {
        body += &format!(
            "- `{}`: `{} {}`",
            operation.name(),
            operation.method.to_uppercase(),
            operation.path
        );
        if let Some(summary) = operation.summary() {
            body += &format!(" ({summary})");
        }
        body.push('\n');
    }
    body
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::breaking;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()
    }

    fn request(api: &str) -> Request {
        Request {
            api: api.parse().unwrap(),
            krate: None,
            date: date(),
        }
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }

    /// The files a release reads and writes, copied below a temporary
    /// root; with `history`, the released specs and the changelog too.
    fn repository_copy(history: bool) -> (tempfile::TempDir, Layout) {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (Layout::workspace(), Layout::at(dir.path()));
        copy(&from.spec(), &to.spec());
        for krate in &PUBLISHED {
            copy(&from.manifest(krate), &to.manifest(krate));
        }
        copy(&from.workspace_manifest(), &to.workspace_manifest());
        copy(&from.lock_file(), &to.lock_file());
        if history {
            copy(&from.changelog(), &to.changelog());
            files::copy_dir(&from.released_dir(), &to.released_dir()).unwrap();
        }
        (dir, to)
    }

    /// The YAML `text` without the property `property` of the component
    /// schema `schema` (its line and every line indented below it).
    fn remove_property(text: &str, schema: &str, property: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let indent = |line: &str| line.len() - line.trim_start().len();
        let find = |from: usize, key: &str| {
            (from..lines.len())
                .find(|&index| {
                    let content = lines[index].trim_start();
                    content
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with(':'))
                })
                .unwrap_or_else(|| panic!("no `{key}:` after line {from}"))
        };
        let start = find(find(find(0, "schemas"), schema), "properties");
        let start = find(start + 1, property);
        let end = (start + 1..lines.len())
            .find(|&index| {
                !lines[index].trim().is_empty() && indent(lines[index]) <= indent(lines[start])
            })
            .unwrap_or(lines.len());
        let mut kept: Vec<&str> = lines[..start].to_vec();
        kept.extend(&lines[end..]);
        kept.join("\n") + "\n"
    }

    /// An operation whose request body is a named schema, that schema's
    /// name and one of its optional properties (removing it leaves a
    /// valid spec).
    fn request_field(layout: &Layout) -> (String, String, String) {
        let spec = spec::load(layout.spec()).unwrap();
        spec.operations()
            .into_iter()
            .find_map(|operation| {
                let reference = operation.request_schema()?.get("$ref")?.as_str()?;
                let schema = reference.rsplit('/').next()?.to_string();
                let body = spec.deref(operation.request_schema()?);
                let required = |name: &str| {
                    body.get("required")
                        .and_then(|required| required.as_array())
                        .is_some_and(|required| required.iter().any(|r| r == name))
                };
                let property = body
                    .get("properties")?
                    .as_object()?
                    .keys()
                    .find(|name| !required(name))?
                    .clone();
                Some((operation.name(), schema, property))
            })
            .expect("an operation with a named request schema and an optional field")
    }

    /// The "done means": an incompatible change without a bump
    /// fails the gate naming it; `release` refuses a version that does not
    /// carry it and accepts the next major one, after which the gate passes
    /// and the changelog has the entry.
    /// A spec the checks pass but the generator refuses (a request body
    /// progenitor cannot send: XML) is not released, and nothing is
    /// written.
    #[test]
    fn a_spec_that_does_not_generate_is_not_released() {
        let (_dir, layout) = repository_copy(true);
        let text = std::fs::read_to_string(layout.spec()).unwrap();
        let broken = text.replacen(
            "        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/UpdatePackRequest'}",
            "        content:\n          application/xml:\n            schema: {$ref: '#/components/schemas/UpdatePackRequest'}",
            1,
        );
        assert_ne!(broken, text);
        std::fs::write(layout.spec(), &broken).unwrap();
        spec::load(layout.spec()).expect("the checks pass it");
        let released = versioning::latest_release(&layout).unwrap().unwrap().1;
        let next = versioning::next(&released.api, Bump::Major);
        let error = release(&layout, &request(&next.to_string())).unwrap_err();
        assert!(
            format!("{error:#}").contains("the spec does not generate"),
            "{error:#}"
        );
        assert!(!layout.released_spec(&next).exists(), "{error:#}");
        assert_eq!(std::fs::read_to_string(layout.spec()).unwrap(), broken);
    }

    #[test]
    fn a_version_released_before_or_with_a_pre_release_part_is_refused_as_such() {
        let (_dir, layout) = repository_copy(true);
        let released = versioning::latest_release(&layout).unwrap().unwrap().1;
        let again = release(&layout, &request(&released.api.to_string()))
            .unwrap_err()
            .to_string();
        assert!(again.contains("is already released"), "{again}");
        let candidate = release(&layout, &request("9.0.0-rc.1"))
            .unwrap_err()
            .to_string();
        assert!(candidate.contains("without a pre-release"), "{candidate}");
    }

    #[test]
    fn an_incompatible_change_fails_the_gate_until_released_as_a_major_version() {
        let (_dir, layout) = repository_copy(true);
        let (operation, schema, property) = request_field(&layout);
        let text = std::fs::read_to_string(layout.spec()).unwrap();
        std::fs::write(layout.spec(), remove_property(&text, &schema, &property)).unwrap();
        let entry = format!("`{operation}` request field `{property}`: removed");

        let report = breaking::check(&layout).unwrap();
        let printed = report.to_string();
        assert!(
            printed.contains(&format!(
                "breaking  $.components.schemas.{schema}.properties.{property}  {entry}"
            )),
            "{printed}"
        );
        let released = versioning::latest_release(&layout).unwrap().unwrap().1;
        let major = versioning::next(&released.api, Bump::Major);
        let crate_major = versioning::next(&released.krate, Bump::Major);
        let error = report.verdict().unwrap_err().to_string();
        assert!(error.contains(&format!("use {major} or later")), "{error}");
        assert!(
            error.contains(&format!("use {crate_major} or later")),
            "{error}"
        );

        let minor = versioning::next(&released.api, Bump::Minor);
        let refused = release(&layout, &request(&minor.to_string()))
            .unwrap_err()
            .to_string();
        assert!(refused.contains(&entry), "{refused}");
        assert!(
            !layout.released_spec(&minor).exists(),
            "a refused release writes nothing"
        );

        let done = release(&layout, &request(&major.to_string())).unwrap();
        assert_eq!(done.versions.krate, crate_major);
        let report = breaking::check(&layout).unwrap();
        assert!(report.verdict().is_ok(), "{report}");
        assert_eq!(report.changes(), [], "the release is the new baseline");

        let spec_text = std::fs::read_to_string(layout.spec()).unwrap();
        assert_eq!(
            std::fs::read_to_string(layout.released_spec(&major)).unwrap(),
            spec_text
        );
        assert_eq!(
            spec::load(layout.spec()).unwrap().version(),
            major.to_string()
        );
        let manifest = std::fs::read_to_string(layout.client_manifest()).unwrap();
        assert_eq!(edits::crate_version(&manifest).unwrap(), crate_major);
        assert_eq!(
            versioning::version_disagreements(&layout, &crate_major).unwrap(),
            Vec::<String>::new(),
            "the mock crate and the CLI move with the client"
        );
        let lock = std::fs::read_to_string(layout.lock_file()).unwrap();
        assert!(lock.contains(&format!(
            "name = \"genviral-partner\"\nversion = \"{crate_major}\""
        )));
        let generated =
            std::fs::read_to_string(layout.root().join(codegen::CLIENT_OUTPUT)).unwrap();
        assert!(
            generated.contains(&format!("API_VERSION: &str = \"{major}\"")),
            "regenerated"
        );

        let changelog = std::fs::read_to_string(layout.changelog()).unwrap();
        let section = format!(
            "## {major} - 2026-12-24 (genviral-partner {crate_major})\n\n### Breaking changes\n\n- {entry}\n"
        );
        assert!(changelog.contains(&section), "{changelog}");
        let newest: Vec<String> = changelog::headings(&changelog)
            .iter()
            .map(|h| h.api.to_string())
            .collect();
        assert_eq!(newest[..2], [major.to_string(), released.api.to_string()]);
    }

    #[test]
    fn the_first_release_lists_the_operations_and_a_second_one_must_move_on() {
        let (_dir, layout) = repository_copy(false);
        let spec = spec::load(layout.spec()).unwrap();
        let version = spec.version().to_string();

        let done = release(&layout, &request(&version)).unwrap();
        assert!(done.changes.is_empty());
        let changelog = std::fs::read_to_string(layout.changelog()).unwrap();
        for operation in spec.operations() {
            assert!(
                changelog.contains(&format!(
                    "- `{}`: `{} {}`",
                    operation.name(),
                    operation.method.to_uppercase(),
                    operation.path
                )),
                "{changelog}"
            );
        }
        assert!(breaking::check(&layout).unwrap().verdict().is_ok());

        let again = release(&layout, &request(&version))
            .unwrap_err()
            .to_string();
        assert!(again.contains("is already released"), "{again}");
        let patch = versioning::next(&version.parse().unwrap(), Bump::Patch);
        let next = release(&layout, &request(&patch.to_string())).unwrap();
        let changelog = std::fs::read_to_string(layout.changelog()).unwrap();
        assert!(
            changelog.contains(&format!(
                "## {patch} - 2026-12-24 (genviral-partner {})\n\nNo API changes.\n",
                next.versions.krate
            )),
            "{changelog}"
        );
    }
}
