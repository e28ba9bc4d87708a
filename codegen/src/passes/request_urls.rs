//! Request URLs from a base URL parsed once.
//!
//! progenitor writes each request's URL as a string,
//! `format!("{}/packs/{}", client.baseurl, encode_path(..))`, which reqwest
//! then parses whole on every call: scheme, host (IDNA included) and path,
//! about a fifth of the instructions of a whole request in the client's
//! overhead bench. This pass parses the base URL once, when the `Client` is
//! made, and has each operation parse only its own path onto a copy of it
//! (`Client::request_builder`). The URL is the same: the path parameters
//! are percent-encoded as before, and a base URL for which appending could
//! differ from parsing the joined string is not reused (the request's URL
//! is then parsed whole, as progenitor does).

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

/// The field of `Client` holding the parsed base URL.
const PARSED_FIELD: &str = "parsed_baseurl";
/// The associated function of `Client` that parses it.
const PARSE_FN: &str = "parse_baseurl";
/// The method of `Client` that starts a request to a path.
const REQUEST_FN: &str = "request_builder";

/// The HTTP verbs progenitor calls on the `reqwest::Client`.
const VERBS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// Makes every operation build its URL from the parsed base URL.
pub(crate) fn rewrite(file: &mut syn::File) {
    // Without the `Client` progenitor writes, the operations stay as they are.
    let Some(client) = ClientParts::find(file) else {
        return;
    };
    let mut operations = Operations { rewritten: 0 };
    operations.visit_file_mut(file);
    if operations.rewritten > 0 {
        client.add_parsed_base(file);
    }
}

/// Where progenitor's `Client` is: the struct (with its `baseurl` field)
/// and the `impl` whose `new_with_client` ends with `Self { .. }`.
struct ClientParts {
    structure: usize,
    constructor: (usize, usize),
}

impl ClientParts {
    fn find(file: &syn::File) -> Option<ClientParts> {
        let structure = file.items.iter().position(|item| {
            matches!(item, syn::Item::Struct(structure) if structure.ident == "Client"
                && structure.fields.iter().any(|field| field.ident.as_ref().is_some_and(|i| i == "baseurl")))
        })?;
        let constructor = file.items.iter().enumerate().find_map(|(index, item)| {
            let syn::Item::Impl(block) = item else {
                return None;
            };
            if block.trait_.is_some() || !is_client(&block.self_ty) {
                return None;
            }
            let function = block.items.iter().position(|item| {
                matches!(item, syn::ImplItem::Fn(function)
                    if function.sig.ident == "new_with_client"
                        && matches!(function.block.stmts.last(), Some(syn::Stmt::Expr(syn::Expr::Struct(_), None))))
            })?;
            Some((index, function))
        })?;
        Some(ClientParts {
            structure,
            constructor,
        })
    }

    /// Adds the parsed base URL to `Client`: the field, its value in the
    /// constructor, and the functions that parse it and use it.
    fn add_parsed_base(&self, file: &mut syn::File) {
        let field = syn::Ident::new(PARSED_FIELD, Span::call_site());
        let parse = syn::Ident::new(PARSE_FN, Span::call_site());
        let request = syn::Ident::new(REQUEST_FN, Span::call_site());
        if let syn::Item::Struct(structure) = &mut file.items[self.structure]
            && let syn::Fields::Named(fields) = &mut structure.fields
        {
            fields.named.push(syn::parse_quote! {
                /// `baseurl`, parsed once (see `Client::request_builder`).
                pub(crate) #field: ::std::option::Option<::reqwest::Url>
            });
        }
        let (block, function) = self.constructor;
        if let syn::Item::Impl(block) = &mut file.items[block]
            && let syn::ImplItem::Fn(function) = &mut block.items[function]
            && let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) =
                function.block.stmts.last_mut()
        {
            value
                .fields
                .push(syn::parse_quote!(#field: Self::#parse(baseurl)));
        }
        file.items.push(syn::parse_quote! {
            impl Client {
                /// `baseurl` parsed, or `None` when each request's URL must be
                /// parsed whole: it does not parse, is not `http(s)`, has a
                /// query or a fragment, or is not written the way `Url` writes
                /// it (`http://host` lacks the `/` of the root path). A base URL
                /// written that way, followed by a path, parses to the base URL
                /// with its path followed by that path, parsed.
                fn #parse(baseurl: &str) -> ::std::option::Option<::reqwest::Url> {
                    let parsed = ::reqwest::Url::parse(baseurl).ok()?;
                    let reusable = parsed.as_str() == baseurl
                        && matches!(parsed.scheme(), "http" | "https")
                        && parsed.query().is_none()
                        && parsed.fragment().is_none();
                    reusable.then_some(parsed)
                }

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
                            let mut full_path = ::std::string::String::with_capacity(
                                base.path().len() + path.len(),
                            );
                            full_path.push_str(base.path());
                            full_path.push_str(path);
                            let mut url = base.clone();
                            url.set_path(&full_path);
                            self.client.request(method, url)
                        }
                        ::std::option::Option::None => {
                            self.client.request(method, format!("{}{}", self.baseurl, path))
                        }
                    }
                }
            }
        });
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

/// Rewrites each operation's URL statement and the request it starts;
/// an operation where either is not found as expected keeps progenitor's
/// code.
struct Operations {
    rewritten: usize,
}

impl VisitMut for Operations {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        for index in 0..block.stmts.len() {
            let Some((url, path_only)) = url_statement(&block.stmts[index]) else {
                continue;
            };
            let mut start = RequestStart { url, found: false };
            for later in &mut block.stmts[index + 1..] {
                start.visit_stmt_mut(later);
            }
            if start.found {
                if let syn::Stmt::Local(local) = &mut block.stmts[index]
                    && let Some(init) = &mut local.init
                {
                    *init.expr = path_only;
                }
                self.rewritten += 1;
            }
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// A URL statement's variable and client.
struct UrlVariable {
    /// The variable (`url`, or another name when a parameter is `url`).
    variable: syn::Ident,
    /// The client expression progenitor read `.baseurl` from.
    client: TokenStream,
}

/// For `let url = format!("{}/p/{}", client.baseurl, a)`: the variable and
/// the client, and `format!("/p/{}", a)`. Only when the path's fixed text
/// parses the same way whether it follows a full URL or is set as a path
/// (no `?`, `#`, space or control character: `Url::set_path` encodes them).
fn url_statement(stmt: &syn::Stmt) -> Option<(UrlVariable, syn::Expr)> {
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
    let path = syn::LitStr::new(&path, template.span());
    let path_only = syn::parse_quote!(format!(#path, #(#parameters,)*));
    let url = UrlVariable {
        variable: pattern.ident.clone(),
        client: base.base.to_token_stream(),
    };
    Some((url, path_only))
}

/// Finds `client.client.patch(url)` and makes it
/// `client.request_builder(::reqwest::Method::PATCH, &url)`.
struct RequestStart {
    url: UrlVariable,
    found: bool,
}

impl VisitMut for RequestStart {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && let Some(verb) = VERBS.iter().find(|verb| call.method == **verb)
            && let Some(client) = self.client_of(call)
        {
            let variable = &self.url.variable;
            let method = syn::Ident::new(&verb.to_ascii_uppercase(), call.method.span());
            let request = syn::Ident::new(REQUEST_FN, call.method.span());
            *expr = syn::parse_quote! {
                #client.#request(::reqwest::Method::#method, &#variable)
            };
            self.found = true;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

impl RequestStart {
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
    use crate::passes::syntax;

    fn progenitor_like() -> syn::File {
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
                impl<'a> UpdateThing<'a> {
                    async fn send(self) -> Result<(), Error<()>> {
                        let Self { client, thing_id } = self;
                        let url = format!("{}/things/{}", client.baseurl, encode_path(&thing_id.to_string()),);
                        let mut request = client.client.patch(url).json(&body).build()?;
                        todo!()
                    }
                }
            }
        }
    }

    #[test]
    fn operations_parse_only_their_path() {
        let mut file = progenitor_like();
        rewrite(&mut file);
        let compact = syntax::compact(&file);
        for expected in [
            "leturl=format!(\"/things/{}\",encode_path(&thing_id.to_string()),);",
            "client.request_builder(::reqwest::Method::PATCH,&url).json(&body)",
            "pub(crate)parsed_baseurl:::std::option::Option<::reqwest::Url>",
            "parsed_baseurl:Self::parse_baseurl(baseurl)",
            "fnparse_baseurl(baseurl:&str)",
            "pub(crate)fnrequest_builder(&self,method:::reqwest::Method,path:&str,)",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{compact}");
        }
        assert!(!compact.contains("client.baseurl"), "{compact}");
    }

    #[test]
    fn a_path_that_could_parse_differently_keeps_the_whole_url() {
        let mut file = progenitor_like();
        let source = file.to_token_stream().to_string();
        let odd = source.replace("\"{}/things/{}\"", "\"{}/things?x={}\"");
        file = syn::parse_str(&odd).unwrap();
        rewrite(&mut file);
        let compact = syntax::compact(&file);
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
