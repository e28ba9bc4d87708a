//! Generated types that may grow: `#[non_exhaustive]` on every struct with
//! public named fields and every enum in `types`.
//!
//! The generated API is part of the crate's contract: a spec change that
//! only adds (an optional request field, a response field, a request enum
//! value) must not break code built against the previous release. Without
//! this pass it would: a struct literal `types::Pack { id, name }` stops
//! compiling when `Pack` gains a field, an exhaustive `match` when an enum
//! gains a variant. Marked non-exhaustive, such structs are built with their
//! builders (`types::Pack::builder()`, the operation builders' body setters),
//! matched with `..`, and enums matched with a `_` arm, so additions compile.
//! `cargo xtask breaking` counts additions as minor changes because of this
//! (README, "Releasing").
//!
//! Tuple structs (newtypes such as `GridImagesPayload(pub Vec<String>)`)
//! keep their constructor: a spec addition never adds a field to them.

use super::syntax;

/// Marks the growable types of `types` `#[non_exhaustive]`.
pub(crate) fn add(file: &mut syn::File) {
    let Some(types) = syntax::types_mut(file) else {
        return;
    };
    for item in types.iter_mut() {
        let attrs = match item {
            syn::Item::Struct(structure)
                if is_public(&structure.vis)
                    && matches!(structure.fields, syn::Fields::Named(_))
                    && structure.fields.iter().any(|field| is_public(&field.vis)) =>
            {
                &mut structure.attrs
            }
            syn::Item::Enum(enumeration) if is_public(&enumeration.vis) => &mut enumeration.attrs,
            _ => continue,
        };
        if !attrs
            .iter()
            .any(|attr| attr.path().is_ident("non_exhaustive"))
        {
            attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_with_public_fields_and_enums_in_types_are_marked_once() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Pack {
                    pub id: String,
                }
                pub struct Names(pub Vec<String>);
                pub struct Hidden {
                    inner: String,
                }
                #[non_exhaustive]
                pub enum Already {
                    A,
                }
                pub enum Visibility {
                    Private,
                    Workspace,
                }
                pub mod builder {
                    pub struct Pack {
                        id: Result<String, String>,
                    }
                }
            }
            pub struct Client {
                pub baseurl: String,
            }
        };
        add(&mut file);
        let compact = syntax::compact(&file);
        for marked in ["pubstructPack{pubid", "pubenumAlready", "pubenumVisibility"] {
            assert!(
                compact.contains(&format!("#[non_exhaustive]{marked}")),
                "{marked}: {compact}"
            );
        }
        assert_eq!(compact.matches("non_exhaustive").count(), 3, "{compact}");
    }
}
