//! `CHANGELOG.md`: one `##` section per release, newest first, each headed
//! `## <API version> - <date> (genviral-partner <crate version>)`, and
//! holding `### Breaking changes`, `### Additions` and `### Other changes`
//! lists (in that order, each only when not empty).

use std::fmt;

use chrono::NaiveDate;
use semver::Version;

use super::CLIENT_CRATE;

/// The heading of one release's section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The API version (`info.version`, the released spec's name).
    pub api: Version,
    /// The release date.
    pub date: NaiveDate,
    /// The crate version that implements it.
    pub krate: Version,
}

impl Heading {
    /// A heading for messages, with placeholders for what is not known.
    pub fn example(api: &Version) -> String {
        format!("## {api} - <YYYY-MM-DD> ({CLIENT_CRATE} <crate version>)")
    }

    /// Reads a heading line; `None` for any other line.
    fn parse(line: &str) -> Option<Heading> {
        let rest = line.strip_prefix("## ")?;
        let (api, rest) = rest.split_once(" - ")?;
        let (date, rest) = rest.split_once(" (")?;
        let krate = rest
            .strip_prefix(CLIENT_CRATE)?
            .strip_prefix(' ')?
            .strip_suffix(')')?;
        Some(Heading {
            api: Version::parse(api).ok()?,
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
            krate: Version::parse(krate).ok()?,
        })
    }
}

impl fmt::Display for Heading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "## {} - {} ({CLIENT_CRATE} {})",
            self.api,
            self.date.format("%Y-%m-%d"),
            self.krate
        )
    }
}

/// Every release heading of `changelog`, in file order (newest first).
pub fn headings(changelog: &str) -> Vec<Heading> {
    changelog
        .lines()
        .filter_map(|line| Heading::parse(line.trim_end()))
        .collect()
}

/// One release's section: the heading, then `body` (Markdown, already
/// ending in a newline).
pub fn section(heading: &Heading, body: &str) -> String {
    format!("{heading}\n\n{body}")
}

/// The lists of a section: one `###` list per non-empty group, in the order
/// given, each entry one `- ` line.
pub fn lists(groups: &[(&str, Vec<String>)]) -> String {
    let mut out = String::new();
    for (title, entries) in groups.iter().filter(|(_, entries)| !entries.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out += &format!("### {title}\n\n");
        for entry in entries {
            out += &format!("- {entry}\n");
        }
    }
    out
}

/// `changelog` with `section` added as the newest release: before the first
/// `## ` heading, or at the end when there is none.
pub fn insert(changelog: &str, section: &str) -> String {
    let mut offset = 0;
    for line in changelog.split_inclusive('\n') {
        if line.starts_with("## ") {
            return format!(
                "{}{section}\n{}",
                &changelog[..offset],
                &changelog[offset..]
            );
        }
        offset += line.len();
    }
    let separator = match changelog {
        "" => "",
        text if text.ends_with("\n\n") => "",
        text if text.ends_with('\n') => "\n",
        _ => "\n\n",
    };
    format!("{changelog}{separator}{section}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(api: &str, krate: &str) -> Heading {
        Heading {
            api: Version::parse(api).unwrap(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            krate: Version::parse(krate).unwrap(),
        }
    }

    #[test]
    fn a_heading_reads_back_what_it_writes() {
        let written = heading("1.2.0", "0.3.1");
        let line = written.to_string();
        assert_eq!(line, "## 1.2.0 - 2026-12-02 (genviral-partner 0.3.1)");
        assert_eq!(headings(&format!("# Changelog\n\n{line}\n")), [written]);
        for not_a_release in [
            "## Unreleased",
            "## 1.2.0 - someday (genviral-partner 0.3.1)",
            "### 1.2.0 - 2026-12-02 (genviral-partner 0.3.1)",
            "## 1.2.0 - 2026-12-02 (other-crate 0.3.1)",
        ] {
            assert!(headings(not_a_release).is_empty(), "{not_a_release}");
        }
    }

    #[test]
    fn a_new_section_goes_above_the_newest_release() {
        let old = section(&heading("1.0.0", "0.1.0"), "First release.\n");
        let changelog = format!("# Changelog\n\nIntro.\n\n{old}");
        let new = section(
            &heading("1.1.0", "0.1.1"),
            &lists(&[
                ("Breaking changes", vec![]),
                ("Additions", vec!["`a` added".into(), "`b` added".into()]),
                ("Other changes", vec!["docs".into()]),
            ]),
        );
        let updated = insert(&changelog, &new);
        assert_eq!(
            updated,
            "# Changelog\n\nIntro.\n\n\
             ## 1.1.0 - 2026-12-02 (genviral-partner 0.1.1)\n\n\
             ### Additions\n\n- `a` added\n- `b` added\n\n\
             ### Other changes\n\n- docs\n\n\
             ## 1.0.0 - 2026-12-02 (genviral-partner 0.1.0)\n\nFirst release.\n"
        );
        let versions: Vec<String> = headings(&updated)
            .iter()
            .map(|h| h.api.to_string())
            .collect();
        assert_eq!(versions, ["1.1.0", "1.0.0"]);
        assert_eq!(
            insert("# Changelog\n", &old),
            format!("# Changelog\n\n{old}")
        );
    }
}
