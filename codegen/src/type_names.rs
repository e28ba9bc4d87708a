//! Which spec schema each of typify's generated type names comes from.
//!
//! typify names a component schema after its key and an inline property `p`
//! of schema `Parent` as `Parent` + PascalCase(`p`), recursively. The
//! post-generation passes ([`crate::messages`], [`crate::docs`]) use this
//! index to word their output after the spec (`UpdatePackRequest.name`)
//! and to find descriptions typify did not carry over.

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
pub(crate) fn index(doc: &Value) -> BTreeMap<String, Origin<'_>> {
    let mut index = BTreeMap::new();
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            collect(name, name, schema, &mut index);
        }
    }
    index
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

/// The origin of `name`; for names typify derives in other ways (a `oneOf`
/// variant such as `FontSizeString`) the origin of the longest known prefix.
pub(crate) fn origin<'m, 'a>(
    index: &'m BTreeMap<String, Origin<'a>>,
    name: &str,
) -> Option<&'m Origin<'a>> {
    index.get(name).or_else(|| {
        index
            .iter()
            .filter(|(type_name, _)| name.starts_with(type_name.as_str()))
            .max_by_key(|(type_name, _)| type_name.len())
            .map(|(_, origin)| origin)
    })
}

/// `advanced_settings` and `advancedSettings` both become `AdvancedSettings`.
pub(crate) fn pascal(name: &str) -> String {
    name.split(['_', '-', ' '])
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
        let index = index(&doc);
        assert_eq!(index["UpdateThingName"].label, "UpdateThing.name");
        assert_eq!(
            index["UpdateThingAdvancedSettingsTextWidth"].label,
            "UpdateThing.advanced_settings.text_width"
        );
        assert!(
            !index.contains_key("UpdateThingOther"),
            "refs are named types"
        );
        assert_eq!(origin(&index, "SizeString").unwrap().label, "Size");
        assert!(origin(&index, "Unrelated").is_none());
        assert_eq!(pascal("textSettings"), "TextSettings");
    }
}
