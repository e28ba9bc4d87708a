//! Nested values are built in place: `.settings_with(|s| s.aspect_ratio("9:16"))`.
//!
//! A field whose type has a typify builder can already take that builder
//! (`.settings(types::SlideshowSettingsPatch::builder().…)`), but naming the
//! nested builder type is most of the line. For each such setter this pass
//! adds `<field>_with`, which hands a fresh builder to a closure and sets
//! what it returns, so a nested PATCH reads like the JSON it sends.

use std::collections::BTreeSet;

use syn::visit_mut::{self, VisitMut};

/// Adds `<field>_with` beside every setter whose value type has a builder.
pub(crate) fn add(file: &mut syn::File) {
    let builders = builder_names(file);
    NestedBuilders {
        builders,
        modules: Vec::new(),
    }
    .visit_file_mut(file);
}

/// The struct names in `types::builder`.
fn builder_names(file: &syn::File) -> BTreeSet<String> {
    let module = |items: &[syn::Item], name: &str| -> Option<Vec<syn::Item>> {
        items.iter().find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.clone())
            }
            _ => None,
        })
    };
    let builders = module(&file.items, "types").and_then(|types| module(&types, "builder"));
    builders
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            syn::Item::Struct(structure) => Some(structure.ident.to_string()),
            _ => None,
        })
        .collect()
}

struct NestedBuilders {
    builders: BTreeSet<String>,
    modules: Vec<String>,
}

impl VisitMut for NestedBuilders {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.modules.push(module.ident.to_string());
        visit_mut::visit_item_mod_mut(self, module);
        self.modules.pop();
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let in_type_builders = self.modules.ends_with(&["types".into(), "builder".into()]);
        if in_type_builders && block.trait_.is_none() {
            let added: Vec<syn::ImplItem> = block
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(setter) => self.with_closure(setter),
                    _ => None,
                })
                .map(syn::ImplItem::Fn)
                .collect();
            block.items.extend(added);
        }
    }
}

impl NestedBuilders {
    /// `f_with` for a setter `f<T>(self, value: T) where T: TryInto<super::X>`
    /// when `X` has a builder.
    fn with_closure(&self, setter: &syn::ImplItemFn) -> Option<syn::ImplItemFn> {
        let target = try_into_target(&setter.sig)?;
        if !self.builders.contains(&target) {
            return None;
        }
        let name = &setter.sig.ident;
        let with = syn::Ident::new(&format!("{name}_with"), name.span());
        let builder = syn::Ident::new(&target, name.span());
        let doc = format!(
            "Sets `{name}` to the value a closure builds from an empty [`{target}`] builder: `.{with}(|b| b.…)`."
        );
        Some(syn::parse_quote! {
            #[doc = #doc]
            pub fn #with<F>(self, build: F) -> Self
            where
                F: ::std::ops::FnOnce(super::builder::#builder) -> super::builder::#builder,
            {
                self.#name(build(::std::default::Default::default()))
            }
        })
    }
}

/// The last segment of `X` in a `T: TryInto<X>` bound.
fn try_into_target(signature: &syn::Signature) -> Option<String> {
    let where_clause = signature.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            match (last.ident == "TryInto", arguments.args.first()?) {
                (true, syn::GenericArgument::Type(syn::Type::Path(target))) => {
                    target.path.segments.last().map(|s| s.ident.to_string())
                }
                _ => None,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn setters_of_builder_types_get_a_closure_form() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct Patch {}
                    pub struct Settings {}
                    impl Patch {
                        pub fn settings<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<super::Settings>, T::Error: ::std::fmt::Display
                        { self }
                        pub fn title<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::string::String>
                        { self }
                    }
                }
            }
        };
        add(&mut file);
        let compact: String = file
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect();
        assert!(
            compact.contains("pubfnsettings_with<F>(self,build:F)->SelfwhereF:::std::ops::FnOnce(super::builder::Settings)->super::builder::Settings,{self.settings(build(::std::default::Default::default()))}"),
            "{compact}"
        );
        assert!(!compact.contains("title_with"), "{compact}");
    }
}
