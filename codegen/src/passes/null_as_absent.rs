//! Reading leniently: `null` for an optional field means "absent".
//!
//! typify gives an optional array or map field a `#[serde(default)]` and a
//! non-`Option` type (`Vec<T>`, `HashMap<K, V>`), so a server that writes
//! `"images": null` instead of leaving the field out fails the whole
//! decode, while `null` in an optional scalar (`Option<T>`) is accepted.
//! Servers commonly send `null` for "nothing here"; this pass makes such
//! fields read `null` as their default. It changes decoding only: what a
//! request sends is untouched (requests stay strict).

use syn::visit_mut::{self, VisitMut};

/// The helper the fields name; emitted into `types`.
const HELPER: &str = "null_as_default";

/// Adds the lenient deserializer to defaulted non-`Option` fields.
pub(crate) fn add(file: &mut syn::File) {
    let mut pass = NullAsAbsent {
        modules: Vec::new(),
        changed: false,
    };
    pass.visit_file_mut(file);
    if pass.changed {
        add_helper(file);
    }
}

struct NullAsAbsent {
    modules: Vec<String>,
    changed: bool,
}

impl VisitMut for NullAsAbsent {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.modules.push(module.ident.to_string());
        visit_mut::visit_item_mod_mut(self, module);
        self.modules.pop();
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        if self.modules == ["types"]
            && serde_keys(&field.attrs).iter().any(|key| key == "default")
            && !serde_keys(&field.attrs)
                .iter()
                .any(|key| key == "deserialize_with" || key == "with")
            && !is_option(&field.ty)
        {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(deserialize_with = #HELPER)]));
            self.changed = true;
        }
    }
}

fn add_helper(file: &mut syn::File) {
    let helper = syn::Ident::new(HELPER, proc_macro2::Span::call_site());
    let function: syn::Item = syn::parse_quote! {
        /// Reads `null` as the field's default (see the generator's
        /// `null_as_absent` pass).
        fn #helper<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de> + ::std::default::Default,
        {
            <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
                .map(::std::option::Option::unwrap_or_default)
        }
    };
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = module.content.as_mut()
        {
            items.push(function);
            return;
        }
    }
}

/// The keys of every `#[serde(…)]` attribute (`default`, `rename`, …).
fn serde_keys(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut keys = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(ident) = meta.path.get_ident() {
                keys.push(ident.to_string());
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    keys
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn defaulted_collections_read_null_as_empty() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Pack {
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub images: ::std::vec::Vec<u8>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub note: ::std::option::Option<String>,
                    pub name: String,
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
            compact.contains("#[serde(deserialize_with=\"null_as_default\")]pubimages"),
            "{compact}"
        );
        assert_eq!(compact.matches("deserialize_with").count(), 1, "{compact}");
        assert!(compact.contains("fnnull_as_default<'de,D,T>"), "{compact}");
    }
}
