//! Every example must validate against its schema.
//!
//! Examples are what readers copy and what the docs render; an example that
//! contradicts its schema means one of them is wrong. Checked with a real
//! JSON Schema validator on the converted schema (see [`crate::json_schema`]).

use serde_json::Value;

use super::Finding;
use crate::document::{deref, operations};
use crate::json_path::JsonPath;
use crate::json_schema;

/// Checks media-type, parameter, header and schema examples.
pub(crate) fn check(doc: &Value, findings: &mut Vec<Finding>) {
    for operation in operations(doc) {
        if let Some(Value::Array(parameters)) = operation.op.get("parameters") {
            for (index, parameter) in parameters.iter().enumerate() {
                examples_beside_schema(
                    doc,
                    deref(doc, parameter),
                    &operation.at.key("parameters").index(index),
                    findings,
                );
            }
        }
        if let Some(body) = operation.op.get("requestBody") {
            content(
                doc,
                deref(doc, body),
                &operation.at.key("requestBody"),
                findings,
            );
        }
        if let Some(Value::Object(responses)) = operation.op.get("responses") {
            for (status, response) in responses {
                let at = operation.at.key("responses").key(status.as_str());
                // Shared responses are checked once, where they are defined.
                if response.get("$ref").is_none() {
                    response_object(doc, response, &at, findings);
                }
            }
        }
    }
    let components = JsonPath::root().key("components");
    if let Some(Value::Object(responses)) = doc.pointer("/components/responses") {
        for (name, response) in responses {
            response_object(
                doc,
                response,
                &components.key("responses").key(name.as_str()),
                findings,
            );
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            schema_examples(
                doc,
                schema,
                &components.key("schemas").key(name.as_str()),
                findings,
            );
        }
    }
}

fn response_object(doc: &Value, response: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    content(doc, response, at, findings);
    if let Some(Value::Object(headers)) = response.get("headers") {
        for (name, header) in headers {
            examples_beside_schema(
                doc,
                deref(doc, header),
                &at.key("headers").key(name.as_str()),
                findings,
            );
        }
    }
}

/// The media types under `content` of a request body or response.
fn content(doc: &Value, owner: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    if let Some(Value::Object(media_types)) = owner.get("content") {
        for (media_type, media) in media_types {
            examples_beside_schema(
                doc,
                media,
                &at.key("content").key(media_type.as_str()),
                findings,
            );
        }
    }
}

/// An object with a `schema` and `example`/`examples` (media type,
/// parameter, header).
fn examples_beside_schema(doc: &Value, node: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    let Some(schema) = node.get("schema") else {
        return;
    };
    if let Some(example) = node.get("example") {
        validate(doc, schema, example, &at.key("example"), findings);
    }
    if let Some(Value::Object(examples)) = node.get("examples") {
        for (name, example) in examples {
            let example = deref(doc, example);
            if let Some(value) = example.get("value") {
                validate(
                    doc,
                    schema,
                    value,
                    &at.key("examples").key(name.as_str()).key("value"),
                    findings,
                );
            }
        }
    }
}

/// `example`s written on schemas themselves, at any depth.
fn schema_examples(doc: &Value, schema: &Value, at: &JsonPath, findings: &mut Vec<Finding>) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(example) = map.get("example") {
        validate(doc, schema, example, &at.key("example"), findings);
    }
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties {
                    schema_examples(
                        doc,
                        property,
                        &at.key("properties").key(name.as_str()),
                        findings,
                    );
                }
            }
            ("items" | "not" | "additionalProperties", child) => {
                schema_examples(doc, child, &at.key(key.as_str()), findings);
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(children)) => {
                for (index, child) in children.iter().enumerate() {
                    schema_examples(doc, child, &at.key(key.as_str()).index(index), findings);
                }
            }
            _ => {}
        }
    }
}

fn validate(
    doc: &Value,
    schema: &Value,
    example: &Value,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    if let Err(errors) = json_schema::validate(doc, schema, example) {
        for error in errors {
            findings.push((
                at.clone(),
                format!("example does not match its schema: {error}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn media_type_and_schema_examples_are_validated() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"patch": {
                "operationId": "a",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"},
                    "examples": {
                        "good": {"value": {"count": 1}},
                        "bad": {"summary": "wrong type", "value": {"count": "one"}}
                    }
                }}}}
            }}},
            "components": {"schemas": {"Thing": {
                "type": "object",
                "properties": {"count": {"type": "integer", "example": 1.5}}
            }}}
        });
        let mut findings = Vec::new();
        check(&doc, &mut findings);
        let found: Vec<String> = findings
            .iter()
            .map(|(at, m)| format!("{at}: {m}"))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("$.paths['/a'].patch.responses['200'].content['application/json'].examples.bad.value: example does not match its schema: at /count:"), "{found:?}");
        assert!(found[1].starts_with("$.components.schemas.Thing.properties.count.example: example does not match its schema"), "{found:?}");
    }
}
