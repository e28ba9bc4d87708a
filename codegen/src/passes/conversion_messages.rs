//! Conversion errors that say which field and why.
//!
//! typify's `FromStr` implementations for enums and constrained strings
//! return bare messages ("invalid value", "shorter than 1 characters") that
//! do not name the field the value was meant for nor the accepted values.
//! This pass rewrites those messages in the generated syntax tree: each one
//! is prefixed with the value's place in the spec (`UpdatePackRequest.name`)
//! and enum errors list the accepted values and echo the rejected one.
//! The logic of the conversions is untouched: only the error text changes.

use quote::quote;
use syn::visit_mut::{self, VisitMut};

use crate::type_names::TypeIndex;

/// Rewrites the conversion error messages of `file`.
pub(crate) fn rewrite(file: &mut syn::File, types: &TypeIndex<'_>) {
    let mut rewriter = Rewriter {
        types,
        current: None,
    };
    rewriter.visit_file_mut(file);
}

struct Rewriter<'i, 'a> {
    types: &'i TypeIndex<'a>,
    /// The label and accepted values of the `FromStr` impl being visited.
    current: Option<(String, Vec<String>)>,
}

impl VisitMut for Rewriter<'_, '_> {
    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        // `FromStr` of enums and constrained strings, and `TryFrom<number>`
        // of numbers limited to a list (`version`: `enum: [1]`).
        let is_from_str = item
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .is_some_and(|segment| {
                segment.ident == "FromStr"
                    || (segment.ident == "TryFrom"
                        && matches!(
                            super::syntax::compact_tokens(&segment.arguments).as_str(),
                            "<i64>" | "<u64>" | "<f64>"
                        ))
            });
        let self_name = match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        match (is_from_str, self_name) {
            (true, Some(name)) => {
                let label = self
                    .types
                    .origin(&name)
                    .map_or(name, |origin| origin.label.clone());
                self.current = Some((label, accepted_values(item)));
                visit_mut::visit_item_impl_mut(self, item);
                self.current = None;
            }
            _ => visit_mut::visit_item_impl_mut(self, item),
        }
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        if let Some(message) = conversion_message(&literal.value()) {
            *literal = syn::LitStr::new(&message, literal.span());
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some((label, accepted)) = &self.current
            && let Some(message) = error_literal(expr)
        {
            *expr = rewritten(label, accepted, &message);
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// progenitor's message for a builder argument that does not convert
/// (``conversion to `:: uuid :: Uuid` for pack_id failed``, the type printed
/// from its tokens), in the words of the caller: `pack_id: not a UUID`, or
/// the type without the token spacing. `None` for any other text.
fn conversion_message(text: &str) -> Option<String> {
    let rest = text.strip_prefix("conversion to `")?;
    let (ty, rest) = rest.split_once('`')?;
    let compact: String = ty.split_whitespace().collect();
    let compact = compact.trim_start_matches("::");
    if compact == "uuid::Uuid"
        && let Some(name) = rest
            .strip_prefix(" for ")
            .and_then(|rest| rest.strip_suffix(" failed"))
    {
        return Some(format!("{name}: not a UUID"));
    }
    (compact != ty).then(|| format!("conversion to `{compact}`{rest}"))
}

/// The accepted values as a message lists them: the string patterns of the
/// `match value { "a" => …, }` in an enum's `FromStr` (`"a"`), or the
/// numbers of the `[1_i64].contains(&value)` in a number's `TryFrom` (`1`);
/// empty for constrained strings.
fn accepted_values(item: &syn::ItemImpl) -> Vec<String> {
    struct Arms(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Arms {
        fn visit_arm(&mut self, arm: &'ast syn::Arm) {
            if let syn::Pat::Lit(syn::PatLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &arm.pat
            {
                self.0.push(format!("{:?}", text.value()));
            }
            syn::visit::visit_arm(self, arm);
        }
        fn visit_expr_array(&mut self, array: &'ast syn::ExprArray) {
            for element in &array.elems {
                match element {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(number),
                        ..
                    }) => self.0.push(number.base10_digits().to_string()),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Float(number),
                        ..
                    }) => self.0.push(number.base10_digits().to_string()),
                    _ => {}
                }
            }
            syn::visit::visit_expr_array(self, array);
        }
    }
    let mut arms = Arms(Vec::new());
    syn::visit::visit_item_impl(&mut arms, item);
    arms.0
}

/// The message of `Err("…".into())`, if `expr` is that.
fn error_literal(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("Err") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::MethodCall(into) = &call.args[0] else {
        return None;
    };
    if into.method != "into" || !into.args.is_empty() {
        return None;
    }
    match &*into.receiver {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

fn rewritten(label: &str, accepted: &[String], message: &str) -> syn::Expr {
    let text = if message == "invalid value" && !accepted.is_empty() {
        let list = accepted.join(", ");
        // The rejected value is echoed with `{:?}`; braces in the label and
        // the list are escaped for `format!`.
        let template = format!(
            "{}: {{:?}} is not one of {}",
            super::syntax::escape_braces(label),
            super::syntax::escape_braces(&list)
        );
        return syn::parse2(quote! {
            Err(::std::format!(#template, value).into())
        })
        .expect("a valid expression");
    } else if let Some(limit) = between(message, "longer than ", " characters") {
        format!("{label}: must be at most {limit} characters")
    } else if let Some(limit) = between(message, "shorter than ", " characters") {
        if limit == "1" {
            format!("{label}: must not be empty")
        } else {
            format!("{label}: must be at least {limit} characters")
        }
    } else {
        format!("{label}: {message}")
    };
    syn::parse2(quote! { Err(#text.into()) }).expect("a valid expression")
}

fn between<'a>(text: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.strip_suffix(suffix)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn improved(code: &str, doc: &serde_json::Value) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        rewrite(&mut file, &TypeIndex::new(doc));
        prettyplease::unparse(&file)
    }

    fn doc() -> serde_json::Value {
        json!({"components": {"schemas": {
            "UpdateThing": {"type": "object", "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 9},
                "advanced_settings": {"type": "object", "properties": {
                    "text_width": {"type": "string", "enum": ["default", "narrow"]}
                }}
            }},
            "Size": {"oneOf": [{"type": "string", "enum": ["default"]}, {"type": "integer"}]}
        }}})
    }

    #[test]
    fn enum_messages_name_the_field_echo_the_value_and_list_the_choices() {
        let code = r#"
            impl ::std::str::FromStr for UpdateThingAdvancedSettingsTextWidth {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> Result<Self, self::error::ConversionError> {
                    match value {
                        "default" => Ok(Self::Default),
                        "narrow" => Ok(Self::Narrow),
                        _ => Err("invalid value".into()),
                    }
                }
            }
        "#;
        let out = improved(code, &doc());
        assert!(
            out.contains(
                r#""UpdateThing.advanced_settings.text_width: {:?} is not one of \"default\", \"narrow\"""#
            ),
            "{out}"
        );
        assert!(!out.contains("invalid value"), "{out}");
    }

    #[test]
    fn length_messages_say_the_limit_and_only_from_str_is_touched() {
        let code = r#"
            impl ::std::str::FromStr for UpdateThingName {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> Result<Self, self::error::ConversionError> {
                    if value.chars().count() > 9usize {
                        return Err("longer than 9 characters".into());
                    }
                    if value.chars().count() < 1usize {
                        return Err("shorter than 1 characters".into());
                    }
                    if value.chars().count() < 3usize {
                        return Err("shorter than 3 characters".into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
            impl ::std::convert::TryFrom<&str> for Other {
                type Error = &'static str;
                fn try_from(value: &str) -> Result<Self, &'static str> {
                    Err("invalid value".into())
                }
            }
        "#;
        let out = improved(code, &doc());
        assert!(
            out.contains(r#""UpdateThing.name: must be at most 9 characters""#),
            "{out}"
        );
        assert!(
            out.contains(r#""UpdateThing.name: must not be empty""#),
            "{out}"
        );
        assert!(
            out.contains(r#""UpdateThing.name: must be at least 3 characters""#),
            "{out}"
        );
        assert!(
            out.contains(r#"Err("invalid value".into())"#),
            "other impls are kept: {out}"
        );
    }

    #[test]
    fn builder_conversion_messages_are_in_the_callers_words() {
        assert_eq!(
            conversion_message("conversion to `:: uuid :: Uuid` for pack_id failed").as_deref(),
            Some("pack_id: not a UUID")
        );
        assert_eq!(
            conversion_message("conversion to `:: std :: string :: String` for name failed")
                .as_deref(),
            Some("conversion to `std::string::String` for name failed")
        );
        assert_eq!(
            conversion_message("conversion to `UpdatePackRequest` for body failed: {}"),
            None,
            "already readable"
        );
        assert_eq!(conversion_message("invalid value"), None);

        let code = r#"
            impl<'a> UpdatePack<'a> {
                pub fn pack_id<V>(mut self, value: V) -> Self where V: TryInto<Uuid> {
                    self.pack_id = value.try_into().map_err(|_| {
                        "conversion to `:: uuid :: Uuid` for pack_id failed".to_string()
                    });
                    self
                }
            }
        "#;
        let mut file: syn::File = syn::parse_str(code).unwrap();
        rewrite(&mut file, &TypeIndex::new(&serde_json::json!({})));
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("\"pack_id: not a UUID\""), "{printed}");
    }
}
