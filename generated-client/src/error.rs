//! One error type for callers, [`ApiError`], that never loses the HTTP status.
//!
//! The generated `send()` returns progenitor's `Error<ErrorEnvelope>`; `?`
//! converts it into [`ApiError`] (or call `ApiError::from`). Two things make
//! the status reliable:
//! - [`ClientHooks::exec`](progenitor_client::ClientHooks::exec) rewrites an
//!   error response whose body is not the JSON envelope (an HTML `502` from a
//!   proxy, an empty `500`, truncated JSON) into an envelope that carries the
//!   raw body, so it decodes as an error response with its status;
//! - hence a payload that fails to decode can only be a success response, and
//!   every operation of this API declares exactly one success status
//!   ([`SUCCESS_STATUSES`](crate::SUCCESS_STATUSES); a test holds it at 200).

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{ErrorCode, types};

/// Header that marks an envelope synthesised from a non-envelope body. It
/// only exists inside this process, between `exec` and [`ApiError::from`].
pub(crate) const RAW_BODY_MARKER: &str = "x-genviral-partner-raw-body";

/// What kind of failure an [`ApiError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Refused before sending (e.g. an empty PATCH body, an invalid field).
    InvalidRequest,
    /// The request did not complete (connection, timeout), after retries.
    Communication,
    /// The server answered with an error status (4xx/5xx).
    Api,
    /// A success status whose body does not match the spec.
    InvalidPayload,
    /// A status the spec does not declare (1xx/3xx, or a 2xx other than 200).
    UnexpectedStatus,
    /// Anything else progenitor reports.
    Other,
}

/// A failed call, with everything the server said.
#[derive(Debug)]
pub struct ApiError {
    kind: ErrorKind,
    status: Option<StatusCode>,
    headers: HeaderMap,
    envelope: Option<types::ErrorEnvelope>,
    raw_body: Option<Vec<u8>>,
    description: String,
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

    /// The HTTP status, for every error that had a response.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The machine-readable `error_code`, when the server sent one.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.envelope
            .as_ref()
            .and_then(|envelope| envelope.error_code.as_deref())
            .map(ErrorCode::from)
    }

    /// The server's `message`, or a description of the failure.
    pub fn message(&self) -> &str {
        self.envelope
            .as_ref()
            .map_or(self.description.as_str(), |envelope| {
                envelope.message.as_str()
            })
    }

    /// The decoded error envelope, when the body was one.
    pub fn envelope(&self) -> Option<&types::ErrorEnvelope> {
        self.envelope.as_ref()
    }

    /// Response headers (empty when there was no response).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received when it was not the JSON envelope (HTML, empty,
    /// truncated JSON; non-UTF-8 bytes replaced), or the undecodable body of
    /// a success response.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.raw_body.as_deref()
    }

    /// Whether repeating the request later may succeed: connection failures,
    /// 429 and 502/503/504. (The client has already retried these as far as
    /// its [`RetryPolicy`](crate::RetryPolicy) allows.)
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Communication => true,
            _ => self
                .status
                .is_some_and(|status| matches!(status.as_u16(), 429 | 502 | 503 | 504)),
        }
    }

    fn new(kind: ErrorKind, status: Option<StatusCode>, description: String) -> Self {
        ApiError {
            kind,
            status,
            headers: HeaderMap::new(),
            envelope: None,
            raw_body: None,
            description,
        }
    }
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
            E::ErrorResponse(response) => {
                let status = response.status();
                let mut headers = response.headers().clone();
                let envelope = response.into_inner();
                if headers.remove(RAW_BODY_MARKER).is_some() {
                    let mut error = ApiError::new(
                        ErrorKind::Api,
                        Some(status),
                        format!("{status} with a body that is not the error envelope"),
                    );
                    error.headers = headers;
                    error.raw_body = Some(envelope.message.into_bytes());
                    return error;
                }
                let mut error = ApiError::new(ErrorKind::Api, Some(status), String::new());
                error.headers = headers;
                error.envelope = Some(envelope);
                error
            }
            E::InvalidResponsePayload(bytes, source) => {
                let mut error = ApiError::new(
                    ErrorKind::InvalidPayload,
                    shared_success_status(),
                    format!("the success response does not match the spec: {source}"),
                );
                error.raw_body = Some(bytes.to_vec());
                error
            }
            E::UnexpectedResponse(response) => {
                let status = response.status();
                let mut error = ApiError::new(
                    ErrorKind::UnexpectedStatus,
                    Some(status),
                    format!("status {status} is not declared by the spec"),
                );
                error.headers = response.headers().clone();
                error
            }
            E::CommunicationError(source) => ApiError::new(
                ErrorKind::Communication,
                source.status(),
                format!("request failed: {source}"),
            ),
            E::InvalidRequest(message) => ApiError::new(ErrorKind::InvalidRequest, None, message),
            other => {
                let status = other.status();
                ApiError::new(ErrorKind::Other, status, other.to_string())
            }
        }
    }
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

impl std::error::Error for ApiError {}

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
}
