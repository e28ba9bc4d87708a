//! Client overhead: the generated client versus a hand-written `reqwest` +
//! `serde_json` call doing the same PATCH, against the same in-process
//! loopback HTTP/1.1 server, in the same process and runtime.
//!
//! ```text
//! cargo bench -p genviral-partner --bench overhead
//! BENCH_REQUESTS=4000 BENCH_ROUNDS=15 cargo bench -p genviral-partner --bench overhead
//! ```
//!
//! Both sides use one `reqwest::Client` each, reused for every request
//! (reqwest's default keep-alive pool), with the same timeouts and default
//! headers, and send byte-for-byte the same request: checked before timing
//! by capturing one request of each side at the server and comparing method,
//! path, headers and body. Both decode the response into the same generated
//! type (`types::PackResponse`/`types::FolderResponse`), so the difference is
//! what the generated layer adds: builders and validation, path encoding,
//! `ClientHooks` (empty-body check and the spec's request constraints,
//! concurrency limit, retry loop with the default policy, so a copy of each
//! request is kept for a retry; the reply read to the end; tracing span;
//! error normalisation) and `ResponseValue`.
//!
//! The client runs on a current-thread tokio runtime and the server on its
//! own thread and runtime: one core each on a 2-core machine. Each round
//! times `BENCH_REQUESTS` calls of the baseline and of the generated client
//! back to back (the order alternates between rounds, so drift from other
//! load on the machine hits both sides alike); the throughput ratio is the
//! median over rounds of the per-round ratio. Latencies are per request,
//! pooled over all rounds.
//!
//! Run without `--bench` (as `cargo test` does: `test = true` in
//! Cargo.toml), it only checks that both sides send the same request and
//! makes a few calls. With
//! `BENCH_PROFILE=baseline` or `=generated` it makes `BENCH_REQUESTS`
//! sequential `update_pack` calls of that side only, for a profiler.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use genviral_partner::{Client, ClientInfo as _, RetryPolicy, types};
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::task::JoinSet;

/// Success examples copied from `spec/openapi.yaml`: `update_pack` 200
/// (`updated`) and `move_folder` 200 (`moved`). Decoding them into the
/// generated types on every call fails loudly if they drift from the spec.
const PACK: &str = r#"{"ok":true,"code":200,"message":"Pack updated","data":{"id":"11111111-1111-1111-1111-111111111111","name":"Motivation Pack v2","image_count":24,"is_public":true,"created_at":"2026-02-14T09:00:00.000Z","images":[]}}"#;
const FOLDER: &str = r#"{"ok":true,"code":200,"message":"Folder moved","data":{"id":"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa","name":"Hooks","media_type":"slideshow","parent_folder_id":"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb","path":"/Campaigns/Hooks","created_at":"2026-02-10T08:00:00.000Z","updated_at":"2026-02-14T10:00:00.000Z"}}"#;
const TOKEN: &str = "gva_bench.secret";
/// The most requests in flight the bench makes (its concurrent rows).
const MAX_IN_FLIGHT: usize = 8;
const PACK_ID: uuid::Uuid = uuid::Uuid::from_u128(0x11111111_1111_1111_1111_111111111111);
const FOLDER_ID: uuid::Uuid = uuid::Uuid::from_u128(0xaaaaaaaa_aaaa_aaaa_aaaa_aaaaaaaaaaaa);

/// One request as the server saw it: method, path, sorted headers, body.
type Captured = (String, String, Vec<(String, String)>, Bytes);

/// Requests are recorded only while `CAPTURING` is set (before timing).
static CAPTURING: AtomicBool = AtomicBool::new(false);
static CAPTURED: Mutex<Vec<Captured>> = Mutex::new(Vec::new());

async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    // Read the whole request body, as a real server would.
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if CAPTURING.load(Ordering::Relaxed) {
        let mut headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.to_string(), value)
            })
            .collect();
        headers.sort();
        let entry = (
            parts.method.to_string(),
            parts.uri.to_string(),
            headers,
            body,
        );
        CAPTURED.lock().unwrap().push(entry);
    }
    let reply = if parts.uri.path().contains("/folders/") {
        FOLDER
    } else {
        PACK
    };
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(reply.as_bytes())))
        .expect("a valid response"))
}

/// A keep-alive HTTP/1.1 server on its own thread and runtime.
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

/// The hand-written call: what a careful user would write without the SDK.
async fn baseline(http: &reqwest::Client, base: &str, operation: Operation) {
    let (url, body) = match operation {
        Operation::UpdatePack => (
            format!("{base}/packs/{PACK_ID}"),
            serde_json::json!({"is_public": true}),
        ),
        Operation::MoveFolder => (
            format!("{base}/folders/{FOLDER_ID}"),
            serde_json::json!({"parent_folder_id": null}),
        ),
    };
    let response = http
        .patch(url)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.unwrap();
    match operation {
        Operation::UpdatePack => {
            let pack: types::PackResponse = serde_json::from_slice(&bytes).unwrap();
            std::hint::black_box(pack);
        }
        Operation::MoveFolder => {
            let folder: types::FolderResponse = serde_json::from_slice(&bytes).unwrap();
            std::hint::black_box(folder);
        }
    }
}

/// The same call through the generated client.
async fn generated(client: &Client, operation: Operation) {
    match operation {
        Operation::UpdatePack => {
            let pack = client
                .update_pack()
                .pack_id(PACK_ID)
                .body(types::UpdatePackRequest::builder().is_public(true))
                .send()
                .await
                .unwrap();
            std::hint::black_box(pack.into_inner());
        }
        Operation::MoveFolder => {
            let folder = client
                .move_folder()
                .folder_id(FOLDER_ID)
                .body(types::MoveFolderRequest::builder().parent_folder_id(None))
                .send()
                .await
                .unwrap();
            std::hint::black_box(folder.into_inner());
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Side {
    Baseline,
    Generated,
}

/// Both sides, each with its own reused client.
#[derive(Clone)]
struct Sides {
    http: reqwest::Client,
    client: Client,
    base: String,
}

impl Sides {
    async fn call(&self, side: Side, operation: Operation) {
        match side {
            Side::Baseline => baseline(&self.http, &self.base, operation).await,
            Side::Generated => generated(&self.client, operation).await,
        }
    }

    /// Makes `requests` calls with `concurrency` in flight; returns the
    /// elapsed time and every request's latency.
    async fn run(
        &self,
        side: Side,
        operation: Operation,
        requests: usize,
        concurrency: usize,
    ) -> (Duration, Vec<Duration>) {
        let start = Instant::now();
        let mut set = JoinSet::new();
        for worker in 0..concurrency {
            let sides = self.clone();
            let share = requests / concurrency + usize::from(worker < requests % concurrency);
            set.spawn(async move {
                let mut latencies = Vec::with_capacity(share);
                for _ in 0..share {
                    let sent = Instant::now();
                    sides.call(side, operation).await;
                    latencies.push(sent.elapsed());
                }
                latencies
            });
        }
        let mut latencies = Vec::with_capacity(requests);
        while let Some(done) = set.join_next().await {
            latencies.extend(done.unwrap());
        }
        (start.elapsed(), latencies)
    }

    /// Fails unless both sides put the same bytes on the wire for `operation`.
    async fn assert_same_request(&self, operation: Operation) {
        CAPTURED.lock().unwrap().clear();
        CAPTURING.store(true, Ordering::Relaxed);
        self.call(Side::Baseline, operation).await;
        self.call(Side::Generated, operation).await;
        CAPTURING.store(false, Ordering::Relaxed);
        let captured = std::mem::take(&mut *CAPTURED.lock().unwrap());
        let [baseline, generated] = captured.as_slice() else {
            panic!("expected two requests, got {captured:?}");
        };
        assert_eq!(baseline, generated, "{operation:?}: the requests differ");
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index].as_secs_f64() * 1e6
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The number in the environment variable `name`, or `default` when it is
/// unset; a value that is not a number stops the bench with its name.
fn env_or(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` does not.
    let bench = std::env::args().any(|arg| arg == "--bench");
    let requests = if bench {
        env_or("BENCH_REQUESTS", 4_000)
    } else {
        16
    };
    let rounds = if bench { env_or("BENCH_ROUNDS", 11) } else { 1 };

    let address = start_server();
    let base = format!("http://{address}/api/partner/v1");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The baseline builds its own reqwest client, as an application does:
    // under the default `rustls-ring` backend that needs the crypto
    // provider installed first (reqwest's `rustls-no-provider` panics
    // without one), which is what this call is for.
    genviral_partner::install_crypto_provider();
    // The generated client's configuration (client.rs): default headers and
    // timeouts (a timeout registers a timer per request), so the comparison
    // is about the generated layer, not about reqwest settings.
    let mut headers = HeaderMap::new();
    let mut auth = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
    auth.set_sensitive(true);
    headers.insert(header::AUTHORIZATION, auth);
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(genviral_partner::USER_AGENT_VALUE),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(genviral_partner::DEFAULT_CONNECT_TIMEOUT)
        .timeout(genviral_partner::DEFAULT_TIMEOUT)
        .build()
        .unwrap();
    // The default retry policy, as users get it: on the success path it
    // costs a copy of each request kept for a possible retry.
    let client = Client::builder()
        .base_url(&base)
        .token(TOKEN)
        // The concurrency limit (default 5, Genviral's guidance) is a
        // policy, not overhead: both sides get the bench's most in flight.
        .max_concurrent_requests(MAX_IN_FLIGHT)
        .build()
        .unwrap();
    assert_eq!(client.inner().retry_policy(), &RetryPolicy::default());
    let sides = Sides { http, client, base };

    runtime.block_on(async {
        for operation in [Operation::UpdatePack, Operation::MoveFolder] {
            sides.assert_same_request(operation).await;
        }
    });
    // For a profiler: only one side, one at a time, then exit (see
    // BENCHMARKS.md for the callgrind commands).
    if let Ok(profile) = std::env::var("BENCH_PROFILE") {
        let side = match profile.as_str() {
            "baseline" => Side::Baseline,
            "generated" => Side::Generated,
            other => panic!("BENCH_PROFILE={other}: expected baseline or generated"),
        };
        runtime.block_on(sides.run(side, Operation::UpdatePack, requests, 1));
        println!("{requests} update_pack calls ({side:?})");
        return;
    }
    println!(
        "{requests} requests per side and round, {rounds} rounds; same request bytes checked; ratios = generated / baseline"
    );
    println!(
        "{:<11} {:>2} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "operation", "in", "base r/s", "gen r/s", "r/s", "base", "gen", "p50", "base", "gen", "p99"
    );
    println!(
        "{:<11} {:>2} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "", "", "", "", "ratio", "p50 µs", "p50 µs", "ratio", "p99 µs", "p99 µs", "ratio"
    );
    for operation in [Operation::UpdatePack, Operation::MoveFolder] {
        for concurrency in [1, MAX_IN_FLIGHT] {
            let (mut base_rates, mut gen_rates, mut ratios) = (vec![], vec![], vec![]);
            let (mut base_lat, mut gen_lat) = (vec![], vec![]);
            runtime.block_on(async {
                // Warm up both sides: connections, allocator, caches.
                for side in [Side::Baseline, Side::Generated] {
                    sides
                        .run(side, operation, requests.min(500), concurrency)
                        .await;
                }
                for round in 0..rounds {
                    let order = if round % 2 == 0 {
                        [Side::Baseline, Side::Generated]
                    } else {
                        [Side::Generated, Side::Baseline]
                    };
                    let mut seconds = [0.0; 2];
                    for side in order {
                        let (elapsed, latencies) =
                            sides.run(side, operation, requests, concurrency).await;
                        let slot = side as usize;
                        seconds[slot] = elapsed.as_secs_f64();
                        [&mut base_lat, &mut gen_lat][slot].extend(latencies);
                    }
                    base_rates.push(requests as f64 / seconds[0]);
                    gen_rates.push(requests as f64 / seconds[1]);
                    ratios.push(seconds[0] / seconds[1]);
                }
            });
            base_lat.sort();
            gen_lat.sort();
            let (b50, g50) = (percentile(&base_lat, 0.5), percentile(&gen_lat, 0.5));
            let (b99, g99) = (percentile(&base_lat, 0.99), percentile(&gen_lat, 0.99));
            println!(
                "{:<11} {:>2} {:>9.0} {:>9.0} {:>7.3} {:>7.1} {:>7.1} {:>7.3} {:>7.1} {:>7.1} {:>7.3}",
                format!("{operation:?}"),
                concurrency,
                median(base_rates),
                median(gen_rates),
                median(ratios),
                b50,
                g50,
                g50 / b50,
                b99,
                g99,
                g99 / b99,
            );
        }
    }
}
