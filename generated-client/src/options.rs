//! Settings for some calls only: [`RequestOptions`] and
//! [`Client::with_options`].
//!
//! progenitor's generated builders borrow a [`Client`] and read everything
//! else from it, so per-call settings live in a cheap copy of the client
//! (shared connection pool, concurrency limit and token) that carries them
//! to the hooks: `pre` adds the headers, `exec` applies timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    AUTHORIZATION, CONNECTION, CONTENT_LENGTH, HOST, HeaderMap, HeaderName, HeaderValue,
    TRANSFER_ENCODING,
};

use crate::{Client, RetryPolicy};

/// Headers a call cannot set: the token's (the client sends its own, and a
/// second one would be a silent override) and those that frame the
/// message, which reqwest computes.
const RESERVED_HEADERS: [HeaderName; 5] = [
    AUTHORIZATION,
    CONNECTION,
    CONTENT_LENGTH,
    HOST,
    TRANSFER_ENCODING,
];

/// Settings for the calls made through [`Client::with_options`]; every
/// setting left out keeps the client's.
///
/// ```
/// use std::time::Duration;
/// use genviral_partner::{Client, RequestOptions, RetryPolicy};
///
/// let client = Client::with_token("gva_live_x1y2z3.abcd1234")?;
/// let patient = client.with_options(
///     RequestOptions::new()
///         .timeout(Duration::from_secs(90))
///         .retry(RetryPolicy::disabled())
///         .header("x-request-id", "import-42"),
/// );
/// // `patient.update_pack()…send()` uses these settings; `client` is unchanged.
/// # Ok::<(), genviral_partner::ConfigError>(())
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
    /// The first setting that cannot be used (a header that could not be
    /// added, a zero timeout); the call is refused with it
    /// ([`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest)).
    invalid_setting: Option<String>,
}

impl RequestOptions {
    /// No settings: everything as the client's.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time allowed for each attempt, body included (instead of
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)). Calls
    /// with a zero timeout are refused before sending.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.refuse_zero("timeout", timeout);
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call, retries and their waits included
    /// (instead of [`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout)).
    /// Calls with a zero timeout are refused before sending.
    pub fn total_timeout(mut self, total_timeout: Duration) -> Self {
        self.refuse_zero("total_timeout", total_timeout);
        self.total_timeout = Some(total_timeout);
        self
    }

    fn refuse_zero(&mut self, setting: &str, value: Duration) {
        if value.is_zero() && self.invalid_setting.is_none() {
            self.invalid_setting = Some(format!(
                "RequestOptions::{setting}: {}",
                crate::client::ZERO_TIMEOUT
            ));
        }
    }

    /// When to retry (instead of [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sends a header with the request, replacing one of the same name that
    /// the client would send (`Accept`, `User-Agent`, …).
    ///
    /// `Authorization` (the client's token), `Host`, `Connection`,
    /// `Content-Length` and `Transfer-Encoding` cannot be set, and neither
    /// can an invalid name or value: calls with such options are refused
    /// before sending ([`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest),
    /// naming the header). Values are never shown by `Debug`.
    pub fn header<N, V>(mut self, name: N, value: V) -> Self
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
        V: TryInto<HeaderValue>,
        V::Error: fmt::Display,
    {
        if self.invalid_setting.is_none() {
            match checked_header(name, value) {
                Ok((name, value)) => {
                    self.headers.insert(name, value);
                }
                Err(reason) => self.invalid_setting = Some(reason),
            }
        }
        self
    }

    /// These options with `newer`'s settings on top.
    fn merged(&self, newer: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        for (name, value) in &newer.headers {
            headers.insert(name, value.clone());
        }
        RequestOptions {
            timeout: newer.timeout.or(self.timeout),
            total_timeout: newer.total_timeout.or(self.total_timeout),
            retry: newer.retry.or_else(|| self.retry.clone()),
            headers,
            invalid_setting: self.invalid_setting.clone().or(newer.invalid_setting),
        }
    }

    pub(crate) fn timeout_setting(&self) -> Option<Duration> {
        self.timeout
    }

    pub(crate) fn total_timeout_setting(&self) -> Option<Duration> {
        self.total_timeout
    }

    pub(crate) fn retry_setting(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// Adds the headers to `request`, or says why the call is refused.
    pub(crate) fn apply_headers(&self, request: &mut reqwest::Request) -> Result<(), String> {
        if let Some(reason) = &self.invalid_setting {
            return Err(reason.clone());
        }
        for (name, value) in &self.headers {
            request.headers_mut().insert(name, value.clone());
        }
        Ok(())
    }
}

/// The header as typed values, or why it cannot be sent.
fn checked_header<N, V>(name: N, value: V) -> Result<(HeaderName, HeaderValue), String>
where
    N: TryInto<HeaderName>,
    N::Error: fmt::Display,
    V: TryInto<HeaderValue>,
    V::Error: fmt::Display,
{
    let name = name
        .try_into()
        .map_err(|error| format!("RequestOptions::header: invalid header name: {error}"))?;
    if RESERVED_HEADERS.contains(&name) {
        return Err(format!(
            "RequestOptions::header: `{name}` cannot be set per call \
             (the client sends its own Authorization and framing headers)"
        ));
    }
    let mut value = value
        .try_into()
        .map_err(|error| format!("RequestOptions::header: invalid value for `{name}`: {error}"))?;
    // reqwest and tracing redact sensitive values: extra headers may hold
    // secrets of the caller's own.
    value.set_sensitive(true);
    Ok((name, value))
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("headers", &header_names)
            .field("invalid_setting", &self.invalid_setting)
            .finish()
    }
}

impl Client {
    /// A copy of this client whose calls use `options` (on top of any this
    /// client already has). The copy is cheap and shares the connection
    /// pool, the concurrency limit and the token with `self`; `self` is
    /// unchanged.
    ///
    /// progenitor's builders borrow the client they are called on, so a
    /// one-off setting reads
    /// `client.with_options(RequestOptions::new().timeout(t)).update_pack()…send().await`;
    /// keep the copy in a variable to use it for several calls.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut client = self.clone();
        let merged = match &self.inner.options {
            Some(current) => current.merged(options),
            None => options,
        };
        client.inner.options = Some(Arc::new(merged));
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_invalid_headers_are_reported_by_name() {
        for (name, expected) in [
            ("Authorization", "`authorization` cannot be set per call"),
            ("content-length", "`content-length` cannot be set per call"),
            ("bad name", "invalid header name"),
        ] {
            let options = RequestOptions::new().header(name, "x");
            let reason = options.invalid_setting.unwrap();
            assert!(reason.contains(expected), "{name}: {reason}");
        }
        let options = RequestOptions::new().header("x-ok", "a\nb");
        let reason = options.invalid_setting.unwrap();
        assert!(reason.contains("invalid value for `x-ok`"), "{reason}");
    }

    #[test]
    fn zero_timeouts_are_reported_by_name() {
        for (options, name) in [
            (RequestOptions::new().timeout(Duration::ZERO), "timeout"),
            (
                RequestOptions::new().total_timeout(Duration::ZERO),
                "total_timeout",
            ),
        ] {
            let reason = options.invalid_setting.unwrap();
            assert!(
                reason.starts_with(&format!("RequestOptions::{name}: 0")),
                "{reason}"
            );
        }
    }

    #[test]
    fn debug_shows_header_names_not_values() {
        let options = RequestOptions::new().header("x-api-key", "users-own-secret");
        let debug = format!("{options:?}");
        assert!(debug.contains("x-api-key"), "{debug}");
        assert!(!debug.contains("users-own-secret"), "{debug}");
    }

    #[test]
    fn newer_options_win_and_headers_accumulate() {
        let first = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .header("x-a", "1")
            .header("x-b", "1");
        let merged = first.merged(
            RequestOptions::new()
                .timeout(Duration::from_secs(2))
                .retry(RetryPolicy::disabled())
                .header("x-b", "2"),
        );
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
        assert_eq!(merged.retry, Some(RetryPolicy::disabled()));
        assert_eq!(merged.headers["x-a"], "1");
        assert_eq!(merged.headers["x-b"], "2");
    }
}
