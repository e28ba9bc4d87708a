//! Reading leniently: `null` for an optional field means "absent".
//!
//! typify gives an optional array or map field a `#[serde(default)]` and a
//! non-`Option` type (`Vec<T>`, `HashMap<K, V>`), so a server that writes
//! `"images": null` instead of leaving the field out fails the whole
//! decode, while `null` in an optional scalar (`Option<T>`) is accepted.
//! Servers commonly send `null` for "nothing here"; this pass makes such
//! fields read `null` as their default. It changes decoding only: what a
//! request sends is untouched (requests stay strict).

use super::syntax;

/// The helper the fields name; emitted into `types`.
const HELPER: &str = "null_as_default";

/// Adds the lenient deserializer to defaulted non-`Option` fields.
pub(crate) fn add(file: &mut syn::File) {
    let Some(types) = syntax::types_mut(file) else {
        return;
    };
    let mut changed = false;
    for item in types.iter_mut() {
        let syn::Item::Struct(structure) = item else {
            continue;
        };
        for field in structure.fields.iter_mut() {
            let keys = serde_keys(&field.attrs);
            if keys.iter().any(|key| key == "default")
                && !keys
                    .iter()
                    .any(|key| key == "deserialize_with" || key == "with")
                && syntax::first_argument(&field.ty, "Option").is_none()
            {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = #HELPER)]));
                changed = true;
            }
        }
    }
    if changed {
        types.push(helper());
    }
}

fn helper() -> syn::Item {
    let helper = syn::Ident::new(HELPER, proc_macro2::Span::call_site());
    syn::parse_quote! {
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

#[cfg(test)]
mod tests {
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
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("#[serde(deserialize_with=\"null_as_default\")]pubimages"),
            "{compact}"
        );
        assert_eq!(compact.matches("deserialize_with").count(), 1, "{compact}");
        assert!(compact.contains("fnnull_as_default<'de,D,T>"), "{compact}");
    }
}
