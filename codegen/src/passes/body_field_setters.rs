//! Operation builders set body fields directly.
//!
//! progenitor's operation builder takes the whole body (`.body(…)` or
//! `.body_map(|b| …)`), so even a one-field PATCH names the body's builder
//! type. This pass gives each operation builder one setter per body field,
//! forwarding to the body builder's setter with the same bounds:
//! `client.update_slideshow().slideshow_id(id).title("New").send()`. A field
//! whose name is already a method of the operation builder (a path
//! parameter, `body`, `send`, …) keeps only the `.body_map` route.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::{self, VisitMut};

use super::syntax;

/// Adds body-field setters to the operation builders of `file`.
pub(crate) fn add(file: &mut syn::File) {
    let setters = body_builder_setters(file);
    let Some(operations) = syntax::operation_builders_mut(file) else {
        return;
    };
    let bodies = body_types(operations);
    for (name, block) in syntax::inherent_impls_mut(operations) {
        let Some(body) = bodies.get(&name) else {
            continue;
        };
        let taken: BTreeSet<String> = block
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for setter in setters.get(body).into_iter().flatten() {
            if !taken.contains(&setter.sig.ident.to_string()) {
                block
                    .items
                    .push(syn::ImplItem::Fn(forwarding(body, setter)));
            }
        }
    }
}

/// The public setters of each typify builder in `types::builder`, by type.
fn body_builder_setters(file: &syn::File) -> BTreeMap<String, Vec<syn::ImplItemFn>> {
    let mut setters: BTreeMap<String, Vec<syn::ImplItemFn>> = BTreeMap::new();
    for item in syntax::type_builders(file) {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(name) = syntax::last_ident(&block.self_ty).filter(|_| block.trait_.is_none())
        else {
            continue;
        };
        for item in &block.items {
            if let syn::ImplItem::Fn(function) = item
                && matches!(function.vis, syn::Visibility::Public(_))
            {
                setters
                    .entry(name.clone())
                    .or_default()
                    .push(function.clone());
            }
        }
    }
    setters
}

/// Operation builder name → the typify builder its `body` field holds
/// (`body: Result<types::builder::X, String>`).
fn body_types(operations: &[syn::Item]) -> BTreeMap<String, String> {
    let mut bodies = BTreeMap::new();
    for item in operations {
        let syn::Item::Struct(structure) = item else {
            continue;
        };
        let body = structure
            .fields
            .iter()
            .find(|field| field.ident.as_ref().is_some_and(|ident| ident == "body"))
            .and_then(|field| syntax::first_argument(&field.ty, "Result"))
            .and_then(syntax::last_ident);
        if let Some(body) = body {
            bodies.insert(structure.ident.to_string(), body);
        }
    }
    bodies
}

/// `pub fn f<T>(mut self, value: T) -> Self where … { self.body = self.body.map(|body| body.f(value)); self }`
fn forwarding(body: &str, setter: &syn::ImplItemFn) -> syn::ImplItemFn {
    let mut signature = setter.sig.clone();
    // typify's bounds name body types relative to `types::builder`
    // (`super::X`); here `types` is in scope.
    SuperToTypes.visit_signature_mut(&mut signature);
    // A setter takes `self` and one argument; forward that argument.
    signature.inputs.iter_mut().for_each(|input| {
        if let syn::FnArg::Receiver(receiver) = input {
            receiver.mutability = Some(Default::default());
        }
    });
    let argument = signature.inputs.iter().find_map(|input| match input {
        syn::FnArg::Typed(typed) => Some(typed.pat.clone()),
        syn::FnArg::Receiver(_) => None,
    });
    let name = &signature.ident;
    let field = name.to_string();
    let field = field.strip_suffix("_with").unwrap_or(&field);
    let doc = format!("Sets the body's `{field}` ([`types::{body}::{field}`]).");
    syn::parse_quote! {
        #[doc = #doc]
        pub #signature {
            self.body = self.body.map(|body| body.#name(#argument));
            self
        }
    }
}

struct SuperToTypes;

impl VisitMut for SuperToTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first_mut()
            && first.ident == "super"
        {
            first.ident = syn::Ident::new("types", first.ident.span());
        }
        visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_fields_become_operation_setters_unless_the_name_is_taken() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct Patch { title: Result<Option<String>, String> }
                    impl Patch {
                        pub fn title<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<super::Title>, T::Error: ::std::fmt::Display
                        { self }
                        pub fn thing_id<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<u8>
                        { self }
                    }
                    impl ::std::default::Default for Patch { fn default() -> Self { todo!() } }
                }
            }
            pub mod builder {
                use super::types;
                pub struct UpdateThing<'a> {
                    client: &'a super::Client,
                    thing_id: Result<u8, String>,
                    body: Result<types::builder::Patch, String>,
                }
                impl<'a> UpdateThing<'a> {
                    pub fn thing_id<V>(mut self, value: V) -> Self { self }
                }
            }
        };
        add(&mut file);
        let compact = syntax::compact(&file);
        assert!(
            compact.contains(
                "pubfntitle<T>(mutself,value:T)->SelfwhereT:::std::convert::TryInto<types::Title>"
            ),
            "{compact}"
        );
        assert!(
            compact.contains("self.body=self.body.map(|body|body.title(value));self"),
            "{compact}"
        );
        assert_eq!(
            compact.matches("pubfnthing_id").count(),
            2,
            "the path parameter keeps its name: {compact}"
        );
    }
}
