//! Request bodies must be able to say everything a PATCH needs to say.
//!
//! typify turns an optional property into a field that is skipped when it
//! holds its "empty" value: an optional nullable property becomes
//! `Option<T>` skipped when `None` (so JSON `null` can never be sent), and an
//! optional inline array becomes a `Vec<T>` skipped when empty (so `[]` can
//! never be sent). Both lose a state of a PATCH silently. A *named* schema
//! (a `$ref`) keeps every state: a named nullable schema becomes a tri-state
//! type, a named array a newtype that is only skipped when absent. So in
//! request bodies both must be `$ref`s.
//!
//! A schema may also name a hand-written Rust type with typify's
//! `x-rust-type` extension; typify ignores a malformed one with only a log
//! line, so its shape is checked here, and for `Nullable<T>` the type
//! parameter must be the schema itself without `nullable`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Finding;
use crate::document::{deref, operations, resolve};
use crate::json_path::JsonPath;
use crate::keywords;

use crate::NULLABLE_RUST_TYPE as NULLABLE_PATH;

pub(crate) fn check(doc: &Value, findings: &mut Vec<Finding>) {
    let mut visited = BTreeSet::new();
    for operation in operations(doc) {
        let Some(body) = operation.op.get("requestBody") else {
            continue;
        };
        let body_at = match body.get("$ref").and_then(Value::as_str) {
            Some(reference) => JsonPath::from_pointer(reference.trim_start_matches('#')),
            None => operation.at.key("requestBody"),
        };
        let body = deref(doc, body);
        let Some(Value::Object(content)) = body.get("content") else {
            continue;
        };
        for (media_type, media) in content {
            if let Some(schema) = media.get("schema") {
                let at = body_at
                    .key("content")
                    .key(media_type.as_str())
                    .key("schema");
                request_schema(doc, schema, &at, &mut visited, findings);
            }
        }
    }
    rust_types(doc, findings);
}

/// Walks a request schema; named schemas are visited once.
fn request_schema(
    doc: &Value,
    schema: &Value,
    at: &JsonPath,
    visited: &mut BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if visited.insert(reference.to_string())
            && let Some(target) = resolve(doc, reference)
        {
            let target_at = JsonPath::from_pointer(reference.trim_start_matches('#'));
            request_schema(doc, target, &target_at, visited, findings);
        }
        return;
    }
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, property) in properties {
            let property_at = at.key("properties").key(name.as_str());
            if required.contains(name.as_str()) {
                required_property(name, property, &property_at, findings);
            } else {
                optional_property(name, property, &property_at, findings);
            }
            request_schema(doc, property, &property_at, visited, findings);
        }
    }
    if let Some(items) = map.get("items") {
        request_schema(doc, items, &at.key("items"), visited, findings);
    }
    if let Some(additional @ Value::Object(_)) = map.get("additionalProperties") {
        request_schema(
            doc,
            additional,
            &at.key("additionalProperties"),
            visited,
            findings,
        );
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(schemas)) = map.get(combinator) {
            for (index, sub) in schemas.iter().enumerate() {
                request_schema(
                    doc,
                    sub,
                    &at.key(combinator).index(index),
                    visited,
                    findings,
                );
            }
        }
    }
}

fn optional_property(name: &str, property: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    if property.get("$ref").is_some() {
        return;
    }
    if property.get("nullable") == Some(&Value::Bool(true)) {
        findings.push((
            at.clone(),
            format!(
                "optional nullable request field `{name}` would be generated as `Option<T>`, which can never send `null`: move its schema to `components/schemas` as a named `Nullable…` schema (with `x-rust-type: {NULLABLE_PATH}`) and `$ref` it"
            ),
        ));
    }
    if property.get("type").and_then(Value::as_str) == Some("array") {
        findings.push((
            at.clone(),
            format!(
                "optional request array `{name}` would be generated as a `Vec` skipped when empty, so `[]` could never be sent: move its schema to `components/schemas` and `$ref` it"
            ),
        ));
    }
    if is_map(property) {
        findings.push((
            at.clone(),
            format!(
                "optional request map `{name}` would be generated as a map skipped when empty, so `{{}}` could never be sent: move its schema to `components/schemas` and `$ref` it"
            ),
        ));
    }
}

/// A required nullable field is generated as `Option<T>` (`None` sends
/// `null`), unlike every other clearable field; the named `Nullable…`
/// schema keeps one way to send `null`.
fn required_property(name: &str, property: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    if property.get("$ref").is_none() && property.get("nullable") == Some(&Value::Bool(true)) {
        findings.push((
            at.clone(),
            format!(
                "required nullable request field `{name}` would be generated as `Option<T>` (`None` sending `null`), unlike every other clearable field: move its schema to `components/schemas` as a named `Nullable…` schema (with `x-rust-type: {NULLABLE_PATH}`) and `$ref` it"
            ),
        ));
    }
}

/// An object whose values are described by `additionalProperties` alone.
fn is_map(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema.get("properties").is_none()
        && matches!(
            schema.get("additionalProperties"),
            Some(Value::Object(_) | Value::Bool(true))
        )
}

/// Checks every `x-rust-type` extension under `components/schemas`.
fn rust_types(doc: &Value, findings: &mut Vec<Finding>) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    for (name, schema) in schemas {
        let Some(extension) = schema.get("x-rust-type") else {
            continue;
        };
        let at = JsonPath::root()
            .key("components")
            .key("schemas")
            .key(name.as_str())
            .key("x-rust-type");
        let Some(extension) = extension.as_object() else {
            findings.push((at, "`x-rust-type` must be a mapping with `crate`, `version`, `path` (and optional `parameters`)".into()));
            continue;
        };
        let field = |key: &str| extension.get(key).and_then(Value::as_str);
        let (Some(krate), Some(version), Some(path)) =
            (field("crate"), field("version"), field("path"))
        else {
            findings.push((
                at,
                "`x-rust-type` needs string fields `crate`, `version` and `path`; typify ignores it otherwise".into(),
            ));
            continue;
        };
        if let Some(unknown) = extension
            .keys()
            .find(|key| !["crate", "version", "path", "parameters"].contains(&key.as_str()))
        {
            findings.push((
                at.key(unknown.as_str()),
                format!("unknown key `{unknown}` in `x-rust-type` (expected crate, version, path, parameters)"),
            ));
        }
        if semver_req_is_invalid(version) {
            findings.push((
                at.key("version"),
                format!("`{version}` is not a semver requirement (e.g. `*` or `0.1`)"),
            ));
        }
        let crate_ident = krate.replace('-', "_");
        if path.split("::").next() != Some(crate_ident.as_str()) || !path.contains("::") {
            findings.push((
                at.key("path"),
                format!("`{path}` must start with the crate name `{crate_ident}::`"),
            ));
        }
        if path == NULLABLE_PATH {
            nullable_parameter(doc, schema, extension, &at, findings);
        }
    }
}

/// `Nullable<T>` must wrap exactly the schema's non-null values.
fn nullable_parameter(
    doc: &Value,
    schema: &Value,
    extension: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    if schema.get("nullable") != Some(&Value::Bool(true)) {
        findings.push((
            at.clone(),
            format!("`{NULLABLE_PATH}` is only for schemas with `nullable: true`"),
        ));
        return;
    }
    let parameters = extension.get("parameters").and_then(Value::as_array);
    let Some([parameter]) = parameters.map(Vec::as_slice) else {
        findings.push((
            at.key("parameters"),
            format!(
                "`{NULLABLE_PATH}` takes exactly one type parameter: the schema without `nullable`"
            ),
        ));
        return;
    };
    let parameter_at = at.key("parameters").index(0);
    if let Some(reference) = parameter.get("$ref").and_then(Value::as_str)
        && resolve(doc, reference).is_none()
    {
        findings.push((
            parameter_at.key("$ref"),
            format!("`$ref: {reference}` does not resolve to anything in this document"),
        ));
        return;
    }
    let expected = constraints(schema);
    let actual = constraints(deref(doc, parameter));
    let inline_constraints: Vec<&String> = actual
        .keys()
        .filter(|key| !["type", "format", "$ref"].contains(&key.as_str()))
        .collect();
    if parameter.get("$ref").is_none() && !inline_constraints.is_empty() {
        // typify cannot name an inline constrained type and panics on it.
        findings.push((
            parameter_at,
            format!(
                "an inline type parameter may only have `type` and `format` (found {}): put the constrained schema in `components/schemas` and `$ref` it",
                inline_constraints
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        return;
    }
    if expected != actual {
        findings.push((
            parameter_at,
            format!(
                "the type parameter must constrain values exactly like the schema without `nullable`: expected {}, found {}",
                Value::Object(expected),
                Value::Object(actual)
            ),
        ));
    }
}

/// A schema's keys minus annotations and extensions.
fn constraints(schema: &Value) -> Map<String, Value> {
    schema
        .as_object()
        .map(|map| {
            map.iter()
                .filter(|(key, _)| {
                    !keywords::ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-")
                })
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Accepts what typify accepts (`semver::VersionReq`) in the forms a spec
/// uses: `*`, or comparators of dotted numbers such as `0.1`, `^1.2.3`.
fn semver_req_is_invalid(version: &str) -> bool {
    if version.trim() == "*" {
        return false;
    }
    !version.split(',').all(|comparator| {
        let comparator = comparator
            .trim()
            .trim_start_matches(['^', '~', '=', '>', '<']);
        let parts: Vec<&str> = comparator.split('.').collect();
        !comparator.is_empty()
            && parts.len() <= 3
            && parts.iter().all(|part| {
                *part == "*" || (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    use crate::test_documents::one_patch_operation as doc;

    fn messages(doc: &Value) -> Vec<String> {
        let mut findings = Vec::new();
        check(doc, &mut findings);
        findings
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect()
    }

    #[test]
    fn inline_optional_nullable_and_array_are_refused_with_their_path() {
        let found = messages(&doc(
            json!({"$ref": "#/components/schemas/Req"}),
            json!({"Req": {"type": "object", "required": ["kept"], "properties": {
                "note": {"type": "string", "nullable": true},
                "tags": {"type": "array", "items": {"type": "string"}},
                "kept": {"type": "array", "items": {"type": "string"}},
                "named": {"$ref": "#/components/schemas/Tags"}
            }}, "Tags": {"type": "array", "items": {"type": "string"}}}),
        ));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with(
            "$.components.schemas.Req.properties.note: optional nullable request field `note`"
        ));
        assert!(found[1].starts_with(
            "$.components.schemas.Req.properties.tags: optional request array `tags`"
        ));
    }

    #[test]
    fn nested_request_schemas_are_walked() {
        let found = messages(&doc(
            json!({"type": "object", "properties": {"inner": {"type": "object", "properties": {
                "deep": {"type": "string", "nullable": true}
            }}}}),
            json!({}),
        ));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("properties.inner.properties.deep"));
    }

    #[test]
    fn nullable_rust_type_must_wrap_the_same_constraints() {
        let extension = |parameter: Value| json!({"crate": "genviral-partner", "version": "*", "path": "genviral_partner::Nullable", "parameters": [parameter]});
        let ok = doc(
            json!({"type": "object"}),
            json!({
                "A": {"type": "string", "maxLength": 5, "nullable": true, "description": "d",
                      "x-rust-type": extension(json!({"$ref": "#/components/schemas/B"}))},
                "B": {"type": "string", "maxLength": 5, "description": "other words"},
                "C": {"type": "string", "format": "uuid", "nullable": true,
                      "x-rust-type": extension(json!({"type": "string", "format": "uuid"}))}
            }),
        );
        assert_eq!(messages(&ok), Vec::<String>::new());

        let drifted = doc(
            json!({"type": "object"}),
            json!({
                "A": {"type": "string", "maxLength": 5, "nullable": true,
                      "x-rust-type": extension(json!({"type": "string"}))},
                "D": {"type": "string", "x-rust-type": extension(json!({"type": "string"}))},
                "F": {"type": "string", "nullable": true, "maxLength": 3,
                      "x-rust-type": extension(json!({"type": "string", "maxLength": 3}))},
                "E": {"type": "string", "nullable": true,
                      "x-rust-type": extension(json!({"$ref": "#/components/schemas/Gone"}))}
            }),
        );
        let found = messages(&drifted);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("$.components.schemas.A.x-rust-type.parameters[0]: the type parameter must constrain values exactly like"));
        assert!(found[1].contains("only for schemas with `nullable: true`"));
        assert!(found[2].contains("`$ref: #/components/schemas/Gone` does not resolve"));
        assert!(found[3].contains(
            "an inline type parameter may only have `type` and `format` (found `maxLength`)"
        ));
    }

    #[test]
    fn malformed_rust_type_extensions_are_refused() {
        let found = messages(&doc(
            json!({"type": "object"}),
            json!({
                "A": {"type": "string", "x-rust-type": "genviral_partner::Nullable"},
                "B": {"type": "string", "x-rust-type": {"crate": "other", "version": "one", "path": "genviral_partner::X", "params": []}},
                "C": {"type": "string", "x-rust-type": {"crate": "c", "path": "c::X"}}
            }),
        ));
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].contains("must be a mapping"));
        assert!(found[1].contains("unknown key `params`"));
        assert!(found[2].contains("`one` is not a semver requirement"));
        assert!(found[3].contains("must start with the crate name `other::`"));
        assert!(found[4].contains("needs string fields"));
    }

    #[test]
    fn semver_requirements() {
        for ok in ["*", "0.1", "^1.2.3", ">=0.1, <0.3", "0.*"] {
            assert!(!semver_req_is_invalid(ok), "{ok}");
        }
        for bad in ["", "one", "1.2.3.4", "^"] {
            assert!(semver_req_is_invalid(bad), "{bad}");
        }
    }
}
