//! Client overhead: the generated client versus a hand-written `reqwest` +
//! `serde_json` call doing the same PATCH, against the same in-process
//! loopback HTTP/1.1 server, in the same process and runtime.
//!
//! ```text
//! cargo bench -p genviral-partner --bench overhead
//! BENCH_REQUESTS=20000 BENCH_ROUNDS=9 cargo bench -p genviral-partner --bench overhead
//! ```
//!
//! Both sides: one `reqwest::Client` reused for every request (same
//! connection pool, keep-alive), same headers (bearer token, user agent,
//! JSON content type), same request body, and the response decoded into the
//! same generated type (`types::PackResponse`/`types::FolderResponse`), so the
//! difference is what the generated layer adds: builders, validation,
//! `ClientHooks` (empty-body check, retry loop, tracing span, error
//! normalisation). Rounds alternate baseline and client; the figures are
//! medians over rounds and the ratio is client / baseline.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use genviral_partner::{Client, RetryPolicy, types};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use tokio::task::JoinSet;

/// The spec's success examples (`update_pack`, `move_folder`).
const PACK: &str = r#"{"ok":true,"code":200,"message":"Pack updated","data":{"id":"11111111-1111-1111-1111-111111111111","name":"Motivation Pack v2","image_count":24,"is_public":true,"created_at":"2026-02-14T09:00:00.000Z","images":[]}}"#;
const FOLDER: &str = r#"{"ok":true,"code":200,"message":"Folder moved","data":{"id":"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa","name":"Hooks","media_type":"slideshow","parent_folder_id":"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb","path":"/Campaigns/Hooks","created_at":"2026-02-10T08:00:00.000Z","updated_at":"2026-02-14T10:00:00.000Z"}}"#;
const TOKEN: &str = "gva_bench.secret-for-benchmarks";
const PACK_ID: &str = "11111111-1111-1111-1111-111111111111";
const FOLDER_ID: &str = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";

async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = if request.uri().path().contains("/folders/") {
        FOLDER
    } else {
        PACK
    };
    // Drain the request body so the connection can be reused.
    let _ = http_body_util::BodyExt::collect(request.into_body()).await;
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("a valid response"))
}

/// A keep-alive HTTP/1.1 server on its own runtime thread.
fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                stream.set_nodelay(true).unwrap();
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, hyper::service::service_fn(handle))
                        .await;
                });
            }
        });
    });
    rx.recv().expect("the server address")
}

#[derive(Clone, Copy, Debug)]
enum Operation {
    UpdatePack,
    MoveFolder,
}

async fn baseline(http: &reqwest::Client, base: &str, operation: Operation) {
    match operation {
        Operation::UpdatePack => {
            let body = serde_json::to_vec(&serde_json::json!({"is_public": true})).unwrap();
            let response = http
                .patch(format!("{base}/packs/{PACK_ID}"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::ACCEPT, "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            let pack: types::PackResponse = serde_json::from_slice(&bytes).unwrap();
            std::hint::black_box(pack);
        }
        Operation::MoveFolder => {
            let body = serde_json::to_vec(&serde_json::json!({"parent_folder_id": null})).unwrap();
            let response = http
                .patch(format!("{base}/folders/{FOLDER_ID}"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::ACCEPT, "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            let folder: types::FolderResponse = serde_json::from_slice(&bytes).unwrap();
            std::hint::black_box(folder);
        }
    }
}

async fn generated(client: &Client, operation: Operation) {
    match operation {
        Operation::UpdatePack => {
            let pack = client
                .update_pack()
                .pack_id(uuid::Uuid::parse_str(PACK_ID).unwrap())
                .body(types::UpdatePackRequest::builder().is_public(true))
                .send()
                .await
                .unwrap();
            std::hint::black_box(pack.into_inner());
        }
        Operation::MoveFolder => {
            let folder = client
                .move_folder()
                .folder_id(uuid::Uuid::parse_str(FOLDER_ID).unwrap())
                .body(types::MoveFolderRequest::builder().parent_folder_id(None))
                .send()
                .await
                .unwrap();
            std::hint::black_box(folder.into_inner());
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Baseline,
    Generated,
}

/// Runs `requests` calls with `concurrency` in flight; returns elapsed time.
async fn run(
    side: Side,
    http: &reqwest::Client,
    client: &Client,
    base: &str,
    operation: Operation,
    requests: usize,
    concurrency: usize,
) -> Duration {
    let start = Instant::now();
    if concurrency == 1 {
        for _ in 0..requests {
            match side {
                Side::Baseline => baseline(http, base, operation).await,
                Side::Generated => generated(client, operation).await,
            }
        }
    } else {
        let mut set = JoinSet::new();
        for worker in 0..concurrency {
            let (http, client, base) = (http.clone(), client.clone(), base.to_string());
            let share = requests / concurrency + usize::from(worker < requests % concurrency);
            set.spawn(async move {
                for _ in 0..share {
                    match side {
                        Side::Baseline => baseline(&http, &base, operation).await,
                        Side::Generated => generated(&client, operation).await,
                    }
                }
            });
        }
        while let Some(done) = set.join_next().await {
            done.unwrap();
        }
    }
    start.elapsed()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench`-less args;
    // a quick smoke run keeps that cheap.
    let smoke = std::env::args().any(|arg| arg == "--test");
    let requests = if smoke {
        20
    } else {
        env_or("BENCH_REQUESTS", 5_000)
    };
    let rounds = if smoke { 1 } else { env_or("BENCH_ROUNDS", 7) };

    let address = start_server();
    let base = format!("http://{address}/api/partner/v1");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    let mut auth = reqwest::header::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
    auth.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, auth);
    headers.insert(
        reqwest::header::USER_AGENT,
        reqwest::header::HeaderValue::from_static(genviral_partner::USER_AGENT_VALUE),
    );
    // The same reqwest configuration as the generated client's (timeouts
    // register a timer per request): the comparison is about the generated
    // layer, not about reqwest settings.
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(genviral_partner::DEFAULT_CONNECT_TIMEOUT)
        .timeout(genviral_partner::DEFAULT_TIMEOUT)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&base)
        .token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    println!(
        "{requests} requests per round, {rounds} rounds, medians; ratio = generated / baseline"
    );
    println!(
        "{:<12} {:>3}  {:>13} {:>13} {:>11} {:>11}  {:>16}",
        "operation", "in", "baseline r/s", "client r/s", "base µs", "client µs", "throughput ratio"
    );
    for operation in [Operation::UpdatePack, Operation::MoveFolder] {
        for concurrency in [1, 8] {
            let (mut base_times, mut client_times) = (Vec::new(), Vec::new());
            runtime.block_on(async {
                // Warm up both sides (connections, allocator, caches).
                run(
                    Side::Baseline,
                    &http,
                    &client,
                    &base,
                    operation,
                    200.min(requests),
                    concurrency,
                )
                .await;
                run(
                    Side::Generated,
                    &http,
                    &client,
                    &base,
                    operation,
                    200.min(requests),
                    concurrency,
                )
                .await;
                for _ in 0..rounds {
                    base_times.push(
                        run(
                            Side::Baseline,
                            &http,
                            &client,
                            &base,
                            operation,
                            requests,
                            concurrency,
                        )
                        .await
                        .as_secs_f64(),
                    );
                    client_times.push(
                        run(
                            Side::Generated,
                            &http,
                            &client,
                            &base,
                            operation,
                            requests,
                            concurrency,
                        )
                        .await
                        .as_secs_f64(),
                    );
                }
            });
            let (base_s, client_s) = (median(base_times), median(client_times));
            let n = requests as f64;
            println!(
                "{:<12} {:>3}  {:>13.0} {:>13.0} {:>11.1} {:>11.1}  {:>16.3}",
                format!("{operation:?}"),
                concurrency,
                n / base_s,
                n / client_s,
                base_s / n * 1e6 * concurrency as f64,
                client_s / n * 1e6 * concurrency as f64,
                base_s / client_s,
            );
        }
    }
}
