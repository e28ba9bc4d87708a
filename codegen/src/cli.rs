//! The `genviral` command line's generated module: progenitor's clap
//! commands (`Generator::cli`), adapted to the client crate by passes.
//!
//! ```text
//! Spec ─▶ progenitor cli ─▶ syn::File ─▶ passes ─▶ prettyplease ─▶ header + source
//!                                        (ApiError, --json-body FILE|-,
//!                                         null flags, no JsonSchema bound)
//! ```
//!
//! progenitor writes one `clap::Command` per operation (a flag per path
//! parameter and per scalar body field, `--json-body` for the whole body)
//! and an `execute_*` method that fills the client's request builder from
//! the parsed flags. The passes make that code fit this client:
//!
//! - `send()` returns `genviral_partner::ApiError`, not progenitor's
//!   `Error<E>`: the output trait's `error` takes it;
//! - progenitor bounds outputs by `schemars::JsonSchema`, which the client's
//!   types do not derive (it would enter every user's build); the CLI prints
//!   with `serde::Serialize` alone, so the bound goes;
//! - output methods no operation calls (listing pages) go;
//! - the reply is printed as the server sent it (`send_json()`), not the
//!   typed reply serialized again, which would drop fields the spec does
//!   not list and print `48` as `48.0`;
//! - `--json-body` reads a file or, for `-`, standard input, is applied
//!   first so that flags replace its fields, and loses progenitor's
//!   unimplemented `--json-body-template`;
//! - clearable fields (`Nullable<T>` in the client) get a value flag and a
//!   flag that sends `null`: `--clear-<field>`, or the name the field's
//!   schema gives with `x-cli-null-flag` (`--to-root`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span};
use quote::{format_ident, quote};
use serde_json::Value;
use spec::{Operation, Spec};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

use crate::Settings;
use crate::client_layer::{CLIENT_CRATE_PATH, NULLABLE};
use crate::error::Error;
use crate::header;
use crate::progenitor::{self, Output};
use crate::type_names::{pascal, snake};

/// The CLI crate's function that reads `--json-body` (a path, or `-` for
/// standard input) into a string (`generated-client/cli/src/json_body.rs`).
const READ_BODY: &str = "crate::json_body::read";

/// The spec extension naming the flag that sends `null` for a clearable
/// field (default `clear-<field>`).
pub(crate) const NULL_FLAG_EXTENSION: &str = "x-cli-null-flag";

/// progenitor's whole-body flag.
const JSON_BODY: &str = "json-body";

/// What `--json-body` says it does.
const JSON_BODY_HELP: &str = "A file holding the whole JSON request body, or `-` to read it \
                              from standard input. Flags given with it replace its fields.";

/// Lints the generated module allows, with why.
const LINTS: &str = "\
// progenitor's per-operation hooks ignore their arguments unless overridden,
// and it clones every flag value, `Copy` ones included.
#![allow(unused_variables, clippy::clone_on_copy)]

";

/// The CLI crate's generated module, header included. `client` is the
/// client module the commands call, to read its builders' setter types.
pub(crate) fn generate(
    spec: &Spec,
    settings: &Settings,
    client: &syn::File,
) -> Result<String, Error> {
    let tokens = progenitor::tokens(
        spec,
        settings,
        Output::Cli {
            client_crate: CLIENT_CRATE_PATH,
        },
    )?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Format {
        file: spec.path().to_path_buf(),
        message: e.to_string(),
    })?;
    let fail = |operation: Option<String>, message: String| Error::Generate {
        file: spec.path().to_path_buf(),
        operation,
        message,
    };
    rewrite_output_trait(&mut file).map_err(|message| fail(None, message))?;
    ReadBodyFromStdin.visit_file_mut(&mut file);
    PrintTheServersReply.visit_file_mut(&mut file);
    let setters = NullableSetters::of(client);
    for operation in spec.operations() {
        let Some(id) = operation.id() else {
            continue;
        };
        let flags = body_flags(spec, &operation, &setters)
            .map_err(|message| fail(Some(id.to_string()), message))?;
        rewrite_command(&mut file, id, &flags)
            .map_err(|message| fail(Some(id.to_string()), message))?;
        rewrite_execute(&mut file, id, &flags.clearable)
            .map_err(|message| fail(Some(id.to_string()), message))?;
    }
    Ok(format!(
        "{}{LINTS}{}",
        header::provenance(spec),
        prettyplease::unparse(&file)
    ))
}

fn kebab(name: &str) -> String {
    snake(name).replace('_', "-")
}

// ---------------------------------------------------------------------------
// The output trait (`CliConfig`)
// ---------------------------------------------------------------------------

/// `error` takes the client's `ApiError`, no method is bounded by
/// `JsonSchema`, and methods nothing calls are removed.
fn rewrite_output_trait(file: &mut syn::File) -> Result<(), String> {
    let called = CalledOnConfig::in_file(file);
    let api_error: syn::Type = syn::parse_str(&format!(
        "::{CLIENT_CRATE_PATH}::{}",
        crate::client_layer::ERROR_TYPE.trim_start_matches("crate::")
    ))
    .map_err(|e| format!("the client's error type is not a Rust type: {e}"))?;
    let output_trait = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Trait(output) if output.ident == "CliConfig" => Some(output),
            _ => None,
        })
        .ok_or("progenitor's CLI has no `CliConfig` trait")?;
    output_trait.items.retain(|item| match item {
        syn::TraitItem::Fn(function) => {
            function.default.is_some() || called.contains(&function.sig.ident.to_string())
        }
        _ => true,
    });
    for item in &mut output_trait.items {
        if let syn::TraitItem::Fn(function) = item {
            if takes_progenitor_error(&function.sig) {
                function.sig.generics = syn::Generics::default();
                for input in &mut function.sig.inputs {
                    if let syn::FnArg::Typed(typed) = input {
                        *typed.ty = syn::parse_quote!(&#api_error);
                    }
                }
            }
            drop_json_schema_bound(&mut function.sig.generics);
        }
    }
    Ok(())
}

/// Whether a method takes progenitor's `&Error<T>`.
fn takes_progenitor_error(signature: &syn::Signature) -> bool {
    signature.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(typed) => match &*typed.ty {
            syn::Type::Reference(reference) => matches!(
                &*reference.elem,
                syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Error")
            ),
            _ => false,
        },
        syn::FnArg::Receiver(_) => false,
    })
}

fn drop_json_schema_bound(generics: &mut syn::Generics) {
    let Some(clause) = &mut generics.where_clause else {
        return;
    };
    for predicate in &mut clause.predicates {
        if let syn::WherePredicate::Type(predicate) = predicate {
            predicate.bounds = std::mem::take(&mut predicate.bounds)
                .into_iter()
                .filter(|bound| {
                    !matches!(bound, syn::TypeParamBound::Trait(bound)
                        if bound.path.segments.last().is_some_and(|s| s.ident == "JsonSchema"))
                })
                .collect();
        }
    }
}

/// The methods called as `self.config.name(…)`.
struct CalledOnConfig(BTreeSet<String>);

impl CalledOnConfig {
    fn in_file(file: &syn::File) -> BTreeSet<String> {
        let mut called = CalledOnConfig(BTreeSet::new());
        syn::visit::Visit::visit_file(&mut called, file);
        called.0
    }
}

impl<'ast> syn::visit::Visit<'ast> for CalledOnConfig {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if let syn::Expr::Field(field) = &*call.receiver
            && matches!(&field.member, syn::Member::Named(name) if name == "config")
        {
            self.0.insert(call.method.to_string());
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// `std::fs::read_to_string(path)` → the CLI's reader, which takes `-`
/// for standard input.
struct ReadBodyFromStdin;

impl VisitMut for ReadBodyFromStdin {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(function) = &mut *call.func {
            let segments: Vec<String> = function
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments == ["std", "fs", "read_to_string"] {
                function.path = syn::parse_str(READ_BODY).expect("READ_BODY is a path");
            }
        }
        visit_mut::visit_expr_call_mut(self, call);
    }
}

/// `request.send()` → `request.send_json()`: the command prints the reply's
/// body as the server sent it (fields the spec does not list, `null`s,
/// empty lists and numbers as written), not the typed reply serialized
/// again.
struct PrintTheServersReply;

/// The client crate's method that returns the reply as JSON.
const SEND_JSON: &str = "send_json";

impl VisitMut for PrintTheServersReply {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "send" && call.args.is_empty() {
            call.method = Ident::new(SEND_JSON, call.method.span());
        }
        visit_mut::visit_expr_method_call_mut(self, call);
    }
}

// ---------------------------------------------------------------------------
// Clearable fields
// ---------------------------------------------------------------------------

/// The flags of one clearable body field.
#[derive(Clone)]
struct NullFlag {
    /// The body builder's setter, e.g. `description`.
    setter: Ident,
    /// `T` of `Nullable<T>`, as the CLI module names it (`types::X`).
    value_type: syn::Type,
    /// The flag that sets a value: the field in kebab case.
    value_flag: String,
    /// The flag that sends `null`.
    null_flag: String,
    /// The field's description in the spec.
    help: String,
    /// Whether the body must carry the field.
    required: bool,
}

/// The body flags of one operation beyond progenitor's.
#[derive(Clone, Default)]
struct BodyFlags {
    /// The clearable fields.
    clearable: Vec<NullFlag>,
    /// The fields the body must carry, as flag names.
    required: BTreeSet<String>,
}

/// For each body builder of the client (`types::builder::X`), its setters
/// that take a `Nullable<T>`, with `T`.
struct NullableSetters {
    /// Operation builder (`UpdateTemplate`) → its body builder.
    bodies: BTreeMap<String, String>,
    /// (body builder, setter) → `T`.
    setters: BTreeMap<(String, String), syn::Type>,
}

impl NullableSetters {
    fn of(client: &syn::File) -> Self {
        let mut bodies = BTreeMap::new();
        let mut setters = BTreeMap::new();
        for item in module_items(&client.items, "builder") {
            if let syn::Item::Struct(structure) = item
                && let Some(body) = structure
                    .fields
                    .iter()
                    .find(|field| field.ident.as_ref().is_some_and(|ident| ident == "body"))
                    .and_then(|field| last_generic_ident(&field.ty))
            {
                bodies.insert(structure.ident.to_string(), body);
            }
        }
        let types = module_items(&client.items, "types");
        for item in module_items(types, "builder") {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(self_ty) = &*block.self_ty else {
                continue;
            };
            let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            for item in &block.items {
                if let syn::ImplItem::Fn(function) = item
                    && let Some(value_type) = nullable_bound(&function.sig)
                {
                    setters.insert((name.clone(), function.sig.ident.to_string()), value_type);
                }
            }
        }
        NullableSetters { bodies, setters }
    }

    fn value_type(&self, operation_builder: &str, setter: &str) -> Option<&syn::Type> {
        let body = self.bodies.get(operation_builder)?;
        self.setters.get(&(body.clone(), setter.to_string()))
    }
}

fn module_items<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// `X` for a field typed `Result<types::builder::X, String>`.
fn last_generic_ident(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments
    else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(inner)) => {
            inner.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

/// `T` of a setter bounded `V: TryInto<…::Nullable<T>>`, with typify's
/// `super::` (relative to `types::builder`) made `types::`.
fn nullable_bound(signature: &syn::Signature) -> Option<syn::Type> {
    let nullable = NULLABLE
        .rsplit("::")
        .next()
        .expect("a path has a last segment");
    let clause = signature.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let target = angle_argument(bound.path.segments.last()?, "TryInto")?;
            let syn::Type::Path(target) = target else {
                return None;
            };
            let mut value = angle_argument(target.path.segments.last()?, nullable)?.clone();
            SuperToTypes.visit_type_mut(&mut value);
            Some(value)
        })
    })
}

fn angle_argument<'a>(segment: &'a syn::PathSegment, name: &str) -> Option<&'a syn::Type> {
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    match (segment.ident == name, arguments.args.first()?) {
        (true, syn::GenericArgument::Type(ty)) => Some(ty),
        _ => None,
    }
}

struct SuperToTypes;

impl VisitMut for SuperToTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first_mut()
            && first.ident == "super"
        {
            first.ident = Ident::new("types", first.ident.span());
        }
        visit_mut::visit_path_mut(self, path);
    }
}

/// The clearable fields of `operation`'s request body: the properties whose
/// schema the spec maps to `Nullable<T>` (`x-rust-type`).
fn body_flags(
    spec: &Spec,
    operation: &Operation<'_>,
    setters: &NullableSetters,
) -> Result<BodyFlags, String> {
    let Some(schema) = operation.request_schema().map(|schema| spec.deref(schema)) else {
        return Ok(BodyFlags::default());
    };
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return Ok(BodyFlags::default());
    };
    let operation_builder = pascal(operation.id().unwrap_or_default());
    let mut flags = Vec::new();
    for (name, property) in properties {
        let property = spec.deref(property);
        let is_nullable = property
            .pointer("/x-rust-type/path")
            .and_then(Value::as_str)
            .is_some_and(|path| path == spec::NULLABLE_RUST_TYPE);
        if !is_nullable {
            continue;
        }
        let setter = snake(name);
        let value_type = setters
            .value_type(&operation_builder, &setter)
            .ok_or_else(|| {
                format!(
                    "the client's body builder of `{operation_builder}` has no setter `{setter}` \
                     taking a `Nullable` for the clearable field `{name}`"
                )
            })?
            .clone();
        let null_flag = match property.get(NULL_FLAG_EXTENSION) {
            None => format!("clear-{}", kebab(name)),
            Some(Value::String(flag)) if is_flag_name(flag) => flag.clone(),
            Some(other) => {
                return Err(format!(
                    "`{NULL_FLAG_EXTENSION}` of `{name}` must be a flag name in kebab case \
                     (like `to-root`), not {other}"
                ));
            }
        };
        flags.push(NullFlag {
            setter: Ident::new(&setter, Span::call_site()),
            value_type,
            value_flag: kebab(name),
            null_flag,
            help: property
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_string(),
            required: required.contains(name.as_str()),
        });
    }
    Ok(BodyFlags {
        clearable: flags,
        required: required.iter().map(|name| kebab(name)).collect(),
    })
}

fn is_flag_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

// ---------------------------------------------------------------------------
// The command of one operation (`cli_<operation>`)
// ---------------------------------------------------------------------------

/// A method-call chain `root.a(x).b(y)`, taken apart.
struct Chain {
    root: syn::Expr,
    calls: Vec<(Ident, Punctuated<syn::Expr, syn::Token![,]>)>,
}

impl Chain {
    fn of(mut expr: syn::Expr) -> Chain {
        let mut calls = Vec::new();
        while let syn::Expr::MethodCall(call) = expr {
            calls.push((call.method, call.args));
            expr = *call.receiver;
        }
        calls.reverse();
        Chain { root: expr, calls }
    }

    fn into_expr(self) -> syn::Expr {
        let mut expr = self.root;
        for (method, args) in self.calls {
            expr = syn::parse_quote!(#expr.#method(#args));
        }
        expr
    }

    /// The first string argument of the root call: the id of
    /// `::clap::Arg::new("name")`.
    fn root_name(&self) -> Option<String> {
        let syn::Expr::Call(call) = &self.root else {
            return None;
        };
        match call.args.first()? {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) => Some(name.value()),
            _ => None,
        }
    }

    fn set(&mut self, method: &str, value: syn::Expr) {
        let mut args = Punctuated::new();
        args.push(value);
        match self.calls.iter_mut().find(|(name, _)| name == method) {
            Some(call) => call.1 = args,
            None => self
                .calls
                .push((Ident::new(method, Span::call_site()), args)),
        }
    }
}

/// The `clap::Arg` id of an `.arg(…)` call's argument.
fn arg_name(args: &Punctuated<syn::Expr, syn::Token![,]>) -> Option<String> {
    Chain::of(args.first()?.clone()).root_name()
}

fn rewrite_command(file: &mut syn::File, id: &str, body: &BodyFlags) -> Result<(), String> {
    let flags = &body.clearable;
    let name = format!("cli_{}", snake(id));
    let function = cli_method(file, &name)?;
    let Some(syn::Stmt::Expr(expr, None)) = function.block.stmts.last_mut() else {
        return Err(format!("progenitor's `{name}` does not end in a command"));
    };
    let mut chain = Chain::of(expr.clone());
    chain.calls.retain(|(method, args)| {
        method != "arg" || arg_name(args).as_deref() != Some("json-body-template")
    });
    let mut args: Vec<syn::Expr> = Vec::new();
    let mut rest = Vec::new();
    let mut json_body = None;
    for (method, call_args) in std::mem::take(&mut chain.calls) {
        match (method.to_string().as_str(), arg_name(&call_args)) {
            ("arg", Some(arg)) if arg == JSON_BODY => json_body = call_args.first().cloned(),
            ("arg", Some(_)) => args.extend(call_args.first().cloned().map(trim_help)),
            ("about", _) => rest.extend(about_and_long_about(&call_args)),
            _ => rest.push((method, call_args)),
        }
    }
    let mut taken: BTreeSet<String> = args
        .iter()
        .filter_map(|arg| Chain::of(arg.clone()).root_name())
        .collect();
    for flag in flags {
        for name in [&flag.value_flag, &flag.null_flag] {
            if taken.contains(name) || name == JSON_BODY {
                return Err(format!("two flags would be named `--{name}`"));
            }
        }
        args.extend(null_flag_args(flag));
        taken.insert(flag.value_flag.clone());
    }
    sort_flags(&mut args, flags);
    let mut calls: Vec<(Ident, Punctuated<syn::Expr, syn::Token![,]>)> = args
        .into_iter()
        .map(|arg| {
            (
                Ident::new("arg", Span::call_site()),
                Punctuated::from_iter([arg]),
            )
        })
        .collect();
    if let Some(json_body) = json_body {
        let every_required_field_has_a_flag = body.required.is_subset(&taken);
        calls.push((
            Ident::new("arg", Span::call_site()),
            Punctuated::from_iter([json_body_arg(json_body, every_required_field_has_a_flag)]),
        ));
    }
    for flag in flags.iter().filter(|flag| flag.required) {
        let group = format!("{}-or-{}", flag.value_flag, flag.null_flag);
        let members = [flag.value_flag.as_str(), flag.null_flag.as_str(), JSON_BODY];
        // One of them is required; `--json-body` may come with either flag
        // (which replaces the body's field), and the two flags conflict
        // with each other by their own `conflicts_with`.
        let group: syn::Expr = syn::parse_quote! {
            ::clap::ArgGroup::new(#group).args([#(#members),*]).required(true).multiple(true)
        };
        calls.push((
            Ident::new("group", Span::call_site()),
            Punctuated::from_iter([group]),
        ));
    }
    calls.extend(rest);
    chain.calls = calls;
    *expr = chain.into_expr();
    Ok(())
}

type Call = (Ident, Punctuated<syn::Expr, syn::Token![,]>);

fn string_argument(args: &Punctuated<syn::Expr, syn::Token![,]>) -> Option<String> {
    match args.first()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

fn call(method: &str, argument: syn::Expr) -> Call {
    (
        Ident::new(method, Span::call_site()),
        Punctuated::from_iter([argument]),
    )
}

/// progenitor's `.about(summary + description)` as `.about(summary)` (the
/// one line the subcommand list and `-h` show) and
/// `.long_about(summary + description)` (what `--help` shows).
fn about_and_long_about(args: &Punctuated<syn::Expr, syn::Token![,]>) -> Vec<Call> {
    let Some(text) = string_argument(args) else {
        return vec![(Ident::new("about", Span::call_site()), args.clone())];
    };
    let text = text.trim();
    match text.split_once("\n\n") {
        Some((summary, _)) => vec![
            call("about", syn::parse_quote!(#summary)),
            call("long_about", syn::parse_quote!(#text)),
        ],
        None => vec![call("about", syn::parse_quote!(#text))],
    }
}

/// An argument whose `.help(…)` has no surrounding white space (spec
/// descriptions end in a newline).
fn trim_help(arg: syn::Expr) -> syn::Expr {
    let mut chain = Chain::of(arg);
    for (method, args) in &mut chain.calls {
        if method == "help"
            && let Some(text) = string_argument(args)
        {
            let text = text.trim();
            let trimmed: syn::Expr = syn::parse_quote!(#text);
            *args = Punctuated::from_iter([trimmed]);
        }
    }
    chain.into_expr()
}

/// Alphabetical, as progenitor lists flags, with each null flag right
/// after its field's value flag.
fn sort_flags(args: &mut [syn::Expr], flags: &[NullFlag]) {
    let owner: BTreeMap<&str, &str> = flags
        .iter()
        .map(|flag| (flag.null_flag.as_str(), flag.value_flag.as_str()))
        .collect();
    args.sort_by_key(|arg| {
        let name = Chain::of(arg.clone()).root_name().unwrap_or_default();
        match owner.get(name.as_str()) {
            Some(field) => (field.to_string(), 1),
            None => (name, 0),
        }
    });
}

fn cli_method<'a>(file: &'a mut syn::File, name: &str) -> Result<&'a mut syn::ImplItemFn, String> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == name => Some(function),
            _ => None,
        })
        .ok_or_else(|| format!("progenitor's CLI has no `{name}`"))
}

/// `--field VALUE` and the flag that sends `null`.
fn null_flag_args(flag: &NullFlag) -> [syn::Expr; 2] {
    let NullFlag {
        value_type,
        value_flag,
        null_flag,
        help,
        ..
    } = flag;
    let field = value_flag.replace('-', "_");
    let null_help = if help.is_empty() {
        format!("Sends `\"{field}\": null`.")
    } else {
        format!("Sends `\"{field}\": null`. {help}")
    };
    [
        syn::parse_quote! {
            ::clap::Arg::new(#value_flag)
                .long(#value_flag)
                .value_parser(::clap::value_parser!(#value_type))
                .required(false)
                .conflicts_with(#null_flag)
                .help(#help)
        },
        syn::parse_quote! {
            ::clap::Arg::new(#null_flag)
                .long(#null_flag)
                .action(::clap::ArgAction::SetTrue)
                .help(#null_help)
        },
    ]
}

/// progenitor's `--json-body`, described, named `FILE`, and required only
/// when some required body field has no flag of its own.
fn json_body_arg(arg: syn::Expr, optional: bool) -> syn::Expr {
    let mut chain = Chain::of(arg);
    chain.set("value_name", syn::parse_quote!("FILE"));
    chain.set("help", syn::parse_quote!(#JSON_BODY_HELP));
    if optional {
        chain.set("required", syn::parse_quote!(false));
    }
    chain.into_expr()
}

// ---------------------------------------------------------------------------
// Filling the request (`execute_<operation>`)
// ---------------------------------------------------------------------------

/// Applies `--json-body` before the field flags and adds the clearable
/// fields' flags after them.
fn rewrite_execute(file: &mut syn::File, id: &str, flags: &[NullFlag]) -> Result<(), String> {
    let name = format!("execute_{}", snake(id));
    let function = cli_method(file, &name)?;
    let statements = &mut function.block.stmts;
    let mentions = |statement: &syn::Stmt, text: &str| {
        quote!(#statement)
            .to_string()
            .contains(&format!("\"{text}\""))
    };
    if let Some(index) = statements.iter().position(|s| mentions(s, JSON_BODY)) {
        let json_body = statements.remove(index);
        statements.insert(1, json_body);
    }
    let hook = format_ident!("execute_{}", snake(id));
    let at = statements
        .iter()
        .position(|statement| {
            quote!(#statement)
                .to_string()
                .contains(&format!("config . {hook}"))
        })
        .ok_or_else(|| format!("progenitor's `{name}` does not call `self.config.{hook}`"))?;
    let nullable: syn::Path = syn::parse_str(&format!("::{NULLABLE}")).expect("a Rust path");
    let consumers: Vec<syn::Stmt> = flags
        .iter()
        .flat_map(|flag| {
            let NullFlag {
                setter,
                value_type,
                value_flag,
                null_flag,
                ..
            } = flag;
            [
                syn::parse_quote! {
                    if let Some(value) = matches.get_one::<#value_type>(#value_flag) {
                        request = request.body_map(|body| body.#setter(#nullable::Value(value.clone())));
                    }
                },
                syn::parse_quote! {
                    if matches.get_flag(#null_flag) {
                        request = request.body_map(|body| body.#setter(#nullable::<#value_type>::Null));
                    }
                },
            ]
        })
        .collect();
    statements.splice(at..at, consumers);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_spec() -> Spec {
        spec::load(spec::path()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn cli_source(spec: &Spec) -> Result<String, Error> {
        let settings = Settings::default();
        let client = crate::client_file(spec, &settings)?;
        generate(spec, &settings, &client)
    }

    /// The repository spec with `edit` applied to its JSON.
    fn edited_spec(edit: impl FnOnce(&mut Value)) -> Spec {
        let original = repo_spec();
        let mut json = original.json().clone();
        edit(&mut json);
        let bytes = serde_json::to_vec(&json).unwrap();
        spec::parse(original.path(), &bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `(operation, field, schema)` of every clearable request field.
    fn clearable_fields(spec: &Spec) -> Vec<(String, String, Value)> {
        let mut fields = Vec::new();
        for operation in spec.operations() {
            let Some(schema) = operation.request_schema().map(|s| spec.deref(s)) else {
                continue;
            };
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                let property = spec.deref(property);
                if property
                    .pointer("/x-rust-type/path")
                    .and_then(Value::as_str)
                    == Some(spec::NULLABLE_RUST_TYPE)
                {
                    fields.push((operation.name(), name.clone(), property.clone()));
                }
            }
        }
        fields
    }

    #[test]
    fn every_clearable_field_gets_a_value_flag_and_a_null_flag() {
        let spec = repo_spec();
        let source = cli_source(&spec).unwrap();
        let fields = clearable_fields(&spec);
        assert!(!fields.is_empty(), "the spec has clearable fields");
        for (operation, name, schema) in fields {
            let null_flag = schema
                .get(NULL_FLAG_EXTENSION)
                .and_then(Value::as_str)
                .map_or_else(|| format!("clear-{}", kebab(&name)), str::to_string);
            for flag in [kebab(&name), null_flag.clone()] {
                assert!(
                    source.contains(&format!("Arg::new(\"{flag}\")")),
                    "{operation}: no --{flag}"
                );
            }
            assert!(
                source.contains(&format!("matches.get_flag(\"{null_flag}\")")),
                "{operation}: --{null_flag} is not read"
            );
        }
    }

    #[test]
    fn the_output_trait_takes_api_error_and_no_json_schema() {
        let source = cli_source(&repo_spec()).unwrap();
        assert!(source.contains("fn error(&self, value: &::genviral_partner::ApiError);"));
        assert!(!source.contains("JsonSchema"), "{source}");
        assert!(
            !source.contains("fn list_start"),
            "uncalled output methods go"
        );
        assert!(!source.contains("json-body-template"));
        assert!(source.contains("crate::json_body::read(value)"));
    }

    #[test]
    fn json_body_is_applied_before_the_field_flags() {
        let source = cli_source(&repo_spec()).unwrap();
        let execute = &source[source.find("fn execute_update_pack").unwrap()..];
        let json_body = execute.find("\"json-body\"").unwrap();
        let name_flag = execute.find("\"name\"").unwrap();
        assert!(json_body < name_flag, "{execute}");
    }

    #[test]
    fn a_required_clearable_field_needs_one_of_its_flags_or_the_body() {
        let spec = edited_spec(|json| {
            json["components"]["schemas"]["NullableParentFolderId"]
                .as_object_mut()
                .unwrap()
                .remove(NULL_FLAG_EXTENSION);
        });
        let source = cli_source(&spec).unwrap();
        assert!(source.contains(
            "ArgGroup::new(\"parent-folder-id-or-clear-parent-folder-id\")\n                    .args([\"parent-folder-id\", \"clear-parent-folder-id\", \"json-body\"])\n                    .required(true)\n                    .multiple(true)"
        ), "{source}");
    }

    #[test]
    fn a_null_flag_name_that_is_not_a_flag_is_refused_naming_the_field() {
        let spec = edited_spec(|json| {
            json["components"]["schemas"]["NullableParentFolderId"][NULL_FLAG_EXTENSION] =
                Value::String("--To Root".into());
        });
        let error = cli_source(&spec).unwrap_err().to_string();
        assert!(error.contains("operation `move_folder`"), "{error}");
        assert!(
            error.contains("`x-cli-null-flag` of `parent_folder_id`"),
            "{error}"
        );
    }

    #[test]
    fn flag_names_are_kebab_case() {
        assert!(is_flag_name("to-root"));
        assert!(!is_flag_name("--to-root"));
        assert!(!is_flag_name("To_Root"));
        assert!(!is_flag_name(""));
        assert_eq!(kebab("parent_folder_id"), "parent-folder-id");
    }
}
