//! From a location in a document to what it means to a user: which
//! operation, which part (request, parameter, response), which field.
//!
//! drift reports a change in a shared schema with the route it took to get
//! there: the operation, then each `$ref` it followed (`origin` →
//! intermediates → the schema). Following that route names the field as a
//! user sees it (`config.structure`), not as the schema file is laid out.

use std::collections::BTreeMap;

use drift::{ChangeComparison, JsonPathStack};
use serde_json::Value;

use super::change::{Part, Subject};
use super::pointer::Ptr;

/// Which way data flows through the changed schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// The user sends it (request body, parameters).
    Request,
    /// The user receives it (responses).
    Response,
}

impl Direction {
    /// The direction drift compared in; `None` for structural changes.
    pub fn of(comparison: ChangeComparison) -> Option<Direction> {
        match comparison {
            ChangeComparison::Input => Some(Direction::Request),
            ChangeComparison::Output => Some(Direction::Response),
            ChangeComparison::Structural => None,
        }
    }
}

/// The operationIds of a document by where they are, and where each
/// component schema is used.
pub struct Operations {
    by_operation: BTreeMap<Ptr, String>,
    by_path: BTreeMap<String, Vec<String>>,
    /// Each component schema's uses: the operation, part and field that
    /// reach it (through any number of `$ref`s).
    uses: BTreeMap<String, Vec<Subject>>,
}

impl Operations {
    /// Every operation of `doc` (the spec crate's reading).
    pub fn new(doc: &Value) -> Operations {
        let mut by_operation = BTreeMap::new();
        let mut by_path: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut uses = BTreeMap::new();
        for operation in spec::operations(doc) {
            by_operation.insert(Ptr::from_path(&operation.at), operation.name());
            by_path
                .entry(operation.path.to_string())
                .or_default()
                .push(operation.name());
            let subject = |part: Part| Subject::Operation {
                operations: vec![operation.name()],
                part,
                field: String::new(),
            };
            let mut roots: Vec<(Subject, &Value)> = Vec::new();
            roots.extend(
                operation
                    .request_schema()
                    .map(|schema| (subject(Part::Request), schema)),
            );
            for parameter in operation.parameters() {
                roots.extend(
                    parameter.schema().map(|schema| {
                        (subject(Part::Parameter(parameter.name.to_string())), schema)
                    }),
                );
            }
            for response in operation.responses() {
                roots.extend(
                    response.schema().map(|schema| {
                        (subject(Part::Response(response.status.to_string())), schema)
                    }),
                );
            }
            for (subject, schema) in roots {
                record_uses(doc, schema, &subject, &mut uses, &mut Vec::new());
            }
        }
        Operations {
            by_operation,
            by_path,
            uses,
        }
    }

    /// The uses of the component schema `name` (none when no operation
    /// reaches it).
    fn uses_of(&self, name: &str) -> &[Subject] {
        self.uses.get(name).map_or(&[], Vec::as_slice)
    }

    /// The operations a pointer below `paths` is in, and how many of its
    /// segments name them (`paths/<path>/<method>` or, for what a path item
    /// shares, `paths/<path>`).
    fn at(&self, ptr: &Ptr) -> Option<(Vec<String>, usize)> {
        let segments = ptr.segments();
        if segments.first().map(String::as_str) != Some("paths") || segments.len() < 2 {
            return None;
        }
        let operation = Ptr::root().keys(segments.iter().take(3).map(String::as_str));
        if let Some(name) = self.by_operation.get(&operation) {
            return Some((vec![name.clone()], 3));
        }
        let on_path = self.by_path.get(&segments[1]).cloned().unwrap_or_default();
        Some((on_path, 2))
    }
}

/// Records, for each component schema `schema` reaches, that `at` uses
/// it (its field extended along the way); `visiting` guards against
/// recursive schemas.
fn record_uses(
    doc: &Value,
    schema: &Value,
    at: &Subject,
    uses: &mut BTreeMap<String, Vec<Subject>>,
    visiting: &mut Vec<String>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            if visiting.iter().any(|seen| seen == name) {
                return;
            }
            let known = uses.entry(name.to_string()).or_default();
            if !known.contains(at) {
                known.push(at.clone());
            }
            visiting.push(name.to_string());
        }
        if let Some(target) = spec::resolve(doc, reference) {
            record_uses(doc, target, at, uses, visiting);
        }
        if reference.starts_with("#/components/schemas/") {
            visiting.pop();
        }
        return;
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            record_uses(doc, property, &at.field(name), uses, visiting);
        }
    }
    if let Some(items) = schema.get("items") {
        record_uses(doc, items, &at.field("[]"), uses, visiting);
    }
    if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
        record_uses(doc, values, &at.field("*"), uses, visiting);
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        for member in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            record_uses(doc, member, at, uses, visiting);
        }
    }
}

/// Who a location read in one document concerns: the operation part and
/// field it is in, or, in a component schema, every operation that uses
/// the schema (the schema itself when none does).
pub fn subjects_at(doc: &Value, operations: &Operations, ptr: &Ptr) -> Vec<Subject> {
    match subject_at(doc, operations, ptr) {
        Subject::Schema { name, field } if !operations.uses_of(&name).is_empty() => operations
            .uses_of(&name)
            .iter()
            .map(|used| match field.as_str() {
                "" => used.clone(),
                field => used.field(field),
            })
            .collect(),
        subject => vec![subject],
    }
}

/// The subject of a location read in one document, without following
/// `$ref`s.
pub fn subject_at(doc: &Value, operations: &Operations, ptr: &Ptr) -> Subject {
    let segments = ptr.segments();
    if let Some((names, used)) = operations.at(ptr) {
        let base = Ptr::root().keys(segments[..used].iter().map(String::as_str));
        let (part, rest) = part_of(doc, &base, &segments[used..]);
        return Subject::Operation {
            operations: names,
            part,
            field: field_of(rest),
        };
    }
    match segments {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            Subject::Schema {
                name: name.clone(),
                field: field_of(rest),
            }
        }
        _ => Subject::Document,
    }
}

/// The part of an operation `rest` (the segments below the operation at
/// `operation`) is in, and the segments below that part.
fn part_of<'s>(doc: &Value, operation: &Ptr, rest: &'s [String]) -> (Part, &'s [String]) {
    match rest {
        [body, rest @ ..] if body == "requestBody" => (Part::Request, rest),
        [parameters, index, rest @ ..] if parameters == "parameters" => {
            let name = operation
                .keys([parameters.as_str(), index.as_str()])
                .deref(doc)
                .get(doc)
                .and_then(|parameter| parameter.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(index)
                .to_string();
            (Part::Parameter(name), rest)
        }
        [responses, status, rest @ ..] if responses == "responses" => {
            (Part::Response(status.clone()), rest)
        }
        _ => (Part::Operation, &[]),
    }
}

/// The dotted field a schema location is at: `properties/config/properties/
/// structure` → `config.structure`; `items` adds `[]`, a map's values `*`.
pub fn field_of<S: AsRef<str>>(segments: &[S]) -> String {
    let mut names: Vec<String> = Vec::new();
    let mut segments = segments.iter().map(AsRef::as_ref);
    while let Some(segment) = segments.next() {
        match segment {
            "properties" => names.extend(segments.next().map(str::to_string)),
            "items" => match names.last_mut() {
                Some(last) => last.push_str("[]"),
                None => names.push("[]".to_string()),
            },
            "additionalProperties" => names.push("*".to_string()),
            _ => {}
        }
    }
    names.join(".")
}

/// Where a field is declared: the object schema and the property name, so
/// that a rule can ask whether it is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSite {
    /// The object schema that lists the property.
    pub object: Ptr,
    /// The property's name.
    pub name: String,
}

impl FieldSite {
    /// Whether the object lists the property in `required`.
    pub fn is_required(&self, doc: &Value) -> bool {
        self.object
            .get(doc)
            .and_then(|object| object.get("required"))
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|name| name == self.name.as_str()))
    }
}

/// One route drift took to a changed node.
#[derive(Debug, Clone)]
pub struct Reached {
    /// How data flows there; `None` for structural changes.
    pub direction: Option<Direction>,
    /// What the node is, as a user sees it.
    pub subject: Subject,
    /// The changed node.
    pub node: Ptr,
    /// The property the node is the schema of, when it is one.
    pub field: Option<FieldSite>,
}

/// One stretch of a route: the segments below one `$ref` target.
struct Leg {
    base: Ptr,
    below: Vec<String>,
}

/// The route `stack` (a drift path, without its last stretch) plus
/// `subpath` (drift's relative path of the change) describes in `doc`;
/// `None` when it names no operation (an operation added or removed, seen
/// from the document that lacks it).
pub fn reached(
    doc: &Value,
    operations: &Operations,
    stack: &JsonPathStack,
    subpath: &str,
    comparison: ChangeComparison,
) -> Option<Reached> {
    let endpoint = Ptr::from_drift(stack.endpoint_base()?);
    let legs = legs(doc, &endpoint, stack, subpath);
    let node = legs
        .last()
        .map(|leg| leg.base.keys(leg.below.iter().map(String::as_str)))
        .unwrap_or_else(|| endpoint.clone());
    let Some((names, _)) = operations.at(&endpoint) else {
        return Some(Reached {
            direction: Direction::of(comparison),
            subject: subject_at(doc, operations, &node),
            field: None,
            node,
        });
    };
    let (part, first_below) = part_of(doc, &endpoint, &legs[0].below);
    let below: Vec<&String> = first_below
        .iter()
        .chain(legs[1..].iter().flat_map(|leg| leg.below.iter()))
        .collect();
    Some(Reached {
        direction: Direction::of(comparison),
        subject: Subject::Operation {
            operations: names,
            part,
            field: field_of(&below),
        },
        field: field_site(&legs),
        node,
    })
}

/// The stretches of the route: from the operation to the first `$ref`,
/// between `$ref`s, and below the last target. Each `$ref`'s target is
/// read in `doc`, since drift keeps only where it was followed from.
fn legs(doc: &Value, endpoint: &Ptr, stack: &JsonPathStack, subpath: &str) -> Vec<Leg> {
    let mut hops: Vec<Ptr> = stack.iter().map(Ptr::from_drift).collect();
    hops.reverse();
    let subpath: Vec<String> = Ptr::parse(&format!("/{subpath}"))
        .segments()
        .iter()
        .filter(|segment| !segment.is_empty())
        .cloned()
        .collect();
    let Some((last, ref_sites)) = hops.split_last() else {
        return vec![Leg {
            base: endpoint.clone(),
            below: subpath,
        }];
    };
    let mut legs = Vec::with_capacity(hops.len());
    let mut base = endpoint.clone();
    for site in ref_sites {
        let below = site.segments()[base.segments().len().min(site.segments().len())..]
            .iter()
            .filter(|segment| *segment != "$ref")
            .cloned()
            .collect();
        legs.push(Leg {
            base: base.clone(),
            below,
        });
        base = site
            .get(doc)
            .and_then(Value::as_str)
            .map_or_else(|| last.clone(), Ptr::parse);
    }
    legs.push(Leg {
        base: last.clone(),
        below: subpath,
    });
    legs
}

/// The property whose schema the route ends at: the last
/// `properties/<name>` of the route, when nothing but `$ref`s and
/// one-element wrappers (`allOf/0`) follow it.
fn field_site(legs: &[Leg]) -> Option<FieldSite> {
    for (index, leg) in legs.iter().enumerate().rev() {
        let below = &leg.below;
        let at = below
            .windows(2)
            .rposition(|pair| pair[0] == "properties")
            .filter(|&at| at == 0 || below[at - 1] != "properties");
        let transparent = |segments: &[String]| {
            segments
                .chunks(2)
                .all(|pair| matches!(pair, [wrapper, zero] if ["allOf", "oneOf", "anyOf"].contains(&wrapper.as_str()) && zero == "0"))
        };
        match at {
            Some(at) if transparent(&below[at + 2..]) => {
                return Some(FieldSite {
                    object: leg.base.keys(below[..at].iter().map(String::as_str)),
                    name: below[at + 1].clone(),
                });
            }
            _ if transparent(below) && index > 0 => continue,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_are_named_as_users_write_them() {
        let field = |path: &str| field_of(Ptr::parse(path).segments());
        assert_eq!(
            field("/properties/config/properties/structure"),
            "config.structure"
        );
        assert_eq!(
            field("/properties/slides/items/properties/text"),
            "slides[].text"
        );
        assert_eq!(field("/properties/properties/properties/x"), "properties.x");
        assert_eq!(field("/content/application~1json/schema"), "");
        assert_eq!(field("/additionalProperties/properties/a"), "*.a");
    }

    #[test]
    fn a_pointer_names_its_operation_part_and_field() {
        let doc = json!({
            "paths": {"/packs/{packId}": {
                "parameters": [{"name": "trace", "in": "query"}],
                "patch": {
                    "operationId": "update_pack",
                    "parameters": [{"$ref": "#/components/parameters/Id"}],
                    "responses": {}
                }
            }},
            "components": {"parameters": {"Id": {"name": "packId", "in": "path"}}}
        });
        let operations = Operations::new(&doc);
        let subject = |ptr: &str| subject_at(&doc, &operations, &Ptr::parse(ptr)).to_string();
        assert_eq!(
            subject(
                "/paths/~1packs~1{packId}/patch/requestBody/content/application~1json/schema/properties/name"
            ),
            "`update_pack` request field `name`"
        );
        assert_eq!(
            subject("/paths/~1packs~1{packId}/patch/parameters/0"),
            "`update_pack` parameter `packId`"
        );
        assert_eq!(
            subject("/paths/~1packs~1{packId}/parameters/0/schema"),
            "`update_pack` parameter `trace`"
        );
        assert_eq!(
            subject("/paths/~1packs~1{packId}/patch/responses/200/description"),
            "`update_pack` response 200"
        );
        assert_eq!(
            subject("/components/schemas/Pack/properties/id"),
            "schema `Pack` field `id`"
        );
        assert_eq!(subject("/info/title"), "the document");
    }
}
