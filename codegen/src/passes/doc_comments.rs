//! Doc comments for generated items that progenitor and typify leave bare.
//!
//! The client crate denies `missing_docs`, so every public item must say
//! something. typify documents a type from its schema's description but not
//! the builders it derives, the enum variants, the `builder()` functions, or
//! struct fields whose schema is a `$ref` (the description sits on the
//! referenced schema, or is lost when `x-rust-type` replaces it); progenitor
//! leaves `new`, `body` and `body_map` of its request builders bare. This
//! pass fills exactly those gaps from the spec (a field's description is
//! looked up through its `$ref`) and never touches an existing doc comment.

use serde_json::Value;
use syn::visit_mut::{self, VisitMut};

use super::syntax;
use crate::type_names::TypeIndex;

/// Adds doc comments to the undocumented public items of `file`.
pub(crate) fn add(file: &mut syn::File, doc: &Value, types: &TypeIndex<'_>) {
    let mut pass = DocComments {
        doc,
        types,
        modules: Vec::new(),
        self_type: None,
    };
    pass.visit_file_mut(file);
}

struct DocComments<'i, 'a> {
    doc: &'a Value,
    types: &'i TypeIndex<'a>,
    /// Names of the modules around the item being visited.
    modules: Vec<String>,
    /// The type of the `impl` block being visited.
    self_type: Option<String>,
}

impl DocComments<'_, '_> {
    /// Inside `types::builder` (typify's struct builders).
    fn in_type_builders(&self) -> bool {
        self.modules
            .ends_with(&["types".to_string(), "builder".to_string()])
    }

    /// The spec description of property `json_name` of type `owner`,
    /// following a `$ref` when the property has no description of its own.
    fn property_description(&self, owner: &str, json_name: &str) -> Option<String> {
        let origin = self.types.origin(owner)?;
        let property = origin.schema.get("properties")?.get(json_name)?;
        description(property).or_else(|| {
            let target = spec::deref(self.doc, property);
            description(target)
        })
    }
}

fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

impl VisitMut for DocComments<'_, '_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.modules.push(module.ident.to_string());
        visit_mut::visit_item_mod_mut(self, module);
        self.modules.pop();
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        let name = item.ident.to_string();
        if is_public(&item.vis) && !has_doc(&item.attrs) && self.in_type_builders() {
            add_doc(
                &mut item.attrs,
                &format!(
                    "Builder for [`super::{name}`]: set fields with its methods, then convert it with `TryFrom`/`Into` (a missing required field is an error that names it)."
                ),
            );
        }
        if let syn::Fields::Named(fields) = &mut item.fields {
            for field in &mut fields.named {
                if !is_public(&field.vis) || has_doc(&field.attrs) {
                    continue;
                }
                let json_name = syntax::serde_rename(&field.attrs).unwrap_or_else(|| {
                    field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                });
                let text = self
                    .property_description(&name, &json_name)
                    .unwrap_or_else(|| format!("The `{json_name}` field."));
                add_doc(&mut field.attrs, &text);
            }
        }
        visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        if !has_doc(&variant.attrs) {
            let text = match (syntax::serde_rename(&variant.attrs), &variant.fields) {
                (Some(wire), _) => format!("`{wire}` on the wire."),
                (None, syn::Fields::Unnamed(fields)) if fields.unnamed.len() == 1 => {
                    let ty = &fields.unnamed[0].ty;
                    let ty = quote::quote!(#ty).to_string().replace(' ', "");
                    // `::std::string::String` reads better as `String`.
                    let short = if ty.contains('<') {
                        ty.as_str()
                    } else {
                        ty.rsplit("::").next().unwrap_or(&ty)
                    };
                    format!("A value of type `{short}`.")
                }
                (None, _) => format!("The `{}` variant.", variant.ident),
            };
            add_doc(&mut variant.attrs, &text);
        }
        visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let previous = self.self_type.take();
        if item.trait_.is_none()
            && let syn::Type::Path(path) = &*item.self_ty
        {
            self.self_type = path.path.segments.last().map(|s| s.ident.to_string());
        }
        visit_mut::visit_item_impl_mut(self, item);
        self.self_type = previous;
    }

    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if let Some(owner) = self.self_type.clone()
            && is_public(&function.vis)
            && !has_doc(&function.attrs)
        {
            let name = function.sig.ident.to_string();
            let text = match name.as_str() {
                "builder" => format!("Starts a [`builder::{owner}`] for this type."),
                "new" => "Creates the request builder; `Client` has a method of the same name that does this.".to_string(),
                "body" => "Sets the whole request body, a value or its builder, replacing \
                           the fields set before it; the field setters and `body_map` \
                           change the body set so far."
                    .to_string(),
                "body_map" => "Edits the request body's builder with a closure.".to_string(),
                field if self.in_type_builders() => format!("Sets [`super::{owner}::{field}`]."),
                other => format!("Sets `{other}`."),
            };
            add_doc(&mut function.attrs, &text);
        }
        visit_mut::visit_impl_item_fn_mut(self, function);
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    // Doc comments go first, like hand-written ones.
    attrs.insert(0, syn::parse_quote!(#[doc = #text]));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn documented(code: &str) -> String {
        let doc = json!({"components": {"schemas": {
            "Patch": {"type": "object", "properties": {
                "note": {"$ref": "#/components/schemas/NullableNote"},
                "size": {"type": "string", "enum": ["a"], "description": "Own words."}
            }},
            "NullableNote": {"type": "string", "nullable": true, "description": "`null` clears it."}
        }}});
        let mut file: syn::File = syn::parse_str(code).unwrap();
        add(&mut file, &doc, &TypeIndex::new(&doc));
        prettyplease::unparse(&file)
    }

    #[test]
    fn bare_items_get_docs_from_the_spec_and_existing_docs_stay() {
        let out = documented(
            r#"
            pub mod types {
                pub struct Patch {
                    pub note: Option<Nullable<String>>,
                    ///Kept.
                    pub size: Option<PatchSize>,
                    #[serde(rename = "otherName", default)]
                    pub other_name: Option<String>,
                }
                pub enum PatchSize {
                    #[serde(rename = "9:16")]
                    X916,
                    Integer(i64),
                }
                impl Patch {
                    pub fn builder() -> builder::Patch { todo!() }
                }
                pub mod builder {
                    pub struct Patch { note: Result<Option<String>, String> }
                    impl Patch {
                        pub fn note<T>(self, value: T) -> Self { todo!() }
                    }
                }
            }
            pub mod builder {
                pub struct UpdatePatch;
                impl UpdatePatch {
                    pub fn new() -> Self { todo!() }
                    pub fn body_map(self) -> Self { todo!() }
                }
            }
            "#,
        );
        for expected in [
            "///`null` clears it.\n        pub note",
            "///Kept.\n        pub size",
            "///The `otherName` field.",
            "///`9:16` on the wire.",
            "///A value of type `i64`.",
            "///Starts a [`builder::Patch`] for this type.",
            "///Builder for [`super::Patch`]",
            "///Sets [`super::Patch::note`].",
            "///Creates the request builder",
            "///Edits the request body's builder with a closure.",
        ] {
            assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        }
        assert!(!out.contains("Builder for [`super::UpdatePatch`]"), "{out}");
    }
}
