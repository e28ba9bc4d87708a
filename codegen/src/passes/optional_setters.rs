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

/// Rewrites the setters of optional fields in typify's `types::builder`.
pub(crate) fn rewrite(file: &mut syn::File) {
    OptionalSetters::default().visit_file_mut(file);
}

#[derive(Default)]
struct OptionalSetters {
    modules: Vec<String>,
}

impl VisitMut for OptionalSetters {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.modules.push(module.ident.to_string());
        visit_mut::visit_item_mod_mut(self, module);
        self.modules.pop();
    }

    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        let in_type_builders = self.modules.ends_with(&["types".into(), "builder".into()]);
        if in_type_builders && unwrap_option_bound(&mut function.sig) {
            StoreSome.visit_block_mut(&mut function.block);
        }
    }
}

/// Turns `T: TryInto<Option<X>>` into `T: TryInto<X>`; whether it did.
fn unwrap_option_bound(signature: &mut syn::Signature) -> bool {
    let Some(where_clause) = signature.generics.where_clause.as_mut() else {
        return false;
    };
    for predicate in &mut where_clause.predicates {
        let syn::WherePredicate::Type(predicate) = predicate else {
            continue;
        };
        for bound in &mut predicate.bounds {
            let syn::TypeParamBound::Trait(bound) = bound else {
                continue;
            };
            let Some(last) = bound.path.segments.last_mut() else {
                continue;
            };
            if last.ident != "TryInto" {
                continue;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments else {
                continue;
            };
            for argument in &mut arguments.args {
                if let syn::GenericArgument::Type(target) = argument
                    && let Some(inner) = option_argument(target)
                {
                    *target = inner;
                    return true;
                }
            }
        }
    }
    false
}

/// `X` of a type written `Option<X>` (with any path prefix).
fn option_argument(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner.clone()),
        _ => None,
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
    use quote::ToTokens;

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
        let compact: String = file
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect();
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
