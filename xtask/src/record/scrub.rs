//! Removing the token from everything a recording keeps, and the headers a
//! recording does not keep.

use crate::har_conventions::{REDACTED, is_framing_header};

use super::{Exchange, ResponseBody};

/// Headers dropped whatever they hold: credentials and cookies.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Pieces shorter than this are not scrubbed: they would match ordinary
/// text.
const SHORTEST_SECRET: usize = 6;

/// Removes the token from everything that is written.
pub struct Scrubber {
    /// The full token and its secret half (after the first `.`), longest
    /// first.
    secrets: Vec<String>,
}

impl Scrubber {
    pub fn new(token: &str) -> Scrubber {
        let mut secrets = vec![token.to_string()];
        if let Some((_, secret)) = token.split_once('.') {
            secrets.push(secret.to_string());
        }
        secrets.retain(|secret| secret.len() >= SHORTEST_SECRET);
        Scrubber { secrets }
    }

    /// The exchange as a recording keeps it: the token replaced in the
    /// request body, the response headers and the response body (text or
    /// not), credential and cookie headers blanked, framing headers dropped.
    pub fn exchange(&self, exchange: Exchange) -> Exchange {
        Exchange {
            request_body: self.text(&exchange.request_body),
            headers: exchange
                .headers
                .iter()
                .filter(|(name, _)| !is_framing_header(name))
                .map(|(name, value)| (name.clone(), self.header(name, value)))
                .collect(),
            body: match exchange.body {
                ResponseBody::Text(text) => ResponseBody::Text(self.text(&text)),
                ResponseBody::Binary(bytes) => ResponseBody::Binary(self.bytes(bytes)),
            },
            ..exchange
        }
    }

    pub fn text(&self, text: &str) -> String {
        self.secrets.iter().fold(text.to_string(), |text, secret| {
            text.replace(secret, REDACTED)
        })
    }

    /// [`Scrubber::text`] for a body that is not UTF-8.
    fn bytes(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        for secret in &self.secrets {
            let secret = secret.as_bytes();
            let mut scrubbed = Vec::with_capacity(bytes.len());
            let mut rest = bytes.as_slice();
            while let Some(at) = rest.windows(secret.len()).position(|w| w == secret) {
                scrubbed.extend_from_slice(&rest[..at]);
                scrubbed.extend_from_slice(REDACTED.as_bytes());
                rest = &rest[at + secret.len()..];
            }
            scrubbed.extend_from_slice(rest);
            bytes = scrubbed;
        }
        bytes
    }

    /// Header values are scrubbed; credentials and cookies are dropped
    /// whatever they hold.
    pub fn header(&self, name: &str, value: &str) -> String {
        if CREDENTIAL_HEADERS
            .iter()
            .any(|credential| name.eq_ignore_ascii_case(credential))
        {
            REDACTED.to_string()
        } else {
            self.text(value)
        }
    }

    /// Whether `text` still holds the token or its secret half.
    pub fn leaks(&self, text: &str) -> bool {
        self.secrets.iter().any(|secret| text.contains(secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "gva_live_pub123.SECRETsecretSECRET";

    #[test]
    fn scrubber_removes_token_and_secret_half() {
        let scrub = Scrubber::new(TOKEN);
        assert_eq!(
            scrub.text(&format!("a {TOKEN} b SECRETsecretSECRET")),
            "a <redacted> b <redacted>"
        );
        assert_eq!(scrub.header("Set-Cookie", "x=1"), "<redacted>");
        assert!(scrub.leaks("..SECRETsecretSECRET.."));
    }

    #[test]
    fn binary_bodies_are_scrubbed_byte_for_byte() {
        let scrub = Scrubber::new(TOKEN);
        let mut body = vec![0xff, 0x00];
        body.extend_from_slice(b"SECRETsecretSECRET");
        body.push(0xfe);
        let mut expected = vec![0xff, 0x00];
        expected.extend_from_slice(REDACTED.as_bytes());
        expected.push(0xfe);
        assert_eq!(scrub.bytes(body), expected);
    }

    #[test]
    fn short_pieces_are_not_secrets() {
        let scrub = Scrubber::new("ab.cd");
        assert_eq!(scrub.text("ab.cd cd"), "ab.cd cd");
    }
}
