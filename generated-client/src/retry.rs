//! When and how long to wait before repeating a request.
//!
//! Every operation of this API is a PATCH that sets absolute values, so
//! sending it twice has the same effect as sending it once, and the spec
//! says retrying after a timeout, a `429` or a `500`/`502`/`503`/`504` is
//! safe. [`is_retryable`] is the one rule, used both by the retry loop
//! (`hooks.rs`) and by [`ApiError::is_retryable`](crate::ApiError::is_retryable):
//! no connection, a timeout, a connection lost before the reply, and the
//! statuses above plus `408`. The wait honours `Retry-After` (seconds or an
//! HTTP date) and otherwise grows exponentially with full jitter, so
//! parallel clients do not retry in lockstep.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::ErrorKind;

/// How many times, and how patiently, a failed request is repeated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, waiting about 0.5 s then 1 s (jittered), never more than
    /// 30 s even when the server asks for longer.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Retries after the first attempt (0 disables retrying).
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first backoff step; later steps double it.
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// The longest wait between attempts, also capping `Retry-After`.
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// How long to wait before retry number `retry` (1-based) after a
    /// response with these headers (or after a connection error: `None`).
    pub(crate) fn delay(
        &self,
        retry: u32,
        headers: Option<&HeaderMap>,
        now: SystemTime,
    ) -> Duration {
        if let Some(wait) = headers.and_then(|h| retry_after(h, now)) {
            return wait.min(self.max_delay);
        }
        let exponent = retry.saturating_sub(1).min(16);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // Full jitter: uniformly between half the ceiling and the ceiling,
        // so a wait is never ~0 yet clients spread out.
        let half = ceiling / 2;
        half + Duration::from_nanos(fastrand::u64(
            0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX),
        ))
    }
}

/// How an attempt ended, as far as retrying it is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AttemptEnd {
    /// A reply's status line arrived (whatever happened to its body).
    Reply(StatusCode),
    /// No reply: the attempt failed this way before a status line arrived.
    NoReply(ErrorKind),
}

/// Whether repeating a request that ended this way may succeed: the one
/// rule of the crate (see the module docs).
///
/// A reply is judged by its status alone: a `409` stays a `409` however its
/// body ended, and a `503` whose body broke off is still worth retrying.
pub(crate) fn is_retryable(end: AttemptEnd) -> bool {
    match end {
        AttemptEnd::Reply(status) => is_retryable_status(status),
        AttemptEnd::NoReply(kind) => matches!(
            kind,
            ErrorKind::Timeout | ErrorKind::Dns | ErrorKind::Connect | ErrorKind::Communication
        ),
    }
}

/// The statuses the spec says are safe and useful to retry, plus `408
/// Request Timeout` (a timeout, answered by the server).
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // More seconds than a u64 holds is still a number of seconds: "much
    // later", not a value to ignore (and retry at once).
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(Duration::MAX);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_beyond_a_u64_is_as_long_as_can_be() {
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(
            retry_after(&headers("99999999999999999999999"), now),
            Some(Duration::MAX)
        );
        assert_eq!(retry_after(&headers("-1"), now), None);
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 01 Mar 2026 10:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 01 Mar 2026 10:00:42 GMT"), now),
            Some(Duration::from_secs(42))
        );
        assert_eq!(
            retry_after(&headers("Sun, 01 Mar 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO),
            "a date in the past means: retry now"
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_is_capped_by_the_policy() {
        let policy = RetryPolicy::default().with_max_delay(Duration::from_secs(5));
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(
            policy.delay(1, Some(&headers("3600")), now),
            Duration::from_secs(5)
        );
        assert_eq!(
            policy.delay(1, Some(&headers("2")), now),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_and_is_capped() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        let now = SystemTime::UNIX_EPOCH;
        for _ in 0..200 {
            let first = policy.delay(1, None, now);
            assert!(
                (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first),
                "{first:?}"
            );
            let second = policy.delay(2, None, now);
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second),
                "{second:?}"
            );
            let capped = policy.delay(30, None, now);
            assert!(
                (Duration::from_millis(175)..=Duration::from_millis(350)).contains(&capped),
                "{capped:?}"
            );
        }
    }

    #[test]
    fn overload_server_and_gateway_statuses_are_retried_other_4xx_never() {
        let reply = |code: u16| AttemptEnd::Reply(StatusCode::from_u16(code).unwrap());
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable(reply(code)), "{code}");
        }
        for code in [200, 201, 301, 400, 401, 403, 404, 409, 422, 501, 505] {
            assert!(!is_retryable(reply(code)), "{code}");
        }
    }

    #[test]
    fn failures_without_a_reply_are_retried_unless_retrying_cannot_help() {
        for kind in [
            ErrorKind::Timeout,
            ErrorKind::Dns,
            ErrorKind::Connect,
            ErrorKind::Communication,
        ] {
            assert!(is_retryable(AttemptEnd::NoReply(kind)), "{kind:?}");
        }
        for kind in [
            ErrorKind::InvalidRequest,
            ErrorKind::Tls,
            ErrorKind::BodyRead,
            ErrorKind::InvalidPayload,
            ErrorKind::Api,
            ErrorKind::UnexpectedStatus,
            ErrorKind::Other,
        ] {
            assert!(!is_retryable(AttemptEnd::NoReply(kind)), "{kind:?}");
        }
    }
}
