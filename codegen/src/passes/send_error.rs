//! `send()` returns the client crate's error type.
//!
//! progenitor's `send()` returns `progenitor_client::Error<E>`; the client
//! crate's one error type (which keeps the status, the `ErrorCode`, the
//! cause) is what callers match on, so without this pass every call needs
//! `.map_err(ApiError::from)` before matching. progenitor's method stays,
//! private and renamed, and `send()` converts its error with `From`.

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
                if let syn::ImplItem::Fn(function) = item
                    && let Some(wrapper) = self.wrap(function)
                {
                    added.push(syn::ImplItem::Fn(wrapper));
                }
            }
            block.items.extend(added);
        }
        visit_mut::visit_item_impl_mut(self, block);
    }
}

impl SendError<'_> {
    /// For progenitor's `async fn send(self) -> Result<T, Error<E>>`: renames
    /// it and returns the public `send` that converts its error.
    fn wrap(&self, function: &mut syn::ImplItemFn) -> Option<syn::ImplItemFn> {
        if function.sig.ident != "send" || function.sig.asyncness.is_none() {
            return None;
        }
        let success = result_ok_type(&function.sig.output)?;
        let doc = function
            .attrs
            .iter()
            .find(|attr| attr.path().is_ident("doc"))
            .cloned();
        function.sig.ident = syn::Ident::new(PROGENITOR_SEND, function.sig.ident.span());
        function.vis = syn::Visibility::Inherited;
        function.attrs.retain(|attr| !attr.path().is_ident("doc"));
        let error_type = self.error_type;
        let inner = syn::Ident::new(PROGENITOR_SEND, function.sig.ident.span());
        Some(syn::parse_quote! {
            #doc
            ///
            /// Every failure, from a value refused before sending to an
            /// error status, is one error type.
            pub async fn send(self) -> ::std::result::Result<#success, #error_type> {
                self.#inner().await.map_err(::std::convert::From::from)
            }
        })
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
            compact.contains("asyncfnsend_with_progenitor_error(self)->Result<ResponseValue<types::Thing>,Error<types::Envelope>>"),
            "{compact}"
        );
        assert!(
            !compact.contains("pubasyncfnsend_with_progenitor_error"),
            "{compact}"
        );
        assert!(
            compact.contains("pubasyncfnsend(self)->::std::result::Result<ResponseValue<types::Thing>,crate::ApiError>{self.send_with_progenitor_error().await.map_err(::std::convert::From::from)}"),
            "{compact}"
        );
        assert!(compact.contains("Sendsa`PATCH`request"), "{compact}");
    }
}
