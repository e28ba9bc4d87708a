//! The one place every request passes through.
//!
//! progenitor's generated builders call [`ClientHooks`] around each request;
//! the generator is told to require an implementation (a missing one is a
//! compile error, not a silent no-op), and this is it: retries with backoff
//! (see [`crate::retry`]) and a `tracing` span per request.

use std::time::{Instant, SystemTime};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use tracing::Instrument as _;

use crate::error::RAW_BODY_MARKER;
use crate::retry::{is_retryable_error, is_retryable_status};
use crate::{Client, ClientState, NON_EMPTY_BODIES, types};

impl ClientHooks<ClientState> for Client {
    /// Refuses, before anything is sent, a PATCH whose body sets no field:
    /// the server would answer `422 invalid_payload`.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let Some((_, fields)) = NON_EMPTY_BODIES
            .iter()
            .find(|(operation, _)| *operation == info.operation_id)
        else {
            return Ok(());
        };
        // The generated builder serialises the body with serde_json, which
        // writes an object without fields as exactly `{}`: comparing bytes
        // avoids parsing every request body again (see BENCHMARKS.md).
        let empty = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .is_some_and(is_empty_object);
        if empty {
            return Err(progenitor_client::Error::InvalidRequest(format!(
                "{}: the body sets no field; set at least one of: {}",
                info.operation_id,
                fields.join(", ")
            )));
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // Fields recorded at INFO are metadata only: never bodies or headers
        // (the Authorization header is a secret).
        let span = tracing::info_span!(
            "genviral_partner.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let response = self
            .exec_with_retries(request, info)
            .instrument(span.clone())
            .await?;
        span.record("status", response.status().as_u16());
        if response.status().is_client_error() || response.status().is_server_error() {
            return normalize_error_body(response).await;
        }
        Ok(response)
    }
}

/// Whether `bytes` is a JSON object without members (`{}`, whitespace allowed).
fn is_empty_object(bytes: &[u8]) -> bool {
    let mut significant = bytes.iter().filter(|b| !b.is_ascii_whitespace());
    significant.next() == Some(&b'{')
        && significant.next() == Some(&b'}')
        && significant.next().is_none()
}

/// Makes every error response decodable as the error envelope, so the caller
/// gets a typed error with its status: a body that is not the envelope (HTML
/// from a proxy, empty, truncated JSON) is replaced by an envelope whose
/// `message` is the raw body, marked with [`RAW_BODY_MARKER`].
async fn normalize_error_body(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let mut headers = response.headers().clone();
    // The marker is ours alone: a server (or proxy) sending a header of that
    // name must not turn its envelope into a "raw body" (found by
    // tests/fuzz_responses.rs).
    headers.remove(RAW_BODY_MARKER);
    let body = response.bytes().await?;
    let body = if serde_json::from_slice::<types::ErrorEnvelope>(&body).is_ok() {
        body
    } else {
        headers.insert(RAW_BODY_MARKER, HeaderValue::from_static("1"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.remove(CONTENT_LENGTH);
        let envelope = serde_json::json!({
            "ok": false,
            "code": status.as_u16(),
            "message": String::from_utf8_lossy(&body),
        });
        bytes_of(&envelope)
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

fn bytes_of(value: &serde_json::Value) -> bytes::Bytes {
    bytes::Bytes::from(serde_json::to_vec(value).expect("a JSON value serialises"))
}

impl Client {
    async fn exec_with_retries(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner().retry;
        let started = Instant::now();
        let mut request = Some(request);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let template = request.take().expect("a request is kept for every attempt");
            // Keep a copy for a possible retry; bodies here are JSON bytes, so
            // cloning succeeds. If it ever cannot, the request is sent once.
            let spare = (attempt <= policy.max_retries())
                .then(|| template.try_clone())
                .flatten();
            let result = self.client().execute(template).await;
            let retry_headers = match (&result, &spare) {
                (Ok(response), Some(_)) if is_retryable_status(response.status()) => {
                    Some(Some(response.headers().clone()))
                }
                (Err(error), Some(_)) if is_retryable_error(error) => Some(None),
                _ => None,
            };
            let (Some(headers), Some(spare)) = (retry_headers, spare) else {
                let span = tracing::Span::current();
                span.record("attempts", attempt);
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                return result;
            };
            let wait = policy.delay(attempt, headers.as_ref(), SystemTime::now());
            tracing::debug!(
                operation = info.operation_id,
                attempt,
                wait_ms = wait.as_millis() as u64,
                outcome = %match &result {
                    Ok(response) => response.status().to_string(),
                    Err(error) => error.to_string(),
                },
                "retrying"
            );
            // Release the connection before waiting.
            drop(result);
            tokio::time::sleep(wait).await;
            request = Some(spare);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_empty_object;

    #[test]
    fn empty_object_detection() {
        for empty in ["{}", " { } ", "{\n}"] {
            assert!(is_empty_object(empty.as_bytes()), "{empty:?}");
        }
        for other in ["", "{", "[]", "{\"a\":1}", "{}{}", "null"] {
            assert!(!is_empty_object(other.as_bytes()), "{other:?}");
        }
    }
}
