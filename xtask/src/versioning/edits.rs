//! The version edits of a release, each a change of one line's value in the
//! file as written: re-serialising the YAML spec or the TOML manifest would
//! reformat them and drop their comments.

use anyhow::{Context as _, bail};
use semver::Version;

use super::parse_version;

/// The `version = "…"` of the `[package]` table of a Cargo manifest.
pub fn crate_version(manifest: &str) -> anyhow::Result<Version> {
    let (_, value) = package_version_line(manifest)?;
    parse_version(value, "the [package] version")
}

/// `manifest` with the `[package]` version set to `version`.
pub fn set_crate_version(manifest: &str, version: &Version) -> anyhow::Result<String> {
    let (line, value) = package_version_line(manifest)?;
    Ok(replace_in_line(manifest, line, value, &version.to_string()))
}

/// The `key = value` lines of the TOML table `header` (`[package]`): line
/// number, key and value, trimmed, each a slice of `manifest`.
fn table_entries<'a>(
    manifest: &'a str,
    header: &'a str,
) -> impl Iterator<Item = (usize, &'a str, &'a str)> + 'a {
    let mut in_table = false;
    manifest
        .lines()
        .enumerate()
        .filter_map(move |(number, line)| {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                in_table = trimmed == header;
                return None;
            }
            let (key, value) = trimmed.split_once('=')?;
            in_table.then(|| (number, key.trim(), value.trim()))
        })
}

/// The line number and value of the `[package]` table's `version` key.
fn package_version_line(manifest: &str) -> anyhow::Result<(usize, &str)> {
    for (number, key, value) in table_entries(manifest, "[package]") {
        match key {
            "version" => {
                let unquoted = value
                    .strip_prefix('"')
                    .and_then(|rest| rest.split_once('"'))
                    .map(|(inner, _)| inner)
                    .with_context(|| {
                        format!("line {}: the version is not a quoted string", number + 1)
                    })?;
                return Ok((number, unquoted));
            }
            "version.workspace" => bail!(
                "line {}: the version is inherited from the workspace; a release sets the crate's own version",
                number + 1
            ),
            _ => {}
        }
    }
    bail!("no `version = \"…\"` in the [package] table")
}

/// `lock` with the version of the workspace's package `name` set to
/// `version`, as `cargo` itself would write it after the manifest changed
/// (the lock records workspace members' versions).
pub fn set_locked_version(lock: &str, name: &str, version: &Version) -> anyhow::Result<String> {
    let name_line = format!("name = \"{name}\"");
    let lines: Vec<&str> = lock.lines().collect();
    let found: Vec<usize> = lines
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0] == name_line && pair[1].starts_with("version = \""))
        .map(|(number, _)| number + 1)
        .collect();
    let [line] = found[..] else {
        bail!(
            "expected one `{name_line}` package followed by its version, found {}",
            found.len()
        );
    };
    let value = lines[line]
        .strip_prefix("version = \"")
        .and_then(|rest| rest.strip_suffix('"'))
        .with_context(|| format!("line {}: not `version = \"…\"`", line + 1))?;
    Ok(replace_in_line(lock, line, value, &version.to_string()))
}

/// The version requirement of `name`'s entry in `[workspace.dependencies]`
/// (`=0.1.0` in `name = { path = "…", version = "=0.1.0" }`); `None` when
/// there is no entry or it has no version.
pub fn workspace_requirement<'a>(manifest: &'a str, name: &str) -> anyhow::Result<Option<&'a str>> {
    Ok(workspace_requirement_line(manifest, name)?.map(|(_, value)| value))
}

/// `manifest` with the requirement of `name`'s workspace dependency set to
/// exactly `version`, where the entry has one.
pub fn set_workspace_requirement(
    manifest: &str,
    name: &str,
    version: &Version,
) -> anyhow::Result<String> {
    Ok(match workspace_requirement_line(manifest, name)? {
        Some((line, value)) => replace_in_line(manifest, line, value, &format!("={version}")),
        None => manifest.to_string(),
    })
}

/// The line number and requirement of `name`'s one-line entry in
/// `[workspace.dependencies]`.
fn workspace_requirement_line<'a>(
    manifest: &'a str,
    name: &str,
) -> anyhow::Result<Option<(usize, &'a str)>> {
    let Some((number, _, value)) =
        table_entries(manifest, "[workspace.dependencies]").find(|(_, key, _)| *key == name)
    else {
        return Ok(None);
    };
    // The inline table, without a comment after it.
    let value = value.rfind('}').map_or(value, |end| &value[..=end]);
    if !(value.starts_with('{') && value.ends_with('}')) {
        bail!(
            "line {}: the `{name}` workspace dependency is not a one-line `{{ path = …, version = … }}` table",
            number + 1
        );
    }
    let Some(start) = value
        .find("version = \"")
        .map(|at| at + "version = \"".len())
    else {
        return Ok(None);
    };
    let requirement = value[start..]
        .split_once('"')
        .map(|(requirement, _)| requirement)
        .with_context(|| format!("line {}: an unterminated version", number + 1))?;
    Ok(Some((number, requirement)))
}

/// `spec` (the YAML text) with `info.version` set to `version`. Only a
/// block `info:` mapping with a `version:` line is edited; anything else is
/// refused rather than rewritten.
pub fn set_info_version(spec: &str, version: &Version) -> anyhow::Result<String> {
    let (line, value) = info_version_line(spec)?;
    let quoted = match value.chars().next() {
        Some(quote @ ('\'' | '"')) => format!("{quote}{version}{quote}"),
        _ => version.to_string(),
    };
    Ok(replace_in_line(spec, line, value, &quoted))
}

/// The line number and the value (quotes included) of `info.version`.
fn info_version_line(spec: &str) -> anyhow::Result<(usize, &str)> {
    let refuse = || {
        anyhow::anyhow!(
            "info.version is not a `version:` line of a block `info:` mapping; set it by hand"
        )
    };
    let mut lines = spec.lines().enumerate();
    lines
        .by_ref()
        .find(|(_, line)| line.trim_end() == "info:" || line.starts_with("info: #"))
        .ok_or_else(refuse)?;
    let mut indent = None;
    for (number, line) in lines {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let depth = line.len() - content.len();
        let child = *indent.get_or_insert(depth);
        if depth == 0 {
            break;
        }
        if depth != child {
            continue;
        }
        if let Some(rest) = content.strip_prefix("version:") {
            let value = rest.trim_start();
            let end = match value.chars().next() {
                Some(quote @ ('\'' | '"')) => value[1..]
                    .find(quote)
                    .map(|index| index + 2)
                    .ok_or_else(refuse)?,
                _ => value.find(" #").unwrap_or(value.len()),
            };
            let value = value[..end].trim_end();
            if value.is_empty() {
                return Err(refuse());
            }
            return Ok((number, value));
        }
    }
    Err(refuse())
}

/// `text` with `old` (a slice of line `line`) replaced by `new`; every
/// other byte, line endings included, is kept.
fn replace_in_line(text: &str, line: usize, old: &str, new: &str) -> String {
    let start_of_line: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let line_text = &text[start_of_line..];
    // `old` is a slice of this line: its offset is its address minus the
    // line's.
    let offset = old.as_ptr() as usize - line_text.as_ptr() as usize;
    let start = start_of_line + offset;
    format!("{}{new}{}", &text[..start], &text[start + old.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    const MANIFEST: &str = "\
[package]
name = \"genviral-partner\"
version = \"0.1.0\" # the crate
edition.workspace = true

[dependencies]
serde = { version = \"1\" }
";

    #[test]
    fn the_crate_version_is_read_and_set_in_the_package_table_only() {
        assert_eq!(crate_version(MANIFEST).unwrap(), v("0.1.0"));
        let bumped = set_crate_version(MANIFEST, &v("0.2.0")).unwrap();
        assert_eq!(
            bumped,
            MANIFEST.replace("version = \"0.1.0\"", "version = \"0.2.0\"")
        );
        let inherited = MANIFEST.replace("version = \"0.1.0\"", "version.workspace = true");
        let error = crate_version(&inherited).unwrap_err().to_string();
        assert!(error.contains("inherited from the workspace"), "{error}");
    }

    #[test]
    fn the_lock_entry_of_the_crate_is_the_one_changed() {
        let lock = "\
[[package]]
name = \"genviral-partner\"
version = \"0.1.0\"
dependencies = []

[[package]]
name = \"genviral-partner-spec\"
version = \"0.1.0\"
";
        let bumped = set_locked_version(lock, "genviral-partner", &v("0.2.0")).unwrap();
        assert_eq!(
            bumped,
            lock.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1)
        );
        let spec = set_locked_version(lock, "genviral-partner-spec", &v("0.2.0")).unwrap();
        assert_eq!(
            spec,
            lock.replace("spec\"\nversion = \"0.1.0\"", "spec\"\nversion = \"0.2.0\"")
        );
        let error = set_locked_version("", "genviral-partner", &v("0.2.0"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("found 0"), "{error}");
    }

    #[test]
    fn workspace_requirements_of_published_crates_are_read_and_pinned_in_place() {
        let manifest = "\
[workspace]
members = [\"generated-client\"]

[workspace.dependencies]
genviral-partner = { path = \"generated-client\", version = \"=0.1.0\" } # pinned
genviral-partner-mock = { path = \"generated-client/mock\" }
serde = { version = \"1\" }

[dependencies]
genviral-partner = { version = \"9\" }
";
        assert_eq!(
            workspace_requirement(manifest, "genviral-partner").unwrap(),
            Some("=0.1.0")
        );
        assert_eq!(
            workspace_requirement(manifest, "genviral-partner-mock").unwrap(),
            None
        );
        assert_eq!(workspace_requirement(manifest, "absent").unwrap(), None);
        let pinned = set_workspace_requirement(manifest, "genviral-partner", &v("0.2.0")).unwrap();
        assert_eq!(pinned, manifest.replace("\"=0.1.0\"", "\"=0.2.0\""));
        assert_eq!(
            set_workspace_requirement(manifest, "genviral-partner-mock", &v("0.2.0")).unwrap(),
            manifest
        );
        let multi_line = "[workspace.dependencies]\ngenviral-partner = \"0.1\"\n";
        let error = workspace_requirement(multi_line, "genviral-partner")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn info_version_is_edited_in_place_keeping_quotes_and_comments() {
        let spec = "\
# head
openapi: 3.0.3
info:
  title: T
  contact:
    version: nested, not this one
  version: '1.0.0' # the API
  description: |
    version: 9.9.9 is text
paths: {}
";
        let bumped = set_info_version(spec, &v("2.0.0")).unwrap();
        assert_eq!(bumped, spec.replace("'1.0.0'", "'2.0.0'"));

        let plain = "openapi: 3.0.3\r\ninfo:\r\n  version: 1.0.0\r\n  title: T\r\n";
        assert_eq!(
            set_info_version(plain, &v("1.1.0")).unwrap(),
            plain.replace("1.0.0", "1.1.0")
        );

        let flow = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
        let error = set_info_version(flow, &v("2.0.0")).unwrap_err().to_string();
        assert!(error.contains("set it by hand"), "{error}");
    }
}
