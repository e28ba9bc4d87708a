//! The two versions a release carries and where they are written down,
//! shared by `cargo xtask breaking` (the gate) and `cargo xtask release`.
//!
//! - The **API version** is the spec's `info.version`. Each release blesses
//!   the spec into `spec/released/<API version>.yaml`, byte for byte.
//! - The **crate version** is `genviral-partner`'s, in
//!   `generated-client/Cargo.toml`, and the version of every crate generated
//!   beside it ([`PUBLISHED`]), which the workspace requires at exactly that
//!   version. The crate version of each release is in its `CHANGELOG.md`
//!   heading (see [`changelog`]), the one place that records which crate
//!   release implements which API version.
//!
//! Both follow semver as Cargo reads it ([`carried`]): in `0.x.y` the minor
//! number plays the major's part (`0.1` → `0.2` is incompatible) and the
//! patch number the minor's (`0.1.0` → `0.1.1` may add features); in
//! `0.0.z` every release is incompatible.

pub mod changelog;
pub mod edits;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use semver::Version;

use crate::paths;

/// The released specs, relative to the workspace root.
pub const RELEASED_DIR: &str = "spec/released";
/// The name of the generated crate, as its manifest and `Cargo.lock` spell it.
pub const CLIENT_CRATE: &str = spec::CLIENT_CRATE;
/// The workspace manifest, relative to the workspace root: its
/// `[workspace.dependencies]` require the published crates.
pub const WORKSPACE_MANIFEST: &str = "Cargo.toml";

/// A crate users install from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Its name, as its manifest and `Cargo.lock` spell it.
    pub name: &'static str,
    /// Its manifest, relative to the workspace root.
    pub manifest: &'static str,
}

/// The crates users install, released together under one version: the
/// client first, then the mock crate and the CLI, generated from the same
/// spec as the client and so each requiring exactly its own release of it.
pub const PUBLISHED: [Published; 3] = [
    Published {
        name: CLIENT_CRATE,
        manifest: "generated-client/Cargo.toml",
    },
    Published {
        name: "genviral-partner-mock",
        manifest: "generated-client/mock/Cargo.toml",
    },
    Published {
        name: "genviral-partner-cli",
        manifest: "generated-client/cli/Cargo.toml",
    },
];
/// The changelog, relative to the workspace root.
pub const CHANGELOG: &str = "CHANGELOG.md";
/// The workspace lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "Cargo.lock";

/// The files a release reads and writes, below one root: the workspace, or
/// a copy of its files in tests.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The repository's own files.
    pub fn workspace() -> Layout {
        Layout::at(paths::workspace_root())
    }

    /// The same files below `root`.
    pub fn at(root: impl Into<PathBuf>) -> Layout {
        Layout { root: root.into() }
    }

    /// The root the other paths are below (what `cargo xtask generate`
    /// writes its workspace-relative files into).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The working spec.
    pub fn spec(&self) -> PathBuf {
        self.root.join(spec::PATH_IN_WORKSPACE)
    }

    /// The folder of released specs.
    pub fn released_dir(&self) -> PathBuf {
        self.root.join(RELEASED_DIR)
    }

    /// The released spec of `version`.
    pub fn released_spec(&self, version: &Version) -> PathBuf {
        self.released_dir().join(format!("{version}.yaml"))
    }

    /// The generated crate's manifest.
    pub fn client_manifest(&self) -> PathBuf {
        self.manifest(&PUBLISHED[0])
    }

    /// A published crate's manifest.
    pub fn manifest(&self, krate: &Published) -> PathBuf {
        self.root.join(krate.manifest)
    }

    /// The workspace manifest.
    pub fn workspace_manifest(&self) -> PathBuf {
        self.root.join(WORKSPACE_MANIFEST)
    }

    /// The workspace lock file.
    pub fn lock_file(&self) -> PathBuf {
        self.root.join(LOCK_FILE)
    }

    /// The changelog.
    pub fn changelog(&self) -> PathBuf {
        self.root.join(CHANGELOG)
    }
}

/// How far a version moves from the one before, in semver terms: what it
/// may break or add. Ordered: a bigger bump also allows what a smaller one
/// does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Same version (or an earlier one).
    None,
    /// Fixes and documentation only.
    Patch,
    /// Compatible additions.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// `major`, `minor`, …: for messages.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "no",
            Bump::Patch => "a patch",
            Bump::Minor => "a minor",
            Bump::Major => "a major",
        }
    }
}

/// The bump from `base` to `new` as Cargo reads semver: `0.x` versions
/// shift every level down by one (`0.1` → `0.2` is a major bump, `0.1.0` →
/// `0.1.1` a minor one), and every `0.0.z` release is a major bump.
pub fn carried(base: &Version, new: &Version) -> Bump {
    if new <= base {
        return Bump::None;
    }
    match (base.major, base.minor) {
        (0, 0) => Bump::Major,
        (0, _) if new.major > 0 || new.minor > base.minor => Bump::Major,
        (0, _) => Bump::Minor,
        _ if new.major > base.major => Bump::Major,
        _ if new.minor > base.minor => Bump::Minor,
        _ => Bump::Patch,
    }
}

/// The smallest version after `base` that carries `bump` ([`carried`]);
/// `base` itself for [`Bump::None`].
pub fn next(base: &Version, bump: Bump) -> Version {
    let (major, minor, patch) = (base.major, base.minor, base.patch);
    let (major, minor, patch) = match bump {
        Bump::None => return base.clone(),
        Bump::Major if major > 0 => (major + 1, 0, 0),
        Bump::Major if minor > 0 => (0, minor + 1, 0),
        Bump::Minor if major > 0 => (major, minor + 1, 0),
        Bump::Major | Bump::Minor | Bump::Patch => (major, minor, patch + 1),
    };
    Version::new(major, minor, patch)
}

/// A version read from a file, with a message naming the file when it is
/// not semver.
pub fn parse_version(text: &str, what: &str) -> anyhow::Result<Version> {
    Version::parse(text.trim())
        .with_context(|| format!("{what} `{text}` is not a semver version (MAJOR.MINOR.PATCH)"))
}

/// The versions of one state of the repository: the spec's `info.version`
/// and the crate's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// `info.version`.
    pub api: Version,
    /// `genviral-partner`'s version.
    pub krate: Version,
}

/// The working tree's versions: `info.version` of `spec` and the published
/// crates' version ([`published_version`]).
pub fn working_versions(layout: &Layout, spec: &spec::Spec) -> anyhow::Result<Versions> {
    Ok(Versions {
        api: parse_version(
            spec.version(),
            &format!("{}: info.version", spec.path().display()),
        )?,
        krate: published_version(layout)?,
    })
}

/// The version in the client's manifest, which the other published crates
/// must carry too: an error listing the [`version_disagreements`].
pub fn published_version(layout: &Layout) -> anyhow::Result<Version> {
    let manifest = read(&layout.client_manifest())?;
    let version = edits::crate_version(&manifest)
        .with_context(|| layout.client_manifest().display().to_string())?;
    let disagreements = version_disagreements(layout, &version)?;
    if !disagreements.is_empty() {
        bail!(
            "the published crates are released under one version; set them to agree:\n{}",
            disagreements.join("\n")
        );
    }
    Ok(version)
}

/// Where the published crates do not carry `version`: a manifest with
/// another version, a workspace requirement of one of them other than
/// exactly `version`, or a requirement of the client without a version
/// (the mock crate and the CLI could not be published). Empty when they
/// agree.
pub fn version_disagreements(layout: &Layout, version: &Version) -> anyhow::Result<Vec<String>> {
    let workspace_manifest = read(&layout.workspace_manifest())?;
    let pinned = format!("={version}");
    let mut disagreements = Vec::new();
    for krate in &PUBLISHED {
        let manifest = layout.manifest(krate);
        let own = edits::crate_version(&read(&manifest)?)
            .with_context(|| manifest.display().to_string())?;
        if own != *version {
            disagreements.push(format!(
                "{}: version {own}, not {CLIENT_CRATE}'s {version}",
                krate.manifest
            ));
        }
        let requirement = edits::workspace_requirement(&workspace_manifest, krate.name)
            .with_context(|| layout.workspace_manifest().display().to_string())?;
        match requirement {
            Some(requirement) if requirement != pinned => disagreements.push(format!(
                "{WORKSPACE_MANIFEST}: {} is required as \"{requirement}\", not \"{pinned}\"",
                krate.name
            )),
            None if krate.name == CLIENT_CRATE => disagreements.push(format!(
                "{WORKSPACE_MANIFEST}: {CLIENT_CRATE} is required without `version = \"{pinned}\"`"
            )),
            _ => {}
        }
    }
    Ok(disagreements)
}

/// One released spec.
#[derive(Debug, Clone)]
pub struct Released {
    /// Its API version (the file name).
    pub version: Version,
    /// `spec/released/<version>.yaml`.
    pub file: PathBuf,
}

/// Every `<version>.yaml` of the released folder, oldest first; empty when
/// the folder does not exist yet. Another file there is an error, not
/// silently skipped.
pub fn released(layout: &Layout) -> anyhow::Result<Vec<Released>> {
    let dir = layout.released_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let file = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        match name
            .strip_suffix(".yaml")
            .and_then(|stem| Version::parse(stem).ok())
        {
            Some(version) => out.push(Released { version, file }),
            None => bail!(
                "{}: not a released spec (expected <version>.yaml, e.g. 1.2.0.yaml)",
                file.display()
            ),
        }
    }
    out.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(out)
}

/// The latest release: its spec (checked, and its `info.version` the one
/// its file name says) and its versions (the crate's from the changelog);
/// `None` before the first release.
pub fn latest_release(layout: &Layout) -> anyhow::Result<Option<(spec::Spec, Versions)>> {
    let Some(latest) = released(layout)?.pop() else {
        return Ok(None);
    };
    let spec = spec::load(&latest.file)?;
    if spec.version() != latest.version.to_string() {
        bail!(
            "{}: info.version is {}, the file name says {}",
            latest.file.display(),
            spec.version(),
            latest.version
        );
    }
    let changelog = read(&layout.changelog())?;
    let heading = changelog::headings(&changelog)
        .into_iter()
        .find(|heading| heading.api == latest.version)
        .with_context(|| {
            format!(
                "{} has no section for the released API {}: expected a heading `{}`",
                layout.changelog().display(),
                latest.version,
                changelog::Heading::example(&latest.version),
            )
        })?;
    Ok(Some((
        spec,
        Versions {
            api: latest.version,
            krate: heading.krate,
        },
    )))
}

/// A file's text, with its name in the error.
pub fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn bumps_read_as_cargo_reads_them() {
        for (base, new, bump) in [
            ("1.2.3", "2.0.0", Bump::Major),
            ("1.2.3", "1.3.0", Bump::Minor),
            ("1.2.3", "1.2.4", Bump::Patch),
            ("1.2.3", "1.2.3", Bump::None),
            ("1.2.3", "1.2.2", Bump::None),
            // 0.x: the minor number is the major one, the patch the minor.
            ("0.1.0", "0.2.0", Bump::Major),
            ("0.1.0", "1.0.0", Bump::Major),
            ("0.1.0", "0.1.1", Bump::Minor),
            // 0.0.z: every release breaks.
            ("0.0.1", "0.0.2", Bump::Major),
        ] {
            assert_eq!(carried(&v(base), &v(new)), bump, "{base} -> {new}");
        }
    }

    #[test]
    fn the_next_version_is_the_smallest_that_carries_the_bump() {
        for base in ["1.2.3", "0.1.0", "0.3.7", "0.0.4"] {
            for bump in [Bump::Patch, Bump::Minor, Bump::Major] {
                let next = next(&v(base), bump);
                assert!(carried(&v(base), &next) >= bump, "{base} {bump:?} {next}");
            }
        }
        assert_eq!(next(&v("1.2.3"), Bump::Major), v("2.0.0"));
        assert_eq!(next(&v("1.2.3"), Bump::Minor), v("1.3.0"));
        assert_eq!(next(&v("0.1.0"), Bump::Major), v("0.2.0"));
        assert_eq!(next(&v("0.1.0"), Bump::Minor), v("0.1.1"));
        assert_eq!(next(&v("0.1.0"), Bump::None), v("0.1.0"));
    }

    /// The mock crate and the CLI are generated from the same spec as the
    /// client: each release of them requires exactly its own client, so
    /// all three carry one version (`cargo xtask release` moves them
    /// together), and the mock crate and the CLI name the client with a
    /// version, as a registry needs.
    #[test]
    fn published_crates_carry_the_clients_version() {
        if let Err(error) = published_version(&Layout::workspace()) {
            panic!("{error:#}");
        }
    }

    #[test]
    fn a_stray_file_among_the_released_specs_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let layout = Layout::at(root.path());
        assert!(
            released(&layout).unwrap().is_empty(),
            "no folder: nothing released"
        );
        std::fs::create_dir_all(layout.released_dir()).unwrap();
        std::fs::write(layout.released_spec(&v("1.10.0")), "").unwrap();
        std::fs::write(layout.released_spec(&v("1.9.0")), "").unwrap();
        let versions: Vec<String> = released(&layout)
            .unwrap()
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        assert_eq!(
            versions,
            ["1.9.0", "1.10.0"],
            "version order, not name order"
        );
        std::fs::write(layout.released_dir().join("notes.txt"), "").unwrap();
        let error = released(&layout).unwrap_err().to_string();
        assert!(error.contains("notes.txt: not a released spec"), "{error}");
    }
}
