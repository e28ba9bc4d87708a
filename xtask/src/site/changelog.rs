//! The changelog page: `CHANGELOG.md` (written by `cargo xtask release`, a
//! `## <API version> - <date> (genviral-partner <crate version>)` section
//! per release, read by [`versioning::changelog`]) rendered to
//! `changelog.html` with the page template `docs/changelog.template.html`,
//! next to the list of released OpenAPI documents; the Markdown itself is
//! published as `changelog.md` for readers that prefer it (llms.txt links
//! it).

use std::path::Path;

use anyhow::{Context as _, bail};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::released::site_files;
use super::{escape_html, fill};
use crate::versioning::{self, CHANGELOG, Released};
/// The page template.
pub const TEMPLATE: &str = "docs/changelog.template.html";
/// The rendered page in the site.
pub const PAGE: &str = "changelog.html";
/// The Markdown in the site.
pub const MARKDOWN: &str = "changelog.md";
/// The `id` of the element holding the rendered changelog.
pub const CONTENT_ID: &str = "changelog";
/// The `id` of the list of released OpenAPI documents.
pub const SPECS_ID: &str = "released-specs";

/// Reads `CHANGELOG.md` below `root`; `None` before the first release.
pub fn read(root: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(versioning::Layout::at(root).changelog()) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {CHANGELOG}")),
    }
}

/// The text of each `##` heading, in order.
fn sections(markdown: &str) -> Vec<String> {
    let mut sections = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => heading = Some(String::new()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                sections.extend(heading.take().map(|text| text.trim().to_string()));
            }
            _ => {}
        }
    }
    sections
}

/// The anchor of a section: its heading's first word, the API version of a
/// release (`1.2.0` of `1.2.0 - 2026-12-02 (genviral-partner 0.3.0)`).
fn anchor_of(section: &str) -> &str {
    section.split_whitespace().next().unwrap_or_default()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// `markdown` as HTML, each `##` heading given the `id` of its version so
/// that `changelog.html#1.2.0` links to a release.
pub fn to_html(markdown: &str) -> String {
    let sections = sections(markdown);
    let mut section = sections.iter();
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            id: None,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            id: section
                .next()
                .map(|text| CowStr::from(anchor_of(text).to_string())),
            classes,
            attrs,
        }),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The page: the template filled with the changelog (or a note that there
/// is none yet) and the links to each released spec.
pub fn page(
    template: &str,
    title: &str,
    markdown: Option<&str>,
    released: &[Released],
) -> anyhow::Result<String> {
    let changelog = match markdown {
        Some(markdown) => to_html(markdown),
        None => format!(
            "<p>No release yet: <code>cargo xtask release &lt;version&gt;</code> writes {CHANGELOG}.</p>\n"
        ),
    };
    let mut specs = String::new();
    for release in released.iter().rev() {
        let [yaml, json] = site_files(&release.version);
        specs += &format!(
            "<li>{version}: <a href=\"{yaml}\">openapi.yaml</a> · <a href=\"{json}\">openapi.json</a></li>\n",
            version = escape_html(&release.version.to_string()),
        );
    }
    if specs.is_empty() {
        specs = "<li>none released yet</li>\n".to_string();
    }
    fill(
        TEMPLATE,
        template,
        &[
            ("{{title}}", escape_html(title)),
            ("{{changelog_html}}", changelog),
            ("{{specs_html}}", specs),
        ],
    )
}

/// The release headings of the changelog (none without one).
pub fn releases(markdown: Option<&str>) -> Vec<versioning::changelog::Heading> {
    markdown
        .map(versioning::changelog::headings)
        .unwrap_or_default()
}

/// The released versions the changelog has no section for.
pub fn unlisted_releases(markdown: Option<&str>, released: &[Released]) -> Vec<String> {
    let listed: Vec<semver::Version> = releases(markdown)
        .into_iter()
        .map(|heading| heading.api)
        .collect();
    released
        .iter()
        .filter(|release| !listed.contains(&release.version))
        .map(|release| release.version.to_string())
        .collect()
}

/// Every released version must have its section in the changelog, so a
/// reader of the page finds what changed in each published spec; fails
/// naming each one that has none.
pub fn check_lists_releases(markdown: Option<&str>, released: &[Released]) -> anyhow::Result<()> {
    let unlisted = unlisted_releases(markdown, released);
    if !unlisted.is_empty() {
        bail!(
            "{CHANGELOG} has no release section for the released spec(s) {} ({}/); `cargo xtask release` writes both",
            unlisted.join(", "),
            versioning::RELEASED_DIR,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::released::tests::released;

    const CHANGELOG_TEXT: &str = "# Changelog\n\nIntro.\n\n## 2.0.0 - 2026-12-02 (genviral-partner 0.2.0)\n\n### Breaking changes\n\n- `update_pack`: request field `name` is required.\n\n## 1.0.0 - 2026-11-01 (genviral-partner 0.1.0)\n\nFirst release.\n";

    #[test]
    fn each_release_heading_gets_its_api_version_as_anchor() {
        let html = to_html(CHANGELOG_TEXT);
        assert!(
            html.contains("<h2 id=\"2.0.0\">2.0.0 - 2026-12-02 (genviral-partner 0.2.0)</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"1.0.0\">"), "{html}");
        assert!(html.contains("<code>update_pack</code>"), "{html}");
    }

    #[test]
    fn the_page_links_every_released_spec_newest_first() {
        let template = "<title>{{title}}</title>{{changelog_html}}<ul>{{specs_html}}</ul>";
        let html = page(
            template,
            "API <x>",
            Some(CHANGELOG_TEXT),
            &released(&["1.0.0", "2.0.0"]),
        )
        .unwrap();
        assert!(html.contains("<title>API &lt;x&gt;</title>"), "{html}");
        let newest = html.find("specs/2.0.0/openapi.yaml").unwrap();
        let oldest = html.find("specs/1.0.0/openapi.json").unwrap();
        assert!(newest < oldest, "{html}");

        let empty = page(template, "t", None, &[]).unwrap();
        assert!(empty.contains("No release yet"), "{empty}");
        assert!(page("{{title}}", "t", None, &[]).is_err());
    }

    #[test]
    fn a_released_version_missing_from_the_changelog_is_named() {
        let all = released(&["1.0.0", "2.0.0", "2.1.0"]);
        assert_eq!(unlisted_releases(Some(CHANGELOG_TEXT), &all), ["2.1.0"]);
        assert_eq!(unlisted_releases(None, &all[..1]), ["1.0.0"]);
        let error = check_lists_releases(Some(CHANGELOG_TEXT), &all)
            .unwrap_err()
            .to_string();
        assert!(error.contains("2.1.0"), "{error}");
        check_lists_releases(Some(CHANGELOG_TEXT), &all[..2]).unwrap();
    }

    #[test]
    fn the_repository_changelog_lists_every_released_spec() {
        let markdown = read(&crate::paths::workspace_root()).unwrap();
        let released = crate::site::released::below(&crate::paths::workspace_root()).unwrap();
        check_lists_releases(markdown.as_deref(), &released).unwrap();
    }
}
