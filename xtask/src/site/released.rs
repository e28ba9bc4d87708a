//! The released versions of the spec (`spec/released/<version>.yaml`, listed
//! by [`versioning::released`]: the API versions users built against), each
//! published by the site at a path that never changes:
//! `specs/<version>/openapi.yaml` (the released file, byte for byte) and
//! `specs/<version>/openapi.json` (the same document).

use std::path::Path;

use anyhow::{Context as _, bail};

use crate::versioning::{self, Released};

/// The site's folder of versioned specs.
pub const SPECS_DIR: &str = "specs";

/// The site paths of the YAML and JSON documents of `version`.
pub fn site_files(version: &semver::Version) -> [String; 2] {
    ["openapi.yaml", "openapi.json"].map(|name| format!("{SPECS_DIR}/{version}/{name}"))
}

/// Every released spec of the repository at `root`, oldest first.
pub fn below(root: &Path) -> anyhow::Result<Vec<Released>> {
    versioning::released(&versioning::Layout::at(root))
}

/// Writes each released spec under [`SPECS_DIR`] in `site`, after loading
/// it (the spec crate's checks) and checking that its `info.version` is the
/// version its file name says.
pub fn write(site: &Path, released: &[Released]) -> anyhow::Result<()> {
    for release in released {
        let spec = spec::load(&release.file)?;
        if spec.version() != release.version.to_string() {
            bail!(
                "{}: info.version is {}, the file name says {}",
                release.file.display(),
                spec.version(),
                release.version
            );
        }
        let [yaml, json] = site_files(&release.version);
        let folder = site.join(SPECS_DIR).join(release.version.to_string());
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("creating {}", folder.display()))?;
        std::fs::copy(&release.file, site.join(&yaml))
            .with_context(|| format!("copying {}", release.file.display()))?;
        let text = serde_json::to_string_pretty(spec.json())?;
        std::fs::write(site.join(&json), format!("{text}\n"))?;
    }
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Released specs named `versions` (the files need not exist).
    pub fn released(versions: &[&str]) -> Vec<Released> {
        versions
            .iter()
            .map(|version| Released {
                version: semver::Version::parse(version).unwrap(),
                file: format!("{}/{version}.yaml", versioning::RELEASED_DIR).into(),
            })
            .collect()
    }

    /// A released folder holding the repository's spec as `version`.
    fn released_as(version: &str) -> (tempfile::TempDir, Vec<Released>) {
        let root = tempfile::tempdir().unwrap();
        let layout = versioning::Layout::at(root.path());
        std::fs::create_dir_all(layout.released_dir()).unwrap();
        let version = semver::Version::parse(version).unwrap();
        std::fs::copy(spec::path(), layout.released_spec(&version)).unwrap();
        let released = versioning::released(&layout).unwrap();
        (root, released)
    }

    #[test]
    fn a_released_spec_is_published_as_written_and_as_json() {
        let spec = spec::load(spec::path()).unwrap();
        let (_root, released) = released_as(spec.version());
        let site = tempfile::tempdir().unwrap();

        write(site.path(), &released).unwrap();

        let [yaml, json] = site_files(&released[0].version);
        assert_eq!(yaml, format!("{SPECS_DIR}/{}/openapi.yaml", spec.version()));
        assert_eq!(
            std::fs::read(site.path().join(yaml)).unwrap(),
            std::fs::read(spec::path()).unwrap()
        );
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(site.path().join(json)).unwrap()).unwrap();
        assert_eq!(&json, spec.json());
    }

    #[test]
    fn a_released_file_whose_version_disagrees_with_its_name_is_refused() {
        let (_root, released) = released_as("99.0.0");
        let site = tempfile::tempdir().unwrap();
        let error = write(site.path(), &released).unwrap_err().to_string();
        assert!(error.contains("the file name says 99.0.0"), "{error}");
    }
}
