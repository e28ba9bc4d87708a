//! The one place every request passes through.
//!
//! progenitor's generated builders call [`ClientHooks`] around each request;
//! the generator is told to require an implementation (a missing one is a
//! compile error, not a silent no-op), and this is it: retries with backoff
//! (see [`crate::retry`]) and a `tracing` span per request.

use std::time::{Instant, SystemTime};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use tracing::Instrument as _;

use crate::retry::{is_retryable_error, is_retryable_status};
use crate::{Client, ClientState};

impl ClientHooks<ClientState> for Client {
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
        self.exec_with_retries(request, info)
            .instrument(span.clone())
            .await
            .inspect(|response| {
                span.record("status", response.status().as_u16());
            })
    }
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
