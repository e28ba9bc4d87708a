//! Builder errors that name the place in the spec once.
//!
//! typify's struct builders report a missing field as `no value supplied
//! for content`, without the type, and wrap a setter's failure as `error
//! converting supplied value for settings: error converting supplied value
//! for advanced_settings: …`, once per level of nesting, although the
//! innermost message already names its place (`conversion_messages`:
//! `SlideshowSettingsPatch.advanced_settings.text_width: "wide" is not one
//! of …`). This pass rewrites both messages in `types::builder`:
//!
//! - a missing field: `TextElementPayload.content: required, no value
//!   supplied`;
//! - a setter whose value converts to a generated type passes that type's
//!   message on as it is; any other (`u64` from a negative number) gets the
//!   place in front: `Pack.image_count: out of range integral type
//!   conversion attempted`.
//!
//! Fields are named as on the wire (`TemplateVisuals.packId`).

use std::collections::BTreeMap;

use syn::visit_mut::{self, VisitMut};

use super::syntax;
use crate::type_names::TypeIndex;

/// typify's message for a required field the builder never got.
const MISSING: &str = "no value supplied for ";

/// How typify's setters start the message of a value that did not convert.
const NOT_CONVERTED: &str = "error converting supplied value for ";

/// Rewrites the messages of every builder in `types::builder`.
pub(crate) fn rewrite(file: &mut syn::File, types: &TypeIndex<'_>) {
    let wire_names = wire_names(file);
    let Some(builders) = syntax::type_builders_mut(file) else {
        return;
    };
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(name) = syntax::last_ident(&block.self_ty) else {
            continue;
        };
        let place = Place {
            label: types
                .origin(&name)
                .map_or_else(|| name.clone(), |origin| origin.label.clone()),
            wire_names: wire_names.get(&name),
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                let value_is_generated = syntax::try_into_target_mut(&mut function.sig)
                    .is_some_and(|target| is_generated(target));
                Messages {
                    place: &place,
                    value_is_generated,
                }
                .visit_impl_item_fn_mut(function);
            }
        }
    }
}

/// Where a builder's type is in the spec, and its fields' wire names.
struct Place<'a> {
    label: String,
    wire_names: Option<&'a BTreeMap<String, String>>,
}

impl Place<'_> {
    /// `Type.field`, the field as on the wire.
    fn of(&self, field: &str) -> String {
        let wire = self
            .wire_names
            .and_then(|names| names.get(field))
            .map_or(field, String::as_str);
        format!("{}.{wire}", self.label)
    }
}

struct Messages<'a> {
    place: &'a Place<'a>,
    /// Whether the setter's value converts to a type of `types` (whose
    /// conversion errors name their place already).
    value_is_generated: bool,
}

impl VisitMut for Messages<'_> {
    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        if let Some(field) = literal.value().strip_prefix(MISSING) {
            let message = format!("{}: required, no value supplied", self.place.of(field));
            *literal = syn::LitStr::new(&message, literal.span());
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Macro(call) = expr
            && call.mac.path.is_ident("format")
            && let Ok(template) = call.mac.parse_body::<syn::LitStr>()
            && let Some(field) = template
                .value()
                .strip_prefix(NOT_CONVERTED)
                .and_then(|rest| rest.strip_suffix(": {e}"))
        {
            *expr = if self.value_is_generated {
                syn::parse_quote!(e.to_string())
            } else {
                let template = format!("{}: {{e}}", syntax::escape_braces(&self.place.of(field)));
                syn::parse_quote!(format!(#template))
            };
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Whether `ty` is a type of `types`, as the builders name them
/// (`super::X`).
fn is_generated(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path.path.segments.first().is_some_and(|first| first.ident == "super"))
}

/// For each struct of `types`, its fields' wire names by Rust name (serde's
/// `rename`), where they differ.
fn wire_names(file: &mut syn::File) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut names = BTreeMap::new();
    let Some(types) = syntax::types_mut(file) else {
        return names;
    };
    for item in types.iter() {
        let syn::Item::Struct(structure) = item else {
            continue;
        };
        let renamed: BTreeMap<String, String> = structure
            .fields
            .iter()
            .filter_map(|field| {
                Some((
                    field.ident.as_ref()?.to_string(),
                    syntax::serde_rename(&field.attrs)?,
                ))
            })
            .collect();
        names.insert(structure.ident.to_string(), renamed);
    }
    names
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn missing_fields_and_setter_failures_name_their_place_once() {
        let doc = json!({"components": {"schemas": {
            "Visuals": {"type": "object", "properties": {"packId": {"type": "string"}}}
        }}});
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Visuals {
                    #[serde(rename = "packId")]
                    pub pack_id: String,
                    pub count: u64,
                }
                pub mod builder {
                    impl ::std::default::Default for Visuals {
                        fn default() -> Self {
                            Self { pack_id: Err("no value supplied for pack_id".to_string()) }
                        }
                    }
                    impl Visuals {
                        pub fn settings<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<super::Settings>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.settings = value.try_into().map_err(|e| {
                                format!("error converting supplied value for settings: {e}")
                            });
                            self
                        }
                        pub fn count<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<u64>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.count = value.try_into().map_err(|e| {
                                format!("error converting supplied value for count: {e}")
                            });
                            self
                        }
                    }
                }
            }
        };
        rewrite(&mut file, &TypeIndex::new(&doc));
        let compact = syntax::compact(&file);
        assert!(
            compact.contains(r#"Err("Visuals.packId:required,novaluesupplied".to_string())"#),
            "the wire name: {compact}"
        );
        assert!(
            compact.contains("self.settings=value.try_into().map_err(|e|{e.to_string()})"),
            "a generated type's message goes on as it is: {compact}"
        );
        assert!(
            compact.contains(r#"map_err(|e|{format!("Visuals.count:{e}")})"#),
            "{compact}"
        );
        assert!(!compact.contains("errorconverting"), "{compact}");
    }
}
