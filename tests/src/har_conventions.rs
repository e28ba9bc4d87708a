//! How a recording is written, shared by the recorder (`cargo xtask
//! record`) and the replayer (this crate). The recorder includes this file
//! with `#[path]` rather than depending on the contract-test crate, so that
//! `cargo xtask` builds even while the client crate does not (a spec change
//! mid-way through regeneration). Plain constants and functions only.

/// What a recording carries wherever a secret was: the token in a request,
/// or an echo of it in a response.
pub const REDACTED: &str = "<redacted>";

/// The `Authorization` value every recording carries instead of a real token
/// (`Bearer ` + [`REDACTED`]); the replay refuses a recording without it.
pub const REDACTED_AUTHORIZATION: &str = "Bearer <redacted>";

/// Headers that describe how the recorded connection framed the body, not
/// the response itself. A recording stores the decoded body (as devtools
/// HAR exports do, even next to `content-encoding: gzip`) and redaction may
/// change its length, so these are dropped when recording and ignored when
/// replaying: the server that replays the body frames it itself.
pub const FRAMING_HEADERS: [&str; 5] = [
    "content-encoding",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// Whether `name` is one of the [`FRAMING_HEADERS`] (names are
/// case-insensitive).
pub fn is_framing_header(name: &str) -> bool {
    FRAMING_HEADERS
        .iter()
        .any(|framing| name.eq_ignore_ascii_case(framing))
}
