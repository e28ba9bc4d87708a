//! Nested values are built in place: `.settings_with(|s| s.aspect_ratio("9:16"))`.
//!
//! A field whose type has a typify builder can already take that builder
//! (`.settings(types::SlideshowSettingsPatch::builder().…)`), but naming the
//! nested builder type is most of the line. For each such setter this pass
//! adds `<field>_with`, which hands a fresh builder to a closure and sets
//! what it returns, so a nested PATCH reads like the JSON it sends.

use std::collections::BTreeSet;

use super::syntax;

/// Adds `<field>_with` beside every setter whose value type has a builder.
pub(crate) fn add(file: &mut syn::File) {
    let builders: BTreeSet<String> = syntax::type_builders(file)
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(structure) => Some(structure.ident.to_string()),
            _ => None,
        })
        .collect();
    let Some(items) = syntax::type_builders_mut(file) else {
        return;
    };
    for (_, block) in syntax::inherent_impls_mut(items) {
        let added: Vec<syn::ImplItem> = block
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(setter) => with_closure(&builders, setter),
                _ => None,
            })
            .map(syn::ImplItem::Fn)
            .collect();
        block.items.extend(added);
    }
}

/// `f_with` for a setter `f<T>(self, value: T) where T: TryInto<super::X>`
/// when `X` has a builder.
fn with_closure(builders: &BTreeSet<String>, setter: &syn::ImplItemFn) -> Option<syn::ImplItemFn> {
    let mut signature = setter.sig.clone();
    let target = syntax::try_into_target_mut(&mut signature).and_then(|t| syntax::last_ident(t))?;
    if !builders.contains(&target) {
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

#[cfg(test)]
mod tests {
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
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("pubfnsettings_with<F>(self,build:F)->SelfwhereF:::std::ops::FnOnce(super::builder::Settings)->super::builder::Settings,{self.settings(build(::std::default::Default::default()))}"),
            "{compact}"
        );
        assert!(!compact.contains("title_with"), "{compact}");
    }
}
