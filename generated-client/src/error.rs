//! One error type for callers, [`ApiError`]: what happened, the HTTP status
//! of every reply whose status line arrived, and the underlying cause.
//!
//! The generated `send()` returns progenitor's `Error<ErrorEnvelope>`; `?`
//! converts it into [`ApiError`] (or call `ApiError::from`). progenitor's
//! error alone cannot say everything (a body cut short loses its status
//! there), so the hooks read every reply to the end while the status is at
//! hand and hand over what progenitor cannot express (see `reply.rs`):
//! - an error response whose body is not the JSON envelope (an HTML `502`
//!   from a proxy, an empty `500`, an envelope missing a member), a body
//!   that broke off, and a 2xx envelope that says `ok: false` travel as a
//!   finished [`ApiError`] inside the response, taken back out here, with
//!   the reply's headers as they arrived;
//! - hence a payload that fails to decode can only be a success response,
//!   and every operation of this API declares exactly one success status
//!   ([`SUCCESS_STATUSES`](crate::SUCCESS_STATUSES); a test holds it at 200).

use std::error::Error as StdError;
use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::reply;
use crate::retry::{AttemptEnd, is_retryable};
use crate::{ErrorCode, types};

/// What kind of failure an [`ApiError`] is: what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Refused before anything was sent: a value that breaks the spec, a
    /// PATCH body that sets no field, an invalid per-request header.
    InvalidRequest,
    /// An attempt or the whole call ran out of time (connecting, waiting for
    /// the reply, or reading its body: then [`ApiError::status`] is the
    /// reply's). Raise [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)
    /// or [`total_timeout`](crate::ClientBuilder::total_timeout), or retry
    /// later.
    Timeout,
    /// The base URL's host name did not resolve: a wrong host, or no DNS.
    Dns,
    /// No connection to the resolved address: refused (nothing listens
    /// there), unreachable.
    Connect,
    /// The TLS handshake failed: not a TLS server, a certificate that is
    /// not trusted or not for this host.
    Tls,
    /// The connection was lost after it was made and before a reply's status
    /// line arrived (reset, closed by the server, a reply that is not HTTP).
    Communication,
    /// The reply's status line arrived but its body broke off (the
    /// connection closed before the announced length, or was reset).
    /// [`ApiError::status`], [`headers`](ApiError::headers) and the bytes
    /// that did arrive ([`raw_body`](ApiError::raw_body)) are kept.
    BodyRead,
    /// A success status whose body does not match the spec (decoding
    /// failed; the body is in [`raw_body`](ApiError::raw_body)).
    InvalidPayload,
    /// The server said the request failed: an error status (4xx/5xx), or an
    /// envelope with `ok: false` whatever its status.
    Api,
    /// A status the spec does not declare (1xx/3xx, or a 2xx other than 200).
    UnexpectedStatus,
    /// Anything else (e.g. a redirect loop).
    Other,
}

impl ErrorKind {
    /// The kind of a failure reported by reqwest, told apart by walking its
    /// chain of causes.
    pub(crate) fn of_transport(error: &reqwest::Error) -> ErrorKind {
        if error.is_builder() {
            ErrorKind::InvalidRequest
        } else if error.is_timeout() {
            ErrorKind::Timeout
        } else if is_tls_failure(error) {
            ErrorKind::Tls
        } else if error.is_dns() {
            ErrorKind::Dns
        } else if error.is_connect() {
            ErrorKind::Connect
        } else if error.is_redirect() {
            ErrorKind::Other
        } else if error.is_body() || error.is_decode() {
            ErrorKind::BodyRead
        } else {
            ErrorKind::Communication
        }
    }

    /// How a description of this kind of failure starts.
    fn summary(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "the request was not sent",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Dns => "the host name did not resolve",
            ErrorKind::Connect => "could not connect",
            ErrorKind::Tls => "the TLS handshake failed",
            ErrorKind::Communication => "the connection failed before a reply arrived",
            ErrorKind::BodyRead => "the reply's body broke off",
            ErrorKind::InvalidPayload => "the success response does not match the spec",
            ErrorKind::Api => "the server refused the request",
            ErrorKind::UnexpectedStatus => "a status the spec does not declare",
            ErrorKind::Other => "the request failed",
        }
    }
}

/// Whether a failure to connect happened in the TLS layer rather than in
/// DNS or TCP.
///
/// The TCP connector reports the operating system's errors (`io::Error`s
/// with an OS code: refused, unreachable, reset); the TLS backends report
/// errors of their own: rustls through `io::Error`s without an OS code
/// (`InvalidData` for a protocol or certificate error, `UnexpectedEof` for
/// a handshake cut short), native-tls through `native_tls::Error`. So a
/// connect error that is not DNS and has no OS error among its causes is a
/// TLS failure. (A proxy that refuses to open a tunnel is reported the
/// same way.)
fn is_tls_failure(error: &reqwest::Error) -> bool {
    let os_error = |cause: &(dyn StdError + 'static)| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.raw_os_error().is_some())
    };
    error.is_connect() && !error.is_dns() && !causes(error).any(os_error)
}

/// `error` and its causes, outermost first. Unlike `source()` alone, this
/// also visits the error an `io::Error` wraps (`io::Error::source` skips it,
/// and TLS libraries report through `io::Error`s).
pub(crate) fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    let mut next = Some(error);
    std::iter::from_fn(move || {
        let current = next?;
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
        Some(current)
    })
}

/// A failed call, with everything the server said.
#[derive(Debug)]
pub struct ApiError {
    kind: ErrorKind,
    status: Option<StatusCode>,
    headers: HeaderMap,
    envelope: Option<types::ErrorEnvelope>,
    /// `error_code` and `message` of a JSON body that is not the envelope.
    loose: LooseEnvelope,
    raw_body: Option<Vec<u8>>,
    description: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl ApiError {
    /// An error for a request refused before sending, e.g. a value that does
    /// not satisfy the spec (`message` should name the field and why).
    pub fn invalid_request(message: impl Into<String>) -> Self {
        ApiError::new(ErrorKind::InvalidRequest, None, message.into())
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the reply, for every error whose reply's status
    /// line arrived (whatever happened to its body); `None` when there was
    /// no reply.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The machine-readable `error_code`, when the server sent one: from
    /// the envelope, or from a JSON object body that is not quite the
    /// envelope (a member missing or of another type) but has a string
    /// `error_code`.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match &self.envelope {
            Some(envelope) => envelope.error_code.as_deref(),
            None => self.loose.error_code.as_deref(),
        }
        .map(ErrorCode::from)
    }

    /// The server's `message` (read as [`error_code`](Self::error_code)
    /// is), or a description of the failure.
    pub fn message(&self) -> &str {
        match &self.envelope {
            Some(envelope) => envelope.message.as_str(),
            None => self
                .loose
                .message
                .as_deref()
                .unwrap_or(self.description.as_str()),
        }
    }

    /// The decoded error envelope, when the body was one.
    pub fn envelope(&self) -> Option<&types::ErrorEnvelope> {
        self.envelope.as_ref()
    }

    /// Response headers (empty when there was no response).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received (byte for byte) when it was not the JSON
    /// envelope (HTML, empty, truncated JSON), the undecodable body of a
    /// success response, or what arrived of a body that broke off.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.raw_body.as_deref()
    }

    /// Whether repeating the request later may succeed: no connection (DNS,
    /// refused), a timeout or a connection lost before the reply, and the
    /// statuses `408`, `429`, `500`, `502`, `503`, `504` (also when their
    /// body broke off). Never for another 4xx, a TLS failure, or a request
    /// refused before sending. The client has already retried these as far
    /// as its [`RetryPolicy`](crate::RetryPolicy) and deadline allow, by
    /// the same rule.
    pub fn is_retryable(&self) -> bool {
        is_retryable(match self.status {
            Some(status) => AttemptEnd::Reply(status),
            None => AttemptEnd::NoReply(self.kind),
        })
    }

    fn new(kind: ErrorKind, status: Option<StatusCode>, description: String) -> Self {
        ApiError {
            kind,
            status,
            headers: HeaderMap::new(),
            envelope: None,
            loose: LooseEnvelope::default(),
            raw_body: None,
            description,
            source: None,
        }
    }

    /// A failure about a reply that arrived: its status and headers kept.
    fn of_reply(
        kind: ErrorKind,
        status: Option<StatusCode>,
        headers: HeaderMap,
        description: String,
    ) -> Self {
        ApiError {
            headers,
            ..ApiError::new(kind, status, description)
        }
    }

    /// A failure reported by reqwest before any reply arrived (or while
    /// building the request).
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        let kind = ErrorKind::of_transport(&error);
        let description = describe_transport(kind, &error);
        let mut api_error = ApiError::new(kind, None, description);
        api_error.source = Some(Box::new(error));
        api_error
    }

    /// A reply whose body broke off (or timed out) after `partial` arrived.
    pub(crate) fn broken_body(
        status: StatusCode,
        headers: HeaderMap,
        partial: &[u8],
        error: reqwest::Error,
    ) -> Self {
        let kind = match ErrorKind::of_transport(&error) {
            ErrorKind::Timeout => ErrorKind::Timeout,
            _ => ErrorKind::BodyRead,
        };
        let description = format!(
            "{} after {} bytes: {}",
            kind.summary(),
            partial.len(),
            root_cause(&error)
        );
        let mut api_error = ApiError::of_reply(kind, Some(status), headers, description);
        api_error.raw_body = Some(partial.to_vec());
        api_error.source = Some(Box::new(error));
        api_error
    }

    /// A 2xx reply whose envelope says `ok: false`.
    pub(crate) fn not_ok(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let mut api_error = ApiError::of_reply(
            ErrorKind::Api,
            Some(status),
            headers,
            format!("{status} with an envelope that says `ok: false`"),
        );
        match serde_json::from_slice::<types::ErrorEnvelope>(body) {
            Ok(envelope) => api_error.envelope = Some(envelope),
            Err(_) => api_error.keep_body(body),
        }
        api_error
    }

    /// A success reply whose body does not match the spec.
    pub(crate) fn invalid_payload(
        status: Option<StatusCode>,
        headers: HeaderMap,
        body: bytes::Bytes,
        source: serde_json::Error,
    ) -> Self {
        let mut error = ApiError::of_reply(
            ErrorKind::InvalidPayload,
            status,
            headers,
            format!("{}: {source}", ErrorKind::InvalidPayload.summary()),
        );
        error.raw_body = Some(body.to_vec());
        error.source = Some(Box::new(source));
        error
    }

    /// An error status whose body is not the error envelope.
    pub(crate) fn not_an_envelope(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let mut api_error = ApiError::of_reply(
            ErrorKind::Api,
            Some(status),
            headers,
            format!("{status} with a body that is not the error envelope"),
        );
        api_error.keep_body(body);
        api_error
    }

    /// Keeps a body that is not the envelope, and what it says of itself.
    fn keep_body(&mut self, body: &[u8]) {
        self.loose = LooseEnvelope::read(body);
        self.raw_body = Some(body.to_vec());
    }
}

/// The `error_code` and `message` members of a JSON object, when they are
/// strings: what a body that is not quite the envelope still says.
#[derive(Debug, Default)]
struct LooseEnvelope {
    error_code: Option<String>,
    message: Option<String>,
}

impl LooseEnvelope {
    fn read(body: &[u8]) -> LooseEnvelope {
        let Ok(serde_json::Value::Object(mut members)) = serde_json::from_slice(body) else {
            return LooseEnvelope::default();
        };
        let mut string = |name: &str| match members.remove(name) {
            Some(serde_json::Value::String(text)) => Some(text),
            _ => None,
        };
        LooseEnvelope {
            error_code: string("error_code"),
            message: string("message"),
        }
    }
}

/// `timed out (http://…/packs/…): operation timed out`: the kind, the URL
/// (never the token: it is in a header) and the innermost cause.
fn describe_transport(kind: ErrorKind, error: &reqwest::Error) -> String {
    let summary = kind.summary();
    let cause = root_cause(error);
    match error.url() {
        Some(url) => format!("{summary} ({url}): {cause}"),
        None => format!("{summary}: {cause}"),
    }
}

/// The innermost cause's message: the most specific one ("Connection
/// refused (os error 111)", "failed to lookup address information: …").
fn root_cause(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map_or_else(|| error.to_string(), ToString::to_string)
}

/// The one success status all operations share, if they do.
fn shared_success_status() -> Option<StatusCode> {
    let mut statuses = crate::SUCCESS_STATUSES.iter().flat_map(|(_, s)| s.iter());
    let first = *statuses.next()?;
    statuses
        .all(|status| *status == first)
        .then(|| StatusCode::from_u16(first).ok())
        .flatten()
}

impl From<progenitor_client::Error<types::ErrorEnvelope>> for ApiError {
    fn from(error: progenitor_client::Error<types::ErrorEnvelope>) -> Self {
        use progenitor_client::Error as E;
        match error {
            E::ErrorResponse(response) => from_error_response(response),
            E::InvalidResponsePayload(bytes, source) => {
                ApiError::invalid_payload(shared_success_status(), HeaderMap::new(), bytes, source)
            }
            E::UnexpectedResponse(response) => reply::take_intercepted_from_response(&response)
                .unwrap_or_else(|| {
                    let status = response.status();
                    ApiError::of_reply(
                        ErrorKind::UnexpectedStatus,
                        Some(status),
                        response.headers().clone(),
                        format!("status {status} is not declared by the spec"),
                    )
                }),
            E::ResponseBodyError(source) => reply::take_intercepted_from_chain(&source)
                .unwrap_or_else(|| {
                    let mut error = ApiError::new(
                        ErrorKind::BodyRead,
                        source.status(),
                        format!("{}: {}", ErrorKind::BodyRead.summary(), root_cause(&source)),
                    );
                    error.source = Some(Box::new(source));
                    error
                }),
            E::CommunicationError(source) => ApiError::transport(source),
            E::InvalidRequest(message) => ApiError::new(ErrorKind::InvalidRequest, None, message),
            E::InvalidUpgrade(source) => {
                let mut error =
                    ApiError::new(ErrorKind::Other, source.status(), source.to_string());
                error.source = Some(Box::new(source));
                error
            }
            E::Custom(message) => ApiError::new(ErrorKind::Other, None, message),
        }
    }
}

/// An error status with its decoded envelope (`exec` intercepts any other
/// body).
fn from_error_response(
    response: progenitor_client::ResponseValue<types::ErrorEnvelope>,
) -> ApiError {
    let status = response.status();
    let headers = response.headers().clone();
    let mut error = ApiError::of_reply(ErrorKind::Api, Some(status), headers, String::new());
    error.envelope = Some(response.into_inner());
    error
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "{status}: ")?;
        }
        f.write_str(self.message())?;
        if let Some(code) = self.error_code() {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl StdError for ApiError {
    /// The reqwest error of a transport failure or a broken body, the
    /// serde_json error of an undecodable success payload.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_operations_share_the_200_success_status() {
        assert_eq!(shared_success_status(), Some(StatusCode::OK));
    }

    #[test]
    fn documented_and_unknown_codes_parse() {
        assert_eq!(
            ErrorCode::from("template_name_conflict"),
            ErrorCode::TemplateNameConflict
        );
        assert_eq!(
            ErrorCode::from("brand_new"),
            ErrorCode::Unknown("brand_new".into())
        );
        assert_eq!(
            ErrorCode::TemplateNameConflict.as_str(),
            "template_name_conflict"
        );
        assert!(ErrorCode::DOCUMENTED.contains(&ErrorCode::RateLimited));
    }

    #[test]
    fn causes_descend_into_io_errors() {
        #[derive(Debug)]
        struct Inner;
        impl fmt::Display for Inner {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("inner")
            }
        }
        impl StdError for Inner {}
        let outer =
            std::io::Error::other(std::io::Error::new(std::io::ErrorKind::InvalidData, Inner));
        assert!(
            outer.source().is_none(),
            "io::Error::source skips what it wraps"
        );
        let chain: Vec<_> = causes(&outer).collect();
        assert_eq!(chain.len(), 3);
        let io_kind = |index: usize| {
            chain[index]
                .downcast_ref::<std::io::Error>()
                .map(|io| io.kind())
        };
        assert_eq!(io_kind(0), Some(std::io::ErrorKind::Other));
        assert_eq!(io_kind(1), Some(std::io::ErrorKind::InvalidData));
        assert!(chain[2].is::<Inner>());
    }
}
