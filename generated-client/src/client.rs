//! Building an authenticated [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use tokio::sync::Semaphore;

use crate::auth::ApiToken;
use crate::options::RequestOptions;
use crate::retry::RetryPolicy;
// The user agent names the API version too, so it is generated from the
// spec's `info.version`.
use crate::{Client, DEFAULT_BASE_URL, USER_AGENT_VALUE};

/// Time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time allowed for one attempt of a request, response body included.
/// Half of [`DEFAULT_TOTAL_TIMEOUT`], so that a hung first attempt leaves
/// time for a retry.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Time allowed for a whole call: every attempt and the waits between them.
/// With the defaults, a call returns within about a minute whatever the
/// network does (plus any wait for a free slot under
/// [`DEFAULT_MAX_CONCURRENT_REQUESTS`], which is not counted).
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// Requests one client (and its clones) has in flight at most. Genviral's
/// guidance is to keep 3 to 10 requests in flight at a time (the `429`
/// row of the docs' status table, "respect concurrency guidance (3–10
/// requests at a time)", and the spec's "Concurrency, rate limits and
/// retries"); 5 stays inside that range with room on both sides: more
/// than the lower bound for throughput, half the upper bound so that two
/// processes sharing a key still respect it.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 5;

/// State the generated [`Client`] carries for the hand-written layer: what
/// the hooks need to time, limit and retry requests.
///
/// Build clients with [`Client::builder`], [`Client::with_token`] or
/// [`Client::from_env`]. The generated `Client::new`/`Client::new_with_client`
/// also take a `ClientState` (its timeouts replace the `reqwest::Client`'s
/// request timeout; the client must then add the `Authorization` header
/// itself): prefer [`ClientBuilder::reqwest_client`], which keeps auth, the
/// user agent and the redirect policy.
///
/// Clones share the concurrency limit.
#[derive(Debug, Clone)]
pub struct ClientState {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) total_timeout: Duration,
    max_concurrent_requests: usize,
    limiter: Arc<Semaphore>,
    pub(crate) options: Option<Arc<RequestOptions>>,
}

impl Default for ClientState {
    /// [`RetryPolicy::default`], [`DEFAULT_TIMEOUT`],
    /// [`DEFAULT_TOTAL_TIMEOUT`], [`DEFAULT_MAX_CONCURRENT_REQUESTS`].
    fn default() -> Self {
        ClientState {
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            limiter: Arc::new(Semaphore::new(DEFAULT_MAX_CONCURRENT_REQUESTS)),
            options: None,
        }
    }
}

impl ClientState {
    /// The defaults with the given retry policy.
    pub fn new(retry: RetryPolicy) -> Self {
        ClientState {
            retry,
            ..ClientState::default()
        }
    }

    /// The retry policy every request of the client follows.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Time allowed for each attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Time allowed for a whole call, retries included.
    pub fn total_timeout(&self) -> Duration {
        self.total_timeout
    }

    /// Requests in flight at most, across the client and its clones.
    pub fn max_concurrent_requests(&self) -> usize {
        self.max_concurrent_requests
    }

    /// The per-call settings of a client made by [`Client::with_options`].
    pub fn request_options(&self) -> Option<&RequestOptions> {
        self.options.as_deref()
    }

    /// The settings one call runs with: the per-call options over the
    /// client's.
    pub(crate) fn call_settings(&self) -> CallSettings<'_> {
        let options = self.options.as_deref();
        CallSettings {
            retry: options
                .and_then(RequestOptions::retry_setting)
                .unwrap_or(&self.retry),
            timeout: options
                .and_then(RequestOptions::timeout_setting)
                .unwrap_or(self.timeout),
            total_timeout: options
                .and_then(RequestOptions::total_timeout_setting)
                .unwrap_or(self.total_timeout),
        }
    }

    /// Waits for a free slot under the concurrency limit; the slot is
    /// released when the permit is dropped.
    pub(crate) async fn acquire_slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        // A free slot is taken without `acquire`'s waiter bookkeeping (the
        // usual case: it shows in the overhead bench). Only a closed
        // semaphore fails, and this one is never closed.
        match self.limiter.try_acquire() {
            Ok(permit) => Some(permit),
            Err(_) => self.limiter.acquire().await.ok(),
        }
    }
}

/// The settings of one call (see [`ClientState::call_settings`]).
pub(crate) struct CallSettings<'a> {
    pub(crate) retry: &'a RetryPolicy,
    timeout: Duration,
    total_timeout: Duration,
}

impl CallSettings<'_> {
    /// When the call must be over if it starts now; `None` when the total
    /// timeout is too large to represent (no deadline).
    pub(crate) fn deadline_from(&self, start: Instant) -> Option<Instant> {
        start.checked_add(self.total_timeout)
    }

    /// The timeout of an attempt starting at `now`: the per-attempt timeout,
    /// cut to what is left before `deadline`.
    pub(crate) fn attempt_timeout(&self, now: Instant, deadline: Option<Instant>) -> Duration {
        match deadline {
            Some(deadline) => self.timeout.min(deadline.saturating_duration_since(now)),
            None => self.timeout,
        }
    }

    /// Whether an attempt with `timeout` was cut short by the deadline.
    pub(crate) fn cut_by_deadline(&self, timeout: Duration) -> bool {
        timeout < self.timeout
    }
}

/// Why a zero timeout is refused, by the builder and per call.
pub(crate) const ZERO_TIMEOUT: &str = "0 would make every call time out";

/// Why a [`Client`] could not be built. Never contains the API token.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The API token does not have the shape `<public_id>.<secret>`.
    InvalidToken {
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL is not an absolute `http(s)` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A required environment variable is not set (or not UTF-8).
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },
    /// No token was given to the [`ClientBuilder`].
    MissingToken,
    /// A [`ClientBuilder`] setting is out of range.
    InvalidSetting {
        /// The setting, as the builder method is named.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// reqwest could not build its HTTP client (e.g. TLS backend failure).
    Http(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidToken { reason } => write!(f, "invalid API token: {reason}"),
            ConfigError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            ConfigError::MissingEnv { name } => {
                write!(f, "environment variable {name} is not set (or not UTF-8)")
            }
            ConfigError::MissingToken => {
                f.write_str("no API token: call ClientBuilder::token (or use Client::from_env)")
            }
            ConfigError::InvalidSetting { setting, reason } => {
                write!(f, "invalid {setting}: {reason}")
            }
            ConfigError::Http(error) => write!(f, "cannot build the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Http(error) => Some(error),
            _ => None,
        }
    }
}

/// Follows at most 5 redirects, and only within the origin (scheme, host,
/// port) of the request. The API does not redirect; a redirect elsewhere
/// (a captive portal, a misconfigured proxy) is returned to the caller as
/// an error with its 3xx status instead of being followed. reqwest also
/// strips `Authorization` on cross-host redirects; this policy means the
/// token's request never reaches another host at all. A `303 See Other`
/// is not followed either: reqwest would follow it with a `GET` without
/// the body, and report that `GET`'s reply as the PATCH's.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        let keeps_the_request = attempt.status() != reqwest::StatusCode::SEE_OTHER;
        if attempt.previous().len() > 5 || !same_origin || !keeps_the_request {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Checks `url` and returns it without a trailing `/` (paths are appended to it).
/// Surrounding whitespace (a value read from a file or an environment
/// variable) is removed first.
fn normalize_base_url(url: &str) -> Result<String, ConfigError> {
    let url = url.trim();
    let invalid = |reason: String| ConfigError::InvalidBaseUrl {
        url: url.to_string(),
        reason,
    };
    let mut parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // reqwest would send them as `Authorization: Basic …`, replacing the
        // API token; the error shows the URL without them (never a secret).
        let _ = parsed.set_username("");
        let _ = parsed.set_password(None);
        return Err(ConfigError::InvalidBaseUrl {
            url: parsed.to_string(),
            reason: "a base URL cannot carry a user name or password \
                     (the API token is the only credential)"
                .into(),
        });
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme `{}` is not http or https",
            parsed.scheme()
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or fragment".into()));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The environment variable [`Client::from_env`] reads the token from.
pub const ENV_API_KEY: &str = "GENVIRAL_API_KEY";
/// The optional environment variable that overrides [`DEFAULT_BASE_URL`].
pub const ENV_BASE_URL: &str = "GENVIRAL_BASE_URL";

/// Configures a [`Client`]: token, base URL, timeouts, retries, the
/// concurrency limit and, optionally, reqwest itself.
///
/// ```
/// use std::time::Duration;
/// use genviral_partner::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .token("gva_live_x1y2z3.abcd1234")
///     .timeout(Duration::from_secs(20))
///     .total_timeout(Duration::from_secs(45))
///     .retry_policy(RetryPolicy::default().with_max_retries(4))
///     .max_concurrent_requests(8)
///     .build()?;
/// # Ok::<(), genviral_partner::ConfigError>(())
/// ```
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    total_timeout: Duration,
    retry: RetryPolicy,
    max_concurrent_requests: usize,
    http: Option<reqwest::ClientBuilder>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            // Its default headers may hold the caller's secrets.
            .field("reqwest_client", &self.http.as_ref().map(|_| "<custom>"))
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_string(),
            token: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            retry: RetryPolicy::default(),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            http: None,
        }
    }
}

impl ClientBuilder {
    /// The API key, `<public_id>.<secret>` (checked by [`build`](Self::build)).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Where the API is (default [`DEFAULT_BASE_URL`]); e.g. a mock or proxy.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Time allowed to connect (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for each attempt of a request, body included (default
    /// [`DEFAULT_TIMEOUT`]); the last attempt gets at most what is left of
    /// [`total_timeout`](Self::total_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed for a whole call: all attempts, the waits between them
    /// and reading the reply (default [`DEFAULT_TOTAL_TIMEOUT`]). It starts
    /// when the first attempt is sent; waiting for a free slot under
    /// [`max_concurrent_requests`](Self::max_concurrent_requests) before
    /// that is not counted. A retry whose wait would end after it is not
    /// made: the call returns the last failure.
    pub fn total_timeout(mut self, total_timeout: Duration) -> Self {
        self.total_timeout = total_timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]; disable with
    /// [`RetryPolicy::disabled`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Requests in flight at most, shared by the client and its clones
    /// (default [`DEFAULT_MAX_CONCURRENT_REQUESTS`], from Genviral's
    /// guidance). Further calls wait for a free slot; a slot is held for
    /// one attempt (sending and reading the reply), not during the wait
    /// before a retry. [`build`](Self::build) refuses 0.
    pub fn max_concurrent_requests(mut self, max: usize) -> Self {
        self.max_concurrent_requests = max;
        self
    }

    /// Builds the HTTP client from `http` (proxies, extra root
    /// certificates, local address, …) instead of `reqwest::Client::builder()`.
    ///
    /// [`build`](Self::build) still sets what the API needs, replacing the
    /// same settings of `http`: the `Authorization` and `User-Agent`
    /// default headers (other default headers are kept), the same-origin
    /// redirect policy, the connect timeout and the request timeout
    /// ([`timeout`](Self::timeout), cut to what is left of
    /// [`total_timeout`](Self::total_timeout) where needed), so a timeout
    /// set on `http` has no effect.
    ///
    /// ```
    /// use genviral_partner::{Client, reqwest};
    ///
    /// let client = Client::builder()
    ///     .token("gva_live_x1y2z3.abcd1234")
    ///     .reqwest_client(reqwest::Client::builder().no_proxy().tcp_nodelay(true))
    ///     .build()?;
    /// # Ok::<(), genviral_partner::ConfigError>(())
    /// ```
    pub fn reqwest_client(mut self, http: reqwest::ClientBuilder) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = normalize_base_url(&self.base_url)?;
        for (setting, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("total_timeout", self.total_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::InvalidSetting {
                    setting,
                    reason: ZERO_TIMEOUT.into(),
                });
            }
        }
        crate::tls::prepare(&base_url)?;
        let token = ApiToken::new(self.token.ok_or(ConfigError::MissingToken)?)?;
        let limiter = concurrency_limiter(self.max_concurrent_requests)?;
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, token.header_value());
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        let http = self
            .http
            .unwrap_or_default()
            .default_headers(headers)
            .redirect(same_origin_redirects())
            .connect_timeout(self.connect_timeout)
            // Each attempt's timeout: the hooks set another one only on a
            // request that needs another (cut by the deadline, or a
            // per-call option), which spares the others a map each.
            .timeout(self.timeout)
            .build()
            .map_err(ConfigError::Http)?;
        let state = ClientState {
            retry: self.retry,
            timeout: self.timeout,
            total_timeout: self.total_timeout,
            max_concurrent_requests: self.max_concurrent_requests,
            limiter,
            options: None,
        };
        let mut client = Client::new_with_client(&base_url, http, state);
        client.reqwest_timeout = Some(self.timeout);
        Ok(client)
    }
}

/// The semaphore behind [`ClientBuilder::max_concurrent_requests`]: at
/// least one slot (none would block every call forever) and no more than
/// tokio can count.
fn concurrency_limiter(max: usize) -> Result<Arc<Semaphore>, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidSetting {
        setting: "max_concurrent_requests",
        reason,
    };
    if max == 0 {
        return Err(invalid(
            "0 would block every call; use at least 1".to_string(),
        ));
    }
    if max > Semaphore::MAX_PERMITS {
        return Err(invalid(format!(
            "{max} is more than the {} supported",
            Semaphore::MAX_PERMITS
        )));
    }
    Ok(Arc::new(Semaphore::new(max)))
}

impl Client {
    /// A [`ClientBuilder`] with the defaults: production API, 10 s connect
    /// timeout, 30 s per attempt and 60 s per call, two retries, at most 5
    /// requests in flight.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the production API ([`DEFAULT_BASE_URL`]) authenticated
    /// with `token` (`<public_id>.<secret>`).
    pub fn with_token(token: impl Into<String>) -> Result<Self, ConfigError> {
        Self::builder().token(token).build()
    }

    /// A client for the API at `base_url` (e.g. a local mock or proxy),
    /// authenticated with `token`.
    pub fn with_base_url_and_token(
        base_url: &str,
        token: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder().base_url(base_url).token(token).build()
    }

    /// A client configured from the environment: the token from
    /// `GENVIRAL_API_KEY` (required) and the base URL from
    /// `GENVIRAL_BASE_URL` (optional, default [`DEFAULT_BASE_URL`]; empty
    /// counts as unset). Surrounding whitespace, such as the newline of a
    /// value read from a secrets file, is removed from both.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::builder_from(|name| std::env::var(name).ok())?.build()
    }

    /// [`from_env`](Self::from_env) with the variables looked up by `lookup`.
    fn builder_from(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        let token = lookup(ENV_API_KEY).ok_or(ConfigError::MissingEnv { name: ENV_API_KEY })?;
        let mut builder = Self::builder().token(token.trim());
        if let Some(base_url) = lookup(ENV_BASE_URL).filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::PathSegment;
    use crate::{ApiError, ErrorKind, RequestOptions};
    use progenitor_client::ClientInfo as _;
    use proptest::prelude::*;
    use reqwest::{Method, Url};

    /// Base URLs as the generated constructor takes them (the builder would
    /// refuse or trim some): reused parsed, and parsed with every request.
    const BASES: [&str; 11] = [
        "http://127.0.0.1:9/v1",
        "http://127.0.0.1:9/v1/",
        "http://127.0.0.1:9/",
        "http://127.0.0.1:9",
        "https://www.genviral.io/api/partner/v1",
        "HTTP://Example.COM:80/a/./b/../c",
        "http://h/%7Ex/a%20b",
        "http://user:pw@h/v1",
        "http://h/v1?q=1",
        "http://h/v1#f",
        "not a url",
    ];

    /// The URL and headers of a request, or its error.
    fn built(request: reqwest::RequestBuilder) -> Result<(Url, String), String> {
        request
            .build()
            .map(|request| (request.url().clone(), format!("{:?}", request.headers())))
            .map_err(|error| format!("{error:?}"))
    }

    #[test]
    fn request_urls_are_those_of_the_joined_string() {
        // Built once: the builder also makes the TLS backend ready.
        let http = Client::with_base_url_and_token("http://127.0.0.1:9", "a.b")
            .unwrap()
            .client()
            .clone();
        let clients: Vec<(&str, Client)> = BASES
            .iter()
            .map(|base| {
                let client = Client::new_with_client(base, http.clone(), ClientState::default());
                (*base, client)
            })
            .collect();
        proptest!(|(value in any::<String>(), id in any::<u128>())| {
            let id = uuid::Uuid::from_u128(id);
            let path = format!("/things/{}", progenitor_client::encode_path(&value));
            let uuid_path = format!("/packs/{}", progenitor_client::encode_path(&id.to_string()));
            for (base, client) in &clients {
                // What progenitor's code built: the joined string, parsed.
                let joined = |path: &str| http.request(Method::PATCH, format!("{base}{path}"));
                prop_assert_eq!(
                    built(client.request_to_path(Method::PATCH, &path)),
                    built(joined(&path)),
                    "{}", base
                );
                let segments = [PathSegment::Fixed("packs"), PathSegment::Uuid(id)];
                prop_assert_eq!(
                    built(client.request_to_segments(Method::PATCH, &segments)),
                    built(joined(&uuid_path)),
                    "{}", base
                );
            }
        });
    }

    #[test]
    fn the_client_shows_its_base_url_once_parsed() {
        let client = Client::with_base_url_and_token("http://127.0.0.1:9/v1/", "a.b").unwrap();
        let debug = format!("{client:?}");
        assert!(
            debug.contains(r#"parsed_baseurl: Some(ParsedBaseUrl("http://127.0.0.1:9/v1"))"#),
            "{debug}"
        );
    }

    #[test]
    fn only_the_reqwest_client_the_builder_made_is_trusted_with_the_timeout() {
        let built = Client::builder()
            .base_url("http://127.0.0.1:9/v1")
            .token("a.b")
            .timeout(Duration::from_secs(7))
            .build()
            .unwrap();
        assert_eq!(built.reqwest_timeout, Some(Duration::from_secs(7)));
        let copy = built.with_options(RequestOptions::new());
        assert_eq!(copy.reqwest_timeout, Some(Duration::from_secs(7)));
        // The same state with another reqwest client: its timeout is unknown.
        let other = Client::new_with_client(
            built.baseurl(),
            built.client().clone(),
            built.inner().clone(),
        );
        assert_eq!(other.reqwest_timeout, None);
    }

    /// A `reqwest::Client` without a timeout of its own still gets the
    /// attempt's: each request carries it.
    #[tokio::test]
    async fn a_client_made_by_new_with_client_times_out_by_its_state() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let silent = tokio::spawn(async move {
            let (_connection, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
        });
        crate::install_crypto_provider();
        let http = reqwest::Client::builder().build().unwrap();
        let mut state = ClientState::new(RetryPolicy::disabled());
        state.timeout = Duration::from_millis(200);
        let client = Client::new_with_client(&format!("http://{address}/v1"), http, state);
        let call = client
            .update_pack()
            .pack_id(uuid::Uuid::nil())
            .body(crate::types::UpdatePackRequest::builder().is_public(true))
            .send();
        let error: ApiError = tokio::time::timeout(Duration::from_secs(30), call)
            .await
            .expect("the attempt's timeout applies")
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
        silent.abort();
    }

    #[test]
    fn default_base_url_comes_from_the_spec() {
        let client = Client::with_token("gva_live_x.y").unwrap();
        assert_eq!(client.baseurl(), "https://www.genviral.io/api/partner/v1");
    }

    #[test]
    fn trailing_slashes_are_trimmed_and_bad_urls_refused() {
        let client = Client::with_base_url_and_token("http://127.0.0.1:9/v1/", "a.b").unwrap();
        assert_eq!(client.baseurl(), "http://127.0.0.1:9/v1");
        let padded = Client::with_base_url_and_token(" http://127.0.0.1:9/v1\n", "a.b").unwrap();
        assert_eq!(padded.baseurl(), "http://127.0.0.1:9/v1");
        for bad in ["not a url", "ftp://host/", "http://host/?q=1"] {
            let error = Client::with_base_url_and_token(bad, "a.b").unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidBaseUrl { .. }),
                "{bad}: {error}"
            );
        }
    }

    /// reqwest would send a URL's credentials as `Authorization: Basic`,
    /// replacing the token; the refusal does not repeat them.
    #[test]
    fn credentials_in_the_base_url_are_refused_without_showing_them() {
        for url in ["http://user:pw-secret@h/v1", "http://user@h/v1"] {
            let error = Client::with_base_url_and_token(url, "a.b").unwrap_err();
            let ConfigError::InvalidBaseUrl { url: shown, reason } = &error else {
                panic!("{url}: {error}");
            };
            assert_eq!(shown, "http://h/v1");
            assert!(reason.contains("user name or password"), "{reason}");
            for text in [error.to_string(), format!("{error:?}")] {
                assert!(
                    !text.contains("pw-secret") && !text.contains("user@"),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let zero = Duration::ZERO;
        let builders = [
            ("connect_timeout", Client::builder().connect_timeout(zero)),
            ("timeout", Client::builder().timeout(zero)),
            ("total_timeout", Client::builder().total_timeout(zero)),
        ];
        for (name, builder) in builders {
            let error = builder.token("a.b").build().unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidSetting { setting, .. } if setting == name),
                "{name}: {error}"
            );
        }
    }

    #[test]
    fn environment_supplies_token_and_optional_base_url() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let missing = Client::builder_from(env(&[])).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "environment variable GENVIRAL_API_KEY is not set (or not UTF-8)"
        );

        let client = Client::builder_from(env(&[("GENVIRAL_API_KEY", "a.b")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.baseurl(), DEFAULT_BASE_URL);

        let client = Client::builder_from(env(&[
            ("GENVIRAL_API_KEY", "a.b"),
            ("GENVIRAL_BASE_URL", "http://127.0.0.1:1/x/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.baseurl(), "http://127.0.0.1:1/x");

        let client = Client::builder_from(env(&[
            ("GENVIRAL_API_KEY", "a.b\n"),
            ("GENVIRAL_BASE_URL", ""),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.baseurl(), DEFAULT_BASE_URL, "empty counts as unset");

        let bad = Client::builder_from(env(&[("GENVIRAL_API_KEY", "no-dot")]))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(matches!(bad, ConfigError::InvalidToken { .. }), "{bad}");
    }

    #[test]
    fn zero_or_too_many_concurrent_requests_are_refused() {
        for max in [0, Semaphore::MAX_PERMITS + 1] {
            let error = Client::builder()
                .token("a.b")
                .max_concurrent_requests(max)
                .build()
                .unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with("invalid max_concurrent_requests: "),
                "{error}"
            );
        }
        let client = Client::builder()
            .token("a.b")
            .max_concurrent_requests(1)
            .build()
            .unwrap();
        assert_eq!(client.inner().max_concurrent_requests(), 1);
    }

    #[test]
    fn the_last_attempt_gets_what_is_left_of_the_deadline() {
        let state = ClientState::default();
        let settings = state.call_settings();
        let start = Instant::now();
        let deadline = settings.deadline_from(start);
        assert_eq!(deadline, Some(start + DEFAULT_TOTAL_TIMEOUT));
        assert_eq!(settings.attempt_timeout(start, deadline), DEFAULT_TIMEOUT);
        let late = start + DEFAULT_TOTAL_TIMEOUT - Duration::from_secs(1);
        assert_eq!(
            settings.attempt_timeout(late, deadline),
            Duration::from_secs(1)
        );
        assert_eq!(
            settings.attempt_timeout(start + DEFAULT_TOTAL_TIMEOUT * 2, deadline),
            Duration::ZERO
        );
        assert_eq!(settings.attempt_timeout(start, None), DEFAULT_TIMEOUT);
    }

    #[test]
    fn builder_without_token_is_refused() {
        assert!(matches!(
            Client::builder().build(),
            Err(ConfigError::MissingToken)
        ));
    }

    #[test]
    fn builder_debug_does_not_show_the_token() {
        let builder = Client::builder().token("gva_live_x1y2z3.topsecretvalue");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("topsecretvalue"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }

    #[test]
    fn client_debug_does_not_show_the_token() {
        let client = Client::with_token("gva_live_x1y2z3.topsecretvalue").unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("topsecretvalue"), "{debug}");
    }
}
