//! Local servers for tests that depend on what is on the wire, which a mock
//! framework would normalise: exact reply bytes (a body cut short, bytes
//! that are not TLS), a server that never answers, the exact request a
//! client sends, and how many requests are in flight at once.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A valid `update_pack` success body (the spec's `updated` example).
pub const PACK_JSON: &str = r#"{"ok":true,"code":200,"message":"Pack updated","data":{"id":"11111111-1111-1111-1111-111111111111","name":"Motivation Pack v2","image_count":24,"is_public":true,"created_at":"2026-02-14T09:00:00.000Z","images":[]}}"#;

/// `HTTP/1.1 200` with [`PACK_JSON`], closing the connection.
pub fn pack_reply() -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{PACK_JSON}",
        PACK_JSON.len()
    )
    .into_bytes()
}

/// A reply with `status` whose body breaks off: the head announces
/// `sent.len() + 100` bytes, `sent` follows, then the connection closes.
pub fn cut_reply(status: u16, extra_headers: &str, sent: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra_headers}content-length: {}\r\nconnection: close\r\n\r\n{sent}",
        sent.len() + 100
    )
    .into_bytes()
}

/// A raw TCP server on 127.0.0.1 that reads each connection's request and
/// answers it with fixed bytes (or never), recording what it read.
pub struct RawServer {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Answers every connection with `reply`, then closes it.
    pub async fn replying(reply: Vec<u8>) -> RawServer {
        RawServer::start(Some(reply)).await
    }

    /// Reads requests and never answers (the connections stay open).
    pub async fn silent() -> RawServer {
        RawServer::start(None).await
    }

    async fn start(reply: Option<Vec<u8>>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (reply, recorded) = (reply.clone(), Arc::clone(&recorded));
                tokio::spawn(async move { serve(stream, reply, recorded).await });
            }
        });
        RawServer {
            address,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `https://127.0.0.1:<port>`: the same server, which does not speak TLS.
    pub fn https_base_url(&self) -> String {
        format!("https://{}", self.address)
    }

    /// Every request read so far, as sent (head and body).
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, reply: Option<Vec<u8>>, recorded: Arc<Mutex<Vec<Vec<u8>>>>) {
    let request = read_request(&mut stream).await;
    recorded.lock().unwrap().push(request);
    match reply {
        Some(reply) => {
            let _ = stream.write_all(&reply).await;
            let _ = stream.shutdown().await;
        }
        // Keep the connection open until the client gives up.
        None => {
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body), or
/// whatever arrives first when it is not HTTP (a TLS client hello).
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer).await else {
            return request;
        };
        if read == 0 {
            return request;
        }
        request.extend_from_slice(&buffer[..read]);
        if !request[0].is_ascii_uppercase() {
            return request;
        }
        if let Some(head_end) = find(&request, b"\r\n\r\n") {
            let body_length = content_length(&request[..head_end]);
            if request.len() >= head_end + 4 + body_length {
                return request;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

/// The header names of a request as read by [`RawServer`], lower-cased and
/// sorted, each with its value.
pub fn header_lines(request: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(request);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let mut headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect();
    headers.sort();
    headers
}

/// A keep-alive HTTP/1.1 server (hyper) that answers every request with
/// [`PACK_JSON`] after `hold`, counting the requests in flight and the most
/// that ever were.
pub struct CountingServer {
    address: SocketAddr,
    peak: Arc<AtomicUsize>,
    served: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl CountingServer {
    pub async fn start(hold: Duration) -> CountingServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let served = Arc::new(AtomicUsize::new(0));
        let counters = (Arc::clone(&peak), Arc::clone(&served));
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (in_flight, peak, served) = (
                    Arc::clone(&in_flight),
                    Arc::clone(&counters.0),
                    Arc::clone(&counters.1),
                );
                let service = hyper::service::service_fn(move |_request| {
                    let (in_flight, peak, served) = (
                        Arc::clone(&in_flight),
                        Arc::clone(&peak),
                        Arc::clone(&served),
                    );
                    async move {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(hold).await;
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        served.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, std::convert::Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(http_body_util::Full::new(hyper::body::Bytes::from_static(
                                    PACK_JSON.as_bytes(),
                                )))
                                .unwrap(),
                        )
                    }
                });
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        CountingServer {
            address,
            peak,
            served,
            task,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The most requests that were in flight at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Requests answered.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
