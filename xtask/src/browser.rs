//! Headless Chromium against a local static server: what a reader of the
//! documentation site actually sees.
//!
//! Chromium runs with a fresh profile and with every host name except
//! `127.0.0.1` unresolvable, so a page that needed the network to render
//! would fail here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{Context as _, bail};

/// Flags for a quiet, isolated headless Chromium.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    // Nothing but the local server can be reached.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

/// The Chromium binary: `$CHROMIUM`, else `chromium` or `chromium-browser`
/// on PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok())
        .map(PathBuf::from)
}

/// A static file server for a folder, on `127.0.0.1` and a free port,
/// stopped when dropped.
pub struct StaticServer {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl StaticServer {
    /// Serves `root`.
    pub fn start(root: &Path) -> anyhow::Result<StaticServer> {
        let server = Arc::new(
            tiny_http::Server::http("127.0.0.1:0")
                .map_err(|e| anyhow::anyhow!("cannot start a local server: {e}"))?,
        );
        let port = server
            .server_addr()
            .to_ip()
            .context("the server has an IP address")?
            .port();
        let root = root.to_path_buf();
        let worker = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            for request in worker.incoming_requests() {
                let path = request
                    .url()
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let response = file_for(&root, &path)
                    .and_then(|file| {
                        let content_type = content_type(&file);
                        std::fs::File::open(&file).ok().map(|f| (f, content_type))
                    })
                    .map(|(file, content_type)| {
                        tiny_http::Response::from_file(file).with_header(
                            tiny_http::Header::from_bytes("Content-Type", content_type)
                                .expect("a valid header"),
                        )
                    });
                let _ = match response {
                    Some(response) => request.respond(response),
                    None => request.respond(tiny_http::Response::empty(404)),
                };
            }
        });
        Ok(StaticServer {
            server,
            thread: Some(thread),
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The file for a URL path, refusing anything outside `root`.
fn file_for(root: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = url_path.trim_start_matches('/');
    if relative
        .split('/')
        .any(|part| part == ".." || part.contains('\\'))
    {
        return None;
    }
    let mut file = root.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("yaml") => "application/yaml",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn run(chromium: &Path, args: &[String]) -> anyhow::Result<String> {
    let profile = tempfile::tempdir().context("creating a Chromium profile folder")?;
    let output = Command::new(chromium)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", chromium.display()))?;
    if !output.status.success() {
        bail!(
            "{} failed ({}): {}",
            chromium.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The DOM after the page's scripts ran (up to 10 s of virtual time).
/// Only the tests read the DOM; the CLI takes screenshots.
#[cfg(test)]
pub fn dump_dom(chromium: &Path, url: &str) -> anyhow::Result<String> {
    run(
        chromium,
        &[
            "--virtual-time-budget=10000".into(),
            "--dump-dom".into(),
            url.into(),
        ],
    )
}

/// Saves a PNG screenshot of `url` at `width`×`height`.
pub fn screenshot(
    chromium: &Path,
    url: &str,
    path: &Path,
    (width, height): (u32, u32),
) -> anyhow::Result<()> {
    run(
        chromium,
        &[
            "--virtual-time-budget=10000".into(),
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", path.display()),
            url.into(),
        ],
    )?;
    if !path.is_file() {
        bail!("Chromium wrote no screenshot to {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{docs, paths};

    /// Builds the site (without rustdoc: a nested `cargo doc` would wait for
    /// the build lock `cargo test` holds; CI's `cargo xtask docs` step builds
    /// the full site) and checks the rendered page in a real browser: every
    /// operation of the spec, inside its own section of the rendered page,
    /// with its summary, its request body fields and each of its responses
    /// (status code, and for error responses the `error_code`s of their
    /// examples, which the reader sees in the response's description). The
    /// expectations are read from the spec, not copied here.
    #[test]
    fn the_rendered_reference_shows_every_operation_and_its_errors() {
        let Some(chromium) = chromium() else {
            let message = "Chromium is not installed: `apt-get install chromium` (Debian) or set CHROMIUM=/path/to/chrome";
            if std::env::var_os("CI").is_some() {
                panic!("{message}");
            }
            eprintln!("SKIPPED the browser test. {message}");
            return;
        };
        let root = paths::workspace_root();
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("site");
        docs::build(
            &root,
            &docs::Job {
                spec: root.join(paths::SPEC),
                out: out.clone(),
                rustdoc: false,
            },
        )
        .unwrap();
        let server = StaticServer::start(&out).unwrap();
        let page = format!("{}/index.html", server.url);
        let dom = dump_dom(&chromium, &page).unwrap();
        let document = scraper::Html::parse_document(&dom);

        // What Redoc added while running must not fetch anything either.
        let external = docs::external_resources(&dom);
        assert!(external.is_empty(), "rendered page: {external:#?}");

        let spec = spec::load(root.join(paths::SPEC)).unwrap();
        let expected = expected_operations(spec.json());
        assert_eq!(expected.len(), 4, "{expected:#?}");
        for operation in &expected {
            let rendered = rendered_operation(&document, &operation.id)
                .unwrap_or_else(|| panic!("operation `{}` is not rendered", operation.id));
            assert_eq!(rendered.heading, operation.summary, "{}", operation.id);
            for field in &operation.fields {
                assert!(
                    rendered.fields.contains(field),
                    "{}: request field `{field}` is not rendered (rendered: {:?})",
                    operation.id,
                    rendered.fields
                );
            }
            let mut statuses: Vec<&String> = rendered.responses.iter().map(|(s, _)| s).collect();
            let mut documented: Vec<&String> = operation.responses.iter().map(|(s, _)| s).collect();
            statuses.sort();
            documented.sort();
            assert_eq!(statuses, documented, "{}: responses", operation.id);
            for (status, codes) in &operation.responses {
                let (_, text) = rendered
                    .responses
                    .iter()
                    .find(|(s, _)| s == status)
                    .unwrap();
                for code in codes {
                    assert!(
                        text.contains(code.as_str()),
                        "{} {status}: error code `{code}` is not rendered in `{text}`",
                        operation.id
                    );
                }
            }
        }
        // The error codes the issue names are among those checked above.
        let template = expected.iter().find(|o| o.id == "update_template").unwrap();
        let codes: Vec<&String> = template.responses.iter().flat_map(|(_, c)| c).collect();
        for code in ["template_name_conflict", "forbidden_template"] {
            assert!(codes.iter().any(|c| *c == code), "{codes:?}");
        }

        for link in [
            "openapi.yaml",
            "openapi.json",
            "rust/genviral_partner/index.html",
        ] {
            assert!(dom.contains(&format!("href=\"{link}\"")), "link to {link}");
        }
        // The raw spec is served next to the page.
        assert!(out.join("openapi.json").is_file() && out.join("openapi.yaml").is_file());

        let shot = root.join("target/docs-screenshot.png");
        screenshot(&chromium, &page, &shot, (1280, 2000)).unwrap();
        println!("screenshot of the rendered docs: {}", shot.display());
        eprintln!("screenshot of the rendered docs: {}", shot.display());
    }

    /// An operation as the spec documents it.
    #[derive(Debug)]
    struct Expected {
        id: String,
        summary: String,
        /// Top-level properties of the JSON request body.
        fields: Vec<String>,
        /// Status keys in document order, each with the `error_code`s of its
        /// examples.
        responses: Vec<(String, Vec<String>)>,
    }

    fn expected_operations(spec: &serde_json::Value) -> Vec<Expected> {
        let mut operations = Vec::new();
        for item in spec["paths"].as_object().unwrap().values() {
            for (method, operation) in item.as_object().unwrap() {
                if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                    continue;
                }
                let body = spec::deref(spec, &operation["requestBody"]);
                let schema = spec::deref(spec, &body["content"]["application/json"]["schema"]);
                let fields: Vec<String> = schema["properties"]
                    .as_object()
                    .map(|properties| properties.keys().cloned().collect())
                    .unwrap_or_default();
                assert!(!fields.is_empty(), "{operation}: no request fields");
                let mut responses = Vec::new();
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let response = spec::deref(spec, response);
                    let examples = response["content"]["application/json"]["examples"]
                        .as_object()
                        .into_iter()
                        .flat_map(|examples| examples.values());
                    let codes = examples
                        .filter_map(|example| {
                            spec::deref(spec, example)["value"]["error_code"]
                                .as_str()
                                .map(str::to_string)
                        })
                        .collect();
                    responses.push((status.clone(), codes));
                }
                operations.push(Expected {
                    id: operation["operationId"].as_str().unwrap().to_string(),
                    summary: operation["summary"].as_str().unwrap().to_string(),
                    fields,
                    responses,
                });
            }
        }
        operations
    }

    /// An operation as Redoc rendered it.
    #[derive(Debug)]
    struct Rendered {
        heading: String,
        /// Field names of the request body table.
        fields: Vec<String>,
        /// Each response header (the expandable button): status code and the
        /// text next to it (the response's description).
        responses: Vec<(String, String)>,
    }

    /// Reads Redoc 2's markup of one operation (`id="operation/<id>"`): the
    /// `<h2>` heading, the table after "Request Body schema", and the
    /// response buttons (`<button><strong>status</strong>description`).
    fn rendered_operation(document: &scraper::Html, id: &str) -> Option<Rendered> {
        let select = |css: &str| scraper::Selector::parse(css).unwrap();
        let text = |element: scraper::ElementRef| {
            element
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let section = document
            .select(&select(&format!("div[id=\"operation/{id}\"]")))
            .next()?;
        let heading = text(section.select(&select("h2")).next()?);
        let request_heading = section
            .select(&select("h5"))
            .find(|h5| text(*h5).starts_with("Request Body schema"))?;
        let table = request_heading
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .find(|element| element.value().name() == "table")?;
        let fields = table
            .select(&select("td[kind=\"field\"]"))
            .filter_map(|cell| cell.value().attr("title").map(str::to_string))
            .collect();
        let responses = section
            .select(&select("button"))
            .filter_map(|button| {
                let status = button.select(&select(":scope > strong")).next()?;
                Some((text(status), text(button)))
            })
            .collect();
        Some(Rendered {
            heading,
            fields,
            responses,
        })
    }

    #[test]
    fn the_static_server_stays_inside_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>hi</p>").unwrap();
        assert!(file_for(dir.path(), "/").is_some());
        assert!(file_for(dir.path(), "/index.html").is_some());
        assert!(file_for(dir.path(), "/../etc/passwd").is_none());
        assert!(file_for(dir.path(), "/missing.html").is_none());
    }
}
