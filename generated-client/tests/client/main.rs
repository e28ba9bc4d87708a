//! The client's behaviour tests, one binary with a module per behaviour:
//! one link step instead of one per file, and helpers that every module
//! shares without `dead_code` allowances.
//!
//! | module           | what it pins                                                  |
//! |------------------|---------------------------------------------------------------|
//! | `client_options` | concurrency limit, deadline across retries, custom reqwest    |
//! | `errors`         | every reply becomes a typed value or an `ApiError`            |
//! | `examples`       | the programs in `examples/` against a local mock              |
//! | `failures`       | each way a call fails has its kind, cause and status          |
//! | `fuzz_responses` | property tests: any reply, valid HTTP or not, never panics    |
//! | `patch_bodies`   | the exact JSON bytes of PATCH bodies (absent, `null`, value)  |
//! | `path_ids`       | ids that are not UUIDs never reach the server                 |
//! | `request_options`| the headers on the wire; one call's headers, timeout, retries |
//! | `retries`        | what is retried, how often, and `Retry-After`                 |
//! | `secrets`        | the token never shows in `Debug`/`Display`, errors, redirects |
//! | `values`         | constrained strings and enums, and their error messages       |
//! | `support`        | a client without retries; every operation with a minimal call |
//! | `wire`           | raw and counting local servers, for exact bytes on the wire   |
//!
//! Tests that install a `tracing` subscriber are separate binaries
//! (`tests/tracing/`): what they see depends on process-wide state that the
//! tests here would race with.
//!
//! Run one module with a name filter:
//!
//! ```text
//! cargo test -p genviral-partner --test client -- retries::
//! ```

mod client_options;
mod errors;
mod examples;
mod failures;
mod fuzz_responses;
mod patch_bodies;
mod path_ids;
mod request_options;
mod retries;
mod secrets;
mod support;
mod values;
mod wire;
