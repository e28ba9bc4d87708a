//! Writing files so that a failure never leaves a half-written one behind:
//! the helpers every task that writes into the repository shares.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// Writes `contents` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never a partial one.
/// Missing parent folders are created.
pub fn write_atomically(path: &Path, contents: &str) -> anyhow::Result<()> {
    write_atomically_with(path, |file| file.write_all(contents.as_bytes()))
}

/// [`write_atomically`] with the writing done by `write`, so that tests can
/// make it fail half-way.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent directory", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".xtask-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let permissions = permissions_for(path)?;
    write(temp.as_file_mut())
        .and_then(|()| match permissions {
            Some(permissions) => temp.as_file().set_permissions(permissions),
            None => Ok(()),
        })
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    // On failure, keep only the I/O error: the temporary file it carries is
    // dropped (deleted) here, not whenever the caller drops the error.
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// The permissions the written file gets: those of the file it replaces,
/// else on Unix read-write for the owner and readable by everyone (the
/// temporary file is created private, and a checked-in file must not
/// become so); `None`: keep the temporary file's.
fn permissions_for(path: &Path) -> anyhow::Result<Option<std::fs::Permissions>> {
    match std::fs::metadata(path) {
        Ok(metadata) => Ok(Some(metadata.permissions())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(new_file_permissions()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Copies the folder `from` into `to` (created when missing), recursively.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A folder filled beside its final place and swapped in only when complete
/// ([`StagedDir::replace`]), so a failed build leaves the previous folder
/// untouched; dropped unfinished, it is deleted.
pub struct StagedDir {
    staging: tempfile::TempDir,
}

impl StagedDir {
    /// A fresh staging folder next to `target` (whose parent is created).
    pub fn beside(target: &Path) -> anyhow::Result<StagedDir> {
        let parent = target
            .parent()
            .with_context(|| format!("{} needs a parent folder", target.display()))?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let staging = tempfile::Builder::new()
            .prefix(".xtask-")
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        Ok(StagedDir { staging })
    }

    /// The staging folder, to fill.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Removes `target` (when present) and moves the staging folder there.
    pub fn replace(self, target: &Path) -> anyhow::Result<()> {
        if target.exists() {
            std::fs::remove_dir_all(target)
                .with_context(|| format!("removing the previous {}", target.display()))?;
        }
        let staging = self.staging.keep();
        std::fs::rename(&staging, target)
            .with_context(|| format!("moving {} to {}", staging.display(), target.display()))
    }
}

/// The sorted file names in `dir`, for tests that check nothing is left
/// behind.
#[cfg(test)]
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nested/generated.rs");
        write_atomically(&target, "// first\n").unwrap();
        write_atomically(&target, "// second\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// second\n");
        assert_eq!(names_in(&dir.path().join("nested")), ["generated.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_keeps_the_replaced_files_mode_and_a_new_one_is_readable() {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.har");
        write_atomically(&new, "{}").unwrap();
        assert_eq!(mode(&new), 0o644);
        let script = dir.path().join("run");
        std::fs::write(&script, "old").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        write_atomically(&script, "new").unwrap();
        assert_eq!(mode(&script), 0o755);
    }

    #[test]
    fn a_write_failing_half_way_leaves_the_previous_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("generated.rs");
        std::fs::write(&target, "// previous\n").unwrap();

        let error = write_atomically_with(&target, |file| {
            file.write_all(b"// half of the new")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();

        assert!(
            format!("{error:#}").contains("cannot write a temporary file"),
            "{error:#}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// previous\n");
        assert_eq!(
            names_in(dir.path()),
            ["generated.rs"],
            "the temporary file is removed"
        );
    }

    #[test]
    fn a_failing_rename_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory where the file should go: the temporary file
        // is written in full, then the rename over the target fails.
        let target = dir.path().join("generated.rs");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "kept").unwrap();

        let error = write_atomically(&target, "// new\n").unwrap_err();

        assert!(format!("{error:#}").contains("cannot replace"), "{error:#}");
        assert_eq!(
            std::fs::read_to_string(target.join("keep")).unwrap(),
            "kept"
        );
        assert_eq!(
            names_in(dir.path()),
            ["generated.rs"],
            "the temporary file is removed"
        );
    }

    #[test]
    fn copy_dir_copies_nested_folders() {
        let from = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(from.path().join("a/b")).unwrap();
        std::fs::write(from.path().join("top.txt"), "top").unwrap();
        std::fs::write(from.path().join("a/b/deep.txt"), "deep").unwrap();
        let to = tempfile::tempdir().unwrap();
        let dest = to.path().join("copy");

        copy_dir(from.path(), &dest).unwrap();

        assert_eq!(names_in(&dest), ["a", "top.txt"]);
        assert_eq!(
            std::fs::read_to_string(dest.join("a/b/deep.txt")).unwrap(),
            "deep"
        );
    }

    #[test]
    fn a_staged_folder_replaces_the_target_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let abandoned = StagedDir::beside(&target).unwrap();
        std::fs::write(abandoned.path().join("half.html"), "half").unwrap();
        drop(abandoned);
        assert_eq!(
            names_in(dir.path()),
            ["site"],
            "an abandoned build is removed"
        );
        assert_eq!(names_in(&target), ["old.html"]);

        let staged = StagedDir::beside(&target).unwrap();
        std::fs::write(staged.path().join("new.html"), "new").unwrap();
        staged.replace(&target).unwrap();
        assert_eq!(names_in(dir.path()), ["site"]);
        assert_eq!(names_in(&target), ["new.html"]);
    }
}
