//! Contract tests for `genviral-partner`: recorded HTTP exchanges (HAR 1.2,
//! `recorded/<operationId>/*.har`) are served by a local mock server, the
//! generated client makes the matching call, and both the request it sent and
//! the typed result it returned are compared with the recording.
//!
//! `tests/contract.rs` turns every recording into one named test.

pub mod operations;
pub mod recording;
pub mod replay;

/// The directory holding the recordings.
pub fn recorded_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}
