//! `cargo xtask record`: make one real call and save it as a HAR recording.
//!
//! resolve → send → scrub → HAR → write:
//! - **resolve**: the request comes from the spec model (the path
//!   parameter's example, a request-body example) unless `--id`/`--body`
//!   override it, so a recording is always a call the generated client can
//!   make;
//! - **send**: redirects are not followed, so the token never goes to
//!   another host and the recording shows what the API itself answered;
//! - **scrub** ([`scrub`]): the token is read from `GENVIRAL_API_KEY` and
//!   never written: any echo of it (or of its secret half) is replaced,
//!   credentials and cookies are dropped, and so are the framing headers
//!   (the recording stores the decoded body);
//! - **HAR** ([`har_file`]): the recorded `Authorization` is the contract
//!   suite's [`REDACTED_AUTHORIZATION`], the conventions the replay relies on
//!   come from `tests/src/har_conventions.rs` (shared with the replayer);
//! - **write**: refused if the token still appears anywhere, or if the file
//!   exists without `--force`; written atomically.
//!
//! Workflow (README "Recording a response"): record, review the file, commit
//! it, run the contract tests.

mod har_file;
mod scrub;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::har_conventions::REDACTED_AUTHORIZATION;
use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::{files, paths};
use scrub::Scrubber;

/// `cargo xtask record`: which call to make and where its recording goes.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The operationId to call, e.g. `update_pack`.
    #[arg(long, value_name = "ID")]
    pub operation: String,
    /// Case name (lower-case, digits, `_`); the file is
    /// `tests/recorded/<operation>/<status>_<case>.har`.
    #[arg(long, value_name = "NAME")]
    pub case: String,
    /// API base URL [default: GENVIRAL_BASE_URL, else the spec's first server].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Path id [default: the path parameter's example in the spec].
    #[arg(long, value_name = "UUID")]
    pub id: Option<String>,
    /// Request body as JSON, or `@file.json` [default: a request example from the spec].
    #[arg(long, value_name = "JSON|@FILE")]
    pub body: Option<String>,
    /// Name of the spec's request example to send [default: the first by name].
    #[arg(long, value_name = "NAME", conflicts_with = "body")]
    pub example: Option<String>,
    /// Replace an existing recording.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub spec: paths::SpecArg,
}

/// The API token; its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token from `GENVIRAL_API_KEY`, trimmed.
    fn from_env() -> anyhow::Result<Token> {
        std::env::var("GENVIRAL_API_KEY")
            .ok()
            .map(|token| token.trim().to_string())
            .filter(|token| !token.is_empty())
            .map(Token)
            .context("set GENVIRAL_API_KEY to the API token (`<public_id>.<secret>`)")
    }

    fn secret(&self) -> &str {
        &self.0
    }

    /// `Bearer <token>`, marked sensitive so that no log shows it.
    fn authorization(&self) -> anyhow::Result<reqwest::header::HeaderValue> {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.0))
            .map_err(|_| {
                anyhow::anyhow!("GENVIRAL_API_KEY holds characters not allowed in a header")
            })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// What was recorded.
#[derive(Debug)]
pub struct Recorded {
    /// The file written.
    pub path: PathBuf,
    /// The response status.
    pub status: u16,
    /// The response's `error_code`, if any.
    pub error_code: Option<String>,
}

/// Records one call into `tests/recorded/` and says what to do next.
pub fn run(mut args: Args) -> anyhow::Result<()> {
    let token = Token::from_env()?;
    if args.base_url.is_none() {
        args.base_url = std::env::var("GENVIRAL_BASE_URL")
            .ok()
            .filter(|url| !url.is_empty());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let recorded =
        runtime.block_on(record(&args, &token, &paths::in_workspace(paths::RECORDED)))?;
    println!(
        "wrote {} (status {}{})",
        paths::display(&recorded.path),
        recorded.status,
        recorded
            .error_code
            .map(|code| format!(", error_code {code}"))
            .unwrap_or_default()
    );
    println!(
        "next: review it (no personal data?), commit it, run `cargo test -p genviral-partner-contract-tests`"
    );
    Ok(())
}

/// Makes the call and writes its recording below `recorded_dir` (one folder
/// per operation).
pub async fn record(args: &Args, token: &Token, recorded_dir: &Path) -> anyhow::Result<Recorded> {
    if !is_case_name(&args.case) {
        bail!(
            "--case `{}` must be lower-case letters, digits and `_` (e.g. `not_found`): it becomes part of a file name",
            args.case
        );
    }
    let spec = spec::load(&args.spec.path)?;
    let call = resolve(&spec, args)?;
    let exchange = send(&call, token).await?;
    let scrubber = Scrubber::new(token.secret());
    let exchange = scrubber.exchange(exchange);
    let har = har_file::har(&call, &exchange, args)?;
    // Last line of defence: nothing leaves this function with the token in it.
    if scrubber.leaks(&har) {
        bail!("refusing to write a recording that still contains the token");
    }
    let path = write(recorded_dir, args, exchange.status, &har)?;
    Ok(Recorded {
        path,
        status: exchange.status,
        error_code: exchange.error_code(),
    })
}

fn is_case_name(case: &str) -> bool {
    !case.is_empty()
        && case
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The call to make, resolved from the spec and the arguments.
#[derive(Debug)]
struct Call {
    method: reqwest::Method,
    url: String,
    /// The JSON request body, serialised once: what is sent is what is
    /// recorded.
    body: String,
}

/// Resolves method, URL and body from the spec model and the arguments.
fn resolve(spec: &spec::Spec, args: &Args) -> anyhow::Result<Call> {
    let operation = spec.operation(&args.operation).with_context(|| {
        format!(
            "the spec has no operation `{}` (operations: {})",
            args.operation,
            spec.operation_ids().join(", ")
        )
    })?;
    let path = path_with_parameters(spec, &operation, args.id.as_deref())?;
    let body = request_body(&operation, args)?;
    let base = match &args.base_url {
        Some(base) => base.as_str(),
        None => spec
            .base_url()
            .context("the spec has no servers: pass --base-url")?,
    };
    let method = reqwest::Method::from_bytes(operation.method.to_uppercase().as_bytes())
        .with_context(|| format!("`{}` is not an HTTP method", operation.method))?;
    Ok(Call {
        method,
        url: format!("{}{path}", base.trim_end_matches('/')),
        body: serde_json::to_string(&body)?,
    })
}

/// The operation's path with each path parameter filled in: `--id`, else
/// the parameter's example (or its schema's).
fn path_with_parameters(
    spec: &spec::Spec,
    operation: &spec::Operation<'_>,
    id: Option<&str>,
) -> anyhow::Result<String> {
    let mut path = operation.path.to_string();
    for parameter in operation.path_parameters() {
        let value = match id {
            Some(id) => id.to_string(),
            None => parameter
                .example()
                .or_else(|| parameter.schema().map(|s| spec.deref(s))?.get("example"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .with_context(|| {
                    format!(
                        "path parameter `{}` has no example: pass --id",
                        parameter.name
                    )
                })?,
        };
        // Path values are percent-encoded like the generated client does.
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        path = path.replace(&format!("{{{}}}", parameter.name), &encoded);
    }
    Ok(path)
}

/// `--body`, else the request example `--example` names, else the first
/// named example by name, else the body's lone `example`.
fn request_body(operation: &spec::Operation<'_>, args: &Args) -> anyhow::Result<Value> {
    if let Some(body) = &args.body {
        return parse_body(body);
    }
    if operation.request_body().is_none() {
        bail!("`{}` has no JSON request body", args.operation);
    }
    let examples = operation.request_examples();
    let mut named: Vec<_> = examples.iter().filter(|e| e.name.is_some()).collect();
    named.sort_by_key(|example| example.name);
    let chosen = match &args.example {
        Some(wanted) => named
            .iter()
            .copied()
            .find(|example| example.name == Some(wanted.as_str()))
            .with_context(|| {
                let names: Vec<&str> = named.iter().filter_map(|e| e.name).collect();
                format!(
                    "no request example `{wanted}` (examples: {})",
                    names.join(", ")
                )
            })?,
        None => named
            .first()
            .copied()
            .or(examples.first())
            .context("the request body has no example: pass --body")?,
    };
    Ok(chosen.value.clone())
}

/// Reads `--body`: inline JSON, or `@path` to a JSON file.
fn parse_body(argument: &str) -> anyhow::Result<Value> {
    let (text, origin) = match argument.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(Path::new(path)).with_context(|| format!("reading {path}"))?,
            path.to_string(),
        ),
        None => (argument.to_string(), "--body".to_string()),
    };
    serde_json::from_str(&text).with_context(|| format!("{origin} is not JSON"))
}

/// One request and its response, as sent and received (before scrubbing).
#[derive(Debug)]
struct Exchange {
    started: chrono::DateTime<chrono::Utc>,
    elapsed_ms: f64,
    /// The request body sent.
    request_body: String,
    status: u16,
    /// The HTTP version, e.g. `HTTP/1.1`.
    version: String,
    headers: Vec<(String, String)>,
    body: ResponseBody,
}

impl Exchange {
    /// The response's `error_code`, if it is the JSON error envelope.
    fn error_code(&self) -> Option<String> {
        let ResponseBody::Text(text) = &self.body else {
            return None;
        };
        let json: Value = serde_json::from_str(text).ok()?;
        json.get("error_code")?.as_str().map(str::to_string)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A response body: text (scrubbed like everything else), or bytes that
/// are not UTF-8, kept whole (HAR stores them base64).
#[derive(Debug)]
enum ResponseBody {
    Text(String),
    Binary(Vec<u8>),
}

impl ResponseBody {
    fn len(&self) -> usize {
        match self {
            ResponseBody::Text(text) => text.len(),
            ResponseBody::Binary(bytes) => bytes.len(),
        }
    }
}

/// Sends the call with the real token and reads the whole response.
async fn send(call: &Call, token: &Token) -> anyhow::Result<Exchange> {
    let authorization = token.authorization()?;
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let response = http_client()?
        .request(call.method.clone(), &call.url)
        .header(reqwest::header::AUTHORIZATION, authorization)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(call.body.clone())
        .send()
        .await
        // reqwest's error shows the URL, never the headers.
        .with_context(|| format!("{} {} failed", call.method, call.url))?;
    let status = response.status().as_u16();
    let version = format!("{:?}", response.version());
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    let bytes = response
        .bytes()
        .await
        .context("reading the response body")?;
    let exchange = Exchange {
        started,
        elapsed_ms: clock.elapsed().as_secs_f64() * 1000.0,
        request_body: call.body.clone(),
        status,
        version,
        headers,
        body: match String::from_utf8(bytes.to_vec()) {
            Ok(text) => ResponseBody::Text(text),
            Err(error) => ResponseBody::Binary(error.into_bytes()),
        },
    };
    refuse_encoded_body(&exchange)?;
    Ok(exchange)
}

/// A client that follows no redirect: the token goes to the API's host
/// only, and the recording shows what the API itself answered.
fn http_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "genviral-partner-xtask-record/",
            env!("CARGO_PKG_VERSION")
        ))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .context("cannot build the HTTP client")
}

/// A recording stores the decoded body and drops `content-encoding` with
/// the other framing headers; the client asks for no encoding, so a body
/// that arrives encoded anyway could not be stored faithfully.
fn refuse_encoded_body(exchange: &Exchange) -> anyhow::Result<()> {
    match exchange.header("content-encoding") {
        Some(encoding) if !encoding.trim().eq_ignore_ascii_case("identity") => bail!(
            "the response body is `{encoding}`-encoded, which `record` does not decode (a recording stores the decoded body); nothing was written"
        ),
        _ => Ok(()),
    }
}

/// Writes the HAR to `<recorded_dir>/<operation>/<status>_<case>.har`,
/// refusing to replace a file without `--force`.
fn write(recorded_dir: &Path, args: &Args, status: u16, har: &str) -> anyhow::Result<PathBuf> {
    let path = recorded_dir
        .join(&args.operation)
        .join(format!("{status}_{}.har", args.case));
    if path.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it (status {status})",
            paths::display(&path)
        );
    }
    files::write_atomically(&path, &format!("{har}\n"))?;
    Ok(path)
}

#[cfg(test)]
mod tests;
