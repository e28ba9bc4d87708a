//! `cargo xtask record`: make one real call and save it as a HAR recording.
//!
//! The request comes from the spec (the path parameter's example and a
//! request-body example) unless `--id`/`--body` override it, so a recording
//! is always a call the generated client can make. The token is read from
//! `GENVIRAL_API_KEY` and never written: the recorded `Authorization` is
//! `Bearer <redacted>`, and any echo of the token (or its secret half) in
//! the response headers or body is replaced before the file is written.
//! Redirects are not followed, so the token never goes to another host and
//! the recording shows what the API itself answered.
//!
//! Workflow (README "Recording a response"): record, review the file, commit
//! it, run the contract tests.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use base64::Engine;
use serde_json::Value;

/// The value recordings carry instead of the token (the contract tests
/// require exactly this).
pub const REDACTED_AUTHORIZATION: &str = "Bearer <redacted>";
const REDACTED: &str = "<redacted>";

/// What to record.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec the operation is looked up in.
    pub spec: PathBuf,
    /// The operationId, e.g. `update_pack`.
    pub operation: String,
    /// The case name; the file is `<status>_<case>.har`.
    pub case: String,
    /// Base URL of the API; `None` uses the spec's first server.
    pub base_url: Option<String>,
    /// The path id; `None` uses the path parameter's example.
    pub id: Option<String>,
    /// The request body (JSON); `None` uses a request example.
    pub body: Option<Value>,
    /// Which request example to use when `body` is `None` (default: the first
    /// by name; the spec is read into a sorted map).
    pub example: Option<String>,
    /// The API token (from `GENVIRAL_API_KEY`).
    pub token: String,
    /// The directory holding one folder per operation (`tests/recorded`).
    pub out_dir: PathBuf,
    /// Replace an existing recording.
    pub force: bool,
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

/// The call to make, resolved from the spec and the options.
struct Call {
    method: reqwest::Method,
    url: String,
    body: Value,
}

/// Makes the call and writes the recording.
pub async fn record(options: &Options) -> anyhow::Result<Recorded> {
    if !is_case_name(&options.case) {
        bail!(
            "--case `{}` must be lower-case letters, digits and `_` (e.g. `not_found`): it becomes part of a file name",
            options.case
        );
    }
    let spec = spec::load(&options.spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    let call = resolve(spec.json(), options)?;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "genviral-partner-xtask-record/",
            env!("CARGO_PKG_VERSION")
        ))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .context("cannot build the HTTP client")?;
    let request_text = serde_json::to_string(&call.body)?;
    let mut authorization =
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", options.token)).map_err(
            |_| anyhow::anyhow!("GENVIRAL_API_KEY holds characters not allowed in a header"),
        )?;
    authorization.set_sensitive(true);
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let response = client
        .request(call.method.clone(), &call.url)
        .header(reqwest::header::AUTHORIZATION, authorization)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(request_text.clone())
        .send()
        .await
        // reqwest's error shows the URL, never the headers.
        .with_context(|| format!("{} {} failed", call.method, call.url))?;
    let status = response.status().as_u16();
    let version = format!("{:?}", response.version());
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let bytes = response
        .bytes()
        .await
        .context("reading the response body")?;
    let elapsed_ms = clock.elapsed().as_secs_f64() * 1000.0;

    let scrub = Scrubber::new(&options.token);
    let mime = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.clone());
    let (text, encoding) = match std::str::from_utf8(&bytes) {
        Ok(text) => (scrub.text(text), None),
        // Keep every byte: binary bodies are stored base64, as HAR allows.
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(&bytes),
            Some("base64".to_string()),
        ),
    };
    let error_code = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|json| json.get("error_code")?.as_str().map(str::to_string));

    let har = har::Har {
        log: har::Spec::V1_2(har::v1_2::Log {
            creator: har::v1_2::Creator {
                name: "cargo xtask record".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                comment: None,
            },
            browser: None,
            pages: None,
            entries: vec![har::v1_2::Entries {
                pageref: None,
                started_date_time: started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                time: elapsed_ms,
                request: har::v1_2::Request {
                    method: call.method.to_string(),
                    url: call.url.clone(),
                    http_version: "HTTP/1.1".into(),
                    cookies: Vec::new(),
                    headers: vec![
                        header("Authorization", REDACTED_AUTHORIZATION),
                        header("Content-Type", "application/json"),
                        header("Accept", "application/json"),
                    ],
                    query_string: Vec::new(),
                    post_data: Some(har::v1_2::PostData {
                        mime_type: "application/json".into(),
                        text: Some(scrub.text(&request_text)),
                        params: None,
                        comment: None,
                    }),
                    headers_size: -1,
                    body_size: i64::try_from(request_text.len()).unwrap_or(-1),
                    comment: None,
                },
                response: har::v1_2::Response {
                    status: i64::from(status),
                    status_text: String::new(),
                    http_version: version,
                    cookies: Vec::new(),
                    headers: headers
                        .iter()
                        .filter(|(name, _)| !is_framing(name))
                        .map(|(name, value)| header(name, &scrub.header(name, value)))
                        .collect(),
                    content: har::v1_2::Content {
                        size: i64::try_from(bytes.len()).unwrap_or(-1),
                        compression: None,
                        mime_type: mime,
                        text: Some(text),
                        encoding,
                        comment: None,
                    },
                    redirect_url: None,
                    headers_size: -1,
                    body_size: i64::try_from(bytes.len()).unwrap_or(-1),
                    comment: None,
                },
                cache: har::v1_2::Cache {
                    before_request: None,
                    after_request: None,
                },
                timings: har::v1_2::Timings {
                    blocked: None,
                    dns: None,
                    connect: None,
                    send: 0.0,
                    wait: elapsed_ms,
                    receive: 0.0,
                    ssl: None,
                    comment: None,
                },
                server_ip_address: None,
                connection: None,
                comment: Some(format!(
                    "Recorded by `cargo xtask record --operation {} --case {}`; the token is redacted.",
                    options.operation, options.case
                )),
            }],
            comment: None,
        }),
    };
    let json = har::to_json(&har).context("serialising the HAR")?;
    // Last line of defence: nothing leaves this function with the token in it.
    if scrub.leaks(&json) {
        bail!("refusing to write a recording that still contains the token");
    }

    let dir = options.out_dir.join(&options.operation);
    let path = dir.join(format!("{status}_{}.har", options.case));
    if path.exists() && !options.force {
        bail!(
            "{} exists; pass --force to replace it (status {status})",
            crate::paths::display(&path)
        );
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    crate::generate::write_atomically(&path, &format!("{json}\n"))?;
    Ok(Recorded {
        path,
        status,
        error_code,
    })
}

fn header(name: &str, value: &str) -> har::v1_2::Headers {
    har::v1_2::Headers {
        name: name.to_string(),
        value: value.to_string(),
        comment: None,
    }
}

/// Connection framing, not content: the body is stored decoded and may be
/// shortened by redaction, so its recorded length would be wrong.
fn is_framing(name: &str) -> bool {
    [
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
    ]
    .iter()
    .any(|framing| name.eq_ignore_ascii_case(framing))
}

fn is_case_name(case: &str) -> bool {
    !case.is_empty()
        && case
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Resolves method, URL and body from the spec and the options.
fn resolve(doc: &Value, options: &Options) -> anyhow::Result<Call> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .context("the spec has no paths")?;
    let mut found = None;
    for (template, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if operation.get("operationId").and_then(Value::as_str) == Some(&options.operation) {
                found = Some((template, method, operation));
            }
        }
    }
    let Some((template, method, operation)) = found else {
        let ids: Vec<&str> = paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .filter_map(|op| op.get("operationId")?.as_str())
            .collect();
        bail!(
            "the spec has no operation `{}` (operations: {})",
            options.operation,
            ids.join(", ")
        );
    };

    let mut path = template.clone();
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| spec::deref(doc, parameter))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("path"))
    {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = match &options.id {
            Some(id) => id.clone(),
            None => parameter
                .get("example")
                .or_else(|| parameter.pointer("/schema/example"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .with_context(|| format!("path parameter `{name}` has no example: pass --id"))?,
        };
        // Path values are percent-encoded like the generated client does.
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        path = path.replace(&format!("{{{name}}}"), &encoded);
    }

    let body = match &options.body {
        Some(body) => body.clone(),
        None => {
            let media = operation
                .get("requestBody")
                .map(|body| spec::deref(doc, body))
                .and_then(|body| body.pointer("/content/application~1json"))
                .context("the operation has no JSON request body")?;
            let examples = media.get("examples").and_then(Value::as_object);
            match (&options.example, examples) {
                (Some(name), Some(examples)) => examples
                    .get(name)
                    .map(|example| spec::deref(doc, example))
                    .and_then(|example| example.get("value"))
                    .cloned()
                    .with_context(|| {
                        format!(
                            "no request example `{name}` (examples: {})",
                            examples.keys().cloned().collect::<Vec<_>>().join(", ")
                        )
                    })?,
                (None, Some(examples)) => examples
                    .values()
                    .next()
                    .map(|example| spec::deref(doc, example))
                    .and_then(|example| example.get("value"))
                    .cloned()
                    .context("the request examples hold no value: pass --body")?,
                (_, None) => media
                    .get("example")
                    .cloned()
                    .context("the request body has no example: pass --body")?,
            }
        }
    };

    let base = match &options.base_url {
        Some(base) => base.clone(),
        None => doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .context("the spec has no servers: pass --base-url")?
            .to_string(),
    };
    let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes())
        .with_context(|| format!("`{method}` is not an HTTP method"))?;
    Ok(Call {
        method,
        url: format!("{}{path}", base.trim_end_matches('/')),
        body,
    })
}

/// Removes the token from everything that is written.
struct Scrubber {
    /// The full token and its secret half (after the first `.`), longest
    /// first; pieces too short to be meaningful are not scrubbed.
    secrets: Vec<String>,
}

impl Scrubber {
    fn new(token: &str) -> Scrubber {
        let mut secrets = vec![token.to_string()];
        if let Some((_, secret)) = token.split_once('.') {
            secrets.push(secret.to_string());
        }
        secrets.retain(|secret| secret.len() >= 6);
        Scrubber { secrets }
    }

    fn text(&self, text: &str) -> String {
        self.secrets.iter().fold(text.to_string(), |text, secret| {
            text.replace(secret, REDACTED)
        })
    }

    /// Header values are scrubbed; credentials and cookies are dropped
    /// whatever they hold.
    fn header(&self, name: &str, value: &str) -> String {
        let sensitive = [
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
        ];
        if sensitive.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            REDACTED.to_string()
        } else {
            self.text(value)
        }
    }

    fn leaks(&self, text: &str) -> bool {
        self.secrets.iter().any(|secret| text.contains(secret))
    }
}

/// Reads `--body`: inline JSON, or `@path` to a JSON file.
pub fn parse_body(argument: &str) -> anyhow::Result<Value> {
    let (text, origin) = match argument.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(Path::new(path)).with_context(|| format!("reading {path}"))?,
            path.to_string(),
        ),
        None => (argument.to_string(), "--body".to_string()),
    };
    serde_json::from_str(&text).with_context(|| format!("{origin} is not JSON"))
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const TOKEN: &str = "gva_live_pub123.SECRETsecretSECRET";

    fn options(server: &MockServer, out_dir: &Path) -> Options {
        Options {
            spec: crate::paths::workspace_root().join(crate::paths::SPEC),
            operation: "update_pack".into(),
            case: "not_found".into(),
            base_url: Some(format!("{}/api/partner/v1", server.uri())),
            id: None,
            body: None,
            example: None,
            token: TOKEN.into(),
            out_dir: out_dir.to_path_buf(),
            force: false,
        }
    }

    #[tokio::test]
    async fn records_the_exchange_with_the_token_redacted_everywhere() {
        let server = MockServer::start().await;
        // A server that echoes the token back: the recording must not keep it.
        Mock::given(method("PATCH"))
            .and(path(
                "/api/partner/v1/packs/11111111-1111-1111-1111-111111111111",
            ))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(
                ResponseTemplate::new(404)
                    .insert_header("set-cookie", "session=abc")
                    .insert_header("x-debug-token", TOKEN)
                    .set_body_raw(
                        r#"{"ok":false,"code":404,"message":"Pack not found for SECRETsecretSECRET","error_code":"not_found"}"#,
                        "application/json",
                    ),
            )
            .expect(1)
            .mount(&server)
            .await;
        let out = tempfile::tempdir().unwrap();
        let recorded = record(&options(&server, out.path())).await.unwrap();

        assert_eq!(recorded.status, 404);
        assert_eq!(recorded.error_code.as_deref(), Some("not_found"));
        assert_eq!(
            recorded.path,
            out.path().join("update_pack/404_not_found.har")
        );
        let text = std::fs::read_to_string(&recorded.path).unwrap();
        assert!(!text.contains("SECRETsecretSECRET"), "{text}");
        assert!(!text.contains("session=abc"), "{text}");

        let har::Spec::V1_2(log) = har::from_path(&recorded.path).unwrap().log else {
            panic!("HAR 1.2 expected");
        };
        let entry = &log.entries[0];
        assert_eq!(entry.request.method, "PATCH");
        let auth = entry
            .request
            .headers
            .iter()
            .find(|h| h.name == "Authorization")
            .unwrap();
        assert_eq!(auth.value, REDACTED_AUTHORIZATION);
        // The body is the spec's first request example for update_pack.
        let sent: Value = serde_json::from_str(
            entry
                .request
                .post_data
                .as_ref()
                .unwrap()
                .text
                .as_ref()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            sent,
            serde_json::json!({"name": "Motivation Pack v2", "is_public": true})
        );
        assert_eq!(entry.response.status, 404);
        assert!(
            entry
                .response
                .content
                .text
                .as_deref()
                .unwrap()
                .contains("Pack not found for <redacted>")
        );

        // The contract suite loads it, finds it documented, and replays it.
        let contract = contract_tests::contract::Contract::load().unwrap();
        let [recording] = contract_tests::recording::load(&recorded.path)
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(
            contract_tests::contract::coverage_gaps(&contract, std::slice::from_ref(&recording))
                .iter()
                .filter(|gap| gap.starts_with("recording "))
                .count(),
            0
        );
        contract_tests::replay::replay(&recording, &contract)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn refuses_to_overwrite_and_accepts_force() {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
            .mount(&server)
            .await;
        let out = tempfile::tempdir().unwrap();
        let mut options = options(&server, out.path());
        options.case = "updated".into();
        options.operation = "move_folder".into();
        options.body = Some(serde_json::json!({"parent_folder_id": null}));
        options.id = Some("../../etc".into());
        let first = record(&options).await.unwrap();
        let text = std::fs::read_to_string(&first.path).unwrap();
        assert!(
            text.contains("/folders/..%2F..%2Fetc"),
            "path values are encoded: {text}"
        );
        let again = record(&options).await.unwrap_err().to_string();
        assert!(again.contains("exists; pass --force"), "{again}");
        options.force = true;
        record(&options).await.unwrap();
    }

    #[tokio::test]
    async fn bad_input_is_refused_before_any_request() {
        let server = MockServer::start().await;
        let out = tempfile::tempdir().unwrap();
        let mut options = options(&server, out.path());
        options.operation = "delete_pack".into();
        let error = record(&options).await.unwrap_err().to_string();
        assert!(
            error.contains("no operation `delete_pack` (operations: move_folder, update_pack"),
            "{error}"
        );
        options.operation = "update_pack".into();
        options.case = "Not Found".into();
        assert!(
            record(&options)
                .await
                .unwrap_err()
                .to_string()
                .contains("--case")
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[test]
    fn scrubber_removes_token_and_secret_half() {
        let scrub = Scrubber::new(TOKEN);
        assert_eq!(
            scrub.text(&format!("a {TOKEN} b SECRETsecretSECRET")),
            "a <redacted> b <redacted>"
        );
        assert_eq!(scrub.header("Set-Cookie", "x=1"), "<redacted>");
        assert!(scrub.leaks("..SECRETsecretSECRET.."));
    }
}
