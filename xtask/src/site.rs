//! `cargo xtask docs`: the documentation site, a folder ready for any static
//! host (GitHub Pages, S3, nginx):
//!
//! ```text
//! target/site/
//!   index.html       API reference: Redoc (npm `redoc`, pinned) with the spec,
//!                    both inlined; renders in the browser, offline; each
//!                    operation shows a Rust and a curl sample ([`samples`])
//!   openapi.yaml     the current spec, byte for byte
//!   openapi.json     the same document as JSON (converted by the spec crate)
//!   specs/<version>/openapi.yaml, openapi.json
//!                    each released spec (spec/released/), at a path that
//!                    never changes ([`released`])
//!   changelog.html   CHANGELOG.md rendered, with links to the released specs;
//!   changelog.md     and as written ([`changelog`])
//!   llms.txt         the index for agents (llmstxt.org) and
//!   operations/<operationId>.md
//!                    one Markdown page per operation: fields, constraints,
//!                    errors, samples ([`markdown`])
//!   rust/            rustdoc of the genviral-partner crate
//!   redoc.LICENSE.txt  the licences of the inlined Redoc bundle
//! ```
//!
//! Redoc 2 renders every operation on one page with `#operation/…` anchors,
//! which works from any sub-path of any static host (Redoc 3, used by
//! `redocly build-docs`, routes by absolute path and breaks under GitHub
//! Pages project sub-paths).
//!
//! The pages must work offline: the build refuses an HTML page that would
//! fetch a script, style, font, image or frame from another host at view
//! time or whose Content-Security-Policy would let the browser do so
//! ([`offline`]), and checks that every link of the pages' headers, of the
//! changelog page and of `llms.txt` resolves inside the site. The site is
//! built in a staging folder next to the output and swapped in at the end,
//! so a failed build leaves the previous site untouched. `--verify` then
//! opens the built site in headless Chromium and checks what a reader sees
//! against the spec ([`verify`]).

mod changelog;
mod markdown;
mod offline;
mod released;
mod samples;
mod verify;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{browser, files, npm, paths};

/// The page template (links to the raw spec and the Rust docs).
pub const TEMPLATE: &str = "docs/index.template.html";
/// Redoc's self-contained browser bundle, installed by `npm ci`.
const REDOC_BUNDLE: &str = "node_modules/redoc/bundles/redoc.standalone.js";
/// The site's folder holding the client's rustdoc.
const RUSTDOC_DIR: &str = "rust";
/// The browser window screenshots are taken in.
const SCREENSHOT_WINDOW: (u32, u32) = (1280, 900);

/// `cargo xtask docs`: what to build, and what to do with it afterwards.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(
        long,
        value_name = "DIR",
        default_value_os_t = paths::in_workspace(paths::SITE),
        hide_default_value = true,
        help = paths::help_with_default("The site folder, replaced as a whole", paths::SITE),
    )]
    pub out: PathBuf,
    /// Skip the Rust docs (`rust/`), e.g. for a quick look at the reference.
    #[arg(long)]
    pub no_rustdoc: bool,
    #[arg(
        long,
        help = format!(
            "Then check the site in headless Chromium against the spec (every operation with its summary, request fields, responses, error codes and its Rust and curl samples; the changelog page with every release; nothing loaded from another host) and save a screenshot to --screenshot, else to {}",
            paths::DOCS_SCREENSHOT,
        ),
    )]
    pub verify: bool,
    /// Also save a PNG screenshot of the rendered page (needs Chromium).
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    #[command(flatten)]
    pub spec: paths::SpecArg,
}

impl Args {
    fn with_rustdoc(&self) -> bool {
        !self.no_rustdoc
    }

    /// Where the screenshot goes: `--screenshot`, else with `--verify` the
    /// CI artifact's place, else nowhere.
    fn screenshot_path(&self) -> Option<PathBuf> {
        self.screenshot.clone().or_else(|| {
            self.verify
                .then(|| paths::in_workspace(paths::DOCS_SCREENSHOT))
        })
    }
}

/// Builds the site, then verifies it and takes the screenshot as asked.
pub fn run(args: Args) -> anyhow::Result<()> {
    let root = paths::workspace_root();
    let spec = spec::load(&args.spec.path)?;
    let built = build(&root, &spec, &args)?;
    report(&args.out, &built, args.with_rustdoc());
    let screenshot = args.screenshot_path();
    if !args.verify && screenshot.is_none() {
        return Ok(());
    }
    let chromium = browser::chromium().with_context(|| {
        format!(
            "--verify and --screenshot need Chromium: {}",
            browser::INSTALL_HINT
        )
    })?;
    if args.verify {
        let verified = verify::rendered_site(&chromium, &args.out, &spec)?;
        println!("{verified}");
    }
    if let Some(png) = screenshot {
        let png = std::path::absolute(&png)?;
        let server = browser::StaticServer::start(&args.out)?;
        browser::screenshot(&chromium, &server.page_url(), &png, SCREENSHOT_WINDOW)?;
        println!("screenshot: {}", paths::display(&png));
    }
    Ok(())
}

/// What the site is built from, read before anything is written.
struct Sources {
    samples: samples::Samples,
    released: Vec<crate::versioning::Released>,
    changelog: Option<String>,
}

impl Sources {
    fn read(root: &Path, spec: &spec::Spec) -> anyhow::Result<Sources> {
        let side_by_side = samples::read_side_by_side(root)?;
        let released = released::below(root)?;
        let changelog = changelog::read(root)?;
        changelog::check_lists_releases(changelog.as_deref(), &released)?;
        Ok(Sources {
            samples: samples::of_spec(spec, &side_by_side)?,
            released,
            changelog,
        })
    }
}

/// Builds the site into `args.out`; returns what it holds, for the report.
fn build(root: &Path, spec: &spec::Spec, args: &Args) -> anyhow::Result<Built> {
    let sources = Sources::read(root, spec)?;
    let staged = files::StagedDir::beside(&args.out)?;
    let site = staged.path();
    write_spec_files(site, spec)?;
    released::write(site, &sources.released)?;
    let html = write_page(root, site, spec, &sources.samples)?;
    let llms_txt = write_markdown(site, spec, &sources, args.with_rustdoc())?;
    let changelog_html = write_changelog(root, site, spec, &sources)?;
    if args.with_rustdoc() {
        rustdoc(root, &site.join(RUSTDOC_DIR))?;
    }
    let missing = missing_links(site, &html, args.with_rustdoc());
    if !missing.is_empty() {
        bail!(
            "the page links to files the site lacks: {}",
            missing.join(", ")
        );
    }
    let pages = [
        (changelog::PAGE, offline::relative_links(&changelog_html)),
        (markdown::LLMS_TXT, markdown::links(&llms_txt)),
    ];
    let missing = missing_page_links(site, pages, args.with_rustdoc());
    if !missing.is_empty() {
        bail!("{}", missing.join("\n"));
    }
    let mut sizes = Vec::new();
    for name in [
        "index.html",
        "openapi.yaml",
        "openapi.json",
        changelog::PAGE,
        markdown::LLMS_TXT,
    ] {
        sizes.push((name.to_string(), std::fs::metadata(site.join(name))?.len()));
    }
    staged.replace(&args.out)?;
    Ok(Built {
        sizes,
        operation_pages: sources.samples.len(),
        released: sources
            .released
            .iter()
            .map(|release| release.version.to_string())
            .collect(),
    })
}

/// `openapi.yaml` as written and `openapi.json`, the same document.
fn write_spec_files(site: &Path, spec: &spec::Spec) -> anyhow::Result<()> {
    std::fs::copy(spec.path(), site.join("openapi.yaml")).context("copying the spec")?;
    let json = serde_json::to_string_pretty(spec.json())?;
    std::fs::write(site.join("openapi.json"), format!("{json}\n"))?;
    Ok(())
}

/// The API's title, `info.title`.
fn title(spec: &spec::Spec) -> &str {
    spec.json()
        .pointer("/info/title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("API reference")
}

/// Writes `index.html` (and Redoc's licence file) after checking that the
/// page stays offline; returns the page.
fn write_page(
    root: &Path,
    site: &Path,
    spec: &spec::Spec,
    samples: &samples::Samples,
) -> anyhow::Result<String> {
    npm::ensure_node_modules(root)?;
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
    let with_samples = samples::with_samples(spec.json(), samples)?;
    let html = page(&template, title(spec), &redoc_js, &with_samples)?;
    write_offline_page(&site.join("index.html"), &html, TEMPLATE)?;
    Ok(html)
}

/// Writes an HTML page after checking that it loads nothing from another
/// host and that its Content-Security-Policy (from `template`) keeps it so.
fn write_offline_page(path: &Path, html: &str, template: &str) -> anyhow::Result<()> {
    let external = offline::external_resources(html);
    if !external.is_empty() {
        bail!(
            "{} would load resources from other hosts at view time:\n  {}",
            paths::display(path),
            external.join("\n  ")
        );
    }
    let policy = offline::content_security_policy_problems(html);
    if !policy.is_empty() {
        bail!(
            "the Content-Security-Policy of {template} does not keep the page offline:\n  {}",
            policy.join("\n  ")
        );
    }
    std::fs::write(path, html).with_context(|| format!("writing {}", path.display()))
}

/// `operations/<id>.md` for every operation, and `llms.txt`; returns the
/// latter.
fn write_markdown(
    site: &Path,
    spec: &spec::Spec,
    sources: &Sources,
    with_rustdoc: bool,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(site.join(markdown::OPERATIONS_DIR))?;
    for operation in spec.operations() {
        let id = operation.name();
        let of_operation = sources
            .samples
            .get(&id)
            .with_context(|| format!("no code samples for `{id}`"))?;
        let page = markdown::operation_page(spec, &operation, of_operation);
        std::fs::write(site.join(markdown::page_path(&id)), page)?;
    }
    let rustdoc = rustdoc_index();
    let links = markdown::Links {
        released: &sources.released,
        rustdoc: with_rustdoc.then_some(rustdoc.as_str()),
    };
    let llms_txt = markdown::llms_txt(spec, &links);
    std::fs::write(site.join(markdown::LLMS_TXT), &llms_txt)?;
    Ok(llms_txt)
}

/// `changelog.html` and `changelog.md`; returns the page.
fn write_changelog(
    root: &Path,
    site: &Path,
    spec: &spec::Spec,
    sources: &Sources,
) -> anyhow::Result<String> {
    let template = std::fs::read_to_string(root.join(changelog::TEMPLATE))
        .with_context(|| format!("reading {}", changelog::TEMPLATE))?;
    let html = changelog::page(
        &template,
        title(spec),
        sources.changelog.as_deref(),
        &sources.released,
    )?;
    write_offline_page(&site.join(changelog::PAGE), &html, changelog::TEMPLATE)?;
    let markdown = sources.changelog.clone().unwrap_or_else(|| {
        format!(
            "# Changelog\n\nNo release yet: `cargo xtask release <version>` writes {}.\n",
            crate::versioning::CHANGELOG
        )
    });
    std::fs::write(site.join(changelog::MARKDOWN), markdown)?;
    Ok(html)
}

/// Fills the `{{…}}` slots of `template` (named `name` in errors); every
/// slot must be there.
fn fill(name: &str, template: &str, slots: &[(&str, String)]) -> anyhow::Result<String> {
    let mut out = template.to_string();
    for (slot, value) in slots {
        if !out.contains(slot) {
            bail!("{name} lacks the slot {slot}");
        }
        out = out.replace(slot, value);
    }
    Ok(out)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
        // The code samples first, then the request body ("Payload").
        "payloadSampleIdx": samples::Language::ALL.len(),
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
    fill(
        TEMPLATE,
        template,
        &[
            ("{{title}}", escape_html(title)),
            ("{{spec_json}}", json(spec)?),
            ("{{options_json}}", json(&options)?),
            ("{{redoc_js}}", redoc_js.replace("</script", "<\\/script")),
        ],
    )
}

/// The rustdoc page of the client crate, in the site.
fn rustdoc_index() -> String {
    format!(
        "{RUSTDOC_DIR}/{}/index.html",
        spec::CLIENT_CRATE.replace('-', "_")
    )
}

/// The page's header links that point at files `site` lacks; links into the
/// rustdoc folder count only for a site built `with_rustdoc`.
fn missing_links(site: &Path, html: &str, with_rustdoc: bool) -> Vec<String> {
    missing_files(site, offline::site_links(html), with_rustdoc)
}

/// The links of `links` (relative to the site) that point at no file of
/// `site`; links into the rustdoc folder count only `with_rustdoc`.
fn missing_files(site: &Path, links: Vec<String>, with_rustdoc: bool) -> Vec<String> {
    let rustdoc_prefix = format!("{RUSTDOC_DIR}/");
    links
        .into_iter()
        .filter(|link| with_rustdoc || !link.starts_with(&rustdoc_prefix))
        .filter(|link| {
            let file = link.split(['#', '?']).next().unwrap_or_default();
            !site.join(file).is_file()
        })
        .collect()
}

/// The links of each page (its site path and its relative links) that
/// point at no file of `site`, one message each.
fn missing_page_links(
    site: &Path,
    pages: impl IntoIterator<Item = (&'static str, Vec<String>)>,
    with_rustdoc: bool,
) -> Vec<String> {
    pages
        .into_iter()
        .flat_map(|(page, links)| {
            missing_files(site, links, with_rustdoc)
                .into_iter()
                .map(move |link| format!("{page} links to {link}, which the site lacks"))
        })
        .collect()
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
    let (target, build_dir) = cargo_directories(root, &cargo)?;
    let doc_target = target.join("site-rustdoc");
    let status = Command::new(&cargo)
        .args(["doc", "--no-deps", "--locked", "-p", spec::CLIENT_CRATE])
        .arg("--target-dir")
        .arg(&doc_target)
        .arg("--config")
        // A JSON string is a valid TOML basic string.
        .arg(format!(
            "build.build-dir={}",
            serde_json::to_string(&build_dir)?
        ))
        .current_dir(root)
        .status()
        .context("cannot run cargo doc")?;
    if !status.success() {
        bail!("cargo doc failed ({status})");
    }
    files::copy_dir(&doc_target.join("doc"), dest)
}

/// Where this workspace's builds go, whatever configures it: the target
/// directory and the build directory (the target before Cargo 1.91).
fn cargo_directories(root: &Path, cargo: &std::ffi::OsStr) -> anyhow::Result<(PathBuf, String)> {
    let output = Command::new(cargo)
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
    let build_dir = metadata["build_directory"].as_str().unwrap_or(target);
    Ok((PathBuf::from(target), build_dir.to_string()))
}

/// What was built, for the report.
struct Built {
    /// Each top-level file and its size.
    sizes: Vec<(String, u64)>,
    operation_pages: usize,
    released: Vec<String>,
}

/// Prints what was built.
fn report(out: &Path, built: &Built, with_rustdoc: bool) {
    for (name, size) in &built.sizes {
        println!("  {name:<15} {:>8} KiB", size.div_ceil(1024));
    }
    println!(
        "  {:<15} {} Markdown pages, one per operation",
        format!("{}/", markdown::OPERATIONS_DIR),
        built.operation_pages
    );
    let released = if built.released.is_empty() {
        "none released yet".to_string()
    } else {
        built.released.join(", ")
    };
    println!("  {:<15} {released}", format!("{}/", released::SPECS_DIR));
    if with_rustdoc {
        println!(
            "  {:<15} rustdoc of {}",
            format!("{RUSTDOC_DIR}/"),
            spec::CLIENT_CRATE
        );
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
    fn missing_links_skip_the_rustdoc_only_when_it_was_not_built() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("openapi.yaml"), "").unwrap();
        let html = r#"<nav class="site-links"><a href="openapi.yaml">y</a><a href="openapi.json">j</a><a href="rust/genviral_partner/index.html">r</a></nav>"#;
        assert_eq!(missing_links(site.path(), html, false), ["openapi.json"]);
        assert_eq!(
            missing_links(site.path(), html, true),
            ["openapi.json", "rust/genviral_partner/index.html"]
        );
    }

    #[test]
    fn every_dangling_page_link_is_named_with_its_page() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("specs/1.0.0")).unwrap();
        std::fs::write(site.path().join("specs/1.0.0/openapi.yaml"), "").unwrap();
        let pages = [
            (
                "changelog.html",
                offline::relative_links(
                    r##"<a href="specs/1.0.0/openapi.yaml">y</a><a href="specs/1.0.0/openapi.json">j</a><a href="#1.0.0">a</a>"##,
                ),
            ),
            (
                "llms.txt",
                markdown::links("- [a](operations/a.md)\n- [r](rust/x/index.html)"),
            ),
        ];
        assert_eq!(
            missing_page_links(site.path(), pages.clone(), false),
            [
                "changelog.html links to specs/1.0.0/openapi.json, which the site lacks",
                "llms.txt links to operations/a.md, which the site lacks",
            ]
        );
        assert_eq!(missing_page_links(site.path(), pages, true).len(), 3);
    }

    #[test]
    fn page_fills_every_slot_and_keeps_script_text_inert() {
        let template = "<title>{{title}}</title><script>{{redoc_js}}</script><script>init({{spec_json}}, {{options_json}})</script>";
        let html = page(
            template,
            "A & B",
            "var x = '</script>';",
            &serde_json::json!({"description": "<b>bold</b>"}),
        )
        .unwrap();
        assert!(html.contains("<title>A &amp; B</title>"), "{html}");
        assert!(html.contains("<\\/script>"), "{html}");
        assert!(html.contains("\\u003cb>bold\\u003c/b>"), "{html}");
        assert!(!html.contains("{{"), "{html}");
        let error = page("{{title}}", "t", "", &serde_json::json!({})).unwrap_err();
        assert!(error.to_string().contains("lacks the slot"), "{error}");
    }
}
