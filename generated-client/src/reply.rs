//! What `exec` hands back to progenitor's generated code: the reply, read to
//! the end while its status is still at hand.
//!
//! progenitor reads the body after `exec` returns, and a read that fails
//! there becomes an error without status, headers or the bytes that did
//! arrive. So `exec` reads every body itself ([`Reply::read`]) and rebuilds
//! the response from the bytes. A reply that must fail in a way progenitor
//! cannot express (a body that broke off, `ok: false` in a 2xx envelope, an
//! error status whose body is not the error envelope) is handed over as a
//! finished [`ApiError`] inside the rebuilt response, with the reply's
//! headers as they arrived:
//! - its body fails on the first read with [`Intercepted`], so the
//!   `ResponseBodyError` progenitor returns for a 200 or an error status
//!   carries it in its chain of causes;
//! - its extensions hold the same [`Intercepted`], for the statuses
//!   progenitor returns unread as `UnexpectedResponse`.
//!
//! [`ApiError::from`] takes it back out; a caller who keeps progenitor's
//! error still sees a body error whose message is the `ApiError`'s.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http::Extensions;
use http_body::Frame;
use reqwest::header::{CONTENT_LENGTH, HeaderMap};
use reqwest::{ResponseBuilderExt as _, StatusCode, Url, Version};

use crate::{ApiError, types};

/// A reply whose status line arrived, with its body read as far as it went.
pub(crate) struct Reply {
    head: Head,
    body: Result<Bytes, BrokenBody>,
}

/// What a rebuilt response keeps of the reply besides its body.
struct Head {
    status: StatusCode,
    version: Version,
    headers: HeaderMap,
    /// The reply's extensions (hyper's and reqwest's), kept so that the
    /// rebuilt response has them and adding the URL to them allocates no
    /// new map.
    extensions: Extensions,
    url: Url,
}

/// A body that broke off: what arrived, and why it stopped.
struct BrokenBody {
    partial: Bytes,
    error: reqwest::Error,
}

impl Reply {
    /// Reads `response` to the end (its timeout still applies).
    pub(crate) async fn read(mut response: reqwest::Response) -> Reply {
        let head = Head {
            status: response.status(),
            version: response.version(),
            headers: std::mem::take(response.headers_mut()),
            extensions: std::mem::take(response.extensions_mut()),
            url: response.url().clone(),
        };
        let body = read_body(&mut response).await;
        Reply { head, body }
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response progenitor's generated code decodes (see the module docs).
    pub(crate) fn into_response(self) -> reqwest::Response {
        let Reply { head, body } = self;
        let status = head.status;
        let body = match body {
            Ok(body) => body,
            Err(BrokenBody { partial, error }) => {
                let error = ApiError::broken_body(status, head.headers.clone(), &partial, error);
                return intercepted(head, error);
            }
        };
        if status.is_success() && envelope_says_not_ok(&body) {
            let error = ApiError::not_ok(status, head.headers.clone(), &body);
            return intercepted(head, error);
        }
        let error_status = status.is_client_error() || status.is_server_error();
        if error_status && serde_json::from_slice::<types::ErrorEnvelope>(&body).is_err() {
            // HTML from a proxy, an empty or truncated body, an envelope
            // missing a member: progenitor could only fail to decode it.
            let error = ApiError::not_an_envelope(status, head.headers.clone(), &body);
            return intercepted(head, error);
        }
        rebuild(head, body)
    }
}

/// Reads every chunk of the body, keeping what arrived if it breaks off.
/// A body that arrives in one chunk (the usual case) is not copied.
async fn read_body(response: &mut reqwest::Response) -> Result<Bytes, BrokenBody> {
    let mut first = Bytes::new();
    let mut joined: Option<BytesMut> = None;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => match &mut joined {
                Some(joined) => joined.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    let mut buffer = BytesMut::with_capacity(first.len() + chunk.len());
                    buffer.extend_from_slice(&first);
                    buffer.extend_from_slice(&chunk);
                    joined = Some(buffer);
                }
            },
            Ok(None) => return Ok(joined.map_or(first, BytesMut::freeze)),
            Err(error) => {
                let partial = joined.map_or(first, BytesMut::freeze);
                return Err(BrokenBody { partial, error });
            }
        }
    }
}

/// Whether `body` is a JSON envelope (an object) whose `ok` member is
/// `false`.
fn envelope_says_not_ok(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct OkMember {
        ok: bool,
    }
    // A success body starts with `{"ok":true` (as Genviral sends it): say
    // so without parsing it a second time (the full check costs about 3 %
    // of a request in the overhead bench). Anything else gets the full
    // check, which skips every other member and refuses a duplicate `ok`,
    // so the shortcut never disagrees with it.
    if starts_with_ok_true(body) {
        return false;
    }
    // serde also reads a struct from an array (`[false]`): only an object
    // is an envelope.
    body.trim_ascii_start().starts_with(b"{")
        && serde_json::from_slice::<OkMember>(body).is_ok_and(|envelope| !envelope.ok)
}

/// Whether `body` starts with the tokens `{`, `"ok"`, `:`, `true`, with
/// any whitespace between them.
fn starts_with_ok_true(body: &[u8]) -> bool {
    [b"{".as_slice(), b"\"ok\"", b":", b"true"]
        .iter()
        .try_fold(body, |rest, token| {
            rest.trim_ascii_start().strip_prefix(*token)
        })
        .is_some()
}

/// A `reqwest::Response` with these parts (the URL kept, so that reqwest
/// does not parse a placeholder one).
fn rebuild(head: Head, body: impl Into<reqwest::Body>) -> reqwest::Response {
    let Head {
        status,
        version,
        headers,
        extensions,
        url,
    } = head;
    let mut builder = http::Response::builder().status(status).version(version);
    if let Some(slot) = builder.extensions_mut() {
        *slot = extensions;
    }
    let mut response = builder
        .url(url)
        .body(body)
        .expect("a typed status and version and an extension always build");
    *response.headers_mut() = headers;
    reqwest::Response::from(response)
}

/// A response that delivers `error` to [`ApiError::from`] (module docs).
fn intercepted(mut head: Head, error: ApiError) -> reqwest::Response {
    head.headers.remove(CONTENT_LENGTH);
    let carrier = Intercepted::new(error);
    let mut response = rebuild(
        head,
        reqwest::Body::wrap(FailingBody(Some(carrier.clone()))),
    );
    response.extensions_mut().insert(carrier);
    response
}

/// The error of a success reply whose body does not decode (the generated
/// `decode_response` calls this): an `InvalidPayload` [`ApiError`] with the
/// reply's status and headers, handed over like an intercepted reply
/// (progenitor's `InvalidResponsePayload` has room for the body only).
pub(crate) fn invalid_payload<E>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    error: serde_json::Error,
) -> progenitor_client::Error<E> {
    let api_error = ApiError::invalid_payload(Some(status), headers, body, error);
    let mut carrier =
        reqwest::Response::from(http::Response::new(reqwest::Body::from(Bytes::new())));
    carrier.extensions_mut().insert(Intercepted::new(api_error));
    progenitor_client::Error::UnexpectedResponse(carrier)
}

/// The [`ApiError`] of an intercepted reply found in `error`'s causes.
pub(crate) fn take_intercepted_from_chain(error: &reqwest::Error) -> Option<ApiError> {
    crate::error::causes(error)
        .find_map(|cause| cause.downcast_ref::<Intercepted>())
        .and_then(Intercepted::take)
}

/// The [`ApiError`] of an intercepted reply returned unread by progenitor.
pub(crate) fn take_intercepted_from_response(response: &reqwest::Response) -> Option<ApiError> {
    response.extensions().get::<Intercepted>()?.take()
}

/// Carries an [`ApiError`] through progenitor's generated code: as the error
/// of a response body and as a response extension (module docs). Whoever
/// finds it first takes the error.
#[derive(Clone)]
struct Intercepted(Arc<Mutex<Option<ApiError>>>);

impl Intercepted {
    fn new(error: ApiError) -> Self {
        Intercepted(Arc::new(Mutex::new(Some(error))))
    }

    fn take(&self) -> Option<ApiError> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl fmt::Display for Intercepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(error) => fmt::Display::fmt(error, f),
            None => f.write_str("the reply failed (reported as an ApiError)"),
        }
    }
}

impl fmt::Debug for Intercepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Intercepted")
            .field(&*self.0.lock().unwrap_or_else(PoisonError::into_inner))
            .finish()
    }
}

impl std::error::Error for Intercepted {}

/// A body whose first read fails with the carried error.
struct FailingBody(Option<Intercepted>);

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = Intercepted;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Intercepted>>> {
        Poll::Ready(self.0.take().map(Err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_explicit_ok_false_is_not_ok() {
        for not_ok in [
            r#"{"ok":false}"#,
            r#" {"code":200,"ok" : false,"data":{"ok":true}}"#,
            r#"{"\u006fk":false}"#,
        ] {
            assert!(envelope_says_not_ok(not_ok.as_bytes()), "{not_ok}");
        }
        for other in [
            r#"{"ok":true,"data":{"ok":false}}"#,
            r#"{"data":{"ok":false}}"#,
            r#"{"ok":"false"}"#,
            r#"{"ok":false"#,
            r#"{"ok":false,"ok":false}"#,
            r#"{"ok":true,"ok":false}"#,
            r#"{"ok":false} trailing"#,
            "",
            "[false]",
        ] {
            assert!(!envelope_says_not_ok(other.as_bytes()), "{other}");
        }
    }

    #[test]
    fn the_shortcut_sees_ok_true_only_at_the_start() {
        for yes in [r#"{"ok":true,"data":"#, " {\n \"ok\" :\ttrue}"] {
            assert!(starts_with_ok_true(yes.as_bytes()), "{yes}");
        }
        for no in [
            r#"{"ok":false}"#,
            r#"{"code":200,"ok":true}"#,
            r#"{"o k":true}"#,
            r#"["ok",true]"#,
            "",
        ] {
            assert!(!starts_with_ok_true(no.as_bytes()), "{no}");
        }
    }
}
