//! `cargo xtask docs`: the documentation site, a folder ready for any static
//! host (GitHub Pages, S3, nginx):
//!
//! ```text
//! target/site/
//!   index.html     API reference: Redoc (npm `redoc`, pinned) with the spec,
//!                  both inlined; renders in the browser, offline
//!   openapi.yaml   the spec, byte for byte
//!   openapi.json   the same document as JSON (converted by codegen)
//!   rust/          rustdoc of the genviral-partner crate
//!   redoc.LICENSE.txt  the licences of the inlined Redoc bundle
//! ```
//!
//! Redoc 2 renders every operation on one page with `#operation/…` anchors,
//! which works from any sub-path of any static host (Redoc 3, used by
//! `redocly build-docs`, routes by absolute path and breaks under GitHub
//! Pages project sub-paths).
//!
//! The page must work offline: the build refuses a page that would fetch a
//! script, style, font, image or frame from another host at view time or
//! whose Content-Security-Policy would let the browser do so, and checks
//! that every link of the page's header resolves inside the site.
//! The site is built in a temporary folder next to the output and swapped in
//! at the end, so a failed build leaves the previous site untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{node, paths};

/// The page template (links to the raw spec and the Rust docs).
pub const TEMPLATE: &str = "docs/index.template.html";
/// Redoc's self-contained browser bundle, installed by `npm ci`.
const REDOC_BUNDLE: &str = "node_modules/redoc/bundles/redoc.standalone.js";

/// What to build.
#[derive(Debug, Clone)]
pub struct Job {
    /// The spec.
    pub spec: PathBuf,
    /// The site folder (replaced as a whole).
    pub out: PathBuf,
    /// Build and include the client's rustdoc under `rust/`.
    pub rustdoc: bool,
}

/// Builds the site; returns the files' sizes for the report.
pub fn build(root: &Path, job: &Job) -> anyhow::Result<Vec<(String, u64)>> {
    let spec = spec::load(&job.spec)?;
    let parent = job
        .out
        .parent()
        .context("the output folder needs a parent folder")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".site-")
        .tempdir_in(parent)
        .context("creating a staging folder")?;
    let site = staging.path();

    std::fs::copy(&job.spec, site.join("openapi.yaml")).context("copying the spec")?;
    let json = serde_json::to_string_pretty(spec.json())?;
    std::fs::write(site.join("openapi.json"), format!("{json}\n"))?;

    let index = site.join("index.html");
    node::ensure_node_modules(root)?;
    let bundle = root.join(REDOC_BUNDLE);
    let redoc_js = std::fs::read_to_string(&bundle)
        .with_context(|| format!("reading {} (run `npm ci`)", bundle.display()))?;
    std::fs::copy(
        bundle.with_extension("js.LICENSE.txt"),
        site.join("redoc.LICENSE.txt"),
    )
    .context("copying Redoc's licence file")?;
    let template = std::fs::read_to_string(root.join(TEMPLATE))
        .with_context(|| format!("reading {TEMPLATE}"))?;
    let title = spec
        .json()
        .pointer("/info/title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("API reference");
    std::fs::write(&index, page(&template, title, &redoc_js, spec.json())?)?;
    let html = std::fs::read_to_string(&index)?;
    let external = external_resources(&html);
    if !external.is_empty() {
        bail!(
            "the page would load resources from other hosts at view time:\n  {}",
            external.join("\n  ")
        );
    }
    let policy = content_security_policy_problems(&html);
    if !policy.is_empty() {
        bail!(
            "the page's Content-Security-Policy ({TEMPLATE}) does not keep it offline:\n  {}",
            policy.join("\n  ")
        );
    }

    if job.rustdoc {
        rustdoc(root, &site.join("rust"))?;
    }
    let missing: Vec<String> = site_links(&html)
        .into_iter()
        .filter(|link| job.rustdoc || !link.starts_with("rust/"))
        .filter(|link| !site.join(link).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the page links to files the site lacks: {}",
            missing.join(", ")
        );
    }

    let mut sizes = Vec::new();
    for name in ["index.html", "openapi.yaml", "openapi.json"] {
        sizes.push((name.to_string(), std::fs::metadata(site.join(name))?.len()));
    }
    // Swap the finished site in.
    if job.out.exists() {
        std::fs::remove_dir_all(&job.out)
            .with_context(|| format!("removing the previous {}", job.out.display()))?;
    }
    let staging = staging.keep();
    std::fs::rename(&staging, &job.out)
        .with_context(|| format!("moving the site to {}", job.out.display()))?;
    Ok(sizes)
}

/// Fills the template. Inlined script text must not contain `</script`;
/// JSON is additionally safe to embed once `<` is escaped.
fn page(
    template: &str,
    title: &str,
    redoc_js: &str,
    spec: &serde_json::Value,
) -> anyhow::Result<String> {
    let options = serde_json::json!({
        // Show every response (and so every error code) without a click.
        "expandResponses": "all",
        "jsonSampleExpandLevel": 3,
        "hideDownloadButton": true,
        "pathInMiddlePanel": true,
        // System fonts: nothing to download.
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'SFMono-Regular', Menlo, monospace"}
            }
        }
    });
    let json = |value: &serde_json::Value| -> anyhow::Result<String> {
        Ok(serde_json::to_string(value)?.replace('<', "\\u003c"))
    };
    let escape_html = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let slots = [
        ("{{title}}", escape_html(title)),
        ("{{spec_json}}", json(spec)?),
        ("{{options_json}}", json(&options)?),
        ("{{redoc_js}}", redoc_js.replace("</script", "<\\/script")),
    ];
    let mut out = template.to_string();
    for (slot, value) in slots {
        if !out.contains(slot) {
            bail!("{TEMPLATE} lacks the slot {slot}");
        }
        out = out.replace(slot, &value);
    }
    Ok(out)
}

/// `cargo doc --no-deps -p genviral-partner`, copied to `dest`.
///
/// Not a copy of `target/doc`: that folder collects the docs of every crate
/// ever documented there (`cargo doc --workspace` adds codegen, xtask and the
/// test crate, with their sources, to its crate list and search index). The
/// client is documented into its own `target/site-rustdoc/doc` instead, while
/// `build.build-dir` keeps the compiled dependencies in `target/`, so nothing
/// is rebuilt: only the client's docs are written (about a second). Cargo
/// older than 1.91 does not know `build.build-dir` and compiles the
/// dependencies once more into `target/site-rustdoc` (slower, same result).
fn rustdoc(root: &Path, dest: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Where this workspace's builds go, whatever configures it.
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version=1", "--no-deps", "--locked"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let target = metadata["target_directory"]
        .as_str()
        .context("cargo metadata has no target_directory")?;
    // `build_directory` is absent before Cargo 1.91; there it is the target.
    let build_dir = metadata["build_directory"].as_str().unwrap_or(target);
    let doc_target = Path::new(target).join("site-rustdoc");
    let status = Command::new(&cargo)
        .args(["doc", "--no-deps", "--locked", "-p", "genviral-partner"])
        .arg("--target-dir")
        .arg(&doc_target)
        .arg("--config")
        // A JSON string is a valid TOML basic string.
        .arg(format!(
            "build.build-dir={}",
            serde_json::to_string(build_dir)?
        ))
        .current_dir(root)
        .status()
        .context("cannot run cargo doc")?;
    if !status.success() {
        bail!("cargo doc failed ({status})");
    }
    copy_dir(&doc_target.join("doc"), dest)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
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

/// Resources the browser would fetch from another host when showing `html`:
/// `src`/`href`/`srcset`/`data`/`poster` of elements that load something
/// (not `<a href>`, which is only followed when clicked), and `url(…)` or
/// `@import` in `<style>` elements and `style` attributes.
pub fn external_resources(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    let loading = scraper::Selector::parse(
        "script[src], link[href], img, iframe, frame, embed, object, source, video, audio, track, input[src], image, use",
    )
    .expect("a valid selector");
    for element in document.select(&loading) {
        let tag = element.value().name();
        if tag == "link" {
            // Only links that load something at view time.
            let rel = element
                .value()
                .attr("rel")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let loads = [
                "stylesheet",
                "preload",
                "modulepreload",
                "icon",
                "manifest",
                "prefetch",
                "preconnect",
                "dns-prefetch",
            ];
            if !rel.split_whitespace().any(|r| loads.contains(&r)) {
                continue;
            }
        }
        for attribute in ["src", "href", "xlink:href", "data", "poster", "srcset"] {
            if let Some(value) = element.value().attr(attribute) {
                for candidate in value.split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    if is_remote(url) {
                        found.push(format!("<{tag} {attribute}=\"{url}\">"));
                    }
                }
            }
        }
    }
    let styles = scraper::Selector::parse("style").expect("a valid selector");
    let styled = scraper::Selector::parse("[style]").expect("a valid selector");
    let css = document
        .select(&styles)
        .map(|style| style.text().collect::<String>())
        .chain(
            document
                .select(&styled)
                .filter_map(|element| element.value().attr("style").map(str::to_string)),
        );
    for text in css {
        for (index, _) in text.match_indices("url(") {
            let rest = text[index + 4..].trim_start_matches(['"', '\'', ' ']);
            if is_remote(rest) {
                found.push(format!("CSS url({})", css_token(rest)));
            }
        }
        for (index, _) in text.match_indices("@import") {
            let rest = text[index + 7..].trim_start();
            let rest = rest.strip_prefix("url(").unwrap_or(rest);
            let rest = rest.trim_start_matches(['"', '\'', ' ']);
            if is_remote(rest) {
                found.push(format!("CSS @import {}", css_token(rest)));
            }
        }
    }
    found
}

/// The URL at the start of `text`, up to its closing quote or parenthesis.
fn css_token(text: &str) -> &str {
    let end = text.find(['"', '\'', ')', ' ', ';']).unwrap_or(text.len());
    &text[..end]
}

/// What is wrong with the page's Content-Security-Policy, which makes the
/// browser itself refuse anything from another host, including what scripts
/// add at run time and the static scan above cannot see (Redoc 2 always
/// renders its footer logo from `cdn.redoc.ly`). It must be the page's
/// first `<meta http-equiv>` or `<script>` (a policy applies only to what
/// follows it), have a `default-src`, and let every fetch directive
/// (`*-src`, `*-src-elem`, `*-src-attr`) allow only the page's own origin,
/// inline code, `data:` and `blob:` (Redoc's search runs in a worker made
/// from a blob).
pub fn content_security_policy_problems(html: &str) -> Vec<String> {
    const ALLOWED: [&str; 5] = ["'self'", "'none'", "'unsafe-inline'", "data:", "blob:"];
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("meta[http-equiv], script").expect("a valid selector");
    let is_policy = |element: &scraper::ElementRef| {
        element.value().name() == "meta"
            && element
                .value()
                .attr("http-equiv")
                .is_some_and(|name| name.eq_ignore_ascii_case("Content-Security-Policy"))
    };
    let first = document.select(&selector).next();
    let Some(policy) = first.filter(is_policy) else {
        return vec![
            "no <meta http-equiv=\"Content-Security-Policy\"> before the first script".to_string(),
        ];
    };
    let mut problems = Vec::new();
    let mut has_default = false;
    for directive in policy
        .value()
        .attr("content")
        .unwrap_or_default()
        .split(';')
    {
        let mut words = directive.split_whitespace();
        let Some(name) = words.next().map(str::to_ascii_lowercase) else {
            continue;
        };
        has_default |= name == "default-src";
        // Fetch directives: `*-src`, `*-src-elem`, `*-src-attr`.
        if !name.split('-').any(|part| part == "src") {
            continue;
        }
        for source in words {
            if !ALLOWED.contains(&source.to_ascii_lowercase().as_str()) {
                problems.push(format!(
                    "`{name}` allows `{source}` (only {} are allowed)",
                    ALLOWED.join(" ")
                ));
            }
        }
    }
    if !has_default {
        problems.push("no `default-src` directive".to_string());
    }
    problems
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The relative links of the page's header navigation.
pub fn site_links(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("nav.site-links a[href]").expect("a valid selector");
    document
        .select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| !is_remote(href))
        .map(str::to_string)
        .collect()
}

/// The default site folder.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("target/site")
}

/// Prints what was built.
pub fn report(out: &Path, sizes: &[(String, u64)], rustdoc: bool) {
    for (name, size) in sizes {
        println!("  {name:<13} {:>8} KiB", size.div_ceil(1024));
    }
    if rustdoc {
        println!("  rust/         rustdoc of genviral-partner");
    }
    println!(
        "site: {} (open index.html, or upload the folder to any static host)",
        paths::display(out)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_resources_are_found_and_plain_links_are_not() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
            <link rel="canonical" href="https://docs.example/">
            <script src="//cdn.example/redoc.js"></script>
            <script>const s = "https://not-fetched.example";</script>
            <style>@import url("https://cdn.example/a.css"); body { background: url('http://x.example/b.png') } .i { background: url(data:image/png;base64,AAA) }</style>
            </head><body>
            <a href="https://docs.genviral.io">docs</a>
            <img src="logo.png"><img srcset="a.png 1x, https://x.example/b.png 2x">
            <div style="background:url(https://y.example/c.png)"></div>
            </body></html>"#;
        let found = external_resources(html);
        // The @import is reported as an import and as a url().
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(
            found.contains(&"CSS url(https://cdn.example/a.css)".to_string()),
            "{found:#?}"
        );
        assert!(found.iter().any(|f| f.contains("fonts.googleapis.com")));
        assert!(found.iter().any(|f| f.contains("//cdn.example/redoc.js")));
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("CSS @import https://cdn.example/a.css"))
        );
        assert!(found.iter().any(|f| f.contains("x.example/b.png")));
        assert!(found.iter().any(|f| f.contains("y.example/c.png")));
        assert!(
            !found
                .iter()
                .any(|f| f.contains("docs.genviral.io") || f.contains("not-fetched"))
        );
    }

    #[test]
    fn the_content_security_policy_must_come_first_and_allow_no_other_host() {
        let page = |head: &str| format!("<html><head>{head}</head><body></body></html>");
        let meta = |policy: &str| {
            format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">")
        };
        let strict = meta("default-src 'self' 'unsafe-inline' data: blob:; base-uri 'none'");
        assert_eq!(
            content_security_policy_problems(&page(&format!("{strict}<script>x()</script>"))),
            Vec::<String>::new()
        );
        // Missing, or after a script it cannot govern.
        assert_eq!(
            content_security_policy_problems(&page("<script>x()</script>")).len(),
            1
        );
        assert_eq!(
            content_security_policy_problems(&page(&format!("<script>x()</script>{strict}"))).len(),
            1
        );
        // Other hosts, in any fetch directive, and wildcards.
        for policy in [
            "default-src 'self' https://fonts.googleapis.com",
            "default-src 'self'; font-src https:",
            "default-src 'self'; img-src *",
            "default-src 'self'; script-src-elem 'self' cdn.redoc.ly",
        ] {
            let problems = content_security_policy_problems(&page(&meta(policy)));
            assert_eq!(problems.len(), 1, "{policy}: {problems:?}");
        }
        // No default: whatever has no directive would be allowed.
        assert_eq!(
            content_security_policy_problems(&page(&meta("img-src 'self'"))),
            ["no `default-src` directive"]
        );
    }

    #[test]
    fn the_template_has_a_strict_content_security_policy() {
        let template = std::fs::read_to_string(paths::workspace_root().join(TEMPLATE)).unwrap();
        assert_eq!(
            content_security_policy_problems(&template),
            Vec::<String>::new()
        );
    }

    #[test]
    fn header_links_are_read_from_the_template() {
        let template = std::fs::read_to_string(paths::workspace_root().join(TEMPLATE)).unwrap();
        assert_eq!(
            site_links(&template),
            [
                "openapi.yaml",
                "openapi.json",
                "rust/genviral_partner/index.html"
            ]
        );
    }
}
