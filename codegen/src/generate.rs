//! Turning a checked [`Spec`] into formatted Rust source.
//!
//! progenitor produces tokens; `syn` parses them into a file and
//! `prettyplease` prints it. This runs on the stable toolchain (no rustfmt)
//! and is byte-for-byte deterministic for a given spec and generator version,
//! which is what lets `--check` and the drift test compare bytes.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

use crate::error::Error;
use crate::load::Spec;
use crate::versions;

/// How to generate. [`Settings::default`] is what `generated-client` uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Rust path of the state kept inside the generated `Client` (auth,
    /// retry policy), or `None` for a client without inner state.
    pub inner_type: Option<String>,
    /// When true the generated code requires a hand-written
    /// `ClientHooks` implementation for `Client` (compile error if missing);
    /// when false progenitor's no-op hooks are used.
    pub require_hooks: bool,
    /// Crates whose types a schema may name with the `x-rust-type`
    /// extension (typify uses the named type instead of generating one).
    /// Schemas naming any other crate get a generated type, which is what a
    /// standalone client needs: it has no hand-written `Nullable<T>`.
    pub rust_type_crates: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            inner_type: Some("crate::ClientState".to_string()),
            require_hooks: true,
            // `genviral_partner::Nullable<T>` (tri-state PATCH fields); the
            // client crate declares `extern crate self as genviral_partner`
            // so the path resolves inside the crate itself.
            rust_type_crates: vec!["genviral-partner".to_string()],
        }
    }
}

impl Settings {
    /// A plain progenitor client with no hand-written layer, for generating
    /// from arbitrary OpenAPI 3.0 documents.
    pub fn standalone() -> Self {
        Settings {
            inner_type: None,
            require_hooks: false,
            rust_type_crates: Vec::new(),
        }
    }
}

/// One file the generator produces, relative to the client crate's `src/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, e.g. `generated.rs`.
    pub relative_path: &'static str,
    /// Full file contents, header included.
    pub contents: String,
}

/// The file name of the generated client module inside `src/`.
pub const GENERATED_FILE: &str = "generated.rs";

/// Every file the generator writes for `spec`.
pub fn generate_files(spec: &Spec, settings: &Settings) -> Result<Vec<OutputFile>, Error> {
    Ok(vec![OutputFile {
        relative_path: GENERATED_FILE,
        contents: generate(spec, settings)?,
    }])
}

/// Generates the client module source for `spec`, header included.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<String, Error> {
    let tokens = progenitor_tokens(spec, settings)?;
    let extras = crate::extras::tokens(spec, &file_name(spec));
    let tokens = quote! {
        #tokens
        #extras
    };
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Format {
        file: spec.path().to_path_buf(),
        message: e.to_string(),
    })?;
    crate::messages::improve(&mut file, spec.json());
    crate::docs::document(&mut file, spec.json());
    crate::nullable_fields::exact_decoding(&mut file);
    let body = prettyplease::unparse(&file);
    Ok(format!("{}{body}", header(spec)))
}

fn progenitor_tokens(spec: &Spec, settings: &Settings) -> Result<proc_macro2::TokenStream, Error> {
    let mut generation = GenerationSettings::new();
    generation
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(if settings.require_hooks {
            HooksMode::Expected
        } else {
            HooksMode::Optional
        });
    for name in &settings.rust_type_crates {
        generation.with_crate(name, progenitor_impl::CrateVers::Any, None);
    }
    if let Some(inner) = &settings.inner_type {
        let inner: proc_macro2::TokenStream = inner.parse().map_err(|e| Error::Generate {
            file: spec.path().to_path_buf(),
            operation: None,
            message: format!("inner type `{inner}` is not a Rust path: {e}"),
        })?;
        generation.with_inner_type(inner);
    }

    match run_progenitor(&generation, spec.openapi()) {
        Ok(tokens) => Ok(tokens),
        Err(message) => Err(Error::Generate {
            file: spec.path().to_path_buf(),
            operation: culprit(&generation, spec.openapi()),
            message,
        }),
    }
}

/// Runs progenitor, turning both its errors and its panics into messages:
/// it still panics on some inputs our checks do not anticipate.
fn run_progenitor(
    generation: &GenerationSettings,
    openapi: &openapiv3::OpenAPI,
) -> Result<proc_macro2::TokenStream, String> {
    // Keep progenitor's panic message off stderr: it is reported as an error.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(generation).generate_tokens(openapi)
    }));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => Err(format!("progenitor panicked: {}", panic_message(&panic))),
    }
}

/// When the whole document fails, generates each operation alone (with all
/// components) to name the first one that fails on its own.
fn culprit(generation: &GenerationSettings, openapi: &openapiv3::OpenAPI) -> Option<String> {
    for (path, method, operation) in openapi.operations() {
        let mut single = openapi.clone();
        single.paths.paths.clear();
        let mut item = openapiv3::PathItem::default();
        if let Some(openapiv3::ReferenceOr::Item(original)) = openapi.paths.paths.get(path) {
            item.parameters = original.parameters.clone();
        }
        let slot = match method {
            "get" => &mut item.get,
            "put" => &mut item.put,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            "options" => &mut item.options,
            "head" => &mut item.head,
            "patch" => &mut item.patch,
            "trace" => &mut item.trace,
            _ => continue,
        };
        *slot = Some(operation.clone());
        single
            .paths
            .paths
            .insert(path.to_string(), openapiv3::ReferenceOr::Item(item));
        if run_progenitor(generation, &single).is_err() {
            return Some(
                operation
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {path}", method.to_uppercase())),
            );
        }
    }
    None
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

fn file_name(spec: &Spec) -> String {
    spec.path().file_name().map_or_else(
        || spec.path().display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The header every generated file starts with. `@generated` in the first
/// lines makes rustfmt (and many review tools) leave the file alone.
fn header(spec: &Spec) -> String {
    format!(
        "// @generated by `cargo xtask generate`. DO NOT EDIT.\n\
         //\n\
         // Source:    {source} (sha256 {sha})\n\
         // Generator: genviral-partner-codegen {codegen}, progenitor-impl {progenitor}, typify {typify}\n\
         // Formatter: syn {syn}, prettyplease {prettyplease}\n\
         //\n\
         // To change this file, edit the spec (or the generator) and run `cargo xtask generate`.\n\n\
         // progenitor matches `4XX`/`5XX` ranges before the single statuses they\n\
         // contain; every such arm decodes the same error schema (checked by\n\
         // `codegen::load`), so the shadowed arms are harmless.\n\
         #![allow(unreachable_patterns)]\n\n",
        source = file_name(spec),
        sha = spec.sha256(),
        codegen = env!("CARGO_PKG_VERSION"),
        progenitor = versions::PROGENITOR_IMPL,
        typify = versions::TYPIFY,
        syn = versions::SYN,
        prettyplease = versions::PRETTYPLEASE,
    )
}
