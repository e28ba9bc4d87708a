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

/// How to get the browser [`chromium`] looks for.
pub const INSTALL_HINT: &str =
    "`apt-get install chromium` (Debian), or set CHROMIUM=/path/to/chrome";

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

impl StaticServer {
    /// The URL of the folder's `index.html`.
    pub fn page_url(&self) -> String {
        format!("{}/index.html", self.url)
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
