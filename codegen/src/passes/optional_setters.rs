//! Setters of optional fields take the value, not an `Option`.
//!
//! typify's builder setter for an optional field `f: Option<X>` takes any
//! `T: TryInto<Option<X>>`, so `.title("x")` (a `&str` is not an
//! `Option<String>`), `.name("x")` (a constrained string) and
//! `.settings(nested_builder)` do not compile. Leaving a field out is what
//! `None` meant (builders start empty), so the setter can take `T:
//! TryInto<X>` and store `Some`: every value that converts into `X` (a
//! `&str`, a nested builder, a `Uuid` for a `Nullable<Uuid>`) is accepted
//! directly, still checked by `X`'s own conversion.

use syn::visit_mut::{self, VisitMut};

use super::syntax;

/// Rewrites the setters of optional fields in typify's `types::builder`.
pub(crate) fn rewrite(file: &mut syn::File) {
    let Some(builders) = syntax::type_builders_mut(file) else {
        return;
    };
    for (_, block) in syntax::inherent_impls_mut(builders) {
        for item in &mut block.items {
            if let syn::ImplItem::Fn(setter) = item
                && unwrap_option_bound(&mut setter.sig)
            {
                StoreSome.visit_block_mut(&mut setter.block);
            }
        }
    }
}

/// Turns `T: TryInto<Option<X>>` into `T: TryInto<X>`; whether it did.
fn unwrap_option_bound(signature: &mut syn::Signature) -> bool {
    let Some(target) = syntax::try_into_target_mut(signature) else {
        return false;
    };
    match syntax::first_argument(target, "Option").cloned() {
        Some(inner) => {
            *target = inner;
            true
        }
        None => false,
    }
}

/// `value.try_into()` → `value.try_into().map(Some)` in a setter body.
struct StoreSome;

impl VisitMut for StoreSome {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "try_into"
            && matches!(&*call.receiver, syn::Expr::Path(path) if path.path.is_ident("value"))
        {
            *expr = syn::parse_quote!(#call.map(::std::option::Option::Some));
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_optional_setters_of_type_builders_change() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Patch {
                        pub fn title<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.title = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                        pub fn id<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::uuid::Uuid>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.id = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                    }
                }
            }
            pub mod builder {
                impl Op {
                    pub fn x<T>(self, value: T) -> Self
                    where T: ::std::convert::TryInto<::std::option::Option<u8>>
                    { self.x = value.try_into(); self }
                }
            }
        };
        rewrite(&mut file);
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("T:::std::convert::TryInto<::std::string::String>"),
            "{compact}"
        );
        assert!(
            compact.contains("value.try_into().map(::std::option::Option::Some).map_err"),
            "{compact}"
        );
        assert!(
            compact.contains("T:::std::convert::TryInto<::uuid::Uuid>"),
            "{compact}"
        );
        assert!(
            compact.contains("self.id=value.try_into().map_err"),
            "{compact}"
        );
        assert!(
            compact.contains("T:::std::convert::TryInto<::std::option::Option<u8>>"),
            "operation builders are not typify's: {compact}"
        );
    }
}
