//! Clearable text fields take text: `.description("…")`; so do fields of
//! alternatives one of which is text: `.font_size("small")`.
//!
//! A clearable field's setter takes `impl TryInto<Nullable<X>>`. `Nullable`
//! converts from `X` itself, so a string newtype (`TemplateDescription`,
//! whose length the spec limits), a `String` or a `Uuid` field refused the
//! `&str` every other text setter takes. A generic `TryFrom<&str> for
//! Nullable<T>` would overlap with core's blanket conversion (for
//! `T = &str`), so this pass writes one impl per such `Nullable<X>` of the
//! generated types, next to them: `TryFrom<&str>` (and `TryFrom<String>`
//! where `X` has it), failing as `X`'s own conversion fails.

use std::collections::BTreeMap;

use super::syntax;
use crate::client_layer::NULLABLE;

/// Types outside `types` known to convert from text (`Nullable<String>`
/// already converts from a `String`, as any `Nullable<T>` from a `T`).
const FOREIGN_TEXT_TYPES: [(&str, TextConversions); 2] = [
    ("::std::string::String", TextConversions::Str),
    ("::uuid::Uuid", TextConversions::Str),
];

/// Which text types `X` converts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextConversions {
    Str,
    StrAndString,
}

/// Adds the text conversions of every `Nullable<X>` in `types`, and of
/// every untagged enum with a text alternative.
pub(crate) fn add(file: &mut syn::File) {
    let Some(types) = syntax::types_mut(file) else {
        return;
    };
    add_untagged_enum_conversions(types);
    let mut found = BTreeMap::new();
    for item in types.iter() {
        if let syn::Item::Struct(structure) = item {
            for field in &structure.fields {
                collect(&field.ty, types, &mut found);
            }
        }
    }
    let Ok(nullable) = syn::parse_str::<syn::Path>(&format!("::{NULLABLE}")) else {
        return;
    };
    for (ty, conversions) in found.into_values() {
        types.push(syn::parse_quote! {
            impl<'a> ::std::convert::TryFrom<&'a str> for #nullable<#ty> {
                type Error = <#ty as ::std::convert::TryFrom<&'a str>>::Error;
                fn try_from(value: &'a str) -> ::std::result::Result<Self, Self::Error> {
                    <#ty as ::std::convert::TryFrom<&'a str>>::try_from(value).map(#nullable::Value)
                }
            }
        });
        if conversions == TextConversions::StrAndString {
            types.push(syn::parse_quote! {
                impl ::std::convert::TryFrom<::std::string::String> for #nullable<#ty> {
                    type Error = <#ty as ::std::convert::TryFrom<::std::string::String>>::Error;
                    fn try_from(
                        value: ::std::string::String,
                    ) -> ::std::result::Result<Self, Self::Error> {
                        <#ty as ::std::convert::TryFrom<::std::string::String>>::try_from(value)
                            .map(#nullable::Value)
                    }
                }
            });
        }
    }
}

/// An untagged enum of alternatives (`FontSize`: a named size or a number)
/// converts from text when one of its alternatives does: the first that
/// accepts it wins, as when decoding. typify writes `From` for each
/// alternative's own type only, so `.font_size("small")` did not compile.
fn add_untagged_enum_conversions(types: &mut Vec<syn::Item>) {
    let mut added = Vec::new();
    for item in types.iter() {
        let syn::Item::Enum(enumeration) = item else {
            continue;
        };
        if !is_untagged(&enumeration.attrs) {
            continue;
        }
        let name = &enumeration.ident;
        let mut tries = Vec::new();
        // What is left when no alternative took the text: a refusal, unless
        // an alternative is `String`, which takes any text.
        let mut otherwise = None;
        for variant in &enumeration.variants {
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                continue;
            };
            let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
                continue;
            };
            let (ty, variant) = (&field.ty, &variant.ident);
            let ty_name = syntax::compact_tokens(ty);
            if ty_name == "::std::string::String" {
                otherwise = Some(quote::quote! {
                    ::std::result::Result::Ok(Self::#variant(value.to_string()))
                });
                break;
            }
            if text_conversions(&ty_name, types).is_some() {
                tries.push(quote::quote! {
                    if let ::std::result::Result::Ok(value) =
                        <#ty as ::std::convert::TryFrom<&str>>::try_from(value)
                    {
                        return ::std::result::Result::Ok(Self::#variant(value));
                    }
                });
            }
        }
        if tries.is_empty() && otherwise.is_none() {
            continue;
        }
        let refusal = format!("{{value:?}} is not a {name}");
        let otherwise = otherwise
            .unwrap_or_else(|| quote::quote!(::std::result::Result::Err(format!(#refusal).into())));
        added.push(syn::parse_quote! {
            impl ::std::convert::TryFrom<&str> for #name {
                type Error = self::error::ConversionError;
                fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    #(#tries)*
                    #otherwise
                }
            }
        });
    }
    types.extend(added);
}

fn is_untagged(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("serde") && syntax::compact_tokens(attr).contains("(untagged)")
    })
}

/// Records `X` when `ty` is `Nullable<X>` or `Option<Nullable<X>>` and `X`
/// converts from text.
fn collect(
    ty: &syn::Type,
    types: &[syn::Item],
    found: &mut BTreeMap<String, (syn::Type, TextConversions)>,
) {
    let ty = syntax::first_argument(ty, "Option").unwrap_or(ty);
    let Some(inner) = syntax::first_argument(ty, "Nullable") else {
        return;
    };
    let name = syntax::compact_tokens(inner);
    if let Some(conversions) = text_conversions(&name, types) {
        found.insert(name, (inner.clone(), conversions));
    }
}

/// What `X` (written `name`) converts from: a known foreign type, or a
/// type of `types` with typify's `TryFrom<&str>` (and `TryFrom<String>`).
fn text_conversions(name: &str, types: &[syn::Item]) -> Option<TextConversions> {
    if let Some((_, conversions)) = FOREIGN_TEXT_TYPES
        .iter()
        .find(|(foreign, _)| *foreign == name)
    {
        return Some(*conversions);
    }
    let converts_from = |source: &str| {
        types.iter().any(|item| match item {
            syn::Item::Impl(block) => {
                block.trait_.as_ref().is_some_and(|(path, _)| {
                    syntax::compact_tokens(path) == format!("::std::convert::TryFrom<{source}>")
                }) && syntax::compact_tokens(&block.self_ty) == name
            }
            _ => false,
        })
    };
    match (
        converts_from("&str"),
        converts_from("::std::string::String"),
    ) {
        (true, true) => Some(TextConversions::StrAndString),
        (true, false) => Some(TextConversions::Str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untagged_enum_converts_from_text_through_its_text_alternatives() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[serde(untagged)]
                pub enum Size { String(SizeName), Integer(i64) }
                pub enum SizeName { Small }
                impl ::std::convert::TryFrom<&str> for SizeName {}
                #[serde(untagged)]
                pub enum Number { Integer(i64), Float(f64) }
            }
        };
        add(&mut file);
        let compact = syntax::compact(&file);
        assert_eq!(
            compact.matches("TryFrom<&str>forSize{").count(),
            1,
            "{compact}"
        );
        assert!(
            compact.contains("<SizeNameas::std::convert::TryFrom<&str>>::try_from(value)"),
            "{compact}"
        );
        assert!(
            !compact.contains("forNumber"),
            "no text alternative: {compact}"
        );
    }

    #[test]
    fn text_conversions_for_each_clearable_text_type_once() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Description(String);
                impl ::std::convert::TryFrom<&str> for Description {}
                impl ::std::convert::TryFrom<::std::string::String> for Description {}
                pub struct Settings {}
                pub struct Patch {
                    pub a: ::std::option::Option<::genviral_partner::Nullable<Description>>,
                    pub b: ::genviral_partner::Nullable<Description>,
                    pub c: ::std::option::Option<::genviral_partner::Nullable<::uuid::Uuid>>,
                    pub d: ::std::option::Option<::genviral_partner::Nullable<Settings>>,
                    pub e: ::std::option::Option<::genviral_partner::Nullable<::std::string::String>>,
                }
            }
        };
        add(&mut file);
        let compact = syntax::compact(&file);
        let count = |needle: &str| compact.matches(needle).count();
        assert_eq!(
            count("for::genviral_partner::Nullable<Description>"),
            2,
            "&str and String, once: {compact}"
        );
        assert_eq!(count("for::genviral_partner::Nullable<::uuid::Uuid>"), 1);
        assert_eq!(
            count("for::genviral_partner::Nullable<::std::string::String>"),
            1
        );
        assert_eq!(
            count("Nullable<Settings>"),
            1,
            "an object has no text form: {compact}"
        );
    }
}
