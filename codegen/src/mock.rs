//! The `genviral-partner-mock` crate's generated module: progenitor's typed
//! `httpmock` extensions (`Generator::httpmock`), documented, and the spec's
//! named examples as ready-made replies and request bodies.
//!
//! ```text
//! Spec ─▶ progenitor httpmock ─▶ + examples ─▶ docs ─▶ prettyplease ─▶ header + source
//!         (MockServerExt,          (one reply per named
//!          When/Then per op)        response example)
//! ```
//!
//! progenitor's `when.body(&value)` matches the JSON body exactly, so the
//! tri-state of PATCH fields survives: a field the value leaves out must be
//! absent from the request and `Some(Nullable::Null)` must arrive as `null`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use spec::{Example, Operation, Spec};

use crate::Settings;
use crate::client_layer::CLIENT_CRATE_PATH;
use crate::error::Error;
use crate::header;
use crate::progenitor::{self, Output};
use crate::type_names::{pascal, snake};

/// The hand-written type of the mock crate each example reply is a
/// constant of (`generated-client/mock/src/lib.rs`).
const EXAMPLE_REPLY: &str = "crate::ExampleReply";
/// The hand-written type of the mock crate each example request body is a
/// constant of.
const EXAMPLE_REQUEST: &str = "crate::ExampleRequest";

/// Lints the generated module allows: progenitor formats path values with
/// `value.to_string()` inside `format!`.
const LINTS: &str = "#![allow(clippy::to_string_in_format_args)]\n\n";

/// The mock crate's generated module, header included.
pub(crate) fn generate(spec: &Spec, settings: &Settings) -> Result<String, Error> {
    let matchers = progenitor::tokens(
        spec,
        settings,
        Output::Httpmock {
            client_crate: CLIENT_CRATE_PATH,
        },
    )?;
    let mut file: syn::File = parse(spec, matchers)?;
    let replies = ReplyMethods::of(&file);
    document(&mut file, spec);
    let examples: syn::File = parse(spec, examples(spec, &replies))?;
    file.items.extend(examples.items);
    Ok(format!(
        "{}{LINTS}{}",
        header::provenance(spec),
        prettyplease::unparse(&file)
    ))
}

fn parse(spec: &Spec, tokens: TokenStream) -> Result<syn::File, Error> {
    syn::parse2(tokens).map_err(|e| Error::Format {
        file: spec.path().to_path_buf(),
        message: e.to_string(),
    })
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn path(text: &str) -> syn::Path {
    syn::parse_str(text).expect("the mock layer's paths are Rust paths")
}

/// The `XThen` method progenitor writes for each status of each operation
/// (`409` → `conflict`), read from its output so docs name what exists.
struct ReplyMethods(BTreeMap<(String, u16), String>);

impl ReplyMethods {
    fn of(file: &syn::File) -> Self {
        let mut methods = BTreeMap::new();
        for block in operation_impls(file) {
            let Some(operation) = wrapper_operation(&block.self_ty, "Then") else {
                continue;
            };
            for item in &block.items {
                if let syn::ImplItem::Fn(function) = item
                    && let Some(status) = fixed_status(function)
                {
                    methods.insert((operation.clone(), status), function.sig.ident.to_string());
                }
            }
        }
        ReplyMethods(methods)
    }

    /// `then.conflict(…)` for `update_template` and 409, when progenitor
    /// wrote one.
    fn get(&self, operation: &str, status: u16) -> Option<&str> {
        self.0
            .get(&(operation.to_string(), status))
            .map(String::as_str)
    }
}

/// The `impl` blocks inside `mod operations`.
fn operation_impls(file: &syn::File) -> impl Iterator<Item = &syn::ItemImpl> {
    operations_module(file)
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some(block),
            _ => None,
        })
}

fn operations_module(file: &syn::File) -> Option<&Vec<syn::Item>> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "operations" => {
            module.content.as_ref().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// `update_pack` for the type `UpdatePackThen` (with `suffix` `Then`).
fn wrapper_operation(ty: &syn::Type, suffix: &str) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let name = path.path.segments.last()?.ident.to_string();
    name.strip_suffix(suffix).map(snake)
}

/// The status a reply method sets with `.status(409u16)`, if a literal.
fn fixed_status(function: &syn::ImplItemFn) -> Option<u16> {
    struct FindStatus(Option<u16>);
    impl<'ast> syn::visit::Visit<'ast> for FindStatus {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "status"
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(status),
                    ..
                })) = call.args.first()
            {
                self.0 = status.base10_parse().ok();
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = FindStatus(None);
    syn::visit::Visit::visit_block(&mut find, &function.block);
    find.0
}

// ---------------------------------------------------------------------------
// Docs
// ---------------------------------------------------------------------------

/// Documents progenitor's items (it leaves them bare) after the spec.
fn document(file: &mut syn::File, spec: &Spec) {
    let described: BTreeMap<String, String> = spec
        .operations()
        .iter()
        .filter_map(|operation| {
            let id = operation.id()?;
            Some((snake(id), describe(operation)))
        })
        .collect();
    for item in &mut file.items {
        match item {
            syn::Item::Mod(module) if module.ident == "operations" => {
                for item in module.content.iter_mut().flat_map(|(_, items)| items) {
                    document_operation_item(item, &described);
                }
            }
            syn::Item::Trait(server) => {
                add_doc(
                    &mut server.attrs,
                    "Typed mocks on an [`httpmock::MockServer`]: one method per operation.",
                );
                for item in &mut server.items {
                    if let syn::TraitItem::Fn(function) = item {
                        let operation = function.sig.ident.to_string();
                        let what = described.get(&operation).cloned().unwrap_or_default();
                        add_doc(
                            &mut function.attrs,
                            &format!(
                                "Mocks `{operation}` ({what}): `config_fn` gets the request \
                                 matchers and the reply. Returns the mock, to check how often \
                                 it was called (`mock.assert()`)."
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// `` `PATCH /packs/{packId}`: Update a pack ``.
fn describe(operation: &Operation<'_>) -> String {
    let mut text = format!("`{} {}`", operation.method.to_uppercase(), operation.path);
    if let Some(summary) = operation.summary() {
        text.push_str(": ");
        text.push_str(summary.trim_end_matches('.'));
    }
    text
}

fn document_operation_item(item: &mut syn::Item, described: &BTreeMap<String, String>) {
    match item {
        syn::Item::Struct(structure) => {
            let name = structure.ident.to_string();
            let doc = if let Some(operation) = name.strip_suffix("When").map(snake) {
                format!(
                    "What a mock of `{operation}` ({}) matches: the method and path, plus \
                     each condition added with a method.",
                    described.get(&operation).map_or("", String::as_str)
                )
            } else if let Some(operation) = name.strip_suffix("Then").map(snake) {
                format!(
                    "How a mock of `{operation}` replies: one method per status the spec \
                     documents, each taking that status's body type."
                )
            } else {
                return;
            };
            add_doc(&mut structure.attrs, &doc);
        }
        syn::Item::Impl(block) => {
            let is_when = wrapper_operation(&block.self_ty, "When").is_some();
            for item in &mut block.items {
                if let syn::ImplItem::Fn(function) = item {
                    let doc = method_doc(function, is_when);
                    add_doc(&mut function.attrs, &doc);
                }
            }
        }
        _ => {}
    }
}

fn method_doc(function: &syn::ImplItemFn, is_when: bool) -> String {
    let name = function.sig.ident.to_string();
    match (name.as_str(), is_when) {
        ("new", true) => "Wraps httpmock's `When`, matching the operation's method and path \
                          (any path parameter)."
            .to_string(),
        ("new", false) => "Wraps httpmock's `Then`.".to_string(),
        ("into_inner", _) => "httpmock's own builder, to go beyond what the spec allows \
                              (a status it does not document, a malformed body)."
            .to_string(),
        ("body", true) => "Matches a JSON body equal to `value`: a field `value` leaves out \
                           must be absent from the request, and a field set to \
                           `Some(Nullable::Null)` must be sent as `null` (PATCH's three \
                           states are told apart)."
            .to_string(),
        (parameter, true) => format!("Matches the `{parameter}` path parameter."),
        (_, false) => match fixed_status(function) {
            Some(status) => format!("Replies `{status}` with `value` as the JSON body."),
            None => format!(
                "Replies `status` (in the range `{name}` names; any other status panics) \
                 with `value` as the JSON body."
            ),
        },
    }
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, doc: &str) {
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

/// `pub mod examples`: per operation, a constant and a typed function for
/// each named example of each documented status (the replies), and for each
/// request-body example (`requests`); `ALL` lists every reply.
fn examples(spec: &Spec, replies: &ReplyMethods) -> TokenStream {
    let reply_type = path(EXAMPLE_REPLY);
    let request_type = path(EXAMPLE_REQUEST);
    let mut modules = Vec::new();
    let mut all = Vec::new();
    let mut all_requests = Vec::new();
    for operation in spec.operations() {
        let Some(id) = operation.id() else {
            continue;
        };
        let module = ident(&snake(id));
        let reply_items = reply_examples(spec, &operation, id, replies);
        for constant in &reply_items.constants {
            all.push(quote! { &#module::#constant, });
        }
        let items = reply_items.tokens;
        let (requests, request_constants) = request_examples(spec, &operation, id);
        for constant in &request_constants {
            all_requests.push(quote! { &#module::requests::#constant, });
        }
        let doc = format!(
            "Example replies and request bodies of `{id}` ({}), from the spec's named examples.",
            describe(&operation)
        );
        modules.push(quote! {
            #[doc = #doc]
            pub mod #module {
                #items
                #requests
            }
        });
    }
    quote! {
        /// The spec's named examples, ready to use: one reply per example of
        /// each documented status (the success bodies, and one per documented
        /// `error_code`), and the request bodies.
        ///
        /// `then.conflict(&examples::update_template::template_name_conflict())`
        /// replies with the typed value; [`ExampleReply::respond`](crate::ExampleReply::respond)
        /// replies with the constant's status and exact bytes.
        pub mod examples {
            #(#modules)*

            /// Every example reply of every operation.
            pub const ALL: &[&#reply_type] = &[#(#all)*];

            /// Every example request body of every operation.
            pub const REQUESTS: &[&#request_type] = &[#(#all_requests)*];
        }
    }
}

struct ReplyItems {
    tokens: TokenStream,
    constants: Vec<Ident>,
}

/// One name per example of `operation`: its key, else its `error_code`,
/// else `status_<n>`; a name taken by another status gets `_<status>`.
fn example_names<'a>(
    examples: impl Iterator<Item = (u16, &'a Example<'a>)>,
) -> Vec<(u16, &'a Example<'a>, String)> {
    let mut taken = BTreeSet::new();
    let mut named = Vec::new();
    for (status, example) in examples {
        let base = example
            .name
            .or(example.error_code())
            .map(identifier)
            .unwrap_or_else(|| format!("status_{status}"));
        let mut name = base.clone();
        let mut attempt = 1;
        while !taken.insert(name.clone()) {
            attempt += 1;
            name = if attempt == 2 {
                format!("{base}_{status}")
            } else {
                format!("{base}_{status}_{attempt}")
            };
        }
        named.push((status, example, name));
    }
    named
}

fn reply_examples(
    spec: &Spec,
    operation: &Operation<'_>,
    id: &str,
    replies: &ReplyMethods,
) -> ReplyItems {
    let reply_type = path(EXAMPLE_REPLY);
    let responses = operation.responses();
    let examples: Vec<(u16, Vec<Example<'_>>, Option<syn::Path>)> = responses
        .iter()
        .filter_map(|response| {
            let status = response.status_code()?;
            Some((
                status,
                response.examples(),
                response.schema().and_then(|schema| body_type(spec, schema)),
            ))
        })
        .collect();
    let body_types: BTreeMap<u16, &Option<syn::Path>> = examples
        .iter()
        .map(|(status, _, ty)| (*status, ty))
        .collect();
    let flat = examples
        .iter()
        .flat_map(|(status, examples, _)| examples.iter().map(move |example| (*status, example)));
    let mut tokens = TokenStream::new();
    let mut constants = Vec::new();
    for (status, example, name) in example_names(flat) {
        let constant = ident(&name.to_uppercase());
        let raw_summary = example.summary.unwrap_or("").trim();
        // The key in the spec; a lone `example` has none.
        let spec_name = example.name.unwrap_or(&name);
        let summary = raw_summary;
        let body = serde_json::to_string(example.value).expect("JSON values serialize");
        let error_code = match example.error_code() {
            Some(code) => quote! { Some(#code) },
            None => quote! { None },
        };
        let what = match example.error_code() {
            Some(code) => format!("`{status}` reply with `error_code` `{code}`"),
            None => format!("`{status}` reply"),
        };
        let summary = summary_in_parentheses(summary);
        let constant_doc = format!("The example `{name}` of `{id}`: a {what}{summary}.");
        tokens.extend(quote! {
            #[doc = #constant_doc]
            pub const #constant: #reply_type = #reply_type {
                operation: #id,
                name: #spec_name,
                status: #status,
                error_code: #error_code,
                summary: #raw_summary,
                body: #body,
            };
        });
        constants.push(constant.clone());
        if let Some(Some(ty)) = body_types.get(&status) {
            let usage = match replies.get(&snake(id), status) {
                Some(method) => format!(" Use it as `then.{method}(&{name}())`."),
                None => String::new(),
            };
            let doc = format!("The example `{name}` of `{id}`, typed: a {what}{summary}.{usage}");
            let function = ident(&name);
            tokens.extend(quote! {
                #[doc = #doc]
                pub fn #function() -> #ty {
                    #constant.decode()
                }
            });
        }
    }
    ReplyItems { tokens, constants }
}

fn request_examples(spec: &Spec, operation: &Operation<'_>, id: &str) -> (TokenStream, Vec<Ident>) {
    let examples = operation.request_examples();
    if examples.is_empty() {
        return (TokenStream::new(), Vec::new());
    }
    let request_type = path(EXAMPLE_REQUEST);
    let body_type = operation
        .request_schema()
        .and_then(|schema| body_type(spec, schema));
    let mut items = Vec::new();
    let mut constants = Vec::new();
    let named = example_names(examples.iter().map(|example| (0, example)));
    for (_, example, name) in named {
        let constant = ident(&name.to_uppercase());
        let raw_summary = example.summary.unwrap_or("").trim();
        // The key in the spec; a lone `example` has none.
        let spec_name = example.name.unwrap_or(&name);
        let summary = summary_in_parentheses(raw_summary);
        let body = serde_json::to_string(example.value).expect("JSON values serialize");
        let doc = format!("The request body example `{name}` of `{id}`{summary}.");
        items.push(quote! {
            #[doc = #doc]
            pub const #constant: #request_type = #request_type {
                operation: #id,
                name: #spec_name,
                summary: #raw_summary,
                body: #body,
            };
        });
        constants.push(constant.clone());
        if let Some(ty) = &body_type {
            let function = ident(&name);
            let doc = format!("The request body example `{name}` of `{id}`, typed{summary}.");
            items.push(quote! {
                #[doc = #doc]
                pub fn #function() -> #ty {
                    #constant.decode()
                }
            });
        }
    }
    let doc = format!("Example request bodies of `{id}`.");
    let module = quote! {
        #[doc = #doc]
        pub mod requests {
            #(#items)*
        }
    };
    (module, constants)
}

/// ` (Rename a pack)` for a summary, nothing without one.
fn summary_in_parentheses(summary: &str) -> String {
    if summary.is_empty() {
        String::new()
    } else {
        format!(" ({})", summary.trim_end_matches('.'))
    }
}

/// The client type of a body schema written as a `$ref` to a component
/// (typify names the type after it); `None` for an inline schema.
fn body_type(spec: &Spec, schema: &Value) -> Option<syn::Path> {
    let reference = schema.get("$ref")?.as_str()?;
    let name = reference.strip_prefix("#/components/schemas/")?;
    spec.json()
        .pointer(&format!("/components/schemas/{name}"))?;
    let crate_path = format_ident!("{}", CLIENT_CRATE_PATH);
    let ty = ident(&pascal(name));
    Some(syn::parse_quote!(::#crate_path::types::#ty))
}

/// `name` as a Rust identifier: snake case, never a keyword, never
/// starting with a digit.
fn identifier(name: &str) -> String {
    let mut name = snake(name);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if syn::parse_str::<Ident>(&name).is_err() {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_snake_case_and_never_keywords() {
        assert_eq!(
            identifier("template_name_conflict"),
            "template_name_conflict"
        );
        assert_eq!(identifier("invalid-json"), "invalid_json");
        assert_eq!(identifier("replaceConfig"), "replace_config");
        assert_eq!(identifier("type"), "type_");
        assert_eq!(identifier("404"), "_404");
    }

    #[test]
    fn a_name_taken_by_another_status_gets_the_status() {
        let value = serde_json::json!({"error_code": "not_found"});
        let first = Example {
            name: Some("not_found"),
            summary: None,
            value: &value,
        };
        let unnamed = Example {
            name: None,
            summary: None,
            value: &value,
        };
        let other = serde_json::json!({"ok": true});
        let lone = Example {
            name: None,
            summary: None,
            value: &other,
        };
        let names: Vec<String> =
            example_names([(404, &first), (410, &unnamed), (200, &lone)].into_iter())
                .into_iter()
                .map(|(_, _, name)| name)
                .collect();
        assert_eq!(names, ["not_found", "not_found_410", "status_200"]);
    }
}

#[cfg(test)]
mod generated_files {
    use crate::{CLI_OUTPUT, CLIENT_OUTPUT, MOCK_OUTPUT, Settings, generate_files};

    fn paths(settings: &Settings) -> Vec<&'static str> {
        let spec = spec::load(spec::path()).unwrap_or_else(|e| panic!("{e}"));
        generate_files(&spec, settings)
            .unwrap()
            .iter()
            .map(|file| file.relative_path)
            .collect()
    }

    #[test]
    fn the_mock_and_cli_modules_come_with_the_client_but_not_standalone() {
        assert_eq!(
            paths(&Settings::default()),
            [CLIENT_OUTPUT, MOCK_OUTPUT, CLI_OUTPUT]
        );
        assert_eq!(paths(&Settings::standalone()), [CLIENT_OUTPUT]);
    }

    #[test]
    fn every_operation_has_typed_mocks_and_each_documented_status_a_reply() {
        let spec = spec::load(spec::path()).unwrap_or_else(|e| panic!("{e}"));
        let source = super::generate(&spec, &Settings::default()).unwrap();
        for operation in spec.operations() {
            let id = operation.id().unwrap();
            assert!(
                source.contains(&format!("fn {id}<F>(&self, config_fn: F)")),
                "{id}"
            );
            for case in operation.documented_cases() {
                assert!(
                    source.contains(&format!("status: {}u16", case.status)),
                    "{case}"
                );
            }
        }
    }
}
