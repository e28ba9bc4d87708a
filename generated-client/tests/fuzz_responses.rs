//! Property test: whatever a server sends back, the client returns a typed
//! value or an [`ApiError`] that carries the HTTP status, and never panics.
//!
//! A raw TCP server (not a mock framework, which would normalise the reply)
//! writes an arbitrary status line, arbitrary headers and an arbitrary body:
//! random bytes, truncated envelopes, JSON nested 10 000 deep, strings of
//! several megabytes, wrong types, envelopes with unknown fields and codes,
//! and valid success bodies. Statuses are 200..=599: a 1xx is informational,
//! so HTTP clients wait for the final response after it and it never reaches
//! the caller.
//!
//! CI runs 256 cases. To run longer:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p genviral-partner --release --test fuzz_responses
//! ```

use std::sync::OnceLock;

use genviral_partner::{ApiError, Client, RetryPolicy, types};
use proptest::prelude::*;
use proptest::test_runner::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One reply, as bytes on the wire.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

const ENVELOPE: &str =
    r#"{"ok":false,"code":404,"message":"Pack not found","error_code":"not_found"}"#;
const PACK: &str = r#"{"ok":true,"code":200,"message":"Pack updated","data":{"id":"11111111-1111-1111-1111-111111111111","name":"Motivation Pack v2","image_count":24,"is_public":true,"created_at":"2026-02-14T09:00:00.000Z","images":[]}}"#;

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Random bytes.
        proptest::collection::vec(any::<u8>(), 0..512),
        // A truncated envelope or success body.
        (0..ENVELOPE.len()).prop_map(|n| ENVELOPE.as_bytes()[..n].to_vec()),
        (0..PACK.len()).prop_map(|n| PACK.as_bytes()[..n].to_vec()),
        // Deeply nested JSON (serde_json stops at depth 128).
        (1_000usize..10_000).prop_map(|depth| {
            let mut body = "[".repeat(depth);
            body.push_str(&"]".repeat(depth));
            body.into_bytes()
        }),
        // A huge string field.
        (1usize..4).prop_map(|megabytes| {
            format!(
                r#"{{"ok":false,"code":500,"message":"{}"}}"#,
                "x".repeat(megabytes << 20)
            )
            .into_bytes()
        }),
        // Wrong types.
        Just(br#"{"ok":"yes","code":"x","message":5,"data":[]}"#.to_vec()),
        Just(br#"{"ok":true,"code":200,"message":"m","data":{"id":7}}"#.to_vec()),
        Just(b"null".to_vec()),
        // Unknown fields and error codes.
        "[a-z_]{1,20}".prop_map(|code| {
            format!(r#"{{"ok":false,"code":409,"message":"m","error_code":"{code}","extra":{{"a":[1,2]}}}}"#)
                .into_bytes()
        }),
        Just(PACK.replace("\"images\":[]", "\"images\":[],\"new_field\":{\"x\":1}").into_bytes()),
        // A valid success body.
        Just(PACK.as_bytes().to_vec()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(
        (
            "x-[a-z0-9-]{1,20}|content-type|retry-after|cache-control",
            "[!-~]([ -~]{0,38}[!-~])?",
        ),
        0..6,
    )
}

fn replies() -> impl Strategy<Value = Reply> {
    (200u16..600, headers(), bodies()).prop_map(|(status, headers, body)| Reply {
        status,
        headers,
        body,
    })
}

impl Reply {
    fn to_bytes(&self) -> Vec<u8> {
        // 204 and 304 never carry a body (RFC 9110): send none.
        let body: &[u8] = if matches!(self.status, 204 | 304) {
            &[]
        } else {
            &self.body
        };
        let mut out = format!("HTTP/1.1 {} Fuzz\r\n", self.status).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if !matches!(self.status, 204 | 304) {
            out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
        }
        out.extend_from_slice(b"connection: close\r\n\r\n");
        out.extend_from_slice(body);
        out
    }
}

/// Serves `reply` once on a fresh port; returns the base URL.
async fn serve_once(reply: &Reply) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let bytes = reply.to_bytes();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        // Read the request head and its body before answering.
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            let n = socket.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buffer[..n]);
            if let Some(end) = find(&request, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|value| value.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let _ = socket.write_all(&bytes).await;
        let _ = socket.shutdown().await;
    });
    format!("http://{address}")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .token("gva_fuzz.secret")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// What the property allows for one reply: `Ok` only for a 200 whose body
/// decodes; otherwise an error that carries the served status.
fn check<T>(
    reply: &Reply,
    result: Result<T, ApiError>,
    decodes: bool,
) -> Result<(), TestCaseError> {
    match result {
        Ok(_) => prop_assert!(
            reply.status == 200 && decodes,
            "Ok for status {} (decodable body: {decodes})",
            reply.status
        ),
        Err(error) => {
            prop_assert!(
                !(reply.status == 200 && decodes),
                "a decodable 200 failed: {error}"
            );
            prop_assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(reply.status),
                "the error lost the status: {}",
                error
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn update_pack_survives_any_reply(reply in replies()) {
        let decodes = serde_json::from_slice::<types::PackResponse>(&reply.body).is_ok();
        let result = runtime().block_on(async {
            let base = serve_once(&reply).await;
            client(&base)
                .update_pack()
                .pack_id(uuid::Uuid::nil())
                .body(types::UpdatePackRequest::builder().is_public(true))
                .send()
                .await
                .map(|response| response.into_inner())
                .map_err(ApiError::from)
        });
        check(&reply, result, decodes)?;
    }

    #[test]
    fn move_folder_survives_any_reply(reply in replies()) {
        let decodes = serde_json::from_slice::<types::FolderResponse>(&reply.body).is_ok();
        let result = runtime().block_on(async {
            let base = serve_once(&reply).await;
            client(&base)
                .move_folder()
                .folder_id(uuid::Uuid::nil())
                .body(types::MoveFolderRequest::builder().parent_folder_id(None))
                .send()
                .await
                .map(|response| response.into_inner())
                .map_err(ApiError::from)
        });
        check(&reply, result, decodes)?;
    }
}
