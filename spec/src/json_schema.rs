//! OpenAPI 3.0 Schema Objects as JSON Schema (2020-12), so a standard
//! validator (the `jsonschema` crate) can check examples and recorded
//! payloads independently of the generated serde types.
//!
//! The differences that matter: 3.0's `nullable: true` becomes an explicit
//! `null` type (or enum member); draft-4 style boolean `exclusiveMinimum`/
//! `exclusiveMaximum` become numeric bounds; OpenAPI-only keywords are
//! dropped (2020-12 is the target because it defines the `uuid` format); and
//! `#/components/schemas/...` references keep working because the converted
//! components are embedded at the same place in the validator's root.

use serde_json::{Map, Value, json};

use crate::keywords;

/// Converts one OpenAPI 3.0 schema (which may contain `$ref`s into `doc`)
/// into a self-contained JSON Schema document.
///
/// Only the components `schema` reaches through `$ref`s are embedded: with
/// every component, validating each example of a document cost time in
/// proportion to the whole document, so loading grew with the square of
/// its size (BENCHMARKS.md, "Generation speed and scale").
pub fn for_schema(doc: &Value, schema: &Value) -> Value {
    let mut schemas = Map::new();
    if let Some(components) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        let mut pending = Vec::new();
        component_refs(schema, &mut pending);
        while let Some(name) = pending.pop() {
            if schemas.contains_key(&name) {
                continue;
            }
            // A dangling reference stays dangling: the validator reports it.
            if let Some(component) = components.get(&name) {
                component_refs(component, &mut pending);
                schemas.insert(name, convert(component));
            }
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [convert(schema)],
        "components": {"schemas": schemas},
    })
}

/// Pushes the name of every `#/components/schemas/<name>` reference in
/// `value` (JSON pointer escapes `~1` and `~0` undone).
fn component_refs(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                            names.push(name.replace("~1", "/").replace("~0", "~"));
                        }
                    }
                    _ => component_refs(child, names),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| component_refs(item, names)),
        _ => {}
    }
}

/// Converts a schema and everything nested in it.
pub fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if map.contains_key("$ref") {
        // Siblings of `$ref` are ignored in OpenAPI 3.0.
        return json!({"$ref": map["$ref"]});
    }
    let mut out = Map::new();
    for (key, value) in map {
        if keywords::OPENAPI_ONLY.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .map(|properties| {
                        properties
                            .iter()
                            .map(|(name, schema)| (name.clone(), convert(schema)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "items" | "not" => convert(value),
            "additionalProperties" if value.is_object() => convert(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .map(|schemas| schemas.iter().map(convert).collect())
                    .unwrap_or_default(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match out.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = out.remove(bound) {
                    out.insert(flag.to_string(), limit);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(flag);
            }
            _ => {}
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        make_nullable(out)
    } else {
        Value::Object(out)
    }
}

fn make_nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(t)) => {
            schema.insert("type".into(), json!([t, "null"]));
            Value::Object(schema)
        }
        // No `type` (e.g. `allOf: [$ref]` + nullable): null or the schema.
        _ => json!({"anyOf": [{"type": "null"}, Value::Object(schema)]}),
    }
}

/// Validates `instance` against the OpenAPI `schema`; returns one message per
/// violation, each with the instance location (JSON pointer) it concerns.
pub fn validate(doc: &Value, schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
    let converted = for_schema(doc, schema);
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&converted)
    {
        Ok(validator) => validator,
        Err(e) => return Err(vec![format!("the schema itself is invalid: {e}")]),
    };
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            format!("at {at}: {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Id": {"type": "string", "format": "uuid", "nullable": true},
            "Thing": {
                "type": "object",
                "required": ["id", "kind"],
                "properties": {
                    "id": {"$ref": "#/components/schemas/Id"},
                    "kind": {"type": "string", "enum": ["a", "b"], "nullable": true, "example": "a"},
                    "child": {"allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": true}
                }
            }
        }}})
    }

    #[test]
    fn nullable_refs_enums_and_nested_refs_validate() {
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let ok = json!({"id": null, "kind": null, "child": {"id": "11111111-1111-1111-1111-111111111111", "kind": "b", "child": null}});
        assert_eq!(validate(&doc(), &schema, &ok), Ok(()));
    }

    #[test]
    fn only_reachable_components_are_embedded() {
        let mut doc = doc();
        doc["components"]["schemas"]["Unrelated"] = json!({"type": "string"});
        doc["components"]["schemas"]["a/b~c"] = json!({"$ref": "#/components/schemas/Thing"});
        let converted = for_schema(&doc, &json!({"$ref": "#/components/schemas/a~1b~0c"}));
        let mut names: Vec<&String> = converted["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        names.sort();
        assert_eq!(names, ["Id", "Thing", "a/b~c"]);
        assert!(
            for_schema(&doc, &json!({"type": "integer"}))["components"]["schemas"]
                .as_object()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let schema = json!({"type": "integer", "minimum": 8, "exclusiveMinimum": true, "maximum": 200, "exclusiveMaximum": false});
        assert_eq!(
            convert(&schema),
            json!({"type": "integer", "exclusiveMinimum": 8, "maximum": 200})
        );
        assert!(validate(&json!({}), &schema, &json!(8)).is_err());
        assert!(validate(&json!({}), &schema, &json!(200)).is_ok());
    }

    #[test]
    fn violations_name_the_instance_location() {
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let bad = json!({"id": "not-a-uuid", "kind": "c"});
        let errors = validate(&doc(), &schema, &bad).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("at /id:")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("at /kind:")),
            "{errors:?}"
        );
    }
}
