//! Serving a [`Recording`] from a local mock server, making the matching call
//! with the generated client, and comparing both halves of the exchange.

use std::fmt;

use genviral_partner::{
    ApiError, Client, DEFAULT_BASE_URL, ErrorCode, ErrorKind, ResponseValue, RetryPolicy,
};
use serde::Serialize;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::contract::Contract;
use crate::operations;
use crate::recording::{REDACTED_AUTHORIZATION, Recording, is_framing_header};

/// The token the replaying client authenticates with. Recordings themselves
/// carry [`REDACTED_AUTHORIZATION`].
pub const TEST_TOKEN: &str = "gva_test_replay.contract-test-secret";

/// What the generated client returned, reduced to what a test compares.
///
/// Errors are compared through [`ApiError`], the one error type callers
/// use, so the suite checks what callers see (status, `ErrorCode`, message,
/// raw body) rather than progenitor's internal error.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A success response, its typed value serialised back to JSON.
    Success {
        /// HTTP status.
        status: u16,
        /// The decoded value, serialised back to JSON.
        value: serde_json::Value,
    },
    /// An [`ApiError`], reduced.
    Failure {
        /// What kind of failure.
        kind: ErrorKind,
        /// HTTP status, when there was a reply.
        status: Option<u16>,
        /// The `error_code`, as the caller sees it.
        error_code: Option<ErrorCode>,
        /// The message.
        message: String,
        /// The body, when it was not the JSON envelope.
        raw_body: Option<Vec<u8>>,
    },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Success { status, .. } => write!(f, "success {status}"),
            Outcome::Failure {
                kind,
                status,
                error_code,
                message,
                raw_body,
            } => write!(
                f,
                "{kind:?} error (status {status:?}, error_code {error_code:?}, message {message:?}, raw body {})",
                raw_body
                    .as_ref()
                    .map_or("none".to_string(), |b| format!("{} bytes", b.len()))
            ),
        }
    }
}

/// Turns a generated call's result into an [`Outcome`].
pub fn outcome<T: Serialize>(result: Result<ResponseValue<T>, ApiError>) -> Outcome {
    match result {
        Ok(response) => Outcome::Success {
            status: response.status().as_u16(),
            value: serde_json::to_value(response.into_inner())
                .expect("generated types serialise to JSON"),
        },
        Err(error) => Outcome::Failure {
            kind: error.kind(),
            status: error.status().map(|s| s.as_u16()),
            error_code: error.error_code(),
            message: error.message().to_string(),
            raw_body: error.raw_body().map(<[u8]>::to_vec),
        },
    }
}

/// The path prefix of the API's base URL (`/api/partner/v1`), taken from the
/// spec's `servers` via the generated constant.
pub fn api_prefix() -> String {
    url::Url::parse(DEFAULT_BASE_URL)
        .expect("the spec's server URL is absolute")
        .path()
        .trim_end_matches('/')
        .to_string()
}

/// Replays `recording` and checks the request the client sent and the
/// outcome it returned. The error names the recording and the expectation.
pub async fn replay(recording: &Recording, contract: &Contract) -> Result<Outcome, String> {
    let fail = |message: String| {
        format!(
            "{} ({}): {message}",
            recording.name(),
            recording.file.display()
        )
    };

    let server = MockServer::start().await;
    let mut template = ResponseTemplate::new(recording.response.status)
        .set_body_bytes(recording.response.body.clone());
    for (name, value) in &recording.response.headers {
        if !is_framing_header(name) {
            template = template.insert_header(name.as_str(), value.as_str());
        }
    }
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;

    let base_url = format!("{}{}", server.uri(), api_prefix());
    // One recorded exchange is one request: retries would repeat it.
    let client = Client::builder()
        .base_url(base_url)
        .token(TEST_TOKEN)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let outcome = operations::call(&client, recording).await.map_err(&fail)?;

    let received = server
        .received_requests()
        .await
        .ok_or_else(|| fail("the mock server did not record requests".into()))?;
    check_request(recording, &received).map_err(&fail)?;
    check_request_schema(recording, contract, &received[0]).map_err(&fail)?;
    check_outcome(recording, &outcome).map_err(&fail)?;
    Ok(outcome)
}

/// The client must have sent exactly the recorded request.
fn check_request(recording: &Recording, received: &[wiremock::Request]) -> Result<(), String> {
    let [sent] = received else {
        return Err(format!(
            "expected exactly one request, the server received {}",
            received.len()
        ));
    };
    let expected = &recording.request;
    if sent.method.as_str() != expected.method {
        return Err(format!(
            "request method: sent {}, recorded {}",
            sent.method, expected.method
        ));
    }
    if sent.url.path() != expected.path {
        return Err(format!(
            "request path: sent {}, recorded {}",
            sent.url.path(),
            expected.path
        ));
    }
    let query: Vec<(String, String)> = sent
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if query != expected.query {
        return Err(format!(
            "request query: sent {query:?}, recorded {:?}",
            expected.query
        ));
    }
    let recorded_auth = expected
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.as_str());
    if recorded_auth != Some(REDACTED_AUTHORIZATION) {
        return Err(format!(
            "the recording must carry `Authorization: {REDACTED_AUTHORIZATION}` (never a real token), found {recorded_auth:?}"
        ));
    }
    let sent_auth = sent
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if sent_auth != Some(format!("Bearer {TEST_TOKEN}").as_str()) {
        return Err(format!(
            "request Authorization header: sent {sent_auth:?}, expected the client's bearer token"
        ));
    }
    let sent_body: Option<serde_json::Value> = if sent.body.is_empty() {
        None
    } else {
        Some(
            serde_json::from_slice(&sent.body)
                .map_err(|e| format!("request body is not JSON: {e}"))?,
        )
    };
    if sent_body != expected.body {
        return Err(format!(
            "request body differs:\n  sent:     {}\n  recorded: {}",
            show(&sent_body),
            show(&expected.body)
        ));
    }
    Ok(())
}

/// The body the client sent must satisfy the operation's request schema.
fn check_request_schema(
    recording: &Recording,
    contract: &Contract,
    sent: &wiremock::Request,
) -> Result<(), String> {
    let body: serde_json::Value =
        serde_json::from_slice(&sent.body).map_err(|e| format!("request body is not JSON: {e}"))?;
    contract
        .validate_request(&recording.operation_id, &body)
        .map_err(|errors| {
            format!(
                "the request body the client sent does not match the spec's request schema:\n  {}",
                errors.join("\n  ")
            )
        })
}

fn show(body: &Option<serde_json::Value>) -> String {
    body.as_ref()
        .map_or_else(|| "(none)".to_string(), ToString::to_string)
}

/// The typed outcome must agree with the recorded response.
fn check_outcome(recording: &Recording, outcome: &Outcome) -> Result<(), String> {
    let status = recording.response.status;
    let recorded = recording.response.json();
    match outcome {
        Outcome::Success { status: got, value } => {
            let Some(recorded) = recorded.filter(|_| (200..300).contains(&status)) else {
                return Err(format!(
                    "recorded status {status}, but the client returned {outcome}"
                ));
            };
            if *got != status {
                return Err(format!("status: client saw {got}, recorded {status}"));
            }
            is_subset(value, &recorded, "$")
                .map_err(|e| format!("decoded success value differs from the recording: {e}"))
        }
        Outcome::Failure {
            kind,
            status: got,
            error_code,
            message,
            raw_body,
        } => {
            if *got != Some(status) {
                return Err(format!(
                    "status: the ApiError carries {got:?}, recorded {status} ({outcome})"
                ));
            }
            if status < 400 {
                return Err(format!(
                    "recorded success status {status}, but the client returned {outcome}"
                ));
            }
            if *kind != ErrorKind::Api {
                return Err(format!("expected an ErrorKind::Api error, got {outcome}"));
            }
            let envelope = recorded.as_ref().filter(|json| {
                json.get("message")
                    .is_some_and(serde_json::Value::is_string)
            });
            match envelope {
                Some(envelope) => {
                    let recorded_code = envelope
                        .get("error_code")
                        .and_then(|v| v.as_str())
                        .map(ErrorCode::from);
                    let recorded_message = envelope.get("message").and_then(|v| v.as_str());
                    if *error_code != recorded_code {
                        Err(format!(
                            "error_code: client saw {error_code:?}, recorded {recorded_code:?}"
                        ))
                    } else if Some(message.as_str()) != recorded_message {
                        Err(format!(
                            "message: client saw {message:?}, recorded {recorded_message:?}"
                        ))
                    } else if raw_body.is_some() {
                        Err("an envelope body must not be reported as a raw body".into())
                    } else {
                        Ok(())
                    }
                }
                // Not Genviral's envelope (HTML from a proxy, an empty body):
                // the caller gets the bytes, and no error code.
                None => {
                    if raw_body.as_deref() != Some(recording.response.body.as_slice()) {
                        Err(format!(
                            "raw body: the ApiError carries {:?}, recorded {:?}",
                            raw_body.as_deref().map(String::from_utf8_lossy),
                            String::from_utf8_lossy(&recording.response.body)
                        ))
                    } else if error_code.is_some() {
                        Err(format!(
                            "error_code: expected none, client saw {error_code:?}"
                        ))
                    } else {
                        Ok(())
                    }
                }
            }
        }
    }
}

/// Every member the typed value has must be in the recording with the same
/// value. The recording may have more (fields the client does not model);
/// a `null` the client serialises may stand for a member the recording lacks.
pub fn is_subset(
    typed: &serde_json::Value,
    recorded: &serde_json::Value,
    at: &str,
) -> Result<(), String> {
    use serde_json::Value;
    match (typed, recorded) {
        (Value::Object(typed), Value::Object(recorded)) => {
            for (key, value) in typed {
                let here = format!("{at}.{key}");
                match recorded.get(key) {
                    Some(other) => is_subset(value, other, &here)?,
                    None if value.is_null() => {}
                    None => {
                        return Err(format!(
                            "{here}: decoded {value}, absent from the recording"
                        ));
                    }
                }
            }
            Ok(())
        }
        (Value::Array(typed), Value::Array(recorded)) if typed.len() == recorded.len() => typed
            .iter()
            .zip(recorded)
            .enumerate()
            .try_for_each(|(index, (a, b))| is_subset(a, b, &format!("{at}[{index}]"))),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{at}: decoded {a}, recorded {b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subset_accepts_extra_recorded_fields_and_rejects_changed_values() {
        let recorded = json!({"id": "a", "n": 1, "extra": true, "list": [{"x": 1.0}]});
        assert!(
            is_subset(
                &json!({"id": "a", "n": 1, "list": [{"x": 1}]}),
                &recorded,
                "$"
            )
            .is_ok()
        );
        let error = is_subset(&json!({"id": "b"}), &recorded, "$").unwrap_err();
        assert_eq!(error, r#"$.id: decoded "b", recorded "a""#);
        assert!(is_subset(&json!({"list": []}), &recorded, "$").is_err());
    }

    #[test]
    fn timestamps_must_come_back_as_written() {
        let recorded = json!({"created_at": "2026-02-14T09:00:00.000Z"});
        let rewritten = json!({"created_at": "2026-02-14T09:00:00Z"});
        assert!(is_subset(&rewritten, &recorded, "$").is_err());
    }
}
