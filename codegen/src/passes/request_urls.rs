//! Request URLs from a base URL parsed once.
//!
//! progenitor writes each request's URL as a string,
//! `format!("{}/packs/{}", client.baseurl, encode_path(&pack_id.to_string()))`,
//! which reqwest then parses whole on every call: scheme, host (IDNA
//! included) and path, the largest cost the generated layer added to a
//! request in the client's overhead bench (BENCHMARKS.md). This pass parses
//! the base URL once, when the `Client` is made, and has each operation add
//! only its own path to a copy of it:
//!
//! - a path of fixed segments and UUID parameters (`/packs/{packId}`) is
//!   appended segment by segment (`Client::request_to_segments`): the
//!   segments are text that percent-encoding and URL parsing leave as it
//!   is, so the base URL's path is not parsed again and no string is built;
//! - any other path (a string parameter, say) is formatted as progenitor
//!   formats it, its parameters percent-encoded by `encode_path`, and
//!   parsed as the URL's path (`Client::request_to_path`).
//!
//! Either gives the URL progenitor's string parses to. A base URL for which
//! appending could give another URL (one not written the way `Url` writes
//! it, or with a query) is not reused: such a client parses each request's
//! whole URL, as progenitor does.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

use super::syntax;

/// The field of `Client` holding the parsed base URL.
const PARSED_FIELD: &str = "parsed_baseurl";
/// Its type.
const PARSED_TYPE: &str = "ParsedBaseUrl";
/// The method of `Client` that starts a request to a path.
const PATH_FN: &str = "request_to_path";
/// The method of `Client` that starts a request to path segments.
const SEGMENTS_FN: &str = "request_to_segments";
/// The type of those segments.
const SEGMENT_TYPE: &str = "PathSegment";

/// The length of a hyphenated UUID.
const UUID_LENGTH: usize = 36;

/// The HTTP verbs progenitor calls on the `reqwest::Client`.
const VERBS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// Makes every operation build its URL from the parsed base URL.
pub(crate) fn rewrite(file: &mut syn::File) {
    // Without the `Client` progenitor writes, the operations stay as they are.
    let client_found = syntax::client_fields_mut(file).is_some_and(|fields| {
        fields
            .named
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == "baseurl"))
    }) && syntax::client_constructor_mut(file).is_some();
    if !client_found {
        return;
    }
    let mut operations = Operations {
        uuid_fields: uuid_fields(file),
        uuid_parameters: BTreeSet::new(),
        depth: 0,
        by_path: 0,
        by_segments: 0,
        longest_path: 0,
    };
    operations.visit_file_mut(file);
    if operations.by_path + operations.by_segments > 0 {
        let room = operations.longest_path.saturating_sub(1).max(1);
        add_parsed_base(file, operations.by_segments > 0, room);
    }
}

/// Adds the parsed base URL to `Client`: the field, its value in the
/// constructor, and the items that parse it and use it (those for path
/// segments only when an operation uses them). `room` is the length of the
/// placeholder segment (`ParsedBaseUrl::ROOM`).
fn add_parsed_base(file: &mut syn::File, with_segments: bool, room: usize) {
    let field = ident(PARSED_FIELD);
    let parsed = ident(PARSED_TYPE);
    if let Some(fields) = syntax::client_fields_mut(file) {
        fields.named.push(syn::parse_quote! {
            /// `baseurl`, parsed once (see `Client::request_to_path`).
            pub(crate) #field: ::std::option::Option<#parsed>
        });
    }
    if let Some(values) = syntax::client_constructor_mut(file) {
        values.push(syn::parse_quote!(#field: #parsed::parse(baseurl)));
    }
    file.items.extend(path_items(room));
    if with_segments {
        file.items.extend(segment_items());
    }
}

fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

/// `ParsedBaseUrl` and `Client::request_to_path`.
fn path_items(room: usize) -> Vec<syn::Item> {
    let placeholder = "-".repeat(room);
    let field = ident(PARSED_FIELD);
    let parsed = ident(PARSED_TYPE);
    let request = ident(PATH_FN);
    let items: syn::File = syn::parse_quote! {
        /// The base URL, parsed once to build request URLs from (see
        /// `Client::request_to_path`).
        #[derive(Clone)]
        pub(crate) struct #parsed {
            /// The base URL followed by a placeholder segment, [`Self::ROOM`]:
            /// a copy of it has room for an operation's path, which the
            /// copy of the bare URL would not have (appending the path
            /// would reallocate the URL's text, twice for most paths).
            with_room: ::reqwest::Url,
        }

        impl #parsed {
            /// The placeholder segment: as long as the longest operation
            /// path (its UUIDs included), less the `/` before it.
            const ROOM: &'static str = #placeholder;

            /// `baseurl` parsed, or `None` when each request's URL must be
            /// parsed whole: it does not parse, is not `http(s)`, has a
            /// query or a fragment, or is not written the way `Url` writes
            /// it (`http://host` lacks the `/` of the root path). A base URL
            /// written that way, followed by a path, parses to the base URL
            /// with its path followed by that path, parsed.
            fn parse(baseurl: &str) -> ::std::option::Option<Self> {
                let mut with_room = ::reqwest::Url::parse(baseurl).ok()?;
                let reusable = with_room.as_str() == baseurl
                    && matches!(with_room.scheme(), "http" | "https")
                    && with_room.query().is_none()
                    && with_room.fragment().is_none();
                if !reusable {
                    return ::std::option::Option::None;
                }
                with_room.path_segments_mut().ok()?.push(Self::ROOM);
                ::std::option::Option::Some(Self { with_room })
            }

            /// A copy of the base URL, with room for a path.
            fn copy(&self) -> ::reqwest::Url {
                let mut url = self.with_room.clone();
                // The segment `parse` pushed: the URL is the base URL again.
                if let ::std::result::Result::Ok(mut path) = url.path_segments_mut() {
                    path.pop();
                }
                url
            }
        }

        impl ::std::fmt::Debug for #parsed {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!(#parsed)).field(&self.copy().as_str()).finish()
            }
        }

        impl Client {
            /// A `method` request to `path` (an operation's path, its
            /// parameters percent-encoded) under the base URL: the URL that
            /// parsing `baseurl` followed by `path` gives, with only `path`
            /// parsed when the base URL was parsed already.
            pub(crate) fn #request(
                &self,
                method: ::reqwest::Method,
                path: &str,
            ) -> ::reqwest::RequestBuilder {
                match &self.#field {
                    ::std::option::Option::Some(base) => {
                        let mut url = base.copy();
                        let mut full_path = ::std::string::String::with_capacity(
                            url.path().len() + path.len(),
                        );
                        full_path.push_str(url.path());
                        full_path.push_str(path);
                        url.set_path(&full_path);
                        self.client.request(method, url)
                    }
                    ::std::option::Option::None => {
                        self.client.request(method, format!("{}{}", self.baseurl, path))
                    }
                }
            }
        }
    };
    items.items
}

/// `PathSegment` and `Client::request_to_segments`.
fn segment_items() -> Vec<syn::Item> {
    let field = ident(PARSED_FIELD);
    let parsed = ident(PARSED_TYPE);
    let to_path = ident(PATH_FN);
    let request = ident(SEGMENTS_FN);
    let segment = ident(SEGMENT_TYPE);
    let items: syn::File = syn::parse_quote! {
        /// One segment of an operation's path (see
        /// `Client::request_to_segments`): text that percent-encoding and
        /// URL parsing leave as it is.
        #[derive(Debug, Clone, Copy)]
        pub(crate) enum #segment {
            /// Fixed text of the path: ASCII letters, digits, `-`, `.`, `_`
            /// and `~` only, and never `.` or `..`.
            Fixed(&'static str),
            /// A UUID parameter, written as its hyphenated lowercase form.
            Uuid(::uuid::Uuid),
        }

        impl #segment {
            /// The segment's text; a UUID is written into `buffer`.
            fn text<'a>(&self, buffer: &'a mut [u8]) -> &'a str {
                match self {
                    #segment::Fixed(text) => text,
                    #segment::Uuid(id) => id.hyphenated().encode_lower(buffer),
                }
            }
        }

        impl Client {
            /// A `method` request to the base URL's path followed by
            /// `segments`, each after a `/`: the URL `request_to_path` gives
            /// for that path. The segments are added to the parsed base URL
            /// as they are, without parsing its path again.
            pub(crate) fn #request(
                &self,
                method: ::reqwest::Method,
                segments: &[#segment],
            ) -> ::reqwest::RequestBuilder {
                let mut buffer = ::uuid::Uuid::encode_buffer();
                match self.#field.as_ref().map(#parsed::copy) {
                    // Appended to the root path `/`, the first segment
                    // would not get the `/` that `request_to_path` keeps
                    // (`http://host//packs`).
                    ::std::option::Option::Some(mut url) if url.path() != "/" => {
                        if let ::std::result::Result::Ok(mut path) = url.path_segments_mut() {
                            for segment in segments {
                                path.push(segment.text(&mut buffer));
                            }
                        }
                        self.client.request(method, url)
                    }
                    _ => {
                        let mut path = ::std::string::String::new();
                        for segment in segments {
                            path.push('/');
                            path.push_str(segment.text(&mut buffer));
                        }
                        self.#to_path(method, &path)
                    }
                }
            }
        }
    };
    items.items
}

/// The fields of progenitor's operation builders that hold a UUID (a
/// path parameter of `format: uuid`), by builder.
fn uuid_fields(file: &mut syn::File) -> BTreeMap<String, BTreeSet<String>> {
    let Some(builders) = syntax::operation_builders_mut(file) else {
        return BTreeMap::new();
    };
    builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(structure) => Some(structure),
            _ => None,
        })
        .map(|structure| {
            let fields = structure
                .fields
                .iter()
                .filter(|field| syntax::first_argument(&field.ty, "Result").is_some_and(is_uuid))
                .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
                .collect();
            (structure.ident.to_string(), fields)
        })
        .collect()
}

/// `::uuid::Uuid` (or `uuid::Uuid`).
fn is_uuid(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none() && syntax::path_idents(&path.path) == ["uuid", "Uuid"]
}

/// Rewrites each operation's URL statement and the request it starts;
/// an operation where either is not found as expected keeps progenitor's
/// code.
struct Operations {
    /// [`uuid_fields`].
    uuid_fields: BTreeMap<String, BTreeSet<String>>,
    /// The UUID fields of the builder whose `impl` is being visited.
    uuid_parameters: BTreeSet<String>,
    /// How many modules deep the visit is (`builder` is one).
    depth: usize,
    by_path: usize,
    by_segments: usize,
    /// The longest path an operation appends, as far as known: its fixed
    /// text and UUIDs.
    longest_path: usize,
}

impl VisitMut for Operations {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, module);
        self.depth -= 1;
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let builder = syntax::last_ident(&block.self_ty).filter(|_| block.trait_.is_none());
        let parameters = builder
            .and_then(|name| self.uuid_fields.get(&name))
            .cloned()
            .unwrap_or_default();
        let outer = std::mem::replace(&mut self.uuid_parameters, parameters);
        visit_mut::visit_item_impl_mut(self, block);
        self.uuid_parameters = outer;
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        for index in 0..block.stmts.len() {
            let Some(url) =
                UrlStatement::read(&block.stmts[index], &self.uuid_parameters, self.depth)
            else {
                continue;
            };
            let mut start = RequestStart {
                url: &url,
                found: false,
            };
            for later in &mut block.stmts[index + 1..] {
                start.visit_stmt_mut(later);
            }
            if start.found {
                if let syn::Stmt::Local(local) = &mut block.stmts[index]
                    && let Some(init) = &mut local.init
                {
                    *init.expr = url.value;
                }
                match url.function {
                    PATH_FN => self.by_path += 1,
                    _ => self.by_segments += 1,
                }
                self.longest_path = self.longest_path.max(url.known_length);
            }
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// An operation's URL statement, `let url = format!("{}/p/{}", client.baseurl, a)`,
/// read: what replaces its value and which `Client` method takes it.
struct UrlStatement {
    /// The variable (`url`, or another name when a parameter is `url`).
    variable: syn::Ident,
    /// The client expression progenitor read `.baseurl` from.
    client: TokenStream,
    /// The variable's new value: the path, or its segments.
    value: syn::Expr,
    /// [`PATH_FN`] or [`SEGMENTS_FN`].
    function: &'static str,
    /// The length of the path as sent, counting its fixed text and UUIDs
    /// (other parameters have no known length).
    known_length: usize,
}

impl UrlStatement {
    /// `None` for any other statement, and for a path whose fixed text
    /// could parse differently after a full URL than as a path (a `?`,
    /// `#`, space or control character: `Url::set_path` encodes them).
    /// `uuids` are the UUID parameters in scope; `depth` says how to name
    /// items of the generated file's top level from here.
    fn read(stmt: &syn::Stmt, uuids: &BTreeSet<String>, depth: usize) -> Option<UrlStatement> {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Pat::Ident(pattern) = &local.pat else {
            return None;
        };
        let syn::Expr::Macro(call) = local.init.as_ref()?.expr.as_ref() else {
            return None;
        };
        if !call.mac.path.is_ident("format") {
            return None;
        }
        let mut arguments = call
            .mac
            .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            .ok()?
            .into_iter();
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        }) = arguments.next()?
        else {
            return None;
        };
        let path = template.value().strip_prefix("{}")?.to_string();
        let plain = |c: char| c.is_ascii_graphic() && c != '?' && c != '#';
        if !path.starts_with('/') || !path.chars().all(plain) {
            return None;
        }
        let syn::Expr::Field(base) = arguments.next()? else {
            return None;
        };
        if !matches!(&base.member, syn::Member::Named(name) if name == "baseurl") {
            return None;
        }
        let parameters: Vec<syn::Expr> = arguments.collect();
        let is_uuid = |parameter: &syn::Expr| {
            encoded_variable(parameter)
                .is_some_and(|variable| uuids.contains(&variable.to_string()))
        };
        let known_length = path.len().saturating_sub("{}".len() * parameters.len())
            + UUID_LENGTH * parameters.iter().filter(|p| is_uuid(p)).count();
        let (value, function) = match segments(&path, &parameters, uuids, depth) {
            Some(segments) => (segments, SEGMENTS_FN),
            None => (
                formatted_path(&path, template.span(), &parameters, uuids),
                PATH_FN,
            ),
        };
        Some(UrlStatement {
            variable: pattern.ident.clone(),
            client: base.base.to_token_stream(),
            value,
            function,
            known_length,
        })
    }
}

/// `[PathSegment::Fixed("packs"), PathSegment::Uuid(pack_id)]` for the path
/// `/packs/{}` whose parameter is a UUID; `None` unless every segment is
/// fixed text of unreserved characters (not `.` or `..`) or a whole UUID
/// parameter.
fn segments(
    path: &str,
    parameters: &[syn::Expr],
    uuids: &BTreeSet<String>,
    depth: usize,
) -> Option<syn::Expr> {
    let prefix: TokenStream = (0..depth).map(|_| quote!(super::)).collect();
    let segment_type = ident(SEGMENT_TYPE);
    let segment = quote!(#prefix #segment_type);
    let mut parameters = parameters.iter();
    let mut items: Vec<syn::Expr> = Vec::new();
    for part in path.strip_prefix('/')?.split('/') {
        if part == "{}" {
            let variable = encoded_variable(parameters.next()?)?;
            if !uuids.contains(&variable.to_string()) {
                return None;
            }
            items.push(syn::parse_quote!(#segment::Uuid(#variable)));
        } else if is_unreserved_segment(part) {
            items.push(syn::parse_quote!(#segment::Fixed(#part)));
        } else {
            return None;
        }
    }
    if parameters.next().is_some() {
        return None;
    }
    Some(syn::parse_quote!([#(#items),*]))
}

/// Whether `part` is a path segment that neither percent-encoding nor URL
/// parsing changes: unreserved characters only (RFC 3986), and not a dot
/// segment.
fn is_unreserved_segment(part: &str) -> bool {
    let unreserved = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    !part.is_empty() && part != "." && part != ".." && part.chars().all(unreserved)
}

/// `format!("/p/{}", a)`: progenitor's URL without the base URL. A UUID
/// parameter is formatted as it is, without `encode_path(&id.to_string())`:
/// its hex digits and hyphens are left unchanged by percent-encoding.
fn formatted_path(
    path: &str,
    span: Span,
    parameters: &[syn::Expr],
    uuids: &BTreeSet<String>,
) -> syn::Expr {
    let parameters = parameters
        .iter()
        .map(|parameter| match encoded_variable(parameter) {
            Some(variable) if uuids.contains(&variable.to_string()) => variable.into_token_stream(),
            _ => parameter.into_token_stream(),
        });
    let path = syn::LitStr::new(path, span);
    syn::parse_quote!(format!(#path, #(#parameters,)*))
}

/// `id` of progenitor's `encode_path(&id.to_string())`.
fn encoded_variable(expr: &syn::Expr) -> Option<syn::Ident> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let is_encode_path =
        matches!(call.func.as_ref(), syn::Expr::Path(path) if path.path.is_ident("encode_path"));
    let [syn::Expr::Reference(reference)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let syn::Expr::MethodCall(to_string) = reference.expr.as_ref() else {
        return None;
    };
    let syn::Expr::Path(variable) = to_string.receiver.as_ref() else {
        return None;
    };
    let plain = to_string.method == "to_string" && to_string.args.is_empty();
    (is_encode_path && plain)
        .then(|| variable.path.get_ident().cloned())
        .flatten()
}

/// Finds `client.client.patch(url)` and makes it
/// `client.request_to_segments(::reqwest::Method::PATCH, &url)` (or
/// `request_to_path`).
struct RequestStart<'a> {
    url: &'a UrlStatement,
    found: bool,
}

impl VisitMut for RequestStart<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && let Some(verb) = VERBS.iter().find(|verb| call.method == **verb)
            && let Some(client) = self.client_of(call)
        {
            let variable = &self.url.variable;
            let method = syn::Ident::new(&verb.to_ascii_uppercase(), call.method.span());
            let function = ident(self.url.function);
            *expr = syn::parse_quote! {
                #client.#function(::reqwest::Method::#method, &#variable)
            };
            self.found = true;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

impl RequestStart<'_> {
    /// `<client>` when `call` is `<client>.client.<verb>(<url variable>)`.
    fn client_of(&self, call: &syn::ExprMethodCall) -> Option<syn::Expr> {
        let syn::Expr::Field(receiver) = call.receiver.as_ref() else {
            return None;
        };
        let on_client = matches!(&receiver.member, syn::Member::Named(name) if name == "client")
            && receiver.base.to_token_stream().to_string() == self.url.client.to_string();
        let with_url = call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(path) if path.path.is_ident(&self.url.variable));
        (on_client && with_url).then(|| (*receiver.base).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// progenitor's output for one operation whose path is `template`
    /// (its parameters `thing_id`, a UUID, and `name`, a string).
    fn progenitor_like(template: &str, parameters: TokenStream) -> syn::File {
        syn::parse_quote! {
            #[derive(Clone, Debug)]
            pub struct Client {
                pub(crate) baseurl: String,
                pub(crate) client: reqwest::Client,
            }
            impl Client {
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self {
                    Self {
                        baseurl: baseurl.to_string(),
                        client,
                    }
                }
            }
            pub mod builder {
                pub struct UpdateThing<'a> {
                    client: &'a super::Client,
                    thing_id: Result<::uuid::Uuid, String>,
                    name: Result<String, String>,
                }
                impl<'a> UpdateThing<'a> {
                    async fn send(self) -> Result<(), Error<()>> {
                        let Self { client, thing_id, name } = self;
                        let url = format!(#template, client.baseurl, #parameters);
                        let mut request = client.client.patch(url).json(&body).build()?;
                        todo!()
                    }
                }
            }
        }
    }

    fn rewritten(template: &str, parameters: TokenStream) -> String {
        let mut file = progenitor_like(template, parameters);
        rewrite(&mut file);
        syntax::compact(&file)
    }

    #[test]
    fn fixed_segments_and_uuids_are_appended_as_segments() {
        let compact = rewritten(
            "{}/things/{}/v1.2_x~y",
            quote!(encode_path(&thing_id.to_string()),),
        );
        for expected in [
            "leturl=[super::PathSegment::Fixed(\"things\"),super::PathSegment::Uuid(thing_id),super::PathSegment::Fixed(\"v1.2_x~y\")];",
            "client.request_to_segments(::reqwest::Method::PATCH,&url).json(&body)",
            "pub(crate)parsed_baseurl:::std::option::Option<ParsedBaseUrl>",
            "parsed_baseurl:ParsedBaseUrl::parse(baseurl)",
            "pub(crate)structParsedBaseUrl{",
            "pub(crate)enumPathSegment{",
            "pub(crate)fnrequest_to_segments(",
            "pub(crate)fnrequest_to_path(",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{compact}");
        }
        assert!(!compact.contains("client.baseurl"), "{compact}");
    }

    #[test]
    fn other_paths_are_formatted_and_parsed_as_a_path() {
        let compact = rewritten(
            "{}/things/{}/names/{}",
            quote!(
                encode_path(&thing_id.to_string()),
                encode_path(&name.to_string()),
            ),
        );
        for expected in [
            "leturl=format!(\"/things/{}/names/{}\",thing_id,encode_path(&name.to_string()),);",
            "client.request_to_path(::reqwest::Method::PATCH,&url).json(&body)",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{compact}");
        }
        // No operation uses segments: their helpers are not written.
        assert!(!compact.contains("PathSegment"), "{compact}");
        for unsafe_fixed_text in ["{}/things/..", "{}/things/a:b", "{}/things//x"] {
            let compact = rewritten(unsafe_fixed_text, quote!());
            assert!(
                compact.contains("request_to_path"),
                "{unsafe_fixed_text}: {compact}"
            );
        }
    }

    #[test]
    fn a_path_that_could_parse_differently_keeps_the_whole_url() {
        let compact = rewritten(
            "{}/things/{}?name={}",
            quote!(
                encode_path(&thing_id.to_string()),
                encode_path(&name.to_string()),
            ),
        );
        assert!(compact.contains("client.baseurl"), "{compact}");
        assert!(!compact.contains("parsed_baseurl"), "{compact}");
    }

    #[test]
    fn without_progenitors_client_nothing_changes() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let url = format!("{}/things", client.baseurl);
                client.client.get(url);
            }
        };
        let before = syntax::compact(&file);
        rewrite(&mut file);
        assert_eq!(syntax::compact(&file), before);
    }
}
