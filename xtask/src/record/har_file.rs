//! A scrubbed exchange as a HAR 1.2 log, in the shape the contract suite
//! replays (`tests/src/har_conventions.rs`).

use anyhow::Context as _;
use base64::Engine as _;
use har::v1_2;

use super::{Args, Call, Exchange, REDACTED_AUTHORIZATION, ResponseBody};

/// The HAR file's JSON for one scrubbed exchange.
pub fn har(call: &Call, exchange: &Exchange, args: &Args) -> anyhow::Result<String> {
    let entry = v1_2::Entries {
        pageref: None,
        started_date_time: exchange
            .started
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        time: exchange.elapsed_ms,
        request: request(call, exchange),
        response: response(exchange),
        cache: v1_2::Cache {
            before_request: None,
            after_request: None,
        },
        timings: v1_2::Timings {
            blocked: None,
            dns: None,
            connect: None,
            send: 0.0,
            wait: exchange.elapsed_ms,
            receive: 0.0,
            ssl: None,
            comment: None,
        },
        server_ip_address: None,
        connection: None,
        comment: Some(format!(
            "Recorded by `cargo xtask record --operation {} --case {}`; the token is redacted.",
            args.operation, args.case
        )),
    };
    let har = har::Har {
        log: har::Spec::V1_2(v1_2::Log {
            creator: v1_2::Creator {
                name: "cargo xtask record".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                comment: None,
            },
            browser: None,
            pages: None,
            entries: vec![entry],
            comment: None,
        }),
    };
    har::to_json(&har).context("serialising the HAR")
}

/// The request as sent, with [`REDACTED_AUTHORIZATION`] for the token.
fn request(call: &Call, exchange: &Exchange) -> v1_2::Request {
    v1_2::Request {
        method: call.method.to_string(),
        url: call.url.clone(),
        http_version: "HTTP/1.1".into(),
        cookies: Vec::new(),
        headers: vec![
            header("Authorization", REDACTED_AUTHORIZATION),
            header("Content-Type", "application/json"),
            header("Accept", "application/json"),
        ],
        query_string: Vec::new(),
        post_data: Some(v1_2::PostData {
            mime_type: "application/json".into(),
            text: Some(exchange.request_body.clone()),
            params: None,
            comment: None,
        }),
        headers_size: -1,
        body_size: size(exchange.request_body.len()),
        comment: None,
    }
}

/// The response with its decoded body: text as is, anything else base64.
fn response(exchange: &Exchange) -> v1_2::Response {
    let (text, encoding) = match &exchange.body {
        ResponseBody::Text(text) => (text.clone(), None),
        ResponseBody::Binary(bytes) => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            Some("base64".to_string()),
        ),
    };
    v1_2::Response {
        status: i64::from(exchange.status),
        status_text: String::new(),
        http_version: exchange.version.clone(),
        cookies: Vec::new(),
        headers: exchange
            .headers
            .iter()
            .map(|(name, value)| header(name, value))
            .collect(),
        content: v1_2::Content {
            size: size(exchange.body.len()),
            compression: None,
            mime_type: exchange.header("content-type").map(str::to_string),
            text: Some(text),
            encoding,
            comment: None,
        },
        redirect_url: None,
        headers_size: -1,
        body_size: size(exchange.body.len()),
        comment: None,
    }
}

fn header(name: &str, value: &str) -> v1_2::Headers {
    v1_2::Headers {
        name: name.to_string(),
        value: value.to_string(),
        comment: None,
    }
}

/// A length as HAR stores it (`-1`: unknown).
fn size(length: usize) -> i64 {
    i64::try_from(length).unwrap_or(-1)
}
