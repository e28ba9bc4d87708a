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
use tracing::Instrument as _;

use crate::client::CallSettings;
use crate::reply::Reply;
use crate::retry::{AttemptEnd, is_retryable};
use crate::{Client, ClientState, ErrorKind, NON_EMPTY_BODIES};

impl ClientHooks<ClientState> for Client {
    /// Finishes the request: adds the per-call headers of
    /// [`Client::with_options`], and refuses, before anything is sent, a
    /// PATCH whose body sets no field (the server would answer
    /// `422 invalid_payload`), a body that breaks the spec's request
    /// constraints, or per-call headers that cannot be sent.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
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
        // Entering a `Span::none()` (no subscriber wants the span, and
        // `tracing` does not forward spans to `log`) does nothing, so the
        // `Instrumented` wrapper, a copy of this future, is left out.
        let reply = if span.is_none() {
            self.send_with_retries(request, info, &span).await?
        } else {
            self.send_with_retries(request, info, &span)
                .instrument(span.clone())
                .await?
        };
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
    /// from sending until its reply is read; the wait before a retry holds
    /// none.
    ///
    /// A retry is never sent after the deadline: when the deadline passes
    /// while the retry waits for a slot, or a retry cut short by the
    /// deadline times out, the call ends with the failure before it (its
    /// status, `error_code` and `Retry-After` are what the caller needs,
    /// not a timeout the deadline made).
    async fn send_with_retries(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
        span: &tracing::Span,
    ) -> reqwest::Result<Reply> {
        let state = self.inner();
        let settings = state.call_settings();
        let mut started: Option<(Instant, Option<Instant>)> = None;
        let mut last_failure: Option<reqwest::Result<Reply>> = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let retry_deadline = started.and_then(|(_, deadline)| deadline);
            // A retry waits for its slot until the deadline at most.
            let slot = match (retry_deadline, last_failure.take()) {
                (Some(deadline), Some(failure)) => {
                    let Some(slot) = slot_before(state, deadline).await else {
                        record_attempts(span, attempt - 1, started);
                        return failure;
                    };
                    last_failure = Some(failure);
                    slot
                }
                (_, failure) => {
                    last_failure = failure;
                    state.acquire_slot().await
                }
            };
            let now = Instant::now();
            let (_, deadline) = *started.get_or_insert_with(|| (now, settings.deadline_from(now)));
            // A copy for a possible retry, made before the attempt's timeout
            // is set (see `copy_for_retry`). If it cannot be made, the
            // request is sent once.
            let spare = if attempt <= settings.retry.max_retries() {
                copy_for_retry(&request)
            } else {
                None
            };
            let timeout = settings.attempt_timeout(now, deadline);
            // A `reqwest::Client` built with this timeout applies it by
            // itself; set on the request, it costs a map per request.
            if self.reqwest_timeout != Some(timeout) {
                *request.timeout_mut() = Some(timeout);
            }
            let result = self.client().execute(request).await;
            if settings.cut_by_deadline(timeout)
                && matches!(&result, Err(error) if error.is_timeout())
                && let Some(failure) = last_failure.take()
            {
                drop(slot);
                record_attempts(span, attempt, started);
                return failure;
            }
            let wait = match &spare {
                Some(_) => retry_wait(&settings, attempt, &result, deadline),
                None => None,
            };
            let (Some(wait), Some(spare)) = (wait, spare) else {
                let outcome = read_to_the_end(result).await;
                drop(slot);
                record_attempts(span, attempt, started);
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
            // The failure is kept whole (its reply read, which also frees
            // the connection), in case the call has to end with it.
            last_failure = Some(read_to_the_end(result).await);
            drop(slot);
            tokio::time::sleep(wait).await;
            request = spare;
        }
    }
}

/// An attempt's outcome with its reply read to the end.
async fn read_to_the_end(result: reqwest::Result<reqwest::Response>) -> reqwest::Result<Reply> {
    match result {
        Ok(response) => Ok(Reply::read(response).await),
        Err(error) => Err(error),
    }
}

/// A slot for a retry, or `None` when `deadline` passes first (or has
/// passed: no time is left to send in).
async fn slot_before(
    state: &ClientState,
    deadline: Instant,
) -> Option<Option<tokio::sync::SemaphorePermit<'_>>> {
    let deadline = tokio::time::Instant::from_std(deadline);
    let slot = tokio::time::timeout_at(deadline, state.acquire_slot())
        .await
        .ok()?;
    (tokio::time::Instant::now() < deadline).then_some(slot)
}

/// A copy of `request` to send again, or `None` when its body is a stream
/// (the generated builders always send JSON bytes).
///
/// `reqwest::Request::try_clone` also copies the request's extensions, the
/// map where reqwest keeps a per-request timeout, and creates that map in
/// the copy even when there is no timeout: two maps allocated and one freed
/// per call. The copy is made before the attempt's timeout is set (each
/// attempt sets its own), when the map is empty (reqwest keeps nothing but
/// the timeout there, and nothing but reqwest can): so it is made field by
/// field. A request that came with a timeout of its own is copied by
/// `try_clone`.
fn copy_for_retry(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.timeout().is_some() {
        return request.try_clone();
    }
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(bytes::Bytes::copy_from_slice(
            body.as_bytes()?,
        ))),
        None => None,
    };
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    *copy.body_mut() = body;
    Some(copy)
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
fn record_attempts(
    span: &tracing::Span,
    attempts: u32,
    started: Option<(Instant, Option<Instant>)>,
) {
    // Recording on `Span::none()` does nothing: spare reading the clock.
    if span.is_none() {
        return;
    }
    span.record("attempts", attempts);
    if let Some((start, _)) = started {
        span.record("duration_ms", start.elapsed().as_millis() as u64);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
    use reqwest::{Method, Request, Url, Version};

    use super::{copy_for_retry, is_empty_object};

    fn json_request() -> Request {
        let url = Url::parse("http://127.0.0.1:9/v1/packs/x?q=1").unwrap();
        let mut request = Request::new(Method::PATCH, url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.append("x-twice", HeaderValue::from_static("1"));
        headers.append("x-twice", HeaderValue::from_static("2"));
        *request.version_mut() = Version::HTTP_11;
        *request.body_mut() = Some(reqwest::Body::from(r#"{"is_public":true}"#));
        request
    }

    /// What a request sends: method, URL, version, headers, body, timeout.
    fn sent(request: &Request) -> String {
        let body = request
            .body()
            .map(|body| body.as_bytes().map(<[u8]>::to_vec));
        format!(
            "{} {} {:?} {:?} {:?} {:?}",
            request.method(),
            request.url(),
            request.version(),
            request.headers(),
            body,
            request.timeout()
        )
    }

    #[test]
    fn the_copy_for_a_retry_sends_the_same_request() {
        let request = json_request();
        let copy = copy_for_retry(&request).expect("a JSON body is copied");
        assert_eq!(sent(&copy), sent(&request));

        let mut with_timeout = json_request();
        *with_timeout.timeout_mut() = Some(Duration::from_secs(3));
        let copy = copy_for_retry(&with_timeout).expect("a JSON body is copied");
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(3)));
        assert_eq!(sent(&copy), sent(&with_timeout));

        let mut without_body = json_request();
        *without_body.body_mut() = None;
        let copy = copy_for_retry(&without_body).expect("no body is copied");
        assert_eq!(sent(&copy), sent(&without_body));
    }

    #[test]
    fn a_streamed_body_is_not_copied() {
        let mut request = json_request();
        let stream = http_body_util::Full::new(bytes::Bytes::from_static(b"{}"));
        *request.body_mut() = Some(reqwest::Body::wrap(stream));
        assert!(copy_for_retry(&request).is_none());
    }

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
