//! `cargo xtask docs --verify`: what a reader of the built site sees, in a
//! real browser (headless Chromium, every host but `127.0.0.1`
//! unresolvable), checked against the spec: every operation in its own
//! section with its summary, its request body fields and each of its
//! responses (the status, and for error responses the `error_code`s of their
//! examples, which the reader sees in the response's description); each
//! operation's Rust and curl samples in its code panel ([`code_samples`]);
//! the changelog page with every release ([`changelog_page`]); nothing on
//! the rendered pages loads from another host; the header links survive
//! rendering. The expectations are read from the spec model, the samples'
//! sources, `CHANGELOG.md` and `spec/released/`, not copied here, so a new
//! operation or release is checked without an edit.

mod changelog_page;
mod code_samples;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::{TEMPLATE, changelog, missing_links, offline, released, samples};
use crate::{browser, paths};

/// What the verification checked, for the task's report.
#[derive(Debug)]
pub struct Verified {
    /// The operations found rendered.
    pub operations: usize,
    /// The request body fields found rendered.
    pub fields: usize,
    /// The responses found rendered.
    pub responses: usize,
    /// The distinct `error_code`s found rendered.
    pub error_codes: BTreeSet<String>,
    /// The code samples found in the code panels as built.
    pub samples: usize,
    /// The release versions the changelog page shows.
    pub releases: Vec<String>,
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "verified in Chromium: {} operations, {} request fields, {} responses, {} error codes and {} code samples rendered as the spec documents them; the changelog shows {}; nothing loaded from another host",
            self.operations,
            self.fields,
            self.responses,
            self.error_codes.len(),
            self.samples,
            if self.releases.is_empty() {
                "no release".to_string()
            } else {
                self.releases.join(", ")
            }
        )
    }
}

/// Opens the site's pages in `chromium` and checks them against `spec` and
/// the sources the site is built from; the error lists every problem found.
pub fn rendered_site(chromium: &Path, site: &Path, spec: &spec::Spec) -> anyhow::Result<Verified> {
    let root = paths::workspace_root();
    let samples = samples::of_spec(spec, &samples::read_side_by_side(&root)?)?;
    let markdown = changelog::read(&root)?;
    let released = released::below(&root)?;

    let server = browser::StaticServer::start(site)?;
    let dom = browser::dump_dom(chromium, &server.page_url())?;
    let document = scraper::Html::parse_document(&dom);
    let mut problems = Vec::new();
    for resource in offline::external_resources(&dom) {
        problems.push(format!("the rendered page loads {resource}"));
    }
    problems.extend(header_problems(site, &dom)?);
    let mut verified = check_operations(&document, spec, &mut problems);
    let code_panels = code_samples::rendered(chromium, site)?;
    verified.samples = code_samples::check(&code_panels, &samples, &mut problems);
    let expected = changelog_page::Expected {
        markdown: markdown.as_deref(),
        released: &released,
    };
    verified.releases = changelog_page::check(chromium, &server, site, &expected, &mut problems)?;
    if !problems.is_empty() {
        bail!(
            "the rendered documentation ({}) does not show what the spec documents:\n  {}",
            paths::display(site),
            problems.join("\n  ")
        );
    }
    Ok(verified)
}

/// The header links must be the template's, and point at files the site has.
fn header_problems(site: &Path, dom: &str) -> anyhow::Result<Vec<String>> {
    let template = std::fs::read_to_string(paths::in_workspace(TEMPLATE))
        .with_context(|| format!("reading {TEMPLATE}"))?;
    let (expected, rendered) = (offline::site_links(&template), offline::site_links(dom));
    let mut problems = Vec::new();
    if rendered != expected {
        problems.push(format!(
            "header links: rendered {rendered:?}, {TEMPLATE} has {expected:?}"
        ));
    }
    let with_rustdoc = site.join(super::RUSTDOC_DIR).is_dir();
    for link in missing_links(site, dom, with_rustdoc) {
        problems.push(format!("the header links to {link}, which the site lacks"));
    }
    Ok(problems)
}

/// Compares every operation of the spec with its rendering, and the
/// rendered operations with the spec's.
fn check_operations(
    document: &scraper::Html,
    spec: &spec::Spec,
    problems: &mut Vec<String>,
) -> Verified {
    let mut verified = Verified {
        operations: 0,
        fields: 0,
        responses: 0,
        error_codes: BTreeSet::new(),
        samples: 0,
        releases: Vec::new(),
    };
    let expected = expected_operations(spec);
    for operation in &expected {
        match rendered_operation(document, &operation.id) {
            Some(rendered) => {
                compare(operation, &rendered, &mut verified, problems);
            }
            None => problems.push(format!("operation `{}` is not rendered", operation.id)),
        }
    }
    let documented: BTreeSet<&str> = expected.iter().map(|o| o.id.as_str()).collect();
    for id in rendered_operation_ids(document) {
        if !documented.contains(id.as_str()) {
            problems.push(format!("operation `{id}` is rendered but not in the spec"));
        }
    }
    verified
}

/// Compares one operation, counting what was found in `verified`.
fn compare(
    operation: &Expected,
    rendered: &Rendered,
    verified: &mut Verified,
    problems: &mut Vec<String>,
) {
    let id = &operation.id;
    verified.operations += 1;
    if rendered.heading != operation.summary {
        problems.push(format!(
            "{id}: heading `{}`, the spec's summary is `{}`",
            rendered.heading, operation.summary
        ));
    }
    for field in &operation.fields {
        if rendered.fields.contains(field) {
            verified.fields += 1;
        } else {
            problems.push(format!(
                "{id}: request field `{field}` is not rendered (rendered: {:?})",
                rendered.fields
            ));
        }
    }
    let mut statuses: Vec<&str> = rendered.responses.iter().map(|(s, _)| s.as_str()).collect();
    let mut documented: Vec<&str> = operation
        .responses
        .iter()
        .map(|(s, _)| s.as_str())
        .collect();
    statuses.sort_unstable();
    documented.sort_unstable();
    if statuses != documented {
        problems.push(format!(
            "{id}: rendered responses {statuses:?}, the spec documents {documented:?}"
        ));
    }
    for (status, codes) in &operation.responses {
        let Some((_, text)) = rendered.responses.iter().find(|(s, _)| s == status) else {
            continue;
        };
        verified.responses += 1;
        for code in codes {
            if text.contains(code.as_str()) {
                verified.error_codes.insert(code.clone());
            } else {
                problems.push(format!(
                    "{id} {status}: error code `{code}` is not rendered in `{text}`"
                ));
            }
        }
    }
}

/// An operation as the spec documents it.
#[derive(Debug, Clone)]
struct Expected {
    id: String,
    /// The heading Redoc shows: the summary, else the operationId.
    summary: String,
    /// Top-level properties of the JSON request body (none without one).
    fields: Vec<String>,
    /// Status keys, each with the `error_code`s of its examples.
    responses: Vec<(String, Vec<String>)>,
}

fn expected_operations(spec: &spec::Spec) -> Vec<Expected> {
    spec.operations()
        .iter()
        .map(|operation| {
            let fields = operation
                .request_schema()
                .map(|schema| spec.deref(schema))
                .and_then(|schema| schema.get("properties"))
                .and_then(serde_json::Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default();
            let responses = operation
                .responses()
                .iter()
                .map(|response| {
                    let codes = response
                        .examples()
                        .iter()
                        .filter_map(spec::Example::error_code)
                        .map(str::to_string)
                        .collect();
                    (response.status.to_string(), codes)
                })
                .collect();
            let id = operation.name();
            Expected {
                summary: operation.summary().unwrap_or(&id).to_string(),
                id,
                fields,
                responses,
            }
        })
        .collect()
}

/// An operation as Redoc rendered it.
#[derive(Debug)]
struct Rendered {
    heading: String,
    /// Field names of the request body table (none without a body).
    fields: Vec<String>,
    /// Each response header (the expandable button): status code and the
    /// text next to it (the response's description).
    responses: Vec<(String, String)>,
}

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("a valid selector")
}

/// An element's text with whitespace collapsed.
fn text(element: scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The operationIds of the rendered operation sections.
fn rendered_operation_ids(document: &scraper::Html) -> Vec<String> {
    document
        .select(&selector("div[id^=\"operation/\"]"))
        .filter_map(|section| section.value().id()?.strip_prefix("operation/"))
        .map(str::to_string)
        .collect()
}

/// Reads Redoc 2's markup of one operation (`id="operation/<id>"`): the
/// `<h2>` heading, the table after "Request Body schema", and the
/// response buttons (`<button><strong>status</strong>description`).
fn rendered_operation(document: &scraper::Html, id: &str) -> Option<Rendered> {
    let section = document
        .select(&selector(&format!("div[id=\"operation/{id}\"]")))
        .next()?;
    let heading = text(section.select(&selector("h2")).next()?);
    let responses = section
        .select(&selector("button"))
        .filter_map(|button| {
            let status = button.select(&selector(":scope > strong")).next()?;
            Some((text(status), text(button)))
        })
        .collect();
    Some(Rendered {
        heading,
        fields: request_fields(section),
        responses,
    })
}

/// The field names of the table after the "Request Body schema" heading.
fn request_fields(section: scraper::ElementRef) -> Vec<String> {
    let Some(request_heading) = section
        .select(&selector("h5"))
        .find(|h5| text(*h5).starts_with("Request Body schema"))
    else {
        return Vec::new();
    };
    request_heading
        .next_siblings()
        .filter_map(scraper::ElementRef::wrap)
        .find(|element| element.value().name() == "table")
        .map(|table| {
            table
                .select(&selector("td[kind=\"field\"]"))
                .filter_map(|cell| cell.value().attr("title").map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Skips (with a message) outside CI; fails in CI, where the docs step
    /// installs Chromium and builds the site before the tests run.
    fn skip_or_fail(reason: &str) {
        if paths::in_ci() {
            panic!("{reason}");
        }
        eprintln!("SKIPPED the rendered-docs check: {reason}");
    }

    /// `cargo xtask docs --verify`'s check, against the site that task (or
    /// `cargo xtask docs`) already built in `target/site/`: this test never
    /// builds the site, so `cargo test` never runs npm or needs the network.
    #[test]
    fn the_built_site_renders_every_operation_and_its_errors() {
        let site = paths::in_workspace(paths::SITE);
        let Some(chromium) = browser::chromium() else {
            return skip_or_fail(&format!(
                "Chromium is not installed: {}",
                browser::INSTALL_HINT
            ));
        };
        let spec = spec::load(spec::path()).unwrap();
        let built_from = std::fs::read(site.join("openapi.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        match built_from {
            None => {
                return skip_or_fail(&format!(
                    "no site in {}: run `cargo xtask docs` first",
                    paths::SITE
                ));
            }
            Some(json) if json != *spec.json() => {
                return skip_or_fail(&format!(
                    "the site in {} was built from another spec: run `cargo xtask docs` again",
                    paths::SITE
                ));
            }
            Some(_) => {}
        }

        let verified = rendered_site(&chromium, &site, &spec).unwrap_or_else(|e| panic!("{e:#}"));

        assert_eq!(verified.operations, spec.operations().len(), "{verified}");
        let documented: BTreeSet<String> = spec.documented_error_codes().into_keys().collect();
        assert_eq!(verified.error_codes, documented, "{verified}");
        assert_eq!(
            verified.samples,
            spec.operations().len() * samples::Language::ALL.len(),
            "{verified}"
        );
        let released = released::below(&paths::workspace_root()).unwrap();
        for release in released {
            assert!(
                verified.releases.contains(&release.version.to_string()),
                "{verified}"
            );
        }
    }

    /// Markup shaped like Redoc 2's for `operations`.
    fn redoc_like(operations: &[Expected]) -> scraper::Html {
        let mut html = String::from("<html><body><div id=\"redoc\">");
        for operation in operations {
            html += &format!(
                "<div id=\"operation/{}\"><h2>{}</h2>",
                operation.id, operation.summary
            );
            if !operation.fields.is_empty() {
                html += "<h5>Request Body schema: application/json</h5><table>";
                for field in &operation.fields {
                    html += &format!("<tr><td kind=\"field\" title=\"{field}\">{field}</td></tr>");
                }
                html += "</table>";
            }
            for (status, codes) in &operation.responses {
                html += &format!(
                    "<button><strong>{status}</strong> {}</button>",
                    codes.join(" ")
                );
            }
            html += "</div>";
        }
        scraper::Html::parse_document(&(html + "</div></body></html>"))
    }

    #[test]
    fn a_faithful_rendering_passes_and_a_missing_error_code_is_named() {
        let spec = spec::load(spec::path()).unwrap();
        let expected = expected_operations(&spec);
        let mut problems = Vec::new();
        let verified = check_operations(&redoc_like(&expected), &spec, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(verified.operations, spec.operations().len());
        let documented: BTreeSet<String> = spec.documented_error_codes().into_keys().collect();
        assert_eq!(verified.error_codes, documented);

        let mut lacking = expected.clone();
        let (id, (status, codes)) = lacking
            .iter_mut()
            .find_map(|operation| {
                let response = operation
                    .responses
                    .iter_mut()
                    .find(|(_, c)| !c.is_empty())?;
                Some((operation.id.clone(), response))
            })
            .expect("the spec documents error codes");
        let code = codes.pop().unwrap();
        let status = status.clone();
        let mut problems = Vec::new();
        check_operations(&redoc_like(&lacking), &spec, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(&format!(
                "{id} {status}: error code `{code}` is not rendered"
            )),
            "{problems:#?}"
        );
    }

    /// A page Redoc did not render (no script ran) is refused, naming every
    /// operation: the check cannot pass on an empty page.
    #[test]
    fn an_unrendered_page_names_every_missing_operation() {
        let spec = spec::load(spec::path()).unwrap();
        let document =
            scraper::Html::parse_document("<html><body><div id=\"redoc\"></div></body></html>");
        let mut problems = Vec::new();
        let verified = check_operations(&document, &spec, &mut problems);
        assert_eq!(verified.operations, 0);
        let ids = spec.operation_ids();
        assert_eq!(problems.len(), ids.len(), "{problems:#?}");
        for id in ids {
            assert!(
                problems.contains(&format!("operation `{id}` is not rendered")),
                "{problems:#?}"
            );
        }
    }
}
