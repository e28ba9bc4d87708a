//! Running progenitor on a checked [`Spec`]: its settings from ours, and
//! its errors and panics turned into an [`Error`] that names the operation.
//! One run writes one [`Output`]: the client, its `httpmock` extensions or
//! its clap CLI, all from the same settings so they name the same types.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use schemars::schema::{InstanceType, SchemaObject};
use serde_json::Value;
use spec::Spec;

use crate::Settings;
use crate::error::Error;

/// What one progenitor run writes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Output<'a> {
    /// The client module: types, request builders, `Client`.
    Client,
    /// Typed `httpmock` matchers and replies for the client crate at this
    /// Rust path (`Generator::httpmock`).
    Httpmock { client_crate: &'a str },
    /// A clap command line calling the client crate at this Rust path
    /// (`Generator::cli`).
    Cli { client_crate: &'a str },
}

/// The client module's tokens as progenitor writes them.
pub(crate) fn client_tokens(
    spec: &Spec,
    settings: &Settings,
) -> Result<proc_macro2::TokenStream, Error> {
    tokens(spec, settings, Output::Client)
}

/// `output`'s tokens as progenitor writes them.
pub(crate) fn tokens(
    spec: &Spec,
    settings: &Settings,
    output: Output<'_>,
) -> Result<proc_macro2::TokenStream, Error> {
    let mut generation = GenerationSettings::new();
    generation
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(if settings.hooks == crate::Hooks::Required {
            HooksMode::Expected
        } else {
            HooksMode::Optional
        });
    for (schema, type_name, impls) in conversions() {
        generation.with_conversion(schema, type_name, impls.into_iter());
    }
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

    match run_progenitor(&generation, spec.openapi(), output) {
        Ok(tokens) => Ok(tokens),
        Err(message) => Err(Error::Generate {
            file: spec.path().to_path_buf(),
            operation: culprit(&generation, spec, output),
            message,
        }),
    }
}

/// Schemas given a hand-written type instead of the one typify picks, with
/// the traits that type implements. typify compares schemas without their
/// metadata, so a described `date-time` property matches too.
fn conversions() -> Vec<(SchemaObject, &'static str, Vec<TypeImpl>)> {
    let date_time = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        format: Some("date-time".to_string()),
        ..SchemaObject::default()
    };
    vec![(
        date_time,
        crate::client_layer::TIMESTAMP,
        vec![TypeImpl::Display, TypeImpl::FromStr],
    )]
}

/// Runs progenitor, turning both its errors and its panics into messages:
/// it still panics on some inputs our checks do not anticipate.
fn run_progenitor(
    generation: &GenerationSettings,
    openapi: &openapiv3::OpenAPI,
    output: Output<'_>,
) -> Result<proc_macro2::TokenStream, String> {
    // Keep progenitor's panic message off stderr: it is reported as an error.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut generator = Generator::new(generation);
        match output {
            Output::Client => generator.generate_tokens(openapi),
            Output::Httpmock { client_crate } => generator.httpmock(openapi, client_crate),
            Output::Cli { client_crate } => generator.cli(openapi, client_crate),
        }
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
fn culprit(generation: &GenerationSettings, spec: &Spec, output: Output<'_>) -> Option<String> {
    spec.operations().iter().find_map(|operation| {
        let single = only_operation(spec.json(), operation.path, operation.method)?;
        run_progenitor(generation, &single, output)
            .is_err()
            .then(|| operation.name())
    })
}

/// The document with every operation but `method path` removed.
fn only_operation(doc: &Value, path: &str, method: &str) -> Option<openapiv3::OpenAPI> {
    let mut single = doc.clone();
    let paths = single.get_mut("paths")?.as_object_mut()?;
    paths.retain(|key, _| key == path);
    let item = paths.get_mut(path)?.as_object_mut()?;
    item.retain(|key, _| key == method || !spec::METHODS.contains(&key.as_str()));
    serde_json::from_value(single).ok()
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
