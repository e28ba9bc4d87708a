//! The TLS backend the crate's cargo features select, made ready when a
//! client is built.
//!
//! One backend is normally enabled (`rustls-ring` by default). When a
//! dependent enables another without `default-features = false`, several
//! are compiled in and the explicitly chosen one must win, so the order is
//! `native-tls`, then `rustls-aws-lc`, then `rustls-ring`. `native-tls`
//! comes first because reqwest itself uses native-tls whenever its feature
//! is on. With no backend, only `http://` base URLs are accepted.

use crate::ConfigError;

/// The TLS implementation the client's connections use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsBackend {
    /// The platform's library (OpenSSL on Linux), feature `native-tls`.
    NativeTls,
    /// rustls with aws-lc-rs, feature `rustls-aws-lc` (alias `rustls`).
    RustlsAwsLc,
    /// rustls with ring, feature `rustls-ring`.
    RustlsRing,
    /// No TLS: plain `http://` only, for tests against a local server.
    PlainHttpOnly,
}

impl TlsBackend {
    /// The backends with TLS, in the order of precedence.
    const WITH_TLS: [TlsBackend; 3] = [
        TlsBackend::NativeTls,
        TlsBackend::RustlsAwsLc,
        TlsBackend::RustlsRing,
    ];

    /// Whether the backend's feature is enabled in this build.
    const fn compiled_in(self) -> bool {
        match self {
            TlsBackend::NativeTls => cfg!(feature = "native-tls"),
            TlsBackend::RustlsAwsLc => cfg!(feature = "rustls-aws-lc"),
            TlsBackend::RustlsRing => cfg!(feature = "rustls-ring"),
            TlsBackend::PlainHttpOnly => true,
        }
    }

    /// The cargo feature that selects the backend.
    fn feature(self) -> &'static str {
        match self {
            TlsBackend::NativeTls => "native-tls",
            TlsBackend::RustlsAwsLc => "rustls-aws-lc",
            TlsBackend::RustlsRing => "rustls-ring",
            TlsBackend::PlainHttpOnly => "none",
        }
    }
}

/// The backend of this build: the first of [`TlsBackend::WITH_TLS`] whose
/// feature is enabled.
pub(crate) const ACTIVE: TlsBackend = {
    let mut index = 0;
    while index < TlsBackend::WITH_TLS.len() {
        if TlsBackend::WITH_TLS[index].compiled_in() {
            break;
        }
        index += 1;
    }
    if index < TlsBackend::WITH_TLS.len() {
        TlsBackend::WITH_TLS[index]
    } else {
        TlsBackend::PlainHttpOnly
    }
};

/// Makes the active backend ready for a client of `base_url`: refuses an
/// `https` URL when no backend is compiled in (a clear error now instead of
/// a failure at the first request), and installs ring as the process's
/// rustls crypto provider when ring is the backend.
pub(crate) fn prepare(base_url: &str) -> Result<(), ConfigError> {
    refuse_https_without_tls(ACTIVE, base_url)?;
    install_crypto_provider();
    Ok(())
}

/// Installs the crypto provider the default backend needs, for an
/// application that builds its own `reqwest` clients before any
/// [`Client`](crate::Client).
///
/// With the default `rustls-ring` feature, reqwest is built without a
/// built-in rustls provider (`rustls-no-provider`), and cargo unifies that
/// choice for every reqwest 0.13 in the application: a `reqwest::Client`
/// built before a provider is installed panics. [`ClientBuilder::build`](crate::ClientBuilder::build)
/// installs ring itself; call this once at start-up if your own reqwest
/// clients may come first. It keeps a provider the application installed,
/// never panics, and does nothing under the other backends.
pub fn install_crypto_provider() {
    if ACTIVE == TlsBackend::RustlsRing {
        install_ring_provider();
    }
}

/// An `InvalidBaseUrl` error for an `https` URL when `backend` has no TLS.
/// A URL that does not parse is left to the base URL check.
fn refuse_https_without_tls(backend: TlsBackend, base_url: &str) -> Result<(), ConfigError> {
    let https = reqwest::Url::parse(base_url).is_ok_and(|url| url.scheme() == "https");
    if backend != TlsBackend::PlainHttpOnly || !https {
        return Ok(());
    }
    let features = TlsBackend::WITH_TLS.map(TlsBackend::feature);
    Err(ConfigError::InvalidBaseUrl {
        url: base_url.to_string(),
        reason: format!(
            "https needs TLS, and genviral-partner was built without a TLS backend \
             (enable one of its features {}, or use an http:// URL)",
            features.join(", ")
        ),
    })
}

/// reqwest's `rustls-no-provider` uses the process's default rustls
/// provider and panics when there is none, so ring is installed as the
/// default unless the application (or an earlier client) installed one
/// already: that one is kept, and losing the race to install is not an
/// error either.
fn install_ring_provider() {
    #[cfg(feature = "rustls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An error only means another provider got installed first.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_without_tls_is_a_config_error_naming_the_features() {
        for url in ["https://example.com/v1", "HTTPS://example.com"] {
            let error = refuse_https_without_tls(TlsBackend::PlainHttpOnly, url).unwrap_err();
            let ConfigError::InvalidBaseUrl { url: given, reason } = &error else {
                panic!("{url}: {error}");
            };
            assert_eq!(given, url);
            for backend in TlsBackend::WITH_TLS {
                assert!(reason.contains(backend.feature()), "{reason}");
            }
        }
    }

    #[test]
    fn http_needs_no_tls_and_every_backend_accepts_https() {
        assert!(
            refuse_https_without_tls(TlsBackend::PlainHttpOnly, "http://127.0.0.1:9/v1").is_ok()
        );
        for backend in TlsBackend::WITH_TLS {
            assert!(refuse_https_without_tls(backend, "https://example.com").is_ok());
        }
    }

    #[test]
    fn prepare_refuses_https_exactly_when_no_backend_is_compiled_in() {
        let https = prepare("https://example.com/v1");
        assert_eq!(
            https.is_err(),
            ACTIVE == TlsBackend::PlainHttpOnly,
            "{https:?}"
        );
        assert!(prepare("http://127.0.0.1:9/v1").is_ok());
    }

    #[cfg(feature = "rustls-ring")]
    #[test]
    fn ring_is_installed_only_when_it_is_the_backend() {
        prepare("https://example.com").unwrap();
        prepare("https://example.com").unwrap();
        assert_eq!(
            rustls::crypto::CryptoProvider::get_default().is_some(),
            ACTIVE == TlsBackend::RustlsRing
        );
    }
}
