//! Semantic checks run before progenitor sees a spec.
//!
//! progenitor panics without a location on several spec mistakes (a dangling
//! `$ref`, a path parameter that does not match the template, two success
//! schemas on one operation) and silently accepts others. Each check here turns
//! one of those into a diagnostic with a JSON path. They work on the JSON tree,
//! not the typed model, so that the path is exact.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::document::{Operation, StatusClass, operations, resolve};
use crate::json_path::JsonPath;
use crate::names;

mod examples;
mod keys;
mod requests;

/// A problem and where it is.
pub(crate) type Finding = (JsonPath, String);

/// Runs every check; returns all findings (empty when the spec is acceptable).
pub(crate) fn check(doc: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !check_version(doc, &mut findings) {
        // A 3.1 (or non-OpenAPI) document is shaped differently; further
        // findings would only be noise.
        return findings;
    }
    keys::check(doc, &mut findings);
    check_refs(doc, doc, &JsonPath::root(), &mut findings);
    check_ref_cycles(doc, &mut findings);
    check_operations(doc, &mut findings);
    requests::check(doc, &mut findings);
    if findings.is_empty() {
        // Validating examples needs every `$ref` to resolve.
        examples::check(doc, &mut findings);
    }
    findings
}

fn check_version(doc: &Value, findings: &mut Vec<Finding>) -> bool {
    let at = JsonPath::root().key("openapi");
    match doc.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => true,
        Some(Value::String(version)) => {
            findings.push((
                at,
                format!(
                    "OpenAPI {version} is not supported: progenitor reads OpenAPI 3.0.x only; write `openapi: 3.0.3`"
                ),
            ));
            false
        }
        Some(other) => {
            findings.push((
                at,
                format!("expected a version string such as \"3.0.3\", found {other}"),
            ));
            false
        }
        None => {
            findings.push((
                JsonPath::root(),
                "missing `openapi` version field (expected \"3.0.3\")".into(),
            ));
            false
        }
    }
}

fn check_refs(doc: &Value, node: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = at.key(key);
                if key == "$ref" {
                    match value {
                        Value::String(reference) if reference.starts_with("#/") => {
                            if resolve(doc, reference).is_none() {
                                findings.push((
                                    here,
                                    format!("`$ref: {reference}` does not resolve to anything in this document"),
                                ));
                            }
                        }
                        Value::String(reference) => findings.push((
                            here,
                            format!("`$ref: {reference}` is not a local reference (`#/...`); external references are not supported"),
                        )),
                        other => findings.push((here, format!("`$ref` must be a string, found {other}"))),
                    }
                } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                    // Extensions and examples hold free-form data, not spec objects.
                    check_refs(doc, value, &here, findings);
                } else if key == "examples" {
                    // Example objects may be `$ref`s themselves; their `value`s are data.
                    if let Value::Object(examples) = value {
                        for (name, example) in examples {
                            if example.get("$ref").is_some() {
                                check_refs(doc, example, &here.key(name), findings);
                            }
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_refs(doc, item, &at.index(index), findings);
            }
        }
        _ => {}
    }
}

/// A component schema that is only a `$ref` leading back to itself
/// (`Loop: {$ref: Loop}`, or through others) describes no value; the
/// generated type would not compile.
fn check_ref_cycles(doc: &Value, findings: &mut Vec<Finding>) {
    const PREFIX: &str = "#/components/schemas/";
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let target = |name: &str| {
        schemas
            .get(name)?
            .get("$ref")?
            .as_str()?
            .strip_prefix(PREFIX)
            .map(str::to_string)
    };
    for start in schemas.keys() {
        let mut chain = vec![start.clone()];
        while let Some(next) = target(chain.last().map_or(start, |last| last)) {
            let cycle = chain.contains(&next);
            chain.push(next);
            if cycle {
                if chain.last() == Some(start) {
                    findings.push((
                        JsonPath::root().key("components").key("schemas").key(start),
                        format!("`$ref` cycle: {}", chain.join(" → ")),
                    ));
                }
                break;
            }
        }
    }
}

fn check_operations(doc: &Value, findings: &mut Vec<Finding>) {
    // By client method: `update-pack` and `update_pack` are one method.
    let mut seen_methods: BTreeMap<String, (&str, JsonPath)> = BTreeMap::new();
    for operation in operations(doc) {
        let name = operation.name();
        match operation.id() {
            Some(id) => {
                let at = operation.at.key("operationId");
                let method = names::snake(id);
                if let Some(problem) = names::method_name_problem(&method) {
                    findings.push((
                        at,
                        format!(
                            "operationId `{id}` names the client method `{method}`, which {problem}"
                        ),
                    ));
                } else if method.is_empty() {
                    findings.push((at, format!("operationId `{id}` has no letter or digit")));
                } else if let Some((first_id, first)) = seen_methods.get(&method) {
                    let message = if *first_id == id {
                        format!("duplicate operationId `{id}` (first used at {first})")
                    } else {
                        format!(
                            "operationId `{id}` names the same client method `{method}` as `{first_id}` at {first}"
                        )
                    };
                    findings.push((at, message));
                } else {
                    seen_methods.insert(method, (id, at));
                }
            }
            None => findings.push((
                operation.at.clone(),
                "missing operationId: progenitor names the client method after it".into(),
            )),
        }
        match operation.op.get("tags") {
            Some(Value::Array(tags)) if !tags.is_empty() => {}
            _ => findings.push((
                operation.at.clone(),
                format!("operation `{name}` has no tags: give it the tag of its resource"),
            )),
        }
        check_path_parameters(&operation, &name, findings);
        check_response_schemas(&operation, &name, findings);
    }
}

/// Names in a path template: `/packs/{packId}` → `{"packId"}`.
fn template_names(path: &str) -> BTreeSet<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn check_path_parameters(operation: &Operation<'_>, name: &str, findings: &mut Vec<Finding>) {
    let in_template = template_names(operation.path);
    let mut declared: BTreeMap<&str, JsonPath> = BTreeMap::new();
    for parameter in operation.path_parameters() {
        if parameter.name.is_empty() {
            continue;
        }
        if !parameter.is_required() {
            findings.push((
                parameter.at.clone(),
                format!(
                    "path parameter `{}` of `{name}` must have `required: true`",
                    parameter.name
                ),
            ));
        }
        declared.insert(parameter.name, parameter.at);
    }
    for missing in in_template.iter().filter(|n| !declared.contains_key(**n)) {
        findings.push((
            operation.at.clone(),
            format!(
                "operation `{name}`: path template `{}` uses `{{{missing}}}` but no path parameter `{missing}` is declared",
                operation.path
            ),
        ));
    }
    for (extra, at) in declared.iter().filter(|(n, _)| !in_template.contains(*n)) {
        findings.push((
            at.clone(),
            format!(
                "operation `{name}`: path parameter `{extra}` does not appear in the path template `{}`",
                operation.path
            ),
        ));
    }
}

/// Whether `key` can key a Responses Object: `default`, a status from 100
/// to 599, or a range `1XX` to `5XX`.
fn is_status_key(key: &str) -> bool {
    match key.as_bytes() {
        b"default" => true,
        [b'1'..=b'5', rest @ ..] if rest.len() == 2 => {
            rest == b"XX" || rest.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

fn check_response_schemas(operation: &Operation<'_>, name: &str, findings: &mut Vec<Finding>) {
    if operation
        .op
        .get("responses")
        .and_then(Value::as_object)
        .is_none()
    {
        findings.push((
            operation.at.clone(),
            format!("operation `{name}` has no `responses`"),
        ));
        return;
    }
    let responses = operation.responses();
    for response in &responses {
        if !is_status_key(response.status) {
            findings.push((
                response.at.clone(),
                format!(
                    "response key `{}` is not an HTTP status (100 to 599), a range (`4XX`) or `default`",
                    response.status
                ),
            ));
        }
    }
    let groups = [
        (
            "success",
            StatusClass::is_success as fn(StatusClass) -> bool,
        ),
        ("error", StatusClass::is_error),
    ];
    for (kind, belongs) in groups {
        let group: Vec<(&str, Option<&Value>)> = responses
            .iter()
            .filter(|response| belongs(response.class))
            .map(|response| (response.status, response.schema()))
            .collect();
        let mut distinct: Vec<Option<&Value>> = Vec::new();
        for (_, schema) in &group {
            if !distinct.contains(schema) {
                distinct.push(*schema);
            }
        }
        if distinct.len() > 1 {
            let statuses: Vec<String> = group
                .iter()
                .map(|(status, schema)| match schema {
                    Some(schema) => format!("{status} → {}", describe_schema(schema)),
                    None => format!("{status} → no body"),
                })
                .collect();
            findings.push((
                operation.at.key("responses"),
                format!(
                    "operation `{name}`: all {kind} responses must share one body schema (progenitor requires it), found: {}",
                    statuses.join(", ")
                ),
            ));
        }
    }
}

fn describe_schema(schema: &Value) -> String {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.to_string(),
        None => "an inline schema".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(doc: &Value) -> Vec<String> {
        check(doc)
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect()
    }

    fn minimal(paths: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {"schemas": {
                "Ok": {"type": "object"},
                "Err": {"type": "object"}
            }}
        })
    }

    fn ok_op(id: &str) -> Value {
        json!({
            "operationId": id,
            "tags": ["t"],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ok"}}}},
                "404": {"description": "no", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}}
            }
        })
    }

    #[test]
    fn a_correct_document_has_no_findings() {
        let doc = minimal(json!({"/a/{id}": {"patch": ok_op("a")}}));
        assert_eq!(messages(&doc), Vec::<String>::new());
    }

    #[test]
    fn openapi_3_1_is_refused() {
        let mut doc = minimal(json!({}));
        doc["openapi"] = json!("3.1.0");
        assert_eq!(
            messages(&doc),
            [
                "$.openapi: OpenAPI 3.1.0 is not supported: progenitor reads OpenAPI 3.0.x only; write `openapi: 3.0.3`"
            ]
        );
    }

    #[test]
    fn dangling_refs_are_reported_with_their_path() {
        let mut op = ok_op("a");
        op["responses"]["404"]["content"]["application/json"]["schema"]["$ref"] =
            json!("#/components/schemas/Missing");
        let doc = minimal(json!({"/a/{id}": {"patch": op}}));
        let found = messages(&doc);
        assert!(
            found.iter().any(|m| m == "$.paths['/a/{id}'].patch.responses['404'].content['application/json'].schema.$ref: `$ref: #/components/schemas/Missing` does not resolve to anything in this document"),
            "{found:?}"
        );
    }

    #[test]
    fn operation_ids_that_name_no_usable_method_are_reported() {
        let doc = minimal(json!({
            "/a/{id}": {"patch": ok_op("123update")},
            "/b/{id}": {"patch": ok_op("update_x"), "put": ok_op("update-x")},
            "/c/{id}": {"patch": ok_op("new")}
        }));
        let found = messages(&doc);
        for (at, expected) in [
            ("$.paths['/a/{id}'].patch", "starts with a digit"),
            (
                "$.paths['/b/{id}']",
                "names the same client method `update_x` as `update",
            ),
            (
                "$.paths['/c/{id}'].patch",
                "is already a method of the generated `Client`",
            ),
        ] {
            assert!(
                found
                    .iter()
                    .any(|m| m.starts_with(at) && m.contains(expected)),
                "{expected}: {found:#?}"
            );
        }
    }

    #[test]
    fn response_keys_must_be_statuses() {
        for (key, ok) in [
            ("200", true),
            ("4XX", true),
            ("default", true),
            ("599", true),
            ("999", false),
            ("abc", false),
            ("20", false),
            ("6XX", false),
        ] {
            assert_eq!(is_status_key(key), ok, "{key}");
        }
        let mut op = ok_op("update_x");
        op["responses"]["999"] = json!({"description": "d"});
        let found = messages(&minimal(json!({"/a/{id}": {"patch": op}})));
        assert!(
            found.iter().any(|m| m.starts_with(
                "$.paths['/a/{id}'].patch.responses['999']: response key `999` is not an HTTP status"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn missing_and_duplicate_operation_ids_are_reported() {
        let mut nameless = ok_op("x");
        nameless.as_object_mut().unwrap().remove("operationId");
        let doc = minimal(json!({
            "/a/{id}": {"patch": ok_op("same"), "get": ok_op("same")},
            "/b/{id}": {"patch": nameless}
        }));
        let found = messages(&doc);
        assert!(
            found.iter().any(|m| m
                .starts_with("$.paths['/a/{id}'].patch.operationId: duplicate operationId `same`")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("$.paths['/b/{id}'].patch: missing operationId")),
            "{found:?}"
        );
    }

    #[test]
    fn path_template_and_parameters_must_match() {
        let doc = minimal(json!({"/a/{packId}": {"patch": ok_op("a")}}));
        let found = messages(&doc);
        assert!(
            found
                .iter()
                .any(|m| m.contains("uses `{packId}` but no path parameter `packId` is declared")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|m| m.contains(
                "path parameter `id` does not appear in the path template `/a/{packId}`"
            )),
            "{found:?}"
        );
    }

    #[test]
    fn two_error_schemas_on_one_operation_are_reported_with_the_operation_named() {
        let mut op = ok_op("update_thing");
        op["responses"]["500"] = json!({"description": "boom", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ok"}}}});
        let doc = minimal(json!({"/a/{id}": {"patch": op}}));
        let found = messages(&doc);
        assert!(
            found.iter().any(|m| m.contains(
                "operation `update_thing`: all error responses must share one body schema"
            ) && m.contains("404 → #/components/schemas/Err")
                && m.contains("500 → #/components/schemas/Ok")),
            "{found:?}"
        );
    }

    #[test]
    fn operations_without_tags_are_reported() {
        let mut op = ok_op("a");
        op.as_object_mut().unwrap().remove("tags");
        let doc = minimal(json!({"/a/{id}": {"patch": op}}));
        assert!(
            messages(&doc)
                .iter()
                .any(|m| m.contains("operation `a` has no tags"))
        );
    }
}
