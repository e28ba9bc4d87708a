//! The Genviral Partner client generator: a checked [`spec::Spec`] in, Rust
//! source out. It only writes Rust; reading and checking the document is the
//! `genviral-partner-spec` crate's job.
//!
//! ```text
//! Spec ─▶ progenitor ─▶ + spec items ─▶ syn::File ─▶ passes ─▶ prettyplease ─▶ header + source
//!         (client)      (constants,                 (messages,
//!                        ErrorCode,                  docs, nullable)
//!                        request rules)
//! ```
//!
//! Beside the client, [`generate_files`] writes its companions from the same
//! spec and progenitor settings: typed `httpmock` helpers and example replies
//! for the `genviral-partner-mock` crate (`mock`), and the clap commands of
//! the `genviral` command-line tool (`cli`).
//!
//! [`generate`] never touches the file system, so callers decide whether to
//! write (`cargo xtask generate`) or compare (`--check`, the drift test). It
//! runs on the stable toolchain (no rustfmt) and is byte-for-byte
//! deterministic for a given spec and generator version.

mod cli;
mod client_layer;
mod error;
mod header;
mod mock;
mod passes;
mod progenitor;
mod request_rules;
mod spec_items;
mod type_names;
mod versions;

use quote::quote;
use spec::Spec;

pub use error::Error;

/// How to generate. [`Settings::default`] is what `generated-client` uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Rust path of the state kept inside the generated `Client` (auth,
    /// retry policy), or `None` for a client without inner state.
    pub inner_type: Option<String>,
    /// Whether the generated code calls hand-written `ClientHooks`.
    pub hooks: Hooks,
    /// Crates whose types a schema may name with the `x-rust-type`
    /// extension (typify uses the named type instead of generating one).
    /// Schemas naming any other crate get a generated type, which is what a
    /// standalone client needs: it has no hand-written `Nullable<T>`.
    pub rust_type_crates: Vec<String>,
    /// Rust path of the error type `send()` returns (it must implement
    /// `From<progenitor_client::Error<E>>`), or `None` for progenitor's own.
    pub error_type: Option<String>,
    /// Rust path of the client crate's module that defines the types of
    /// the request constraints (`Schema`, `Rule`, …) and checks bodies with
    /// them, or `None` to emit no request constraints.
    pub constraints_module: Option<String>,
    /// Rust path of a function the generated `Client::new` calls before it
    /// builds its `reqwest::Client` (the client crate installs its TLS
    /// crypto provider there), or `None`.
    pub client_setup: Option<String>,
    /// Rust path of a function that turns a success reply whose body does
    /// not decode into the operations' error, keeping its status and
    /// headers: `fn(StatusCode, HeaderMap, Bytes, serde_json::Error) ->
    /// Error<E>`. `None` for progenitor's `InvalidResponsePayload`, which
    /// keeps only the body.
    pub payload_error: Option<String>,
    /// Whether the mock crate and the CLI are generated beside the client.
    pub companions: Companions,
}

/// What [`generate_files`] writes beside the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companions {
    /// The client alone.
    None,
    /// The `genviral-partner-mock` helpers and the `genviral` CLI commands,
    /// which call the `genviral-partner` crate's hand-written layer.
    MockAndCli,
}

/// Whether a generated client relies on a hand-written `ClientHooks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hooks {
    /// The crate must implement `ClientHooks` for `Client` (a missing one
    /// is a compile error, not a silent no-op).
    Required,
    /// progenitor's no-op hooks.
    Optional,
}

impl Default for Settings {
    /// The settings of the `genviral-partner` crate (see `client_layer`).
    fn default() -> Self {
        Settings {
            inner_type: Some(client_layer::CLIENT_STATE.to_string()),
            hooks: Hooks::Required,
            // The client crate declares `extern crate self as
            // genviral_partner`, so `genviral_partner::Nullable` resolves
            // inside the crate itself.
            rust_type_crates: vec![client_layer::CLIENT_CRATE.to_string()],
            error_type: Some(client_layer::ERROR_TYPE.to_string()),
            constraints_module: Some(client_layer::CONSTRAINTS_MODULE.to_string()),
            client_setup: Some(client_layer::CLIENT_SETUP.to_string()),
            payload_error: Some(client_layer::PAYLOAD_ERROR.to_string()),
            companions: Companions::MockAndCli,
        }
    }
}

impl Settings {
    /// A plain progenitor client with no hand-written layer, for generating
    /// from arbitrary OpenAPI 3.0 documents.
    pub fn standalone() -> Self {
        Settings {
            inner_type: None,
            hooks: Hooks::Optional,
            rust_type_crates: Vec::new(),
            error_type: None,
            constraints_module: None,
            client_setup: None,
            payload_error: None,
            companions: Companions::None,
        }
    }
}

/// One file the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the workspace root, which names the crate the file
    /// belongs to: [`CLIENT_OUTPUT`], [`MOCK_OUTPUT`] or [`CLI_OUTPUT`].
    pub relative_path: &'static str,
    /// Full file contents, header included.
    pub contents: String,
}

/// The file name of the generated client module inside `src/`.
pub const GENERATED_FILE: &str = "generated.rs";

/// The client crate's generated module, relative to the workspace root.
pub const CLIENT_OUTPUT: &str = "generated-client/src/generated.rs";
/// The mock crate's generated module, relative to the workspace root.
pub const MOCK_OUTPUT: &str = "generated-client/mock/src/generated.rs";
/// The CLI crate's generated module, relative to the workspace root.
pub const CLI_OUTPUT: &str = "generated-client/cli/src/generated.rs";

/// Every file the generator writes for `spec`.
pub fn generate_files(spec: &Spec, settings: &Settings) -> Result<Vec<OutputFile>, Error> {
    let client = client_file(spec, settings)?;
    let mut files = vec![OutputFile {
        relative_path: CLIENT_OUTPUT,
        contents: render(spec, &client),
    }];
    if settings.companions == Companions::MockAndCli {
        files.push(OutputFile {
            relative_path: MOCK_OUTPUT,
            contents: mock::generate(spec, settings)?,
        });
        files.push(OutputFile {
            relative_path: CLI_OUTPUT,
            contents: cli::generate(spec, settings, &client)?,
        });
    }
    Ok(files)
}

/// Generates the client module source for `spec`, header included.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<String, Error> {
    Ok(render(spec, &client_file(spec, settings)?))
}

/// The client module, header included.
fn render(spec: &Spec, client: &syn::File) -> String {
    format!(
        "{}{}",
        header::provenance(spec),
        prettyplease::unparse(client)
    )
}

/// The client module, parsed and rewritten by every pass.
fn client_file(spec: &Spec, settings: &Settings) -> Result<syn::File, Error> {
    let client = progenitor::client_tokens(spec, settings)?;
    let items = spec_items::tokens(spec);
    let request_rules = match &settings.constraints_module {
        Some(module) => request_rules::tokens(spec, module)?,
        None => proc_macro2::TokenStream::new(),
    };
    let mut file: syn::File =
        syn::parse2(quote! { #client #items #request_rules }).map_err(|e| Error::Format {
            file: spec.path().to_path_buf(),
            message: e.to_string(),
        })?;
    passes::run(&mut file, spec.json(), settings).map_err(|message| Error::Generate {
        file: spec.path().to_path_buf(),
        operation: None,
        message,
    })?;
    Ok(file)
}
