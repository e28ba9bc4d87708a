//! The one place every request passes through.
//!
//! progenitor's generated builders call [`ClientHooks`] around each request;
//! the generator is told to require an implementation (a missing one is a
//! compile error, not a silent no-op), and this is it: `pre` checks and
//! finishes the request, `exec` sends it under the concurrency limit and
//! the deadline, retries (see [`crate::retry`]), reads the reply to the end
//! (see [`crate::reply`]) and records a `tracing` span.

use std::time::{Duration, Instant, SystemTime};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::HeaderName;
use tracing::Instrument as _;

use crate::client::CallSettings;
use crate::reply::Reply;
use crate::retry::{AttemptEnd, is_retryable};
use crate::{Client, ClientState, ErrorKind, NON_EMPTY_BODIES};

/// progenitor sends the spec's `info.version` as an `api-version` header;
/// the Partner API declares no such header, so it is not sent.
const UNDECLARED_API_VERSION: HeaderName = HeaderName::from_static("api-version");

impl ClientHooks<ClientState> for Client {
    /// Finishes the request: removes the header the spec does not declare,
    /// adds the per-call headers of [`Client::with_options`], and refuses,
    /// before anything is sent, a PATCH whose body sets no field (the
    /// server would answer `422 invalid_payload`) or per-call headers that
    /// cannot be sent.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        request.headers_mut().remove(UNDECLARED_API_VERSION);
        if let Some(options) = self.inner().request_options() {
            options
                .apply_headers(request)
                .map_err(progenitor_client::Error::InvalidRequest)?;
        }
        refuse_empty_body(request, info).map_err(progenitor_client::Error::InvalidRequest)?;
        // Every constraint of the spec's request schema, before sending.
        crate::constraints::check_request_body(info.operation_id, request)?;
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
        let reply = self
            .send_with_retries(request, info)
            .instrument(span.clone())
            .await?;
        span.record("status", reply.status().as_u16());
        Ok(reply.into_response())
    }
}

/// Refuses a PATCH whose body sets no field, saying which fields it may set.
fn refuse_empty_body(request: &reqwest::Request, info: &OperationInfo) -> Result<(), String> {
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
        return Err(format!(
            "{}: the body sets no field; set at least one of: {}",
            info.operation_id,
            fields.join(", ")
        ));
    }
    Ok(())
}

/// Whether `bytes` is a JSON object without members (`{}`, whitespace allowed).
fn is_empty_object(bytes: &[u8]) -> bool {
    let mut significant = bytes.iter().filter(|b| !b.is_ascii_whitespace());
    significant.next() == Some(&b'{')
        && significant.next() == Some(&b'}')
        && significant.next().is_none()
}

impl Client {
    /// Sends `request` until it succeeds, fails in a way a retry cannot
    /// help ([`is_retryable`]), runs out of retries, or would retry past
    /// the deadline. Each attempt holds a slot of the concurrency limit
    /// from sending until its reply is read (or dropped for a retry); the
    /// wait before a retry holds none.
    async fn send_with_retries(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Reply> {
        let state = self.inner();
        let settings = state.call_settings();
        let mut started: Option<(Instant, Option<Instant>)> = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let slot = state.acquire_slot().await;
            let now = Instant::now();
            let (start, deadline) =
                *started.get_or_insert_with(|| (now, settings.deadline_from(now)));
            *request.timeout_mut() = Some(settings.attempt_timeout(now, deadline));
            // Keep a copy for a possible retry; bodies here are JSON bytes, so
            // cloning succeeds. If it ever cannot, the request is sent once.
            let spare = (attempt <= settings.retry.max_retries())
                .then(|| request.try_clone())
                .flatten();
            let result = self.client().execute(request).await;
            let Some((spare, wait)) = spare.and_then(|spare| {
                retry_wait(&settings, attempt, &result, deadline).map(|wait| (spare, wait))
            }) else {
                let outcome = match result {
                    Ok(response) => Ok(Reply::read(response).await),
                    Err(error) => Err(error),
                };
                drop(slot);
                record_attempts(attempt, start);
                return outcome;
            };
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
            // Release the connection and the slot before waiting.
            drop(result);
            drop(slot);
            tokio::time::sleep(wait).await;
            request = spare;
        }
    }
}

/// How long to wait before retrying the attempt number `attempt` that ended
/// as `result`, or `None` when it is not retried: it is not retryable, or
/// the wait would end after `deadline`.
fn retry_wait(
    settings: &CallSettings<'_>,
    attempt: u32,
    result: &reqwest::Result<reqwest::Response>,
    deadline: Option<Instant>,
) -> Option<Duration> {
    let end = match result {
        Ok(response) => AttemptEnd::Reply(response.status()),
        Err(error) => AttemptEnd::NoReply(ErrorKind::of_transport(error)),
    };
    if !is_retryable(end) {
        return None;
    }
    let headers = result.as_ref().ok().map(reqwest::Response::headers);
    let wait = settings.retry.delay(attempt, headers, SystemTime::now());
    let ends_in_time = match deadline {
        Some(deadline) => Instant::now()
            .checked_add(wait)
            .is_some_and(|end| end < deadline),
        None => true,
    };
    ends_in_time.then_some(wait)
}

/// Records on the call's span how many attempts it took and how long.
fn record_attempts(attempts: u32, start: Instant) {
    let span = tracing::Span::current();
    span.record("attempts", attempts);
    span.record("duration_ms", start.elapsed().as_millis() as u64);
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
