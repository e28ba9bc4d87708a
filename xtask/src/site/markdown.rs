//! The site for readers that are programs (and people who prefer plain
//! text): one Markdown page per operation, `operations/<operationId>.md`,
//! and `llms.txt` (<https://llmstxt.org>: a title, a summary, then sections
//! of links) pointing at those pages, the changelog and the OpenAPI
//! documents.
//!
//! An operation's page holds everything needed to call it without the
//! reference: method and URL, summary and description, path parameters,
//! each place of the request body with its type, every constraint the spec
//! puts on it (read through [`spec::constraints`], the model the client's
//! own request checks are generated from) and its description, every
//! response with its documented `error_code`s, and the code samples.

use std::fmt::Write as _;

use serde_json::Value;

use super::changelog;
use super::released::site_files;
use super::samples::{self, Sample};
use crate::versioning::Released;

/// The site's folder of operation pages.
pub const OPERATIONS_DIR: &str = "operations";
/// The site's `llms.txt`.
pub const LLMS_TXT: &str = "llms.txt";

/// The site path of an operation's page.
pub fn page_path(operation_id: &str) -> String {
    format!("{OPERATIONS_DIR}/{operation_id}.md")
}

/// Text for one cell of a Markdown table: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A fenced code block whose fence is longer than any backtick run inside.
fn code_block(lang: &str, source: &str) -> String {
    let longest = source.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", source.trim_end())
}

/// `text` in backticks, safe whatever backticks it holds.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn description(node: &Value) -> &str {
    node.get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
}

/// A parameter's type: `type`, with `format` when given.
fn parameter_type(schema: Option<&Value>) -> String {
    let Some(schema) = schema else {
        return String::new();
    };
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{ty} ({format})"),
        None => ty.to_string(),
    }
}

/// The Markdown page of one operation.
pub fn operation_page(
    spec: &spec::Spec,
    operation: &spec::Operation<'_>,
    of_operation: &[Sample],
) -> String {
    let id = operation.name();
    let mut page = String::new();
    let _ = writeln!(page, "# {}\n", operation.summary().unwrap_or(&id));
    let _ = writeln!(
        page,
        "`{} {}{}`\n\noperationId {} · API version {}\n",
        operation.method.to_uppercase(),
        spec.base_url().unwrap_or_default(),
        operation.path,
        code(&id),
        spec.version(),
    );
    let text = description(operation.op);
    if !text.is_empty() {
        let _ = writeln!(page, "{text}\n");
    }
    page += &parameters(operation);
    page += &request_body(spec, operation);
    page += &responses(operation);
    page += &samples_section(operation, of_operation);
    page
}

fn parameters(operation: &spec::Operation<'_>) -> String {
    let parameters = operation.parameters();
    if parameters.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Parameters\n\n| name | in | type | required | description | example |\n|---|---|---|---|---|---|\n",
    );
    for parameter in parameters {
        let example = parameter
            .example()
            .map(|value| match value {
                Value::String(text) => code(text),
                other => code(&other.to_string()),
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {example} |",
            code(parameter.name),
            parameter.location,
            cell(&parameter_type(parameter.schema())),
            if parameter.is_required() { "yes" } else { "no" },
            cell(description(parameter.object)),
        );
    }
    out + "\n"
}

/// Every place of the request body that carries a constraint, with the
/// constraints as the spec model states them.
fn request_body(spec: &spec::Spec, operation: &spec::Operation<'_>) -> String {
    let Some(body) = operation.request_body() else {
        return String::new();
    };
    let mut out = String::from("## Request body\n\n");
    let required = body.get("required") == Some(&Value::Bool(true));
    let text = description(body);
    let _ = writeln!(
        out,
        "`application/json`, {}. {text}\n",
        if required { "required" } else { "optional" }
    );
    let schemas = spec::constraints::RequestSchemas::of(spec);
    let locations = schemas.locations(&operation.name());
    if locations.is_empty() {
        return out;
    }
    out += "Each place of the body (`$` is the body, `[*]` each item, `.*` each map value) with its type and constraints; the client checks them all before sending.\n\n";
    out += "| place | constraints | null | description |\n|---|---|---|---|\n";
    for location in locations {
        let node = schemas.node(location.node);
        let constraints: Vec<String> = node.constraints().iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&location.to_string()),
            cell(&constraints.join("; ")),
            if node.nullable { "accepted" } else { "" },
            cell(description(node.schema)),
        );
    }
    out + "\n"
}

fn responses(operation: &spec::Operation<'_>) -> String {
    let mut out = String::from("## Responses\n\n");
    for response in operation.responses() {
        let _ = writeln!(out, "### {}\n", response.status);
        let text = description(response.object);
        if !text.is_empty() {
            let _ = writeln!(out, "{text}\n");
        }
        if let Some(schema) = response
            .schema()
            .and_then(|schema| schema.get("$ref"))
            .and_then(Value::as_str)
        {
            let name = schema.rsplit('/').next().unwrap_or(schema);
            let _ = writeln!(out, "Body: {} (see openapi.yaml).\n", code(name));
        }
        if let Some(Value::Object(headers)) = response.object.get("headers") {
            let names: Vec<String> = headers.keys().map(|name| code(name)).collect();
            let _ = writeln!(out, "Headers: {}.\n", names.join(", "));
        }
        let codes: Vec<(&str, &str)> = response
            .examples()
            .iter()
            .filter_map(|example| Some((example.error_code()?, example.summary.unwrap_or(""))))
            .collect();
        if !codes.is_empty() {
            out += "| error_code | when |\n|---|---|\n";
            for (error_code, summary) in codes {
                let _ = writeln!(out, "| {} | {} |", code(error_code), cell(summary));
            }
            out += "\n";
        }
    }
    out
}

fn samples_section(operation: &spec::Operation<'_>, of_operation: &[Sample]) -> String {
    let mut out = String::from("## Samples\n\n");
    for sample in of_operation {
        let _ = writeln!(out, "### {}\n", sample.language.label());
        if sample.language == samples::Language::Rust {
            let _ = writeln!(
                out,
                "From `{}` (compiled, and run by the contract tests):\n",
                samples::SIDE_BY_SIDE
            );
        }
        out += &code_block(sample.language.lang(), &sample.source);
        out += "\n";
    }
    let examples = operation.request_examples();
    if !examples.is_empty() {
        out += "### Request body examples\n\n";
        for example in examples {
            let name = example.name.map(code).unwrap_or_default();
            let summary = example.summary.unwrap_or_default();
            let _ = writeln!(out, "{name}: {summary}\n");
            let json = serde_json::to_string_pretty(example.value).unwrap_or_default();
            out += &code_block("json", &json);
            out += "\n";
        }
    }
    out
}

/// What `llms.txt` links besides the operations.
pub struct Links<'a> {
    pub released: &'a [Released],
    /// Whether the site carries the crate's rustdoc.
    pub rustdoc: Option<&'a str>,
}

/// `llms.txt`: the API's title, its summary (the first paragraph of
/// `info.description`), how to call it, then the links.
pub fn llms_txt(spec: &spec::Spec, links: &Links<'_>) -> String {
    let json = spec.json();
    let title = super::title(spec);
    let summary = json
        .pointer("/info/description")
        .and_then(Value::as_str)
        .and_then(|text| text.split("\n\n").next())
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let mut out = format!("# {title}\n\n> {summary}\n\n");
    let _ = writeln!(
        out,
        "API version {}, server {}.{} Rust SDK: the `{}` crate; each operation's page has a compiled and tested Rust sample and a curl sample.\n",
        spec.version(),
        code(spec.base_url().unwrap_or_default()),
        authentication(json),
        spec::CLIENT_CRATE,
    );
    out += "## Operations\n\n";
    for operation in spec.operations() {
        let id = operation.name();
        let _ = writeln!(
            out,
            "- [{}]({}): `{} {}` (operationId `{id}`)",
            operation.summary().unwrap_or(&id),
            page_path(&id),
            operation.method.to_uppercase(),
            operation.path,
        );
    }
    out += "\n## OpenAPI documents\n\n";
    let _ = writeln!(
        out,
        "- [openapi.yaml](openapi.yaml): the current document (API version {}), as written",
        spec.version()
    );
    out += "- [openapi.json](openapi.json): the same document as JSON\n";
    for release in links.released.iter().rev() {
        let [yaml, json] = site_files(&release.version);
        let _ = writeln!(
            out,
            "- [{v} openapi.yaml]({yaml}): released version {v}; [JSON]({json})",
            v = release.version,
        );
    }
    out += "\n## Changelog\n\n";
    let _ = writeln!(
        out,
        "- [Changelog]({}): what changed in each API version, breaking changes first",
        changelog::MARKDOWN
    );
    out += "\n## Optional\n\n- [API reference](index.html): the rendered reference (HTML, needs JavaScript)\n";
    if let Some(rustdoc) = links.rustdoc {
        let _ = writeln!(
            out,
            "- [Rust API docs]({rustdoc}): rustdoc of the `{}` crate",
            spec::CLIENT_CRATE
        );
    }
    out
}

/// How requests authenticate, from the bearer schemes of the spec.
fn authentication(doc: &Value) -> String {
    let Some(Value::Object(schemes)) = doc.pointer("/components/securitySchemes") else {
        return String::new();
    };
    schemes
        .values()
        .filter(|scheme| scheme.get("scheme").and_then(Value::as_str) == Some("bearer"))
        .map(|scheme| {
            let format = scheme
                .get("bearerFormat")
                .and_then(Value::as_str)
                .unwrap_or("<token>");
            format!(
                " Every request sends `Authorization: Bearer {format}` (the SDK and the samples read it from `{}`).",
                samples::TOKEN_VARIABLE
            )
        })
        .collect()
}

/// The relative link targets of Markdown `text` (`[label](target)`).
pub fn links(text: &str) -> Vec<String> {
    pulldown_cmark::Parser::new(text)
        .filter_map(|event| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .filter(|target| !target.contains("://") && !target.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::paths;

    fn repository() -> (spec::Spec, samples::Samples) {
        let spec = spec::load(spec::path()).unwrap();
        let source = samples::read_side_by_side(&paths::workspace_root()).unwrap();
        let samples = samples::of_spec(&spec, &source).unwrap();
        (spec, samples)
    }

    #[test]
    fn each_page_has_the_fields_constraints_errors_and_samples_of_its_operation() {
        let (spec, samples) = repository();
        let schemas = spec::constraints::RequestSchemas::of(&spec);
        for operation in spec.operations() {
            let id = operation.id().unwrap();
            let page = operation_page(&spec, &operation, &samples[id]);
            assert!(
                page.contains(&format!(
                    "`{} {}{}`",
                    operation.method.to_uppercase(),
                    spec.base_url().unwrap(),
                    operation.path
                )),
                "{page}"
            );
            assert!(page.starts_with(&format!("# {}\n", operation.summary().unwrap())));
            for parameter in operation.path_parameters() {
                assert!(page.contains(&format!("| `{}` | path |", parameter.name)));
            }
            // Every top-level field, every place and each of its constraints.
            let root = schemas.node(schemas.root(id).unwrap());
            for (field, _) in &root.properties {
                assert!(page.contains(&format!("`$.{field}`")), "{id}: {field}");
            }
            let mut keywords = BTreeSet::new();
            for location in schemas.locations(id) {
                let row = page
                    .lines()
                    .find(|line| line.starts_with(&format!("| `{location}` |")))
                    .unwrap_or_else(|| panic!("{id}: no row for {location}"));
                for constraint in schemas.node(location.node).constraints() {
                    keywords.insert(constraint.keyword());
                    assert!(
                        row.contains(&cell(&constraint.to_string())),
                        "{id} {location}: {constraint} not in {row}"
                    );
                }
            }
            assert!(keywords.contains("type"), "{id}: {keywords:?}");
            for response in operation.responses() {
                assert!(page.contains(&format!("### {}\n", response.status)));
                for example in response.examples() {
                    if let Some(code) = example.error_code() {
                        assert!(
                            page.contains(&format!(
                                "| `{code}` | {} |",
                                cell(example.summary.unwrap_or(""))
                            )),
                            "{id}: {code}"
                        );
                    }
                }
            }
            for sample in &samples[id] {
                assert!(
                    page.contains(&code_block(sample.language.lang(), &sample.source)),
                    "{id}: {:?}",
                    sample.language
                );
            }
        }
    }

    #[test]
    fn every_documented_error_code_is_on_some_page() {
        let (spec, samples) = repository();
        let pages: String = spec
            .operations()
            .iter()
            .map(|operation| operation_page(&spec, operation, &samples[operation.id().unwrap()]))
            .collect();
        for code in spec.documented_error_codes().keys() {
            assert!(pages.contains(&format!("| `{code}` |")), "{code}");
        }
    }

    #[test]
    fn llms_txt_has_the_format_and_links_every_page_and_spec() {
        let (spec, _) = repository();
        let released = crate::site::released::tests::released(&["1.0.0"]);
        let text = llms_txt(
            &spec,
            &Links {
                released: &released,
                rustdoc: Some("rust/genviral_partner/index.html"),
            },
        );
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(format!("# {}", super::super::title(&spec)).as_str())
        );
        assert_eq!(lines.next(), Some(""));
        assert!(lines.next().unwrap().starts_with("> Programmatic access"));
        let links = links(&text);
        for id in spec.operation_ids() {
            assert!(links.contains(&page_path(id)), "{links:?}");
        }
        for path in released
            .iter()
            .flat_map(|release| site_files(&release.version))
            .chain(["openapi.yaml".into(), "openapi.json".into()])
            .chain([changelog::MARKDOWN.to_string(), "index.html".into()])
        {
            assert!(links.contains(&path), "{path}: {links:?}");
        }
        assert!(
            text.contains("Authorization: Bearer <public_id>.<secret>"),
            "{text}"
        );
        let without_rustdoc = llms_txt(
            &spec,
            &Links {
                released: &[],
                rustdoc: None,
            },
        );
        assert!(!without_rustdoc.contains("rust/"), "{without_rustdoc}");
    }

    #[test]
    fn markdown_helpers_keep_tables_and_fences_intact() {
        assert_eq!(cell("a |\n b"), "a \\| b");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code_block("sh", "echo ```"), "````sh\necho ```\n````\n");
        assert_eq!(
            links("[a](x.md) [b](https://e.example) [c](#top)"),
            ["x.md"]
        );
    }
}
