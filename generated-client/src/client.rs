//! Building an authenticated [`Client`].

use std::fmt;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

use crate::auth::ApiToken;
use crate::retry::RetryPolicy;
use crate::{Client, DEFAULT_BASE_URL};

/// `User-Agent` sent with every request: `genviral-partner/<crate version>`.
pub const USER_AGENT_VALUE: &str = concat!("genviral-partner/", env!("CARGO_PKG_VERSION"));

/// Time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time allowed for a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// State the generated [`Client`] carries for the hand-written layer: what
/// [`ClientHooks::exec`](progenitor_client::ClientHooks::exec) needs to retry.
///
/// Build clients with [`Client::builder`], [`Client::with_token`] or
/// [`Client::from_env`]. The generated `Client::new`/`Client::new_with_client`
/// also take a `ClientState`, so a caller with a custom `reqwest::Client` can
/// still use this crate (it must then add the `Authorization` header itself).
#[derive(Debug, Clone, Default)]
pub struct ClientState {
    pub(crate) retry: RetryPolicy,
}

impl ClientState {
    /// State with the given retry policy.
    pub fn new(retry: RetryPolicy) -> Self {
        ClientState { retry }
    }

    /// The retry policy every request of the client follows.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

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
/// token's request never reaches another host at all.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 5 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Checks `url` and returns it without a trailing `/` (paths are appended to it).
fn normalize_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidBaseUrl {
        url: url.to_string(),
        reason,
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
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

/// Configures a [`Client`]: token, base URL, timeouts and retries.
///
/// ```
/// use std::time::Duration;
/// use genviral_partner::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .token("gva_live_x1y2z3.abcd1234")
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().with_max_retries(4))
///     .build()?;
/// # Ok::<(), genviral_partner::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
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
            retry: RetryPolicy::default(),
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
    /// [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]; disable with
    /// [`RetryPolicy::disabled`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = normalize_base_url(&self.base_url)?;
        let token = ApiToken::new(self.token.ok_or(ConfigError::MissingToken)?)?;
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, token.header_value());
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(same_origin_redirects())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(ConfigError::Http)?;
        Ok(Client::new_with_client(
            &base_url,
            http,
            ClientState::new(self.retry),
        ))
    }
}

impl Client {
    /// A [`ClientBuilder`] with the defaults: production API, 10 s connect
    /// timeout, 60 s request timeout, two retries.
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
    /// `GENVIRAL_BASE_URL` (optional, default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::builder_from(|name| std::env::var(name).ok())?.build()
    }

    /// [`from_env`](Self::from_env) with the variables looked up by `lookup`.
    fn builder_from(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        let token = lookup(ENV_API_KEY).ok_or(ConfigError::MissingEnv { name: ENV_API_KEY })?;
        let mut builder = Self::builder().token(token);
        if let Some(base_url) = lookup(ENV_BASE_URL) {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use progenitor_client::ClientInfo as _;

    #[test]
    fn default_base_url_comes_from_the_spec() {
        let client = Client::with_token("gva_live_x.y").unwrap();
        assert_eq!(client.baseurl(), "https://www.genviral.io/api/partner/v1");
    }

    #[test]
    fn trailing_slashes_are_trimmed_and_bad_urls_refused() {
        let client = Client::with_base_url_and_token("http://127.0.0.1:9/v1/", "a.b").unwrap();
        assert_eq!(client.baseurl(), "http://127.0.0.1:9/v1");
        for bad in ["not a url", "ftp://host/", "http://host/?q=1"] {
            let error = Client::with_base_url_and_token(bad, "a.b").unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidBaseUrl { .. }),
                "{bad}: {error}"
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

        let bad = Client::builder_from(env(&[("GENVIRAL_API_KEY", "no-dot")]))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(matches!(bad, ConfigError::InvalidToken { .. }), "{bad}");
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
