//! Where things are in progenitor's output, and the type shapes the passes
//! read, so each pass states what it changes and not how to find it.
//!
//! progenitor writes typify's types into `mod types` (their builders into
//! `types::builder`) and its own per-operation request builders into a
//! top-level `mod builder`.

/// The items of the inline module `name` among `items`.
fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

fn module_mut<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// typify's types (`mod types`).
pub(crate) fn types_mut(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_mut(&mut file.items, "types")
}

/// typify's struct builders (`types::builder`).
pub(crate) fn type_builders(file: &syn::File) -> &[syn::Item] {
    module(&file.items, "types")
        .and_then(|types| module(types, "builder"))
        .unwrap_or_default()
}

/// typify's struct builders (`types::builder`), to change.
pub(crate) fn type_builders_mut(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_mut(types_mut(file)?, "builder")
}

/// progenitor's per-operation request builders (top-level `mod builder`).
pub(crate) fn operation_builders_mut(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_mut(&mut file.items, "builder")
}

/// The named fields of progenitor's `Client` struct (top level).
pub(crate) fn client_fields_mut(file: &mut syn::File) -> Option<&mut syn::FieldsNamed> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Struct(structure) if structure.ident == "Client" => {
            match &mut structure.fields {
                syn::Fields::Named(fields) => Some(fields),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The field values of the `Self { .. }` that progenitor's
/// `Client::new_with_client` returns: every `Client` is made there.
pub(crate) fn client_constructor_mut(
    file: &mut syn::File,
) -> Option<&mut syn::punctuated::Punctuated<syn::FieldValue, syn::Token![,]>> {
    inherent_impls_mut(&mut file.items)
        .filter(|(name, _)| name == "Client")
        .flat_map(|(_, block)| block.items.iter_mut())
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == "new_with_client" => {
                match function.block.stmts.last_mut()? {
                    syn::Stmt::Expr(syn::Expr::Struct(value), None) => Some(&mut value.fields),
                    _ => None,
                }
            }
            _ => None,
        })
}

/// The inherent `impl` blocks among `items`, with their type's name.
pub(crate) fn inherent_impls_mut(
    items: &mut [syn::Item],
) -> impl Iterator<Item = (String, &mut syn::ItemImpl)> {
    items.iter_mut().filter_map(|item| match item {
        syn::Item::Impl(block) if block.trait_.is_none() => {
            last_ident(&block.self_ty).map(|name| (name, block))
        }
        _ => None,
    })
}

/// The last path segment of a type: `Patch` for `types::builder::Patch`.
pub(crate) fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The segments of `path` without their arguments: `["uuid", "Uuid"]` for
/// `::uuid::Uuid`.
pub(crate) fn path_idents(path: &syn::Path) -> Vec<String> {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect()
}

/// `X` of a type written `Wrapper<X, …>` (any path prefix): the value of an
/// `Option`, the success of a `Result`.
pub(crate) fn first_argument<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match (last.ident == wrapper, arguments.args.first()?) {
        (true, syn::GenericArgument::Type(argument)) => Some(argument),
        _ => None,
    }
}

/// [`first_argument`], to replace.
pub(crate) fn first_argument_mut<'a>(
    ty: &'a mut syn::Type,
    wrapper: &str,
) -> Option<&'a mut syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last_mut()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments else {
        return None;
    };
    match arguments.args.first_mut()? {
        syn::GenericArgument::Type(argument) => Some(argument),
        _ => None,
    }
}

/// `X` in a setter's `T: TryInto<X>` bound, to read or replace.
pub(crate) fn try_into_target_mut(signature: &mut syn::Signature) -> Option<&mut syn::Type> {
    let predicates = &mut signature.generics.where_clause.as_mut()?.predicates;
    predicates.iter_mut().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter_mut().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last_mut()?;
            let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments else {
                return None;
            };
            match (last.ident == "TryInto", arguments.args.first_mut()?) {
                (true, syn::GenericArgument::Type(target)) => Some(target),
                _ => None,
            }
        })
    })
}

/// The `x` of `#[serde(rename = "x")]`.
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Skip the value of other `key = value` options.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// `text` with `{` and `}` doubled, to stand in a `format!` template.
pub(crate) fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// `file` as one string of tokens without white space, for tests that
/// look for a rewritten fragment.
#[cfg(test)]
pub(crate) fn compact(file: &syn::File) -> String {
    compact_tokens(file)
}

/// Any syntax node as one string of tokens without white space: a type or
/// path in a form that compares equal however it was spaced.
pub(crate) fn compact_tokens(node: &impl quote::ToTokens) -> String {
    node.to_token_stream()
        .to_string()
        .split_whitespace()
        .collect()
}
