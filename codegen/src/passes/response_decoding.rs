//! Replies decode without copying their headers.
//!
//! progenitor's `ResponseValue::from_response` copies the reply's headers
//! into the `ResponseValue` and then reads the body, which drops the reply
//! and its own headers: a header map built and freed for nothing on every
//! call (BENCHMARKS.md, section 1). This pass has the generated code call
//! `decode_response`, the same function with the headers moved out of the
//! reply instead: same status, headers, body and errors.

use syn::visit_mut::{self, VisitMut};

/// The function the operations call instead.
const DECODE_FN: &str = "decode_response";

/// Makes every operation decode its reply with `decode_response`; a body
/// that does not decode becomes `payload_error(status, headers, body,
/// error)` when given, else progenitor's `InvalidResponsePayload`.
pub(crate) fn rewrite(file: &mut syn::File, payload_error: Option<&syn::Path>) {
    let mut calls = FromResponse {
        depth: 0,
        rewritten: 0,
    };
    calls.visit_file_mut(file);
    if calls.rewritten > 0 {
        file.items.push(decode_function(payload_error));
    }
}

/// `decode_response`, at the top of the generated file.
fn decode_function(payload_error: Option<&syn::Path>) -> syn::Item {
    let decode = syn::Ident::new(DECODE_FN, proc_macro2::Span::call_site());
    let undecodable = match payload_error {
        Some(path) => quote::quote!(#path(status, headers, full, e)),
        None => quote::quote!(Error::InvalidResponsePayload(full, e)),
    };
    syn::parse_quote! {
        /// `ResponseValue::from_response` with the headers moved out of
        /// `response` rather than copied: the status, the headers and the
        /// body decoded as JSON, or the same errors (a body that does not
        /// decode may keep the status and headers too).
        async fn #decode<T, E>(
            mut response: ::reqwest::Response,
        ) -> ::std::result::Result<ResponseValue<T>, Error<E>>
        where
            T: ::serde::de::DeserializeOwned,
        {
            let status = response.status();
            // Reading the body uses no header: how to decode it was
            // settled when the reply arrived.
            let headers = ::std::mem::take(response.headers_mut());
            let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
            match ::serde_json::from_slice(&full) {
                ::std::result::Result::Ok(inner) => {
                    ::std::result::Result::Ok(ResponseValue::new(inner, status, headers))
                }
                ::std::result::Result::Err(e) => ::std::result::Result::Err(#undecodable),
            }
        }
    }
}

/// Replaces `ResponseValue::from_response(x)` with `decode_response(x)`,
/// named from the module the call is in.
struct FromResponse {
    /// How many modules deep the visit is (`builder` is one).
    depth: usize,
    rewritten: usize,
}

impl VisitMut for FromResponse {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, module);
        self.depth -= 1;
    }

    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, call);
        let from_response = matches!(call.func.as_ref(), syn::Expr::Path(path)
            if path.qself.is_none()
                && path.path.segments.len() == 2
                && path.path.segments[0].ident == "ResponseValue"
                && path.path.segments[1].ident == "from_response"
                && path.path.segments.iter().all(|s| s.arguments.is_none()));
        if from_response {
            let prefix: proc_macro2::TokenStream =
                (0..self.depth).map(|_| quote::quote!(super::)).collect();
            let decode = syn::Ident::new(DECODE_FN, proc_macro2::Span::call_site());
            *call.func = syn::parse_quote!(#prefix #decode);
            self.rewritten += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::syntax;

    #[test]
    fn replies_decode_with_the_function_that_moves_the_headers() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                async fn send() -> Result<ResponseValue<types::Thing>, Error<types::Envelope>> {
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        };
        rewrite(&mut file, None);
        let compact = syntax::compact(&file);
        assert!(
            compact.contains(
                "Err(e)=>::std::result::Result::Err(Error::InvalidResponsePayload(full,e))"
            ),
            "{compact}"
        );
        assert!(
            !compact.contains("ResponseValue::from_response("),
            "{compact}"
        );
        assert_eq!(
            compact
                .matches("super::decode_response(response).await")
                .count(),
            2,
            "{compact}"
        );
        assert!(
            compact.contains("asyncfndecode_response<T,E>(mutresponse:::reqwest::Response,)"),
            "{compact}"
        );
    }

    #[test]
    fn without_a_call_nothing_is_added() {
        let mut file: syn::File = syn::parse_quote! {
            fn other() {}
        };
        rewrite(&mut file, None);
        assert_eq!(syntax::compact(&file), "fnother(){}");
    }

    #[test]
    fn an_undecodable_body_goes_to_the_payload_error_when_given() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() -> Result<ResponseValue<T>, Error<E>> {
                ResponseValue::from_response(response).await
            }
        };
        rewrite(
            &mut file,
            Some(&syn::parse_quote!(crate::reply::invalid_payload)),
        );
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("Err(e)=>::std::result::Result::Err(crate::reply::invalid_payload(status,headers,full,e))"),
            "{compact}"
        );
        assert!(!compact.contains("InvalidResponsePayload"), "{compact}");
    }
}
