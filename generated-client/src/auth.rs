//! The API key, kept out of every `Debug`/`Display` output.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::ConfigError;

/// A Genviral Partner API key, `<public_id>.<secret>` (for example
/// `gva_live_x1y2z3.abcd1234`).
///
/// The secret never appears in `Debug` output, and the `Authorization` header
/// built from it is marked sensitive, so reqwest redacts it too; the client
/// does not follow redirects to another origin at all.
#[derive(Clone)]
pub struct ApiToken {
    token: String,
}

impl ApiToken {
    /// Checks the shape of `token` (`<public_id>.<secret>`, both parts
    /// non-empty, printable ASCII without spaces).
    ///
    /// The error says what is wrong without repeating the token.
    pub fn new(token: impl Into<String>) -> Result<Self, ConfigError> {
        let token = token.into();
        let invalid = |reason: &str| ConfigError::InvalidToken {
            reason: reason.to_string(),
        };
        if token.is_empty() {
            return Err(invalid("the token is empty"));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                "the token contains whitespace, control or non-ASCII characters",
            ));
        }
        match token.split_once('.') {
            Some((public_id, secret)) if !public_id.is_empty() && !secret.is_empty() => {
                Ok(ApiToken { token })
            }
            _ => Err(invalid(
                "expected `<public_id>.<secret>` (for example `gva_live_x1y2z3.abcd1234`)",
            )),
        }
    }

    /// The public part of the key (before the dot); safe to log.
    pub fn public_id(&self) -> &str {
        self.token
            .split_once('.')
            .map_or("", |(public_id, _)| public_id)
    }

    /// The `Authorization: Bearer …` header value, marked sensitive.
    pub(crate) fn header_value(&self) -> HeaderValue {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.token))
            .expect("ApiToken::new admits only visible ASCII, which is a valid header value");
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiToken")
            .field("public_id", &self.public_id())
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t-value";

    #[test]
    fn accepts_public_id_dot_secret() {
        let token = ApiToken::new(format!("gva_live_x1y2z3.{SECRET}")).unwrap();
        assert_eq!(token.public_id(), "gva_live_x1y2z3");
        assert!(token.header_value().is_sensitive());
        assert_eq!(
            token.header_value().to_str().unwrap(),
            format!("Bearer gva_live_x1y2z3.{SECRET}")
        );
    }

    #[test]
    fn rejects_malformed_tokens_without_echoing_them() {
        for bad in [
            "",
            "nodot",
            ".secret",
            "public.",
            "pub lic.secret",
            "pub.sec\nret",
        ] {
            let error = ApiToken::new(bad).unwrap_err().to_string();
            assert!(error.starts_with("invalid API token: "), "{error}");
            if !bad.is_empty() {
                assert!(!error.contains(bad), "{error} echoes the token");
            }
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let token = ApiToken::new(format!("gva_live_x1y2z3.{SECRET}")).unwrap();
        let debug = format!("{token:?} {token:#?}");
        assert!(!debug.contains(SECRET), "{debug}");
        assert!(debug.contains("gva_live_x1y2z3"), "{debug}");
    }
}
