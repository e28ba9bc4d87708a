//! What a request body must satisfy, read once from the request schemas:
//! every constraint keyword ([`keywords::CONSTRAINTS`]) at every place of
//! the body.
//!
//! ```text
//! request schema ──RequestSchemas::new──▶ graph of Nodes ──▶ the generator emits it as Rust data
//!   ($ref, allOf,                          (one per schema,     (the client checks bodies with it)
//!    oneOf, items …)                        $ref targets once) ──locations──▶ the proof test
//! ```
//!
//! A [`Node`] is one schema with its `$ref`s followed and its keywords
//! sorted into structure (properties, items, alternatives) and [`Rule`]s on
//! the value. Each `$ref` target is one node however often it is referenced,
//! so recursive schemas stay finite. [`RequestSchemas::locations`] walks an
//! operation's graph from its root and yields every place that carries at
//! least one [`Constraint`], as a JSON path pattern such as
//! `$.slides[*].text_elements[*].x` (array items `[*]`, map values `.*`).
//!
//! Semantics follow the JSON Schema the spec converts to
//! ([`crate::json_schema`]): a rule applies only to values of its type
//! (`minLength` to strings, `minimum` to numbers, …), `nullable: true`
//! accepts `null` outright, `allOf` branches all apply, and bounds no value
//! can break (`minLength: 0`, `uniqueItems: false`) are not constraints.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde_json::Value;

use crate::Spec;
use crate::document::{Operation, operations, resolve};
use crate::json_path::{JsonPath, write_key};
use crate::keywords;

/// A JSON type, as `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    /// `string`.
    String,
    /// `number` (integers included).
    Number,
    /// `integer`: a number without a fractional part (`1.0` included).
    Integer,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl JsonType {
    /// Every type, in the order above.
    pub const ALL: [JsonType; 6] = [
        JsonType::String,
        JsonType::Number,
        JsonType::Integer,
        JsonType::Boolean,
        JsonType::Array,
        JsonType::Object,
    ];

    /// The name `type` uses.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The type `type: <name>` means, if any.
    pub fn from_name(name: &str) -> Option<JsonType> {
        JsonType::ALL.into_iter().find(|ty| ty.name() == name)
    }

    /// Whether `value` is of this type.
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            JsonType::String => value.is_string(),
            JsonType::Number => value.is_number(),
            JsonType::Integer => {
                value.is_i64()
                    || value.is_u64()
                    || value.as_f64().is_some_and(|number| number.fract() == 0.0)
            }
            JsonType::Boolean => value.is_boolean(),
            JsonType::Array => value.is_array(),
            JsonType::Object => value.is_object(),
        }
    }
}

/// A `format` the client checks. Other formats are annotations for it
/// (typify already turns `int32`, `date-time` … into Rust types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `uuid`: the hyphenated form, `8-4-4-4-12` hex digits (RFC 4122, as
    /// JSON Schema 2020-12 defines it).
    Uuid,
}

impl Format {
    /// The name `format` uses.
    pub fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
        }
    }

    /// The checked format `format: <name>` means, if any.
    pub fn from_name(name: &str) -> Option<Format> {
        [Format::Uuid]
            .into_iter()
            .find(|format| format.name() == name)
    }
}

/// One rule on a value, applying only to values of the type it is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule<'a> {
    /// `enum`: the value is one of these (any type).
    Enum(&'a [Value]),
    /// `minLength` (≥ 1): at least this many characters (Unicode scalar values).
    MinLength(u64),
    /// `maxLength`: at most this many characters.
    MaxLength(u64),
    /// `pattern`: an ECMA 262 regular expression the string contains a match of.
    Pattern(&'a str),
    /// `format` (strings).
    Format(Format),
    /// `minimum`: the number is at least this.
    Minimum(f64),
    /// `minimum` with `exclusiveMinimum: true` (or a numeric
    /// `exclusiveMinimum`): the number is above this.
    ExclusiveMinimum(f64),
    /// `maximum`: the number is at most this.
    Maximum(f64),
    /// `maximum` with `exclusiveMaximum: true` (or numeric): below this.
    ExclusiveMaximum(f64),
    /// `multipleOf` (> 0): the number divided by this is an integer.
    MultipleOf(f64),
    /// `minItems` (≥ 1).
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`: no two items are equal.
    UniqueItems,
    /// `minProperties` (≥ 1).
    MinProperties(u64),
    /// `maxProperties`.
    MaxProperties(u64),
}

impl Rule<'_> {
    /// The keyword (one of [`keywords::CONSTRAINTS`]) this rule comes from,
    /// as JSON Schema 2020-12 names it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Rule::Enum(_) => "enum",
            Rule::MinLength(_) => "minLength",
            Rule::MaxLength(_) => "maxLength",
            Rule::Pattern(_) => "pattern",
            Rule::Format(_) => "format",
            Rule::Minimum(_) => "minimum",
            Rule::ExclusiveMinimum(_) => "exclusiveMinimum",
            Rule::Maximum(_) => "maximum",
            Rule::ExclusiveMaximum(_) => "exclusiveMaximum",
            Rule::MultipleOf(_) => "multipleOf",
            Rule::MinItems(_) => "minItems",
            Rule::MaxItems(_) => "maxItems",
            Rule::UniqueItems => "uniqueItems",
            Rule::MinProperties(_) => "minProperties",
            Rule::MaxProperties(_) => "maxProperties",
        }
    }
}

impl fmt::Display for Rule<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keyword = self.keyword();
        match self {
            Rule::Enum(values) => write!(f, "{keyword} {}", Value::Array(values.to_vec())),
            Rule::MinLength(n) | Rule::MaxLength(n) => write!(f, "{keyword} {n}"),
            Rule::MinItems(n) | Rule::MaxItems(n) => write!(f, "{keyword} {n}"),
            Rule::MinProperties(n) | Rule::MaxProperties(n) => write!(f, "{keyword} {n}"),
            Rule::Pattern(pattern) => write!(f, "{keyword} `{pattern}`"),
            Rule::Format(format) => write!(f, "{keyword} {}", format.name()),
            Rule::Minimum(limit)
            | Rule::ExclusiveMinimum(limit)
            | Rule::Maximum(limit)
            | Rule::ExclusiveMaximum(limit)
            | Rule::MultipleOf(limit) => write!(f, "{keyword} {limit}"),
            Rule::UniqueItems => f.write_str(keyword),
        }
    }
}

/// What an object accepts besides its declared `properties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additional {
    /// Anything (`additionalProperties` absent or `true`).
    Any,
    /// Nothing (`additionalProperties: false`).
    Forbidden,
    /// Values of this schema (a map).
    Schema(NodeId),
}

/// A node of a [`RequestSchemas`] graph (only meaningful with that graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(usize);

impl NodeId {
    /// The node's position in [`RequestSchemas::nodes`] (they are numbered
    /// in the order the walk from the operations meets them).
    pub fn index(self) -> usize {
        self.0
    }
}

/// One schema, `$ref`s followed, its keywords sorted.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// Where the schema is written in the document.
    pub at: JsonPath,
    /// The schema object itself (never a `$ref`).
    pub schema: &'a Value,
    /// The `$ref` that led here (the last of a chain), for a `$ref` target:
    /// such a node is shared by every reference to it.
    pub reference: Option<&'a str>,
    /// `type`, when given.
    pub ty: Option<JsonType>,
    /// `nullable: true`: `null` is accepted, whatever else the schema says.
    pub nullable: bool,
    /// The rules on the value, in [`keywords::CONSTRAINTS`] order.
    pub rules: Vec<Rule<'a>>,
    /// `required` property names.
    pub required: Vec<&'a str>,
    /// `properties`, in document order.
    pub properties: Vec<(&'a str, NodeId)>,
    /// `items`.
    pub items: Option<NodeId>,
    /// `additionalProperties`.
    pub additional: Additional,
    /// `oneOf`: exactly one alternative matches.
    pub one_of: Vec<NodeId>,
    /// `anyOf`: at least one alternative matches.
    pub any_of: Vec<NodeId>,
    /// `allOf`: every branch matches.
    pub all_of: Vec<NodeId>,
    /// `not`: the value must not match this schema.
    pub not: Option<NodeId>,
}

impl<'a> Node<'a> {
    fn unconstrained(schema: &'a Value, at: JsonPath, reference: Option<&'a str>) -> Self {
        Node {
            at,
            schema,
            reference,
            ty: None,
            nullable: false,
            rules: Vec::new(),
            required: Vec::new(),
            properties: Vec::new(),
            items: None,
            additional: Additional::Any,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            not: None,
        }
    }

    /// The component's name, for a `#/components/schemas/<name>` target.
    pub fn component(&self) -> Option<String> {
        self.reference?
            .strip_prefix("#/components/schemas/")
            .filter(|name| !name.contains('/'))
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
    }

    /// The schema of the declared property `name`.
    pub fn property(&self, name: &str) -> Option<NodeId> {
        self.properties
            .iter()
            .find(|(declared, _)| *declared == name)
            .map(|(_, id)| *id)
    }

    /// Everything this schema itself demands of the value at its place (not
    /// what its properties, items or alternatives demand), in
    /// [`keywords::CONSTRAINTS`] order.
    pub fn constraints(&self) -> Vec<Constraint<'a>> {
        let mut out: Vec<Constraint<'a>> = self.ty.map(Constraint::Type).into_iter().collect();
        out.extend(self.rules.iter().cloned().map(Constraint::Rule));
        out.extend(self.required.iter().copied().map(Constraint::Required));
        if self.additional == Additional::Forbidden {
            out.push(Constraint::NoAdditionalProperties);
        }
        out.extend(self.not.map(Constraint::Not));
        out
    }

    /// The schemas one level down, each with the step that reaches it.
    pub fn children(&self) -> Vec<(Step<'a>, NodeId)> {
        let mut out: Vec<(Step<'a>, NodeId)> = self
            .properties
            .iter()
            .map(|(name, id)| (Step::Property(name), *id))
            .collect();
        out.extend(self.items.map(|id| (Step::Item, id)));
        if let Additional::Schema(id) = self.additional {
            out.push((Step::Value, id));
        }
        let branches = [
            (&self.all_of, Step::AllOf as fn(usize) -> Step<'a>),
            (&self.one_of, Step::OneOf),
            (&self.any_of, Step::AnyOf),
        ];
        for (ids, step) in branches {
            out.extend(ids.iter().enumerate().map(|(i, id)| (step(i), *id)));
        }
        out
    }
}

/// One thing a schema demands of the value at its place: what one
/// violating value breaks.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint<'a> {
    /// `type`.
    Type(JsonType),
    /// A rule on the value.
    Rule(Rule<'a>),
    /// One name of `required`.
    Required(&'a str),
    /// `additionalProperties: false`.
    NoAdditionalProperties,
    /// `not`: the value must not match that schema.
    Not(NodeId),
}

impl Constraint<'_> {
    /// The keyword it comes from, one of [`keywords::CONSTRAINTS`].
    pub fn keyword(&self) -> &'static str {
        match self {
            Constraint::Type(_) => "type",
            Constraint::Rule(rule) => rule.keyword(),
            Constraint::Required(_) => "required",
            Constraint::NoAdditionalProperties => "additionalProperties",
            Constraint::Not(_) => "not",
        }
    }
}

impl fmt::Display for Constraint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Type(ty) => write!(f, "type {}", ty.name()),
            Constraint::Rule(rule) => rule.fmt(f),
            Constraint::Required(name) => write!(f, "required {name}"),
            Constraint::NoAdditionalProperties => f.write_str("additionalProperties false"),
            Constraint::Not(_) => f.write_str("not"),
        }
    }
}

/// One step from a schema to a schema below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// Into a declared property's value.
    Property(&'a str),
    /// Into each item of an array (`[*]`).
    Item,
    /// Into each value of a map, `additionalProperties` (`.*`).
    Value,
    /// To the n-th `oneOf` alternative (same place in the body).
    OneOf(usize),
    /// To the n-th `anyOf` alternative (same place in the body).
    AnyOf(usize),
    /// To the n-th `allOf` branch (same place in the body).
    AllOf(usize),
}

impl Step<'_> {
    /// Whether the step moves into the body (a property, item or map
    /// value), rather than to another schema for the same value.
    pub fn moves(self) -> bool {
        matches!(self, Step::Property(_) | Step::Item | Step::Value)
    }
}

/// A place in an operation's request body where a schema with constraints
/// applies.
#[derive(Debug, Clone)]
pub struct Location<'a> {
    /// The operation's `operationId`.
    pub operation: &'a str,
    /// The steps from the request schema, each with the node it reaches.
    pub steps: Vec<(Step<'a>, NodeId)>,
    /// The schema that applies here (the last step's node, or the root).
    pub node: NodeId,
}

impl Location<'_> {
    /// The place in the body as a JSON path pattern: `$.settings.font_size`,
    /// `$.slides[*].text_elements[*]`, `$.pack_assignments.*`.
    pub fn pattern(&self) -> String {
        self.render(false)
    }

    fn render(&self, with_branches: bool) -> String {
        let mut out = String::from("$");
        for (step, _) in &self.steps {
            // Writing to a String cannot fail.
            let _ = match step {
                Step::Property(name) => write_key(&mut out, name),
                Step::Item => out.write_str("[*]"),
                Step::Value => out.write_str(".*"),
                Step::OneOf(i) if with_branches => write!(out, "{{oneOf[{i}]}}"),
                Step::AnyOf(i) if with_branches => write!(out, "{{anyOf[{i}]}}"),
                Step::AllOf(i) if with_branches => write!(out, "{{allOf[{i}]}}"),
                Step::OneOf(_) | Step::AnyOf(_) | Step::AllOf(_) => Ok(()),
            };
        }
        out
    }
}

/// The pattern, with each alternative taken written in braces where it is
/// taken (`$.font_size{oneOf[1]}`), so that every location of an operation
/// has its own name.
impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(true))
    }
}

/// The request schemas of every operation, as one graph.
#[derive(Debug, Clone)]
pub struct RequestSchemas<'a> {
    nodes: Vec<Node<'a>>,
    roots: Vec<(&'a str, NodeId)>,
}

impl<'a> RequestSchemas<'a> {
    /// Reads the JSON request schema of every operation of `doc` that has
    /// an `operationId` and one, in document order.
    pub fn new(doc: &'a Value) -> Self {
        let mut builder = Builder {
            doc,
            nodes: Vec::new(),
            by_reference: BTreeMap::new(),
        };
        let mut roots = Vec::new();
        for operation in operations(doc) {
            let (Some(id), Some(schema)) = (operation.id(), operation.request_schema()) else {
                continue;
            };
            let root = builder.add(schema, request_schema_at(&operation, schema));
            roots.push((id, root));
        }
        RequestSchemas {
            nodes: builder.nodes,
            roots,
        }
    }

    /// The request schemas of a loaded spec.
    pub fn of(spec: &'a Spec) -> Self {
        RequestSchemas::new(spec.json())
    }

    /// Each operation's id and the root of its request schema.
    pub fn roots(&self) -> &[(&'a str, NodeId)] {
        &self.roots
    }

    /// The root of the operation's request schema.
    pub fn root(&self, operation_id: &str) -> Option<NodeId> {
        self.roots
            .iter()
            .find(|(id, _)| *id == operation_id)
            .map(|(_, root)| *root)
    }

    /// A node of this graph.
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id.0]
    }

    /// Every node, in [`NodeId`] order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node<'a>)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (NodeId(i), node))
    }

    /// Every `pattern` of the request schemas with the node it constrains,
    /// in [`NodeId`] order (a pattern written on several nodes comes once
    /// per node).
    pub fn patterns(&self) -> impl Iterator<Item = (&Node<'a>, &'a str)> {
        self.nodes.iter().flat_map(|node| {
            node.rules.iter().filter_map(move |rule| match rule {
                Rule::Pattern(pattern) => Some((node, *pattern)),
                _ => None,
            })
        })
    }

    /// Every place of the operation's request body that carries at least
    /// one constraint, depth first in document order. A recursive schema is
    /// followed once per path: a node already on the way from the root is
    /// not entered again. `not` schemas are not entered (what they demand
    /// is what the value must not be). Empty for an unknown operation.
    pub fn locations(&self, operation_id: &str) -> Vec<Location<'a>> {
        let mut out = Vec::new();
        if let Some((operation, root)) = self.roots.iter().find(|(id, _)| *id == operation_id) {
            let mut walk = Walk {
                schemas: self,
                operation,
                root: *root,
                steps: Vec::new(),
                out: &mut out,
            };
            walk.enter(*root);
        }
        out
    }
}

/// The state of one [`RequestSchemas::locations`] walk.
struct Walk<'s, 'a> {
    schemas: &'s RequestSchemas<'a>,
    operation: &'a str,
    root: NodeId,
    steps: Vec<(Step<'a>, NodeId)>,
    out: &'s mut Vec<Location<'a>>,
}

impl<'a> Walk<'_, 'a> {
    fn enter(&mut self, id: NodeId) {
        let node = self.schemas.node(id);
        if !node.constraints().is_empty() {
            self.out.push(Location {
                operation: self.operation,
                steps: self.steps.clone(),
                node: id,
            });
        }
        for (step, child) in node.children() {
            let on_the_way =
                child == self.root || self.steps.iter().any(|(_, seen)| *seen == child);
            if on_the_way {
                continue;
            }
            self.steps.push((step, child));
            self.enter(child);
            self.steps.pop();
        }
    }
}

/// Where an operation's request schema is written.
fn request_schema_at(operation: &Operation<'_>, schema: &Value) -> JsonPath {
    let body = operation.op.get("requestBody");
    let body_at = match body
        .and_then(|body| body.get("$ref"))
        .and_then(Value::as_str)
    {
        Some(reference) => JsonPath::from_pointer(reference.trim_start_matches('#')),
        None => operation.at.key("requestBody"),
    };
    let media_type = operation
        .request_body()
        .and_then(|body| body.get("content"))
        .and_then(Value::as_object)
        .and_then(|content| {
            content.iter().find(|(_, media)| {
                media
                    .get("schema")
                    .is_some_and(|written| std::ptr::eq(written, schema))
            })
        })
        .map(|(media_type, _)| media_type.as_str())
        .unwrap_or("application/json");
    body_at.key("content").key(media_type).key("schema")
}

struct Builder<'a> {
    doc: &'a Value,
    nodes: Vec<Node<'a>>,
    by_reference: BTreeMap<&'a str, NodeId>,
}

impl<'a> Builder<'a> {
    /// The node of the schema written at `at` (a `$ref` target's existing
    /// node when there is one).
    fn add(&mut self, written: &'a Value, at: JsonPath) -> NodeId {
        let (schema, at, reference) = follow(self.doc, written, at);
        if let Some(id) = reference.and_then(|reference| self.by_reference.get(reference)) {
            return *id;
        }
        let id = NodeId(self.nodes.len());
        // Registered before reading, so a schema that refers to itself
        // finds its own node.
        self.nodes
            .push(Node::unconstrained(schema, at.clone(), reference));
        if let Some(reference) = reference {
            self.by_reference.insert(reference, id);
        }
        let node = self.read(schema, at, reference);
        self.nodes[id.0] = node;
        id
    }

    fn read(&mut self, schema: &'a Value, at: JsonPath, reference: Option<&'a str>) -> Node<'a> {
        let mut node = Node::unconstrained(schema, at.clone(), reference);
        let Value::Object(map) = schema else {
            return node;
        };
        node.ty = map
            .get("type")
            .and_then(Value::as_str)
            .and_then(JsonType::from_name);
        node.nullable = map.get("nullable") == Some(&Value::Bool(true));
        node.rules = rules(map);
        node.required = map
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(properties)) = map.get("properties") {
            for (name, property) in properties {
                let id = self.add(property, at.key("properties").key(name.as_str()));
                node.properties.push((name.as_str(), id));
            }
        }
        if let Some(items @ Value::Object(_)) = map.get("items") {
            node.items = Some(self.add(items, at.key("items")));
        }
        node.additional = match map.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(schema @ Value::Object(_)) => {
                Additional::Schema(self.add(schema, at.key("additionalProperties")))
            }
            _ => Additional::Any,
        };
        node.all_of = self.branches(map.get("allOf"), &at.key("allOf"));
        node.one_of = self.branches(map.get("oneOf"), &at.key("oneOf"));
        node.any_of = self.branches(map.get("anyOf"), &at.key("anyOf"));
        if let Some(not @ Value::Object(_)) = map.get("not") {
            node.not = Some(self.add(not, at.key("not")));
        }
        node
    }

    fn branches(&mut self, schemas: Option<&'a Value>, at: &JsonPath) -> Vec<NodeId> {
        let Some(Value::Array(schemas)) = schemas else {
            return Vec::new();
        };
        schemas
            .iter()
            .enumerate()
            .map(|(i, schema)| self.add(schema, at.index(i)))
            .collect()
    }
}

/// Follows `$ref`s (at most 16, like [`crate::deref`]) to the schema they
/// name, and where it is; a dangling reference stays the `$ref` object.
fn follow<'a>(
    doc: &'a Value,
    mut schema: &'a Value,
    mut at: JsonPath,
) -> (&'a Value, JsonPath, Option<&'a str>) {
    let mut reference = None;
    for _ in 0..16 {
        let Some(next) = schema.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(target) = resolve(doc, next) else {
            break;
        };
        schema = target;
        at = JsonPath::from_pointer(next.trim_start_matches('#'));
        reference = Some(next);
    }
    (schema, at, reference)
}

/// The value rules of a schema object, in [`keywords::CONSTRAINTS`] order.
fn rules(map: &serde_json::Map<String, Value>) -> Vec<Rule<'_>> {
    let count = |value: &Value| value.as_u64();
    let limit = |value: &Value| value.as_f64().filter(|limit| limit.is_finite());
    let flag = |key: &str| map.get(key) == Some(&Value::Bool(true));
    let mut out = Vec::new();
    for keyword in keywords::CONSTRAINTS {
        let Some(value) = map.get(keyword) else {
            continue;
        };
        let rule = match keyword {
            "enum" => value.as_array().map(|values| Rule::Enum(values.as_slice())),
            "minLength" => count(value).filter(|n| *n > 0).map(Rule::MinLength),
            "maxLength" => count(value).map(Rule::MaxLength),
            "pattern" => value.as_str().map(Rule::Pattern),
            "format" => value.as_str().and_then(Format::from_name).map(Rule::Format),
            // OpenAPI 3.0 writes an exclusive bound as the bound plus a
            // boolean flag; JSON Schema 2020-12 as a number of its own.
            "minimum" if flag("exclusiveMinimum") => limit(value).map(Rule::ExclusiveMinimum),
            "minimum" => limit(value).map(Rule::Minimum),
            "exclusiveMinimum" => limit(value).map(Rule::ExclusiveMinimum),
            "maximum" if flag("exclusiveMaximum") => limit(value).map(Rule::ExclusiveMaximum),
            "maximum" => limit(value).map(Rule::Maximum),
            "exclusiveMaximum" => limit(value).map(Rule::ExclusiveMaximum),
            "multipleOf" => limit(value).filter(|m| *m > 0.0).map(Rule::MultipleOf),
            "minItems" => count(value).filter(|n| *n > 0).map(Rule::MinItems),
            "maxItems" => count(value).map(Rule::MaxItems),
            "uniqueItems" => (value == &Value::Bool(true)).then_some(Rule::UniqueItems),
            "minProperties" => count(value).filter(|n| *n > 0).map(Rule::MinProperties),
            "maxProperties" => count(value).map(Rule::MaxProperties),
            // `type`, `required`, `additionalProperties` and `not` shape the
            // node itself (see `Builder::read`).
            _ => None,
        };
        out.extend(rule);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    use crate::test_documents::one_patch_operation as doc;

    /// Each location with its constraints, sorted (the walk's order is the
    /// document's, which `serde_json` may keep or sort).
    fn located(doc: &Value) -> Vec<String> {
        let schemas = RequestSchemas::new(doc);
        let mut locations = schemas.locations("update_x");
        locations.sort_by_key(ToString::to_string);
        locations
            .iter()
            .map(|location| {
                let constraints: Vec<String> = schemas
                    .node(location.node)
                    .constraints()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                format!("{location}: {}", constraints.join(", "))
            })
            .collect()
    }

    #[test]
    fn nested_objects_arrays_maps_and_alternatives_are_located() {
        let doc = doc(
            json!({"$ref": "#/components/schemas/Req"}),
            json!({
                "Req": {"type": "object", "minProperties": 1, "properties": {
                    "settings": {"type": "object", "properties": {
                        "font_size": {"$ref": "#/components/schemas/FontSize"},
                        "note": {"description": "no constraint"}
                    }},
                    "slides": {"type": "array", "minItems": 1, "maxItems": 10, "items": {
                        "type": "object", "required": ["x"],
                        "properties": {"x": {"type": "number", "minimum": 0, "exclusiveMinimum": true}}
                    }},
                    "packs": {"type": "object", "additionalProperties": {"type": "string", "format": "uuid"}},
                    "odd key": {"type": "string", "pattern": "^a+$", "enum": ["a", "aa"]}
                }},
                "FontSize": {"oneOf": [
                    {"type": "string", "enum": ["default"]},
                    {"type": "integer", "minimum": 8, "maximum": 200}
                ]}
            }),
        );
        assert_eq!(
            located(&doc),
            [
                "$: type object, minProperties 1",
                "$.packs: type object",
                "$.packs.*: type string, format uuid",
                "$.settings: type object",
                "$.settings.font_size{oneOf[0]}: type string, enum [\"default\"]",
                "$.settings.font_size{oneOf[1]}: type integer, minimum 8, maximum 200",
                "$.slides: type array, minItems 1, maxItems 10",
                "$.slides[*]: type object, required x",
                "$.slides[*].x: type number, exclusiveMinimum 0",
                "$['odd key']: type string, enum [\"a\",\"aa\"], pattern `^a+$`",
            ]
        );
        let schemas = RequestSchemas::new(&doc);
        let font_size = schemas
            .locations("update_x")
            .into_iter()
            .find(|location| location.to_string() == "$.settings.font_size{oneOf[1]}")
            .unwrap();
        assert_eq!(font_size.pattern(), "$.settings.font_size");
        assert_eq!(
            schemas.node(font_size.node).at.to_string(),
            "$.components.schemas.FontSize.oneOf[1]"
        );
    }

    #[test]
    fn every_constraint_keyword_is_read() {
        let doc = doc(
            json!({
                "type": "object", "required": ["a"], "additionalProperties": false,
                "minProperties": 1, "maxProperties": 3, "not": {"required": ["b"]},
                "enum": [{"a": "x"}], "minLength": 1, "maxLength": 2, "pattern": "x",
                "format": "uuid", "minimum": 1, "maximum": 2, "multipleOf": 0.5,
                "minItems": 1, "maxItems": 2, "uniqueItems": true,
                "properties": {"a": {"exclusiveMinimum": 0, "exclusiveMaximum": 9}}
            }),
            json!({}),
        );
        let schemas = RequestSchemas::new(&doc);
        let mut keywords: Vec<&str> = schemas
            .locations("update_x")
            .iter()
            .flat_map(|location| schemas.node(location.node).constraints())
            .map(|constraint| constraint.keyword())
            .collect();
        keywords.sort_unstable();
        let mut expected = keywords::CONSTRAINTS.to_vec();
        expected.sort_unstable();
        assert_eq!(keywords, expected);
    }

    #[test]
    fn bounds_nothing_breaks_are_not_constraints_and_boolean_exclusive_bounds_apply() {
        let doc = doc(
            json!({"type": "object", "minProperties": 0, "properties": {
                "s": {"minLength": 0, "uniqueItems": false, "minItems": 0, "maxLength": 0},
                "n": {"minimum": 8, "exclusiveMinimum": false, "maximum": 9, "exclusiveMaximum": true},
                "plain": {"description": "any value", "nullable": true, "format": "date-time"}
            }}),
            json!({}),
        );
        assert_eq!(
            located(&doc),
            [
                "$: type object",
                "$.n: minimum 8, exclusiveMaximum 9",
                "$.s: maxLength 0",
            ]
        );
    }

    #[test]
    fn a_recursive_schema_is_one_node_and_each_path_enters_it_once() {
        let doc = doc(
            json!({"$ref": "#/components/schemas/Tree"}),
            json!({"Tree": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "minLength": 1},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                "parent": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Tree"}]}
            }}}),
        );
        assert_eq!(
            located(&doc),
            [
                "$: type object, required name",
                "$.children: type array",
                "$.name: type string, minLength 1",
            ]
        );
        let schemas = RequestSchemas::new(&doc);
        let tree: Vec<NodeId> = schemas
            .nodes()
            .filter(|(_, node)| node.component().as_deref() == Some("Tree"))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(tree.len(), 1, "one node for every reference to Tree");
        let root = schemas.node(schemas.root("update_x").unwrap());
        let children = schemas.node(root.property("children").unwrap());
        assert_eq!(children.items, Some(tree[0]));
        let parent = schemas.node(root.property("parent").unwrap());
        assert!(parent.nullable);
        assert_eq!(parent.all_of, [tree[0]]);
    }

    #[test]
    fn patterns_come_with_the_node_they_constrain() {
        let patterned = doc(
            json!({"type": "object", "properties": {
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "other": {"type": "string", "pattern": "^[A-Z]{3}$", "maxLength": 3},
                "free": {"type": "string"}
            }}),
            json!({}),
        );
        let schemas = RequestSchemas::new(&patterned);
        let mut found: Vec<String> = schemas
            .patterns()
            .map(|(node, pattern)| format!("{}: {pattern}", node.at))
            .collect();
        found.sort();
        let root = "$.paths['/x/{id}'].patch.requestBody.content['application/json'].schema";
        assert_eq!(
            found,
            [
                format!("{root}.properties.code: ^[A-Z]{{3}}$"),
                format!("{root}.properties.other: ^[A-Z]{{3}}$"),
            ]
        );
        let none = doc(json!({"type": "string", "maxLength": 3}), json!({}));
        assert_eq!(RequestSchemas::new(&none).patterns().count(), 0);
    }

    #[test]
    fn reference_chains_and_the_written_place_of_an_inline_root() {
        let doc = doc(
            json!({"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Alias"}}}),
            json!({
                "Alias": {"$ref": "#/components/schemas/Id"},
                "Id": {"type": "string", "format": "uuid"}
            }),
        );
        let schemas = RequestSchemas::new(&doc);
        let root = schemas.node(schemas.root("update_x").unwrap());
        assert_eq!(
            root.at.to_string(),
            "$.paths['/x/{id}'].patch.requestBody.content['application/json'].schema"
        );
        let id = schemas.node(root.property("id").unwrap());
        assert_eq!(id.component().as_deref(), Some("Id"));
        assert_eq!(id.rules, [Rule::Format(Format::Uuid)]);
        assert!(schemas.locations("no_such_operation").is_empty());
    }

    #[test]
    fn integer_accepts_whole_numbers_written_with_a_fraction() {
        assert!(JsonType::Integer.accepts(&json!(3.0)));
        assert!(JsonType::Integer.accepts(&json!(u64::MAX)));
        assert!(!JsonType::Integer.accepts(&json!(3.5)));
        assert!(!JsonType::Integer.accepts(&json!("3")));
        assert!(JsonType::Number.accepts(&json!(3)));
    }
}
