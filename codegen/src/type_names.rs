//! Which spec schema each of typify's generated type names comes from.
//!
//! typify names a component schema after its key and an inline property `p`
//! of schema `Parent` as `Parent` + PascalCase(`p`), recursively. The
//! post-generation passes (conversion messages, doc comments) use this
//! index to word their output after the spec (`UpdatePackRequest.name`)
//! and to find descriptions typify did not carry over. It is built once per
//! generation ([`TypeIndex::new`]) and shared by the passes.

use std::collections::BTreeMap;

use serde_json::Value;

/// A generated type's origin in the spec.
#[derive(Debug, Clone)]
pub(crate) struct Origin<'a> {
    /// Dotted place in the spec, e.g. `SlideshowSettingsPatch.advanced_settings`.
    pub label: String,
    /// The schema the type was generated from.
    pub schema: &'a Value,
}

/// Type name to origin, for every component schema and its inline properties.
pub(crate) struct TypeIndex<'a>(BTreeMap<String, Origin<'a>>);

impl<'a> TypeIndex<'a> {
    pub(crate) fn new(doc: &'a Value) -> Self {
        let mut index = BTreeMap::new();
        if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
            for (name, schema) in schemas {
                collect(name, name, schema, &mut index);
            }
        }
        TypeIndex(index)
    }

    /// The origin of `name`; for names typify derives in other ways (a
    /// `oneOf` variant such as `FontSizeString`) the origin of the longest
    /// known prefix.
    pub(crate) fn origin(&self, name: &str) -> Option<&Origin<'a>> {
        self.0.get(name).or_else(|| {
            self.0
                .iter()
                .filter(|(type_name, _)| name.starts_with(type_name.as_str()))
                .max_by_key(|(type_name, _)| type_name.len())
                .map(|(_, origin)| origin)
        })
    }
}

fn collect<'a>(
    type_name: &str,
    label: &str,
    schema: &'a Value,
    index: &mut BTreeMap<String, Origin<'a>>,
) {
    index.insert(
        type_name.to_string(),
        Origin {
            label: label.to_string(),
            schema,
        },
    );
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return;
    };
    for (property, sub) in properties {
        if sub.get("$ref").is_none() {
            collect(
                &format!("{type_name}{}", pascal(property)),
                &format!("{label}.{property}"),
                sub,
                index,
            );
        }
    }
}

/// PascalCase as typify (and Rust enum variants) write it: words split at
/// any character that is not a letter or digit, each capitalised, the rest
/// kept: `advanced_settings` and `advancedSettings` both become
/// `AdvancedSettings`, `invalid-json` becomes `InvalidJson`.
pub(crate) fn pascal(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

pub(crate) use spec::names::snake;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_follow_typify() {
        let doc = json!({"components": {"schemas": {
            "UpdateThing": {"type": "object", "properties": {
                "name": {"type": "string", "minLength": 1},
                "advanced_settings": {"type": "object", "properties": {
                    "text_width": {"type": "string", "enum": ["default", "narrow"]}
                }},
                "other": {"$ref": "#/components/schemas/Size"}
            }},
            "Size": {"oneOf": [{"type": "string", "enum": ["default"]}, {"type": "integer"}]}
        }}});
        let index = TypeIndex::new(&doc);
        assert_eq!(index.0["UpdateThingName"].label, "UpdateThing.name");
        assert_eq!(
            index.0["UpdateThingAdvancedSettingsTextWidth"].label,
            "UpdateThing.advanced_settings.text_width"
        );
        assert!(
            !index.0.contains_key("UpdateThingOther"),
            "refs are named types"
        );
        assert_eq!(index.origin("SizeString").unwrap().label, "Size");
        assert!(index.origin("Unrelated").is_none());
    }

    #[test]
    fn pascal_case_for_types_and_variants() {
        assert_eq!(pascal("textSettings"), "TextSettings");
        assert_eq!(pascal("advanced_settings"), "AdvancedSettings");
        assert_eq!(pascal("not_found"), "NotFound");
        assert_eq!(pascal("template_name_conflict"), "TemplateNameConflict");
        assert_eq!(pascal("invalid-json"), "InvalidJson");
    }
}
