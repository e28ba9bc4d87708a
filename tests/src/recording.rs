//! Recorded HTTP exchanges: HAR 1.2 files under `tests/recorded/<operationId>/`.
//!
//! HAR is what browser devtools, mitmproxy and Playwright export, so real
//! traffic can be dropped in unchanged. Each file holds one or more entries;
//! every entry is one request the client should send and the response the
//! server gave.

use std::path::{Path, PathBuf};

use har::Spec;

pub use crate::har_conventions::{
    FRAMING_HEADERS, REDACTED, REDACTED_AUTHORIZATION, is_framing_header,
};

/// One recorded request/response pair, ready to replay.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The file it came from.
    pub file: PathBuf,
    /// The operation (the directory name), e.g. `update_pack`.
    pub operation_id: String,
    /// The case (file stem, plus `#n` when the file has several entries).
    pub case: String,
    /// What the client is expected to send.
    pub request: RecordedRequest,
    /// What the server answered.
    pub response: RecordedResponse,
}

impl Recording {
    /// `operation/case`, the name tests and messages use.
    pub fn name(&self) -> String {
        format!("{}/{}", self.operation_id, self.case)
    }
}

/// The request half of a recording.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// URL path, e.g. `/api/partner/v1/packs/1111…`.
    pub path: String,
    /// Query pairs in order.
    pub query: Vec<(String, String)>,
    /// Header pairs as recorded (the token is redacted).
    pub headers: Vec<(String, String)>,
    /// The JSON body, when there is one.
    pub body: Option<serde_json::Value>,
}

/// The response half of a recording.
#[derive(Debug, Clone)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Header pairs as recorded.
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as recorded (may be empty, HTML, truncated…).
    pub body: Vec<u8>,
}

impl RecordedResponse {
    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Every recording below `root` (one directory per operation), sorted by name.
pub fn load_all(root: &Path) -> Result<Vec<Recording>, String> {
    let mut files = Vec::new();
    let operations = std::fs::read_dir(root).map_err(|e| format!("{}: {e}", root.display()))?;
    for operation in operations {
        let operation = operation
            .map_err(|e| format!("{}: {e}", root.display()))?
            .path();
        if !operation.is_dir() {
            continue;
        }
        for file in
            std::fs::read_dir(&operation).map_err(|e| format!("{}: {e}", operation.display()))?
        {
            let file = file
                .map_err(|e| format!("{}: {e}", operation.display()))?
                .path();
            if file.extension().is_some_and(|ext| ext == "har") {
                files.push(file);
            }
        }
    }
    files.sort();
    let mut recordings = Vec::new();
    for file in files {
        recordings.extend(load(&file)?);
    }
    Ok(recordings)
}

/// The recordings in one HAR file.
pub fn load(file: &Path) -> Result<Vec<Recording>, String> {
    let fail = |message: String| format!("{}: {message}", file.display());
    let operation_id = file
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            fail("a recording must sit in a directory named after its operation".into())
        })?;
    let stem = file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let har = har::from_path(file).map_err(|e| fail(format!("not a HAR file: {e}")))?;
    let Spec::V1_2(log) = har.log else {
        return Err(fail("expected HAR version 1.2".into()));
    };
    if log.entries.is_empty() {
        return Err(fail("the HAR log has no entries".into()));
    }
    let several = log.entries.len() > 1;
    log.entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let case = if several {
                format!("{stem}#{}", index + 1)
            } else {
                stem.clone()
            };
            let fail =
                |message: String| format!("{} (entry {}): {message}", file.display(), index + 1);
            let url = url::Url::parse(&entry.request.url)
                .map_err(|e| fail(format!("request URL `{}`: {e}", entry.request.url)))?;
            let body = match &entry.request.post_data {
                Some(post) => match post.text.as_deref() {
                    Some(text) if !text.is_empty() => Some(
                        serde_json::from_str(text)
                            .map_err(|e| fail(format!("request body is not JSON: {e}")))?,
                    ),
                    _ => None,
                },
                None => None,
            };
            let response_body = match entry.response.content.text {
                // HAR stores binary bodies base64-encoded.
                Some(text) if entry.response.content.encoding.as_deref() == Some("base64") => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .decode(text.trim())
                        .map_err(|e| fail(format!("response body is not valid base64: {e}")))?
                }
                Some(text) => text.into_bytes(),
                None => Vec::new(),
            };
            Ok(Recording {
                file: file.to_path_buf(),
                operation_id: operation_id.clone(),
                case,
                request: RecordedRequest {
                    method: entry.request.method.to_uppercase(),
                    path: url.path().to_string(),
                    query: entry
                        .request
                        .query_string
                        .iter()
                        .map(|q| (q.name.clone(), q.value.clone()))
                        .collect(),
                    headers: entry
                        .request
                        .headers
                        .iter()
                        .map(|h| (h.name.clone(), h.value.clone()))
                        .collect(),
                    body,
                },
                response: RecordedResponse {
                    status: u16::try_from(entry.response.status).map_err(|_| {
                        fail(format!("status {} out of range", entry.response.status))
                    })?,
                    headers: entry
                        .response
                        .headers
                        .iter()
                        .map(|h| (h.name.clone(), h.value.clone()))
                        .collect(),
                    body: response_body,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redacted_authorization_is_a_bearer_of_the_redaction_marker() {
        assert_eq!(REDACTED_AUTHORIZATION, format!("Bearer {REDACTED}"));
    }

    #[test]
    fn framing_headers_match_whatever_their_case() {
        assert!(is_framing_header("Content-Encoding"));
        assert!(is_framing_header("TRANSFER-ENCODING"));
        assert!(!is_framing_header("content-type"));
        assert!(!is_framing_header("retry-after"));
    }
}
