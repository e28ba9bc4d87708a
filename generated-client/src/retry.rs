//! When and how long to wait before repeating a request.
//!
//! Every operation of this API is a PATCH that sets absolute values, so
//! sending it twice has the same effect as sending it once: retrying after a
//! lost connection or an overloaded server is safe. Retried: connection
//! failures and timeouts, `429 Too Many Requests`, and `502`/`503`/`504` from
//! the gateway. The wait honours `Retry-After` (seconds or an HTTP date) and
//! otherwise grows exponentially with full jitter, so parallel clients do not
//! retry in lockstep.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

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

/// Whether a response status is worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a transport error is worth retrying: the request may not have
/// reached the server, or the answer was lost.
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request()
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
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
    fn only_overload_and_gateway_statuses_are_retried() {
        for status in [429, 502, 503, 504] {
            assert!(
                is_retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
        for status in [200, 400, 401, 404, 409, 422, 500, 501] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
    }
}
