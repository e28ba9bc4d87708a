//! `send()` returns the client crate's error type.
//!
//! progenitor's `send()` returns `progenitor_client::Error<E>`; the client
//! crate's one error type (which keeps the status, the `ErrorCode`, the
//! cause) is what callers match on, so without this pass every call needs
//! `.map_err(ApiError::from)` before matching. progenitor's method stays,
//! private and renamed, and `send()` converts its error with `From`.
//!
//! The renamed method is generic over the reply body's type, so that beside
//! `send()` (the typed reply) there is `send_json()`: the same request, the
//! same errors, and the reply's body as the `serde_json::Value` the server
//! sent (fields the spec does not list, `null`s and numbers as written), for
//! tools that print or forward it, such as the `genviral` CLI.

use syn::visit_mut::{self, VisitMut};

use super::syntax;

/// The name progenitor's `send` keeps, private.
const PROGENITOR_SEND: &str = "send_with_progenitor_error";

/// Makes every operation builder's `send()` return `error_type`.
pub(crate) fn rewrite(file: &mut syn::File, error_type: &syn::Path) {
    SendError { error_type }.visit_file_mut(file);
}

struct SendError<'a> {
    error_type: &'a syn::Path,
}

impl VisitMut for SendError<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        if block.trait_.is_none() {
            let mut added = Vec::new();
            for item in &mut block.items {
                if let syn::ImplItem::Fn(function) = item {
                    added.extend(self.wrap(function).into_iter().map(syn::ImplItem::Fn));
                }
            }
            block.items.extend(added);
        }
        visit_mut::visit_item_impl_mut(self, block);
    }
}

impl SendError<'_> {
    /// For progenitor's `async fn send(self) -> Result<ResponseValue<T>,
    /// Error<E>>`: renames it, makes it generic over `T`, and returns the
    /// public `send` (typed) and `send_json` that convert its error.
    fn wrap(&self, function: &mut syn::ImplItemFn) -> Vec<syn::ImplItemFn> {
        if function.sig.ident != "send" || function.sig.asyncness.is_none() {
            return Vec::new();
        }
        let Some(success) = result_ok_type(&function.sig.output) else {
            return Vec::new();
        };
        let Some(reply) = syntax::first_argument(&success, "ResponseValue").cloned() else {
            return Vec::new();
        };
        let doc = function
            .attrs
            .iter()
            .find(|attr| attr.path().is_ident("doc"))
            .cloned();
        let span = function.sig.ident.span();
        function.sig.ident = syn::Ident::new(PROGENITOR_SEND, span);
        function.vis = syn::Visibility::Inherited;
        function.attrs.retain(|attr| !attr.path().is_ident("doc"));
        make_reply_generic(&mut function.sig);
        let error_type = self.error_type;
        let inner = syn::Ident::new(PROGENITOR_SEND, span);
        vec![
            syn::parse_quote! {
                #doc
                ///
                /// Every failure, from a value refused before sending to an
                /// error status, is one error type.
                pub async fn send(self) -> ::std::result::Result<#success, #error_type> {
                    self.#inner::<#reply>().await.map_err(::std::convert::From::from)
                }
            },
            syn::parse_quote! {
                /// Sends the request as [`send`](Self::send) does, with the same
                /// errors, and returns the reply's body as the JSON the server
                /// sent instead of the typed reply: fields the spec does not
                /// list, `null`s and numbers as written. For tools that print
                /// or forward the reply.
                pub async fn send_json(
                    self,
                ) -> ::std::result::Result<ResponseValue<::serde_json::Value>, #error_type> {
                    self.#inner::<::serde_json::Value>()
                        .await
                        .map_err(::std::convert::From::from)
                }
            },
        ]
    }
}

/// The name of the reply body's type parameter.
const REPLY: &str = "Reply";

/// `fn f(self) -> Result<ResponseValue<T>, E>` becomes `fn f<Reply:
/// DeserializeOwned>(self) -> Result<ResponseValue<Reply>, E>`.
fn make_reply_generic(signature: &mut syn::Signature) {
    let reply = syn::Ident::new(REPLY, signature.ident.span());
    signature
        .generics
        .params
        .push(syn::parse_quote!(#reply: ::serde::de::DeserializeOwned));
    if let syn::ReturnType::Type(_, ty) = &mut signature.output
        && let Some(success) = syntax::first_argument_mut(ty, "Result")
        && let Some(body) = syntax::first_argument_mut(success, "ResponseValue")
    {
        *body = syn::parse_quote!(#reply);
    }
}

/// `T` of a return type written `Result<T, _>`.
fn result_ok_type(output: &syn::ReturnType) -> Option<syn::Type> {
    match output {
        syn::ReturnType::Type(_, ty) => syntax::first_argument(ty, "Result").cloned(),
        syn::ReturnType::Default => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_converts_the_error_and_the_original_stays_private() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> UpdateThing<'a> {
                    ///Sends a `PATCH` request to `/things/{thingId}`
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Envelope>> {
                        todo!()
                    }
                }
            }
        };
        rewrite(&mut file, &syn::parse_quote!(crate::ApiError));
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("asyncfnsend_with_progenitor_error<Reply:::serde::de::DeserializeOwned>(self)->Result<ResponseValue<Reply>,Error<types::Envelope>>"),
            "{compact}"
        );
        assert!(
            compact.contains("pubasyncfnsend_json(self,)->::std::result::Result<ResponseValue<::serde_json::Value>,crate::ApiError>{self.send_with_progenitor_error::<::serde_json::Value>()"),
            "{compact}"
        );
        assert!(
            !compact.contains("pubasyncfnsend_with_progenitor_error"),
            "{compact}"
        );
        assert!(
            compact.contains("pubasyncfnsend(self)->::std::result::Result<ResponseValue<types::Thing>,crate::ApiError>{self.send_with_progenitor_error::<types::Thing>().await.map_err(::std::convert::From::from)}"),
            "{compact}"
        );
        assert!(compact.contains("Sendsa`PATCH`request"), "{compact}");
    }
}
