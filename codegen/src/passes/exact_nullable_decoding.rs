//! Exact decoding of tri-state fields.
//!
//! A field of type `Option<genviral_partner::Nullable<T>>` has three states,
//! but serde's derive reads a present `null` into an `Option` field as
//! `None` (absent) before `Nullable` sees it, so decoding a PATCH body loses
//! "clear this field". This pass adds
//! `#[serde(deserialize_with = "…::Nullable::deserialize_present")]` to such
//! fields: a present value (including `null`) becomes `Some(…)`, and the
//! field's `#[serde(default)]` (added when typify did not) keeps an absent field `None`.
//!
//! A required `Nullable<T>` field has the opposite problem: serde's derive
//! reads a *missing* field of a type that deserializes through `Option` as
//! `null`, so `{}` decoded as a `MoveFolderRequest` that moves the folder to
//! the root. Such fields get `#[serde(deserialize_with =
//! "::serde::Deserialize::deserialize")]` (typify does the same for required
//! `Option` fields): a field read through `deserialize_with` must be present.

use syn::visit_mut::{self, VisitMut};

use crate::client_layer::NULLABLE;

/// Adds the exact deserializer to every `Option<Nullable<T>>` field, and
/// makes every required `Nullable<T>` field required when decoding.
pub(crate) fn add(file: &mut syn::File) {
    ExactNullableDecoding.visit_file_mut(file);
}

struct ExactNullableDecoding;

impl VisitMut for ExactNullableDecoding {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        if option_of_nullable(&field.ty) {
            let with = format!("::{NULLABLE}::deserialize_present");
            // serde defaults a missing `Option` field only without
            // `deserialize_with`; say it explicitly unless typify did.
            if has_serde_default(&field.attrs) {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = #with)]));
            } else {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(default, deserialize_with = #with)]));
            }
        } else if is_nullable(&field.ty) && field.ident.is_some() {
            field.attrs.push(syn::parse_quote!(
                #[serde(deserialize_with = "::serde::Deserialize::deserialize")]
            ));
        }
        visit_mut::visit_field_mut(self, field);
    }
}

fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                found = true;
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// Whether `ty` is `Nullable<T>` (any path prefix ending in the client
/// crate's `Nullable`).
fn is_nullable(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    super::syntax::path_idents(&path.path)
        .join("::")
        .ends_with(NULLABLE)
}

fn option_of_nullable(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident != "Option" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return false;
    };
    arguments.args.iter().any(|argument| match argument {
        syn::GenericArgument::Type(inner) => is_nullable(inner),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_option_of_nullable_fields_get_the_deserializer() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub struct Patch {
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub note: ::std::option::Option<::genviral_partner::Nullable<::std::string::String>>,
                pub plain: ::std::option::Option<::std::string::String>,
                pub required: ::genviral_partner::Nullable<u8>,
                #[serde(default = "x")]
                pub other: ::std::option::Option<::genviral_partner::Nullable<u8>>,
            }
            "#,
        )
        .unwrap();
        add(&mut file);
        let out = prettyplease::unparse(&file);
        let compact: String = out.split_whitespace().collect();
        assert_eq!(out.matches("deserialize_with").count(), 3, "{out}");
        assert!(
            compact.contains(
                "#[serde(deserialize_with=\"::serde::Deserialize::deserialize\")]pubrequired"
            ),
            "a required Nullable must be present: {out}"
        );
        assert!(
            compact.contains("#[serde(deserialize_with=\"::genviral_partner::Nullable::deserialize_present\")]pubother"),
            "an existing default is not repeated: {out}"
        );
        assert!(
            compact.contains(
                "#[serde(default,deserialize_with=\"::genviral_partner::Nullable::deserialize_present\")]pubnote"
            ),
            "{out}"
        );
    }
}
