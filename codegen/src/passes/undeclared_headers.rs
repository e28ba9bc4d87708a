//! Requests carry only the headers the spec declares.
//!
//! progenitor sends the document's `info.version` as an `api-version`
//! header with every request, whether or not the API has such a header
//! (the Partner API does not). This pass removes it where progenitor adds
//! it, and with it the request's header map when nothing else goes in it,
//! so no request builds a map only to send nothing from it.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// The header progenitor adds to every request.
const API_VERSION: &str = "api-version";

/// progenitor's name for each request's extra headers.
const HEADER_MAP: &str = "header_map";

/// Removes progenitor's `api-version` header from every request.
pub(crate) fn remove(file: &mut syn::File) {
    ApiVersion.visit_file_mut(file);
}

struct ApiVersion;

impl VisitMut for ApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        if block.stmts.len() < before && header_map_is_unused(block) {
            block.stmts.retain(|stmt| !declares_header_map(stmt));
            HeadersCall.visit_block_mut(block);
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), ..);`
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    call.method == "append"
        && is_header_map(&call.receiver)
        && call.args.first().is_some_and(|name| {
            name.to_token_stream()
                .to_string()
                .contains(&format!("\"{API_VERSION}\""))
        })
}

fn is_header_map(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Path(path) if path.path.is_ident(HEADER_MAP))
}

/// `let mut header_map = ..;`
fn declares_header_map(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Local(local)
        if matches!(&local.pat, syn::Pat::Ident(pattern) if pattern.ident == HEADER_MAP))
}

/// Whether the header map is only declared and handed to `.headers(..)`:
/// no header parameter appends to it.
fn header_map_is_unused(block: &syn::Block) -> bool {
    let mentions: usize = block
        .stmts
        .iter()
        .map(|stmt| {
            stmt.to_token_stream()
                .into_iter()
                .flat_map(flatten)
                .filter(
                    |token| matches!(token, proc_macro2::TokenTree::Ident(i) if i == HEADER_MAP),
                )
                .count()
        })
        .sum();
    let declared = block.stmts.iter().any(declares_header_map);
    declared && mentions == 2
}

/// Every token of `tree`, groups opened.
fn flatten(tree: proc_macro2::TokenTree) -> Vec<proc_macro2::TokenTree> {
    match tree {
        proc_macro2::TokenTree::Group(group) => {
            group.stream().into_iter().flat_map(flatten).collect()
        }
        other => vec![other],
    }
}

/// Removes `.headers(header_map)` from the request's builder chain.
struct HeadersCall;

impl VisitMut for HeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && is_header_map(&call.args[0])
        {
            *expr = (*call.receiver).clone();
            self.visit_expr_mut(expr);
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::syntax;

    #[test]
    fn the_header_and_an_empty_header_map_go() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                let url = format!("{}/things", client.baseurl);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                let mut request = client.client.patch(url).json(&body).headers(header_map).build()?;
            }
        };
        remove(&mut file);
        let compact = syntax::compact(&file);
        assert!(!compact.contains("api-version"), "{compact}");
        assert!(!compact.contains("header_map"), "{compact}");
        assert!(
            compact.contains("client.client.patch(url).json(&body).build()?"),
            "{compact}"
        );
    }

    #[test]
    fn a_map_with_declared_headers_stays() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("x-request-id", request_id.to_string().try_into()?);
                let mut request = client.client.patch(url).headers(header_map).build()?;
            }
        };
        remove(&mut file);
        let compact = syntax::compact(&file);
        assert!(!compact.contains("api-version"), "{compact}");
        assert!(
            compact.contains("header_map.append(\"x-request-id\""),
            "{compact}"
        );
        assert!(compact.contains(".headers(header_map)"), "{compact}");
    }
}
