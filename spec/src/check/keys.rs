//! Unknown keys: `nulable`, `requird`, `descripton` …
//!
//! `openapiv3` ignores keys it does not know, so a typo silently drops the
//! constraint it was meant to express (a `nulable: true` field becomes
//! non-nullable, a `requird` list makes every field optional). This walks the
//! document with the OpenAPI 3.0.3 object definitions and reports every key
//! that is neither defined for that object nor an `x-` extension. It also
//! rejects the OpenAPI 3.1 / JSON Schema 2020 way of writing nullability,
//! which 3.0 tools misread, a keyword whose value has the wrong shape
//! (`minLength: one`), and a `required` property the schema does not
//! declare.

use serde_json::{Map, Value};

use super::Finding;
use crate::constraints::JsonType;
use crate::json_path::JsonPath;
use crate::keywords;

/// The kinds of object this check knows the keys of.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Document => "OpenAPI document",
            Kind::Info => "Info",
            Kind::Contact => "Contact",
            Kind::License => "License",
            Kind::Server => "Server",
            Kind::ServerVariable => "Server Variable",
            Kind::Components => "Components",
            Kind::PathItem => "Path Item",
            Kind::Operation => "Operation",
            Kind::ExternalDocs => "External Documentation",
            Kind::Parameter => "Parameter",
            Kind::RequestBody => "Request Body",
            Kind::MediaType => "Media Type",
            Kind::Encoding => "Encoding",
            Kind::Response => "Response",
            Kind::Example => "Example",
            Kind::Link => "Link",
            Kind::Header => "Header",
            Kind::Tag => "Tag",
            Kind::Schema => "Schema",
            Kind::Discriminator => "Discriminator",
            Kind::Xml => "XML",
            Kind::SecurityScheme => "Security Scheme",
            Kind::OAuthFlows => "OAuth Flows",
            Kind::OAuthFlow => "OAuth Flow",
        }
    }

    /// The fixed fields OpenAPI 3.0.3 defines for this object.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Document => &[
                "openapi",
                "info",
                "servers",
                "paths",
                "components",
                "security",
                "tags",
                "externalDocs",
            ],
            Kind::Info => &[
                "title",
                "description",
                "termsOfService",
                "contact",
                "license",
                "version",
            ],
            Kind::Contact => &["name", "url", "email"],
            Kind::License => &["name", "url"],
            Kind::Server => &["url", "description", "variables"],
            Kind::ServerVariable => &["enum", "default", "description"],
            Kind::Components => &[
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
            ],
            Kind::PathItem => &[
                "$ref",
                "summary",
                "description",
                "get",
                "put",
                "post",
                "delete",
                "options",
                "head",
                "patch",
                "trace",
                "servers",
                "parameters",
            ],
            Kind::Operation => &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "callbacks",
                "deprecated",
                "security",
                "servers",
            ],
            Kind::ExternalDocs => &["description", "url"],
            Kind::Parameter => &PARAMETER_FIELDS,
            Kind::RequestBody => &["description", "content", "required"],
            Kind::MediaType => &["schema", "example", "examples", "encoding"],
            Kind::Encoding => &[
                "contentType",
                "headers",
                "style",
                "explode",
                "allowReserved",
            ],
            Kind::Response => &["description", "headers", "content", "links"],
            Kind::Example => &["summary", "description", "value", "externalValue"],
            Kind::Link => &[
                "operationRef",
                "operationId",
                "parameters",
                "requestBody",
                "description",
                "server",
            ],
            // A Header Object is a Parameter Object without `name` and `in`.
            Kind::Header => &PARAMETER_FIELDS[2..],
            Kind::Tag => &["name", "description", "externalDocs"],
            Kind::Schema => &keywords::SCHEMA,
            Kind::Discriminator => &["propertyName", "mapping"],
            Kind::Xml => &["name", "namespace", "prefix", "attribute", "wrapped"],
            Kind::SecurityScheme => &[
                "type",
                "description",
                "name",
                "in",
                "scheme",
                "bearerFormat",
                "flows",
                "openIdConnectUrl",
            ],
            Kind::OAuthFlows => &[
                "implicit",
                "password",
                "clientCredentials",
                "authorizationCode",
            ],
            Kind::OAuthFlow => &["authorizationUrl", "tokenUrl", "refreshUrl", "scopes"],
        }
    }
}

/// The JSON Schema types OpenAPI 3.0 allows in `type`.
/// The fixed fields of a Parameter Object; `name` and `in` come first
/// because a Header Object has all the others.
const PARAMETER_FIELDS: [&str; 13] = [
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Reports unknown keys and 3.1-style nullability anywhere in `doc`.
pub(crate) fn check(doc: &Value, findings: &mut Vec<Finding>) {
    visit(doc, Kind::Document, &JsonPath::root(), findings);
}

fn visit(node: &Value, kind: Kind, at: &JsonPath, findings: &mut Vec<Finding>) {
    let Value::Object(map) = node else {
        return;
    };
    // A Reference Object stands in for the object; its target is checked where it is defined.
    if map.contains_key("$ref") && !matches!(kind, Kind::PathItem) {
        for key in map.keys().filter(|k| *k != "$ref") {
            findings.push((
                at.key(key.as_str()),
                format!("`{key}` beside `$ref` is ignored in OpenAPI 3.0; move it into the referenced {}", kind.name()),
            ));
        }
        check_ref_section(map, kind, at, findings);
        return;
    }
    for key in map.keys() {
        if !key.starts_with("x-") && !kind.keys().contains(&key.as_str()) {
            findings.push((at.key(key.as_str()), unknown_key_message(key, kind)));
        }
    }
    if let Kind::Schema = kind {
        check_schema_type(map, at, findings);
        check_keyword_values(map, at, findings);
        check_values_fit_the_type(map, at, findings);
        check_required_are_declared(map, at, findings);
    }
    for (key, value) in map {
        let here = at.key(key.as_str());
        for ((child, child_at), child_kind) in children(kind, key, value, &here) {
            visit(child, child_kind, &child_at, findings);
        }
    }
}

/// Where `components` keeps the objects of a kind a local `$ref` may name.
fn components_section(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Schema => Some("schemas"),
        Kind::Parameter => Some("parameters"),
        Kind::RequestBody => Some("requestBodies"),
        Kind::Response => Some("responses"),
        Kind::Example => Some("examples"),
        Kind::Header => Some("headers"),
        Kind::Link => Some("links"),
        Kind::SecurityScheme => Some("securitySchemes"),
        _ => None,
    }
}

/// A local `$ref` must name an object of the kind it stands for (`#/info`
/// in a schema's place is no schema); where it does not resolve is
/// `check_refs`' finding.
fn check_ref_section(
    map: &Map<String, Value>,
    kind: Kind,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let (Some(Value::String(reference)), Some(section)) =
        (map.get("$ref"), components_section(kind))
    else {
        return;
    };
    let prefix = format!("#/components/{section}/");
    if reference.starts_with("#/") && !reference.starts_with(&prefix) {
        findings.push((
            at.key("$ref"),
            format!(
                "`$ref: {reference}` stands for a {} here: it must name one under `{prefix}`",
                kind.name()
            ),
        ));
    }
}

fn unknown_key_message(key: &str, kind: Kind) -> String {
    let suggestion = kind
        .keys()
        .iter()
        .filter(|known| edit_distance(key, known) <= 2)
        .min_by_key(|known| edit_distance(key, known));
    match suggestion {
        Some(known) => format!(
            "unknown key `{key}` in a {} object (did you mean `{known}`?)",
            kind.name()
        ),
        None => format!(
            "unknown key `{key}` in a {} object (OpenAPI 3.0.3 defines: {}; custom keys must start with `x-`)",
            kind.name(),
            kind.keys().join(", ")
        ),
    }
}

fn check_schema_type(map: &Map<String, Value>, at: &JsonPath, findings: &mut Vec<Finding>) {
    match map.get("type") {
        None => {}
        Some(Value::String(t)) if SCHEMA_TYPES.contains(&t.as_str()) => {}
        Some(Value::String(t)) if t == "null" => findings.push((
            at.key("type"),
            "`type: null` is OpenAPI 3.1; in 3.0 add `nullable: true` to the non-null schema instead".into(),
        )),
        Some(Value::Array(_)) => findings.push((
            at.key("type"),
            "a list of types (e.g. `[string, \"null\"]`) is OpenAPI 3.1; in 3.0 write one type and `nullable: true`".into(),
        )),
        Some(other) => findings.push((
            at.key("type"),
            format!("`type` must be one of {SCHEMA_TYPES:?}, found {other}"),
        )),
    }
}

/// The Schema Object keywords whose value has one JSON shape, and that
/// shape (OpenAPI 3.0.3, section 4.7.24, and JSON Schema Validation).
const KEYWORD_SHAPES: [(&str, Shape); 17] = [
    ("maxLength", Shape::Count),
    ("minLength", Shape::Count),
    ("maxItems", Shape::Count),
    ("minItems", Shape::Count),
    ("maxProperties", Shape::Count),
    ("minProperties", Shape::Count),
    ("minimum", Shape::Number),
    ("maximum", Shape::Number),
    ("multipleOf", Shape::Number),
    ("exclusiveMinimum", Shape::Boolean),
    ("exclusiveMaximum", Shape::Boolean),
    ("uniqueItems", Shape::Boolean),
    ("nullable", Shape::Boolean),
    ("readOnly", Shape::Boolean),
    ("writeOnly", Shape::Boolean),
    ("pattern", Shape::Text),
    ("required", Shape::Names),
];

/// The JSON shape a keyword's value must have.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A non-negative integer.
    Count,
    Number,
    Boolean,
    Text,
    /// A list of strings.
    Names,
}

impl Shape {
    fn fits(self, value: &Value) -> bool {
        match self {
            Shape::Count => value.as_u64().is_some(),
            Shape::Number => value.is_number(),
            Shape::Boolean => value.is_boolean(),
            Shape::Text => value.is_string(),
            Shape::Names => value
                .as_array()
                .is_some_and(|names| names.iter().all(Value::is_string)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Shape::Count => "a non-negative integer",
            Shape::Number => "a number",
            Shape::Boolean => "`true` or `false` (in OpenAPI 3.0)",
            Shape::Text => "a string",
            Shape::Names => "a list of property names",
        }
    }
}

/// A keyword whose value has the wrong shape (`minLength: one`) is named
/// where it is, not where some example later fails to validate against it.
fn check_keyword_values(map: &Map<String, Value>, at: &JsonPath, findings: &mut Vec<Finding>) {
    for (keyword, shape) in KEYWORD_SHAPES {
        if let Some(value) = map.get(keyword)
            && !shape.fits(value)
        {
            findings.push((
                at.key(keyword),
                format!("`{keyword}` must be {}, found {value}", shape.describe()),
            ));
        }
    }
}

/// `enum` values and the `default` of a schema with a `type` must be of
/// that type (`null` where `nullable: true`): typify cannot make a Rust
/// value of another, and the client would not compile.
fn check_values_fit_the_type(map: &Map<String, Value>, at: &JsonPath, findings: &mut Vec<Finding>) {
    let Some(ty) = map
        .get("type")
        .and_then(Value::as_str)
        .and_then(JsonType::from_name)
    else {
        return;
    };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    let fits = |value: &Value| match value {
        Value::Null => nullable,
        _ => ty.accepts(value),
    };
    let mut values: Vec<(JsonPath, &Value)> = Vec::new();
    if let Some(Value::Array(choices)) = map.get("enum") {
        values.extend(
            choices
                .iter()
                .enumerate()
                .map(|(i, v)| (at.key("enum").index(i), v)),
        );
    }
    if let Some(default) = map.get("default") {
        values.push((at.key("default"), default));
    }
    for (here, value) in values {
        if !fits(value) {
            findings.push((
                here,
                format!("{value} is not of the schema's type `{}`", ty.name()),
            ));
        }
    }
}

/// A required property the schema does not declare: the generator would
/// type it as any JSON value. Only checked where the properties are all
/// local (no `allOf`/`oneOf`/`anyOf` to bring others, and no
/// `additionalProperties` to allow any).
fn check_required_are_declared(
    map: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let composed = ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|key| map.contains_key(*key));
    let open = map
        .get("additionalProperties")
        .is_some_and(|additional| additional != &Value::Bool(false));
    let (Some(Value::Array(required)), false, false) = (map.get("required"), composed, open) else {
        return;
    };
    let properties = map.get("properties").and_then(Value::as_object);
    for (index, name) in required.iter().enumerate() {
        if let Some(name) = name.as_str()
            && !properties.is_some_and(|properties| properties.contains_key(name))
        {
            findings.push((
                at.key("required").index(index),
                format!("required property `{name}` is not in `properties`"),
            ));
        }
    }
}

/// A child node and where it is.
type Child<'a> = (&'a Value, JsonPath);

/// The children of `value` (the member `key` of a `kind` object) that are
/// themselves OpenAPI objects, with their kinds.
fn children<'a>(kind: Kind, key: &str, value: &'a Value, at: &JsonPath) -> Vec<(Child<'a>, Kind)> {
    let one = |k: Kind| vec![((value, at.clone()), k)];
    let each_in_map = |k: Kind| -> Vec<(Child<'a>, Kind)> {
        match value {
            Value::Object(map) => map
                .iter()
                .map(|(name, child)| ((child, at.key(name.as_str())), k))
                .collect(),
            _ => Vec::new(),
        }
    };
    let each_in_list = |k: Kind| -> Vec<(Child<'a>, Kind)> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, child)| ((child, at.index(index)), k))
                .collect(),
            _ => Vec::new(),
        }
    };
    if key.starts_with("x-") {
        return Vec::new();
    }
    match (kind, key) {
        (Kind::Document, "info") => one(Kind::Info),
        (Kind::Document, "servers")
        | (Kind::PathItem, "servers")
        | (Kind::Operation, "servers") => each_in_list(Kind::Server),
        (Kind::Document, "paths") => each_in_map(Kind::PathItem),
        (Kind::Document, "components") => one(Kind::Components),
        (Kind::Document, "tags") => each_in_list(Kind::Tag),
        (_, "externalDocs") => one(Kind::ExternalDocs),
        (Kind::Info, "contact") => one(Kind::Contact),
        (Kind::Info, "license") => one(Kind::License),
        (Kind::Server, "variables") => each_in_map(Kind::ServerVariable),
        (Kind::Components, "schemas") => each_in_map(Kind::Schema),
        (Kind::Components, "responses") => each_in_map(Kind::Response),
        (Kind::Components, "parameters") => each_in_map(Kind::Parameter),
        (Kind::Components, "examples") => each_in_map(Kind::Example),
        (Kind::Components, "requestBodies") => each_in_map(Kind::RequestBody),
        (Kind::Components, "headers") => each_in_map(Kind::Header),
        (Kind::Components, "securitySchemes") => each_in_map(Kind::SecurityScheme),
        (Kind::Components, "links") => each_in_map(Kind::Link),
        (Kind::PathItem, method) if crate::document::METHODS.contains(&method) => {
            one(Kind::Operation)
        }
        (Kind::PathItem, "parameters") | (Kind::Operation, "parameters") => {
            each_in_list(Kind::Parameter)
        }
        (Kind::Operation, "requestBody") => one(Kind::RequestBody),
        (Kind::Operation, "responses") => each_in_map(Kind::Response),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => one(Kind::Schema),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => {
            each_in_map(Kind::Example)
        }
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
            each_in_map(Kind::MediaType)
        }
        (Kind::MediaType, "encoding") => each_in_map(Kind::Encoding),
        (Kind::Encoding | Kind::Response, "headers") => each_in_map(Kind::Header),
        (Kind::Response, "links") => each_in_map(Kind::Link),
        (Kind::Schema, "properties") => each_in_map(Kind::Schema),
        (Kind::Schema, "items" | "not") => one(Kind::Schema),
        (Kind::Schema, "additionalProperties") if value.is_object() => one(Kind::Schema),
        (Kind::Schema, "allOf" | "oneOf" | "anyOf") => each_in_list(Kind::Schema),
        (Kind::Schema, "discriminator") => one(Kind::Discriminator),
        (Kind::Schema, "xml") => one(Kind::Xml),
        (Kind::SecurityScheme, "flows") => one(Kind::OAuthFlows),
        (Kind::OAuthFlows, _) => one(Kind::OAuthFlow),
        _ => Vec::new(),
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(doc: Value) -> Vec<String> {
        let mut findings = Vec::new();
        check(&doc, &mut findings);
        findings
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect()
    }

    fn with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Thing": schema}}
        })
    }

    #[test]
    fn typos_in_nested_schemas_are_reported_with_a_suggestion() {
        let found = messages(with_schema(json!({
            "type": "object",
            "requird": ["a"],
            "properties": {"a": {"type": "string", "nulable": true}}
        })));
        assert_eq!(
            found,
            [
                "$.components.schemas.Thing.requird: unknown key `requird` in a Schema object (did you mean `required`?)",
                "$.components.schemas.Thing.properties.a.nulable: unknown key `nulable` in a Schema object (did you mean `nullable`?)",
            ]
        );
    }

    #[test]
    fn keyword_values_of_the_wrong_shape_are_reported_where_they_are() {
        let found = messages(with_schema(json!({
            "type": "object",
            "required": "a",
            "properties": {
                "a": {"type": "string", "minLength": "one", "maxLength": -1},
                "b": {"type": "number", "minimum": "0", "exclusiveMinimum": 0}
            }
        })));
        assert_eq!(
            found,
            [
                "$.components.schemas.Thing.required: `required` must be a list of property names, found \"a\"",
                "$.components.schemas.Thing.properties.a.maxLength: `maxLength` must be a non-negative integer, found -1",
                "$.components.schemas.Thing.properties.a.minLength: `minLength` must be a non-negative integer, found \"one\"",
                "$.components.schemas.Thing.properties.b.minimum: `minimum` must be a number, found \"0\"",
                "$.components.schemas.Thing.properties.b.exclusiveMinimum: `exclusiveMinimum` must be `true` or `false` (in OpenAPI 3.0), found 0",
            ]
        );
    }

    #[test]
    fn enum_values_and_defaults_must_be_of_the_schema_type() {
        let found = messages(with_schema(json!({
            "type": "object",
            "properties": {
                "a": {"type": "string", "enum": ["x", 3], "default": 17},
                "b": {"type": "integer", "enum": [1, 2.0, 2.5]},
                "c": {"type": "string", "nullable": true, "enum": ["x", null]}
            }
        })));
        assert_eq!(
            found,
            [
                "$.components.schemas.Thing.properties.a.enum[1]: 3 is not of the schema's type `string`",
                "$.components.schemas.Thing.properties.a.default: 17 is not of the schema's type `string`",
                "$.components.schemas.Thing.properties.b.enum[2]: 2.5 is not of the schema's type `integer`",
            ]
        );
    }

    #[test]
    fn a_required_property_must_be_declared_unless_others_are_allowed() {
        let found = messages(with_schema(json!({
            "type": "object",
            "required": ["a", "nope"],
            "properties": {"a": {"type": "string"}}
        })));
        assert_eq!(
            found,
            [
                "$.components.schemas.Thing.required[1]: required property `nope` is not in `properties`"
            ]
        );
        for open in [
            json!({"type": "object", "required": ["x"], "additionalProperties": true}),
            json!({"required": ["x"], "allOf": [{"properties": {"x": {}}}]}),
        ] {
            assert_eq!(
                messages(with_schema(open.clone())),
                Vec::<String>::new(),
                "{open}"
            );
        }
    }

    #[test]
    fn a_ref_must_name_an_object_of_its_kind() {
        let found = messages(with_schema(json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/info"}, "b": {"$ref": "#/components/schemas/Thing"}}
        })));
        assert_eq!(
            found,
            [
                "$.components.schemas.Thing.properties.a.$ref: `$ref: #/info` stands for a Schema here: it must name one under `#/components/schemas/`"
            ]
        );
    }

    #[test]
    fn extensions_and_known_keys_pass() {
        let found = messages(with_schema(json!({
            "type": "string", "nullable": true, "x-anything": {"nulable": 1}, "example": {"requird": 1}
        })));
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn typos_in_operations_are_reported() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"patch": {"operationid": "a", "responses": {}}}}
        });
        assert_eq!(
            messages(doc),
            [
                "$.paths['/a'].patch.operationid: unknown key `operationid` in a Operation object (did you mean `operationId`?)"
            ]
        );
    }

    #[test]
    fn openapi_3_1_nullability_is_refused() {
        let found = messages(with_schema(json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"oneOf": [{"type": "string"}, {"type": "null"}]}
            }
        })));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("$.components.schemas.Thing.properties.a.type: a list of types")
        );
        assert!(found[1].starts_with(
            "$.components.schemas.Thing.properties.b.oneOf[1].type: `type: null` is OpenAPI 3.1"
        ));
    }

    #[test]
    fn siblings_of_ref_are_reported() {
        let found = messages(with_schema(json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/components/schemas/Thing", "description": "lost"}}
        })));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("`description` beside `$ref` is ignored"),
            "{found:?}"
        );
    }
}
