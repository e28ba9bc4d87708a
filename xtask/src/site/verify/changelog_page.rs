//! The rendered changelog page: every release section of `CHANGELOG.md`
//! shown as a heading with its version as anchor, every released spec
//! linked, nothing loaded from another host, every link pointing at a file
//! of the site.

use std::path::Path;

use crate::browser;
use crate::site::changelog::{self, CONTENT_ID, SPECS_ID};
use crate::site::released::site_files;
use crate::site::{missing_files, offline};
use crate::versioning::Released;

use super::{selector, text};

/// The release sections of the changelog, as Markdown and as the site
/// shows them.
pub struct Expected<'a> {
    /// `CHANGELOG.md` (none before the first release).
    pub markdown: Option<&'a str>,
    pub released: &'a [Released],
}

/// Loads the changelog page from `server` in `chromium` and checks it;
/// returns the versions found shown.
pub fn check(
    chromium: &Path,
    server: &browser::StaticServer,
    site: &Path,
    expected: &Expected<'_>,
    problems: &mut Vec<String>,
) -> anyhow::Result<Vec<String>> {
    let dom = browser::dump_dom(chromium, &format!("{}/{}", server.url, changelog::PAGE))?;
    for resource in offline::external_resources(&dom) {
        problems.push(format!("{} loads {resource}", changelog::PAGE));
    }
    let with_rustdoc = site.join(super::super::RUSTDOC_DIR).is_dir();
    for link in missing_files(site, offline::relative_links(&dom), with_rustdoc) {
        problems.push(format!(
            "{} links to {link}, which the site lacks",
            changelog::PAGE
        ));
    }
    Ok(compare(&dom, expected, problems))
}

/// Compares the rendered page with the changelog and the released specs.
fn compare(dom: &str, expected: &Expected<'_>, problems: &mut Vec<String>) -> Vec<String> {
    let document = scraper::Html::parse_document(dom);
    let headings: Vec<(String, String)> = document
        .select(&selector(&format!("#{CONTENT_ID} h2")))
        .map(|h2| (h2.value().id().unwrap_or_default().to_string(), text(h2)))
        .collect();
    let mut shown = Vec::new();
    for release in changelog::releases(expected.markdown) {
        let version = release.api.to_string();
        let written = release.to_string();
        let section = written.trim_start_matches('#').trim();
        let anchored = headings
            .iter()
            .any(|(id, heading)| *id == version && heading == section);
        if anchored {
            shown.push(version);
        } else {
            problems.push(format!(
                "{}: the release `{section}` is not shown as a heading with the anchor #{version} (headings: {headings:?})",
                changelog::PAGE
            ));
        }
    }
    let links: Vec<String> = document
        .select(&selector(&format!("#{SPECS_ID} a[href]")))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    for release in expected.released {
        for file in site_files(&release.version) {
            if !links.contains(&file) {
                problems.push(format!(
                    "{}: no link to the released {file}",
                    changelog::PAGE
                ));
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::released::tests::released;

    const MARKDOWN: &str = "# Changelog\n\n## 1.1.0 - 2026-12-03 (genviral-partner 0.1.1)\n\n- added\n\n## 1.0.0 - 2026-12-02 (genviral-partner 0.1.0)\n\nFirst.\n";

    #[test]
    fn the_built_page_passes_and_a_missing_release_is_named() {
        let released = released(&["1.0.0", "1.1.0"]);
        let template =
            std::fs::read_to_string(crate::paths::in_workspace(changelog::TEMPLATE)).unwrap();
        let html = changelog::page(&template, "API", Some(MARKDOWN), &released).unwrap();
        let expected = Expected {
            markdown: Some(MARKDOWN),
            released: &released,
        };
        let mut problems = Vec::new();
        let shown = compare(&html, &expected, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(shown, ["1.1.0", "1.0.0"]);

        let before = "# Changelog\n\n## 1.0.0 - 2026-12-02 (genviral-partner 0.1.0)\n\nFirst.\n";
        let stale = changelog::page(&template, "API", Some(before), &released[..1]).unwrap();
        let mut problems = Vec::new();
        compare(&stale, &expected, &mut problems);
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(
            problems[0]
                .contains("the release `1.1.0 - 2026-12-03 (genviral-partner 0.1.1)` is not shown"),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("no link to the released specs/1.1.0/openapi.yaml")),
            "{problems:#?}"
        );
    }
}
