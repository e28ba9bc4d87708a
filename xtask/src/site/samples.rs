//! The code samples of every operation, shown in the reference's code
//! panel (Redoc reads `x-codeSamples`) and on the operation's Markdown page:
//!
//! - **Rust**: the operation's `sdk::<operationId>` function, cut from
//!   `generated-client/examples/side_by_side.rs`. That file is compiled as
//!   an example of the client, and the contract suite runs each function
//!   against a local server and requires it to send one of the spec's request
//!   examples, so the sample cannot drift from the API.
//! - **curl**: written from the spec: the method, the server URL and the path
//!   with each path parameter's example (or `{name}` when it has none), the
//!   bearer token from `$GENVIRAL_API_KEY`, and the first request example
//!   (by name, the one the Rust function sends) as the JSON body.
//!
//! The samples go into the site's copy of the spec only; `spec/openapi.yaml`
//! and the published `openapi.yaml`/`openapi.json` stay as written.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};
use serde_json::Value;

/// The compiled, tested source of the Rust samples, relative to the
/// workspace root.
pub const SIDE_BY_SIDE: &str = "generated-client/examples/side_by_side.rs";
/// The module of [`SIDE_BY_SIDE`] holding one SDK function per operation.
const SDK_MODULE: &str = "sdk";
/// The environment variable the curl sample reads the token from (the one
/// `Client::from_env` reads).
pub const TOKEN_VARIABLE: &str = "GENVIRAL_API_KEY";
/// The extension Redoc reads code samples from.
pub const EXTENSION: &str = "x-codeSamples";

/// The languages of the samples, in the order the code panel shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Language {
    /// The SDK call.
    Rust,
    /// A shell command, for any HTTP client.
    Curl,
}

impl Language {
    /// Every language, in panel order.
    pub const ALL: [Language; 2] = [Language::Rust, Language::Curl];

    /// The tab's label in the code panel.
    pub fn label(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Curl => "curl",
        }
    }

    /// The highlighting language (`x-codeSamples` `lang`, and the info
    /// string of a Markdown code block).
    pub fn lang(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::Curl => "shell",
        }
    }
}

/// One sample of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub language: Language,
    pub source: String,
}

/// The samples of every operation, by operationId, each in
/// [`Language::ALL`] order.
pub type Samples = BTreeMap<String, Vec<Sample>>;

/// The samples of every operation of `spec`, the Rust ones cut from
/// `side_by_side` (the source of [`SIDE_BY_SIDE`]). Fails naming every
/// operation that lacks its SDK function or an operationId.
pub fn of_spec(spec: &spec::Spec, side_by_side: &str) -> anyhow::Result<Samples> {
    let base_url = spec
        .base_url()
        .context("the spec has no `servers` entry, so no URL for the curl samples")?;
    let mut samples = Samples::new();
    let mut problems = Vec::new();
    for operation in spec.operations() {
        let Some(id) = operation.id() else {
            problems.push(format!("`{}` has no operationId", operation.name()));
            continue;
        };
        let Some(rust) = sdk_function(side_by_side, id) else {
            problems.push(format!(
                "{SIDE_BY_SIDE} has no `pub async fn {id}` in `mod {SDK_MODULE}`: write the SDK call there (the contract suite runs it)"
            ));
            continue;
        };
        let curl = curl(&operation, base_url)?;
        samples.insert(
            id.to_string(),
            vec![
                Sample {
                    language: Language::Rust,
                    source: rust,
                },
                Sample {
                    language: Language::Curl,
                    source: curl,
                },
            ],
        );
    }
    if !problems.is_empty() {
        bail!("no code samples for:\n  {}", problems.join("\n  "));
    }
    Ok(samples)
}

/// Reads [`SIDE_BY_SIDE`] below `root`.
pub fn read_side_by_side(root: &Path) -> anyhow::Result<String> {
    let path = root.join(SIDE_BY_SIDE);
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

/// The source text of `pub async fn <name>` in `mod sdk` of `source`, from
/// its first line to its closing brace, with the module's indentation
/// removed. rustfmt writes the module's items indented by four spaces and
/// closes each one with `    }` alone on a line, which is what this relies
/// on; the test parses each cut as one whole function.
pub fn sdk_function(source: &str, name: &str) -> Option<String> {
    const INDENT: &str = "    ";
    let module_start = source.find(&format!("pub mod {SDK_MODULE} {{\n"))?;
    let module = &source[module_start..];
    // The module ends at the first `}` in column 0.
    let module = &module[..module.find("\n}\n").map_or(module.len(), |end| end + 1)];
    let start = module.find(&format!("\n{INDENT}pub async fn {name}("))? + 1;
    let function = &module[start..];
    let end = function.find(&format!("\n{INDENT}}}\n"))? + 1 + INDENT.len() + 1;
    let lines: Vec<&str> = function[..end]
        .lines()
        .map(|line| line.strip_prefix(INDENT).unwrap_or(line))
        .collect();
    Some(lines.join("\n"))
}

/// The curl command of `operation`: method, URL, token, JSON body.
pub fn curl(operation: &spec::Operation<'_>, base_url: &str) -> anyhow::Result<String> {
    let mut lines = vec![
        format!("curl --request {}", operation.method.to_uppercase()),
        format!("  --url {}", shell_quote(&url(operation, base_url))),
        format!("  --header \"Authorization: Bearer ${TOKEN_VARIABLE}\""),
    ];
    if let Some(body) = request_example(operation) {
        lines.push("  --header 'Content-Type: application/json'".to_string());
        let json = serde_json::to_string_pretty(body)
            .with_context(|| format!("{}: writing the request example", operation.name()))?;
        lines.push(format!("  --data {}", shell_quote(&json)));
    }
    Ok(lines.join(" \\\n"))
}

/// The request example the samples send: the first by name (the one the
/// contract suite's seed, and so the Rust function, sends).
pub fn request_example<'a>(operation: &spec::Operation<'a>) -> Option<&'a Value> {
    operation
        .request_examples()
        .first()
        .map(|example| example.value)
}

/// The server URL and the path, each path parameter replaced by its example
/// (percent-encoded as one path segment) or left as `{name}` without one;
/// required query parameters are added the same way.
fn url(operation: &spec::Operation<'_>, base_url: &str) -> String {
    let mut path = operation.path.to_string();
    let mut query = Vec::new();
    for parameter in operation.parameters() {
        let value = parameter
            .example()
            .map(|example| match example {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .map(|text| encode_segment(&text));
        match parameter.location {
            "path" => {
                let placeholder = format!("{{{}}}", parameter.name);
                if let Some(value) = value {
                    path = path.replace(&placeholder, &value);
                }
            }
            "query" if parameter.is_required() => {
                let value = value.unwrap_or_else(|| format!("{{{}}}", parameter.name));
                query.push(format!("{}={value}", encode_segment(parameter.name)));
            }
            _ => {}
        }
    }
    let mut url = format!("{base_url}{path}");
    if !query.is_empty() {
        url = format!("{url}?{}", query.join("&"));
    }
    url
}

/// `text` percent-encoded as one URL path segment (what the `url` crate
/// writes for a pushed segment).
fn encode_segment(text: &str) -> String {
    let mut url = url::Url::parse("http://localhost/").expect("a valid URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .push(text);
    url.path()[1..].to_string()
}

/// `text` as one single-quoted POSIX shell word.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The site's copy of the spec document with each operation's samples in
/// [`EXTENSION`]. Fails when an operation of the document has none.
pub fn with_samples(doc: &Value, samples: &Samples) -> anyhow::Result<Value> {
    let mut doc = doc.clone();
    let operations: Vec<(String, String, String)> = spec::operations(&doc)
        .iter()
        .map(|operation| {
            let (path, method) = (operation.path.to_string(), operation.method.to_string());
            (operation.name(), path, method)
        })
        .collect();
    for (name, path, method) in operations {
        let Some(of_operation) = samples.get(&name) else {
            bail!("no code samples for `{name}`");
        };
        // A path item behind a `$ref` is shared, so it cannot take one
        // operation's samples.
        let object = doc
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&path))
            .and_then(|item| item.get_mut(&method))
            .and_then(Value::as_object_mut)
            .with_context(|| format!("`{name}` is not written inline under `paths`"))?;
        let list = of_operation
            .iter()
            .map(|sample| {
                serde_json::json!({
                    "lang": sample.language.lang(),
                    "label": sample.language.label(),
                    "source": sample.source,
                })
            })
            .collect();
        object.insert(EXTENSION.to_string(), Value::Array(list));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths;

    fn repository() -> (spec::Spec, String) {
        let spec = spec::load(spec::path()).unwrap();
        let source = read_side_by_side(&paths::workspace_root()).unwrap();
        (spec, source)
    }

    /// Undoes [`shell_quote`] for one word.
    fn shell_unquote(word: &str) -> String {
        word.strip_prefix('\'')
            .and_then(|word| word.strip_suffix('\''))
            .expect("a single-quoted word")
            .replace(r"'\''", "'")
    }

    #[test]
    fn every_operation_gets_its_sdk_function_and_a_curl_command() {
        let (spec, source) = repository();
        let samples = of_spec(&spec, &source).unwrap();
        assert_eq!(samples.keys().map(String::as_str).collect::<Vec<_>>(), {
            let mut ids = spec.operation_ids();
            ids.sort_unstable();
            ids
        });
        for (id, of_operation) in &samples {
            let languages: Vec<Language> = of_operation.iter().map(|s| s.language).collect();
            assert_eq!(languages, Language::ALL, "{id}");
            let rust = &of_operation[0].source;
            // Exactly one whole function named after the operation …
            let function: syn::ItemFn = syn::parse_str(rust)
                .unwrap_or_else(|e| panic!("{id}: the Rust sample is not one function: {e}"));
            assert_eq!(function.sig.ident, id.as_str());
            assert!(function.sig.asyncness.is_some(), "{id}");
            // … and exactly the example's text, re-indented.
            let indented: Vec<String> = rust
                .lines()
                .map(|line| {
                    if line.is_empty() {
                        String::new()
                    } else {
                        format!("    {line}")
                    }
                })
                .collect();
            let sdk_module = &source[source.find("pub mod sdk {").unwrap()..];
            assert!(
                sdk_module.contains(&format!("\n{}\n", indented.join("\n"))),
                "{id}: the sample is not the text of sdk::{id}"
            );
        }
    }

    #[test]
    fn the_curl_sample_sends_the_spec_example_to_the_server_url() {
        let (spec, source) = repository();
        let samples = of_spec(&spec, &source).unwrap();
        let base_url = spec.base_url().unwrap();
        for operation in spec.operations() {
            let id = operation.id().unwrap();
            let curl = &samples[id][1].source;
            let lines: Vec<&str> = curl.lines().map(|l| l.trim_end_matches(" \\")).collect();
            assert_eq!(
                lines[0],
                format!("curl --request {}", operation.method.to_uppercase())
            );
            let url = shell_unquote(lines[1].trim().strip_prefix("--url ").unwrap());
            let mut expected = format!("{base_url}{}", operation.path);
            for parameter in operation.path_parameters() {
                let example = parameter.example().and_then(Value::as_str).unwrap();
                expected = expected.replace(&format!("{{{}}}", parameter.name), example);
            }
            assert_eq!(url, expected, "{id}");
            assert!(
                curl.contains(&format!(
                    "--header \"Authorization: Bearer ${TOKEN_VARIABLE}\""
                )),
                "{curl}"
            );
            let data = curl.split("--data ").nth(1).expect("a body");
            let sent: Value = serde_json::from_str(&shell_unquote(data)).unwrap();
            assert_eq!(
                &sent,
                operation.request_examples()[0].value,
                "{id}: the curl body is the first request example"
            );
            operation.validate_request(&sent).unwrap();
        }
    }

    #[test]
    fn a_missing_sdk_function_is_named_and_cuts_stop_at_the_function() {
        let source = "pub mod sdk {\n    use x;\n\n    pub async fn a(\n        c: &C,\n    ) -> R {\n        c.a()\n    }\n\n    pub async fn ab() {}\n}\n\npub mod raw {\n    pub async fn b() {\n        x\n    }\n}\n";
        assert_eq!(
            sdk_function(source, "a").as_deref(),
            Some("pub async fn a(\n    c: &C,\n) -> R {\n    c.a()\n}")
        );
        // `raw::b` is not an SDK function, and `ab` is not `a`.
        assert_eq!(sdk_function(source, "b"), None);
        assert_eq!(sdk_function(source, "nothing"), None);

        let spec = spec::load(spec::path()).unwrap();
        let error = of_spec(&spec, source).unwrap_err().to_string();
        for id in spec.operation_ids() {
            assert!(error.contains(&format!("`pub async fn {id}`")), "{error}");
        }
    }

    #[test]
    fn shell_quoting_survives_quotes_and_parameters_are_encoded() {
        let word = shell_quote(r#"{"name": "it's $HOME"}"#);
        assert_eq!(word, r#"'{"name": "it'\''s $HOME"}'"#);
        assert_eq!(shell_unquote(&word), r#"{"name": "it's $HOME"}"#);

        let doc = serde_json::json!({"paths": {"/a/{id}/b/{other}": {"get": {
            "operationId": "get_a",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "example": "x y/z"},
                {"name": "other", "in": "path", "required": true},
                {"name": "q", "in": "query", "required": true, "example": 3},
                {"name": "optional", "in": "query", "example": "no"}
            ]
        }}}});
        let operation = &spec::operations(&doc)[0];
        assert_eq!(
            curl(operation, "https://api.example/v1").unwrap(),
            "curl --request GET \\\n  --url 'https://api.example/v1/a/x%20y%2Fz/b/{other}?q=3' \\\n  --header \"Authorization: Bearer $GENVIRAL_API_KEY\""
        );
    }

    #[test]
    fn samples_go_into_a_copy_of_the_document_only() {
        let (spec, source) = repository();
        let samples = of_spec(&spec, &source).unwrap();
        let doc = with_samples(spec.json(), &samples).unwrap();
        assert!(spec.json().to_string().find(EXTENSION).is_none());
        for operation in spec::operations(&doc) {
            let listed = operation.op[EXTENSION].as_array().unwrap();
            let labels: Vec<&str> = listed
                .iter()
                .map(|sample| sample["label"].as_str().unwrap())
                .collect();
            assert_eq!(labels, ["Rust", "curl"]);
            assert_eq!(
                listed[0]["source"].as_str().unwrap(),
                samples[operation.id().unwrap()][0].source
            );
        }
        let mut fewer = samples.clone();
        fewer.pop_first();
        assert!(with_samples(spec.json(), &fewer).is_err());
    }
}
