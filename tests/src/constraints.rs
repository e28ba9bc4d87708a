//! The proof that the client refuses, before sending, every body the spec's
//! request schemas forbid, generated from the spec.
//!
//! For every operation, every place of its request body that carries
//! constraints ([`spec::constraints::RequestSchemas::locations`]) and every
//! constraint there, one case:
//!
//! 1. a valid body: the operation's request example that reaches deepest
//!    towards the place, completed with the smallest valid parents that
//!    reach it (array items, map entries, required members);
//! 2. the same body with the value at that place replaced by one that
//!    breaks exactly that constraint (below the minimum, one item too many,
//!    a value outside the enum, a required member removed, …).
//!
//! The valid body must pass both the spec's JSON Schema and the client's
//! check; the broken one must fail both, the client naming the concrete
//! path (`$.slides[0].text_elements`) and the keyword. A place inside a
//! `oneOf`/`anyOf` alternative is the exception that proves the rule: a
//! value breaking one alternative may match another, and then both checks
//! must accept it.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use serde_json::{Map, Value, json};
use spec::constraints::{
    Additional, Constraint, Format, JsonType, Location, NodeId, RequestSchemas, Rule, Step,
};
use spec::{JsonPath, Segment, Spec};

/// One generated case: one constraint broken at one place of one
/// operation's request body.
pub struct Case {
    /// `constraints::<operationId>::<place>::<constraint>`, e.g.
    /// `constraints::update_template::$.config.structure.slides::maxItems 10`.
    pub name: String,
    /// The operation's id.
    pub operation: String,
    /// The bodies, or why they could not be derived (the case then fails).
    bodies: Result<Bodies, String>,
}

struct Bodies {
    valid: Value,
    broken: Value,
    /// The broken value's concrete place.
    at: JsonPath,
    keyword: &'static str,
    in_alternative: bool,
}

/// Every case of every operation of `spec`, in document order.
pub fn cases(spec: &Spec) -> Vec<Case> {
    let schemas = RequestSchemas::of(spec);
    let deriver = Deriver {
        doc: spec.json(),
        schemas: &schemas,
    };
    let mut out = Vec::new();
    for (operation_id, _) in schemas.roots() {
        let examples: Vec<Value> = spec
            .operation(operation_id)
            .map(|operation| {
                operation
                    .request_examples()
                    .iter()
                    .map(|example| example.value.clone())
                    .collect()
            })
            .unwrap_or_default();
        for location in schemas.locations(operation_id) {
            for constraint in schemas.node(location.node).constraints() {
                out.push(Case {
                    name: format!("constraints::{operation_id}::{location}::{constraint}"),
                    operation: operation_id.to_string(),
                    bodies: deriver.bodies(&examples, &location, &constraint),
                });
            }
        }
    }
    out
}

/// Operations whose number of cases differs from the number of
/// constraints the spec walk yields, or that have none although their
/// request schema contains a constraint keyword.
pub fn coverage_gaps(spec: &Spec, cases: &[Case]) -> Vec<String> {
    let schemas = RequestSchemas::of(spec);
    let mut gaps = Vec::new();
    for (operation_id, root) in schemas.roots() {
        let expected: usize = schemas
            .locations(operation_id)
            .iter()
            .map(|location| schemas.node(location.node).constraints().len())
            .sum();
        let found = cases
            .iter()
            .filter(|case| case.operation == *operation_id)
            .count();
        if found != expected {
            gaps.push(format!(
                "{operation_id}: {found} cases for the {expected} constraints of its request schema"
            ));
        }
        let written =
            mentions_a_constraint(spec.json(), schemas.node(*root).schema, &mut Vec::new());
        if found == 0 && written {
            gaps.push(format!(
                "{operation_id}: its request schema has constraint keywords but no case checks one"
            ));
        }
    }
    gaps
}

/// Whether a constraint keyword appears anywhere in `schema` or the
/// schemas it references (read from the JSON, independently of the walk).
fn mentions_a_constraint<'a>(doc: &'a Value, schema: &'a Value, seen: &mut Vec<&'a str>) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(key, value)| match (key.as_str(), value) {
            ("$ref", Value::String(reference)) => {
                if seen.contains(&reference.as_str()) {
                    return false;
                }
                seen.push(reference);
                spec::resolve(doc, reference)
                    .is_some_and(|target| mentions_a_constraint(doc, target, seen))
            }
            ("example" | "description" | "default", _) => false,
            _ => {
                spec::keywords::CONSTRAINTS.contains(&key.as_str())
                    || mentions_a_constraint(doc, value, seen)
            }
        }),
        Value::Array(items) => items
            .iter()
            .any(|item| mentions_a_constraint(doc, item, seen)),
        _ => false,
    }
}

impl Case {
    /// Runs the case against the spec's JSON Schema and the client's check.
    pub fn run(&self, spec: &Spec) -> Result<(), String> {
        let operation = spec
            .operation(&self.operation)
            .ok_or_else(|| format!("the spec has no operation `{}`", self.operation))?;
        let bodies = self.bodies.as_ref().map_err(Clone::clone)?;
        if let Err(errors) = operation.validate_request(&bodies.valid) {
            return Err(format!(
                "the derived valid body {} fails the spec's JSON Schema (a bug of this test): {errors:?}",
                bodies.valid
            ));
        }
        if let Err(violations) = client_check(&self.operation, &bodies.valid) {
            return Err(format!(
                "the client refuses the valid body {}: {violations}",
                bodies.valid
            ));
        }
        judge(
            bodies,
            operation.validate_request(&bodies.broken),
            client_check(&self.operation, &bodies.broken),
        )
    }
}

/// The verdicts on the broken body must agree, and the client's must name
/// the place and the keyword.
fn judge(
    bodies: &Bodies,
    spec_verdict: Result<(), Vec<String>>,
    client_verdict: Result<(), genviral_partner::__private::Violations>,
) -> Result<(), String> {
    match (spec_verdict, client_verdict) {
        (Ok(()), Ok(())) if bodies.in_alternative => Ok(()),
        (Ok(()), Ok(())) => Err(format!(
            "the spec's JSON Schema accepts {}, derived to break {} at {} (a bug of this test)",
            bodies.broken, bodies.keyword, bodies.at
        )),
        (Ok(()), Err(violations)) => Err(format!(
            "the client refuses {}, which the spec accepts: {violations}",
            bodies.broken
        )),
        (Err(errors), Ok(())) => Err(format!(
            "the client would send {}, which the spec refuses: {errors:?}",
            bodies.broken
        )),
        (Err(_), Err(violations)) => named(&violations, bodies),
    }
}

/// The client's refusal must name the place and the broken keyword, and
/// nothing elsewhere.
fn named(
    violations: &genviral_partner::__private::Violations,
    bodies: &Bodies,
) -> Result<(), String> {
    let at = bodies.at.to_string();
    let elsewhere: Vec<String> = violations
        .violations()
        .iter()
        .filter(|violation| violation.path() != at)
        .map(ToString::to_string)
        .collect();
    if !elsewhere.is_empty() {
        return Err(format!(
            "expected problems at {at} only, the client also reports: {}",
            elsewhere.join("; ")
        ));
    }
    if violations
        .violations()
        .iter()
        .any(|violation| violation.keyword() == bodies.keyword)
    {
        Ok(())
    } else {
        Err(format!(
            "expected `{}` at {at}, the client reports: {violations}",
            bodies.keyword
        ))
    }
}

fn client_check(
    operation: &str,
    body: &Value,
) -> Result<(), genviral_partner::__private::Violations> {
    let bytes = serde_json::to_vec(body).expect("a JSON value serialises");
    genviral_partner::__private::check_request(operation, &bytes)
}

/// The libtest-mimic trials: one per case, one checking the case count per
/// operation, and one per operation checking that its request examples
/// pass the client's check.
pub fn trials(spec: Arc<Spec>) -> Vec<Trial> {
    let cases = cases(&spec);
    let gaps = coverage_gaps(&spec, &cases);
    let mut trials = vec![Trial::test(
        "constraints::coverage::one_case_per_constraint_of_every_operation",
        move || {
            if gaps.is_empty() {
                Ok(())
            } else {
                Err(Failed::from(gaps.join("\n")))
            }
        },
    )];
    for operation in spec.operations() {
        let Some(id) = operation.id().map(str::to_string) else {
            continue;
        };
        let examples: Vec<(String, Value)> = operation
            .request_examples()
            .iter()
            .map(|example| {
                (
                    example.name.unwrap_or("example").to_string(),
                    example.value.clone(),
                )
            })
            .collect();
        trials.push(Trial::test(
            format!("constraints::{id}::request_examples_pass"),
            move || {
                for (name, value) in &examples {
                    client_check(&id, value)
                        .map_err(|violations| format!("example `{name}`: {violations}"))?;
                }
                Ok(())
            },
        ));
    }
    for case in cases {
        let spec = Arc::clone(&spec);
        trials.push(Trial::test(case.name.clone(), move || {
            case.run(&spec).map_err(Failed::from)
        }));
    }
    trials
}

/// Builds the bodies of a case from the spec's schemas.
struct Deriver<'s, 'a> {
    doc: &'a Value,
    schemas: &'s RequestSchemas<'a>,
}

/// Deep enough for any schema a request needs; beyond it a schema requires
/// itself without end.
const MAX_DEPTH: usize = 32;

impl Deriver<'_, '_> {
    fn bodies(
        &self,
        examples: &[Value],
        location: &Location<'_>,
        constraint: &Constraint<'_>,
    ) -> Result<Bodies, String> {
        let root = self
            .schemas
            .root(location.operation)
            .ok_or_else(|| format!("`{}` has no request schema", location.operation))?;
        let mut valid = match examples.iter().enumerate().max_by_key(|(index, example)| {
            (
                self.reach_depth(example, root, location),
                usize::MAX - index,
            )
        }) {
            Some((_, example)) => example.clone(),
            None => self.minimal(root, 0)?,
        };
        let at = self.reach(&mut valid, root, location)?;
        let mut broken = valid.clone();
        let value =
            value_at(&mut broken, &at).ok_or_else(|| format!("{at} is not in the derived body"))?;
        self.break_constraint(location.node, constraint, value)?;
        Ok(Bodies {
            valid,
            broken,
            at,
            keyword: constraint.keyword(),
            in_alternative: location
                .steps
                .iter()
                .any(|(step, _)| matches!(step, Step::OneOf(_) | Step::AnyOf(_))),
        })
    }

    /// How many of the location's steps into the body `example` already has.
    fn reach_depth(&self, example: &Value, root: NodeId, location: &Location<'_>) -> usize {
        let mut here = example;
        let mut parent = root;
        let mut depth = 0;
        for (step, node) in &location.steps {
            let next = match step {
                Step::Property(name) => here.get(*name),
                Step::Item => here.get(0),
                Step::Value => self.map_entry(here, parent).and_then(|key| here.get(key)),
                Step::OneOf(_) | Step::AnyOf(_) | Step::AllOf(_) => Some(here),
            };
            let Some(next) = next else {
                break;
            };
            if step.moves() {
                depth += 1;
            }
            here = next;
            parent = *node;
        }
        depth
    }

    /// The first member of a map that is not a declared property.
    fn map_entry<'v>(&self, map: &'v Value, schema: NodeId) -> Option<&'v str> {
        let declared = &self.schemas.node(schema).properties;
        map.as_object()?
            .keys()
            .find(|key| !declared.iter().any(|(name, _)| name == key))
            .map(String::as_str)
    }

    /// Completes `body` so the location's place exists, and returns it.
    fn reach(
        &self,
        body: &mut Value,
        root: NodeId,
        location: &Location<'_>,
    ) -> Result<JsonPath, String> {
        let mut at = JsonPath::root();
        let mut parent = root;
        for (step, node) in &location.steps {
            let here = value_at(body, &at).ok_or_else(|| format!("{at} vanished"))?;
            match step {
                Step::Property(name) => {
                    let members = self.container(here, parent, JsonType::Object)?;
                    let members = members.as_object_mut().expect("made an object");
                    if !members.contains_key(*name) {
                        members.insert(name.to_string(), self.minimal(*node, 0)?);
                    }
                    at = at.key(*name);
                }
                Step::Item => {
                    let items = self.container(here, parent, JsonType::Array)?;
                    let items = items.as_array_mut().expect("made an array");
                    if items.is_empty() {
                        items.push(self.minimal(*node, 0)?);
                    }
                    at = at.index(0);
                }
                Step::Value => {
                    let key = match self.map_entry(here, parent) {
                        Some(key) => key.to_string(),
                        None => {
                            let members = self.container(here, parent, JsonType::Object)?;
                            members
                                .as_object_mut()
                                .expect("made an object")
                                .insert("0".into(), self.minimal(*node, 0)?);
                            "0".to_string()
                        }
                    };
                    at = at.key(key);
                }
                Step::OneOf(_) | Step::AnyOf(_) => {
                    if !self.valid_for(*node, here) {
                        *here = self.minimal(*node, 0)?;
                    }
                }
                Step::AllOf(_) => {}
            }
            parent = *node;
        }
        Ok(at)
    }

    /// `value` as a container of type `ty`: itself, or the smallest valid
    /// value of `schema` in its place when it is something else (`null`).
    fn container<'v>(
        &self,
        value: &'v mut Value,
        schema: NodeId,
        ty: JsonType,
    ) -> Result<&'v mut Value, String> {
        if !ty.accepts(value) {
            *value = self.minimal(schema, 0)?;
            if !ty.accepts(value) {
                *value = if ty == JsonType::Array {
                    json!([])
                } else {
                    json!({})
                };
            }
        }
        Ok(value)
    }

    fn valid_for(&self, node: NodeId, value: &Value) -> bool {
        spec::json_schema::validate(self.doc, self.schemas.node(node).schema, value).is_ok()
    }

    /// A small value `node` accepts: its own valid `example`, else one
    /// built from its rules.
    fn minimal(&self, id: NodeId, depth: usize) -> Result<Value, String> {
        let node = self.schemas.node(id);
        if depth > MAX_DEPTH {
            return Err(format!("{} requires itself without end", node.at));
        }
        if let Some(example) = node.schema.get("example")
            && !example.is_null()
            && self.valid_for(id, example)
        {
            return Ok(example.clone());
        }
        let listed = node.rules.iter().find_map(|rule| match rule {
            Rule::Enum(values) => values.iter().find(|value| !value.is_null()),
            _ => None,
        });
        if let Some(value) = listed {
            return Ok(value.clone());
        }
        let alternative = node
            .one_of
            .first()
            .or(node.any_of.first())
            .or(node.all_of.first());
        match node.ty {
            Some(JsonType::Object) => self.minimal_object(id, depth),
            Some(JsonType::Array) => {
                let count = min_count(&node.rules, |rule| match rule {
                    Rule::MinItems(n) => Some(*n),
                    _ => None,
                });
                let item = match node.items {
                    Some(items) => self.minimal(items, depth + 1)?,
                    None => json!("x"),
                };
                Ok(Value::Array(vec![item; count]))
            }
            Some(JsonType::String) => minimal_string(&node.rules),
            Some(ty @ (JsonType::Integer | JsonType::Number)) => {
                Ok(minimal_number(ty, &node.rules))
            }
            Some(JsonType::Boolean) => Ok(json!(true)),
            None => match alternative {
                Some(alternative) => self.minimal(*alternative, depth + 1),
                None if !node.properties.is_empty() || !node.required.is_empty() => {
                    self.minimal_object(id, depth)
                }
                None => Ok(json!({})),
            },
        }
    }

    /// The required members, then optional ones up to `minProperties`.
    fn minimal_object(&self, id: NodeId, depth: usize) -> Result<Value, String> {
        let node = self.schemas.node(id);
        let mut members = Map::new();
        for name in &node.required {
            let value = match node.property(name) {
                Some(property) => self.minimal(property, depth + 1)?,
                None => self.additional_value(node.additional, depth)?,
            };
            members.insert(name.to_string(), value);
        }
        let wanted = min_count(&node.rules, |rule| match rule {
            Rule::MinProperties(n) => Some(*n),
            _ => None,
        });
        for (name, property) in &node.properties {
            if members.len() >= wanted {
                break;
            }
            if !members.contains_key(*name) {
                members.insert(name.to_string(), self.minimal(*property, depth + 1)?);
            }
        }
        Ok(Value::Object(members))
    }

    fn additional_value(&self, additional: Additional, depth: usize) -> Result<Value, String> {
        match additional {
            Additional::Schema(values) => self.minimal(values, depth + 1),
            Additional::Any | Additional::Forbidden => Ok(json!("x")),
        }
    }

    /// Replaces (or edits) `value` so it breaks `constraint` of `node`.
    fn break_constraint(
        &self,
        id: NodeId,
        constraint: &Constraint<'_>,
        value: &mut Value,
    ) -> Result<(), String> {
        let node = self.schemas.node(id);
        match constraint {
            Constraint::Type(ty) => {
                *value = [json!(true), json!("x"), json!([]), json!({}), json!(1.5)]
                    .into_iter()
                    .find(|candidate| !ty.accepts(candidate))
                    .ok_or("every value is of this type")?;
            }
            Constraint::Rule(rule) => *value = self.breaking(id, rule, value)?,
            Constraint::Required(name) => {
                value
                    .as_object_mut()
                    .ok_or("the value at a `required` place is not an object")?
                    .remove(*name);
            }
            Constraint::NoAdditionalProperties => {
                let members = value.as_object_mut().ok_or(
                    "the value at an `additionalProperties: false` place is not an object",
                )?;
                let key = (0..)
                    .map(|n| format!("undeclared_{n}"))
                    .find(|key| node.property(key).is_none())
                    .unwrap_or_default();
                members.insert(key, json!("x"));
            }
            Constraint::Not(not) => *value = self.minimal(*not, 0)?,
        }
        Ok(())
    }

    /// A value that breaks `rule` of node `id` (and, where possible,
    /// nothing else), from the valid value `current`.
    fn breaking(&self, id: NodeId, rule: &Rule<'_>, current: &Value) -> Result<Value, String> {
        let node = self.schemas.node(id);
        let integer = node.ty == Some(JsonType::Integer);
        Ok(match rule {
            Rule::Enum(values) => outside(values, node.ty)?,
            Rule::MinLength(min) => json!("x".repeat(*min as usize - 1)),
            Rule::MaxLength(max) => json!("x".repeat(*max as usize + 1)),
            Rule::Pattern(pattern) => not_matching(pattern)?,
            Rule::Format(Format::Uuid) => json!("not-a-uuid"),
            Rule::Minimum(min) if integer => number(min.ceil() - 1.0),
            Rule::Minimum(min) => number(min - 1.0),
            Rule::ExclusiveMinimum(min) if integer => number(min.floor()),
            Rule::ExclusiveMinimum(min) => number(*min),
            Rule::Maximum(max) if integer => number(max.floor() + 1.0),
            Rule::Maximum(max) => number(max + 1.0),
            Rule::ExclusiveMaximum(max) if integer => number(max.ceil()),
            Rule::ExclusiveMaximum(max) => number(*max),
            Rule::MultipleOf(divisor) if integer && divisor.fract() == 0.0 && *divisor > 1.0 => {
                number(divisor + 1.0)
            }
            Rule::MultipleOf(divisor) if integer => {
                return Err(format!("no integer breaks multipleOf {divisor}"));
            }
            Rule::MultipleOf(divisor) => number(divisor * 1.5),
            Rule::MinItems(min) => Value::Array(self.items(id, current, *min as usize - 1)?),
            Rule::MaxItems(max) => Value::Array(self.items(id, current, *max as usize + 1)?),
            Rule::UniqueItems => {
                let item = self.items(id, current, 1)?.remove(0);
                json!([item.clone(), item])
            }
            Rule::MinProperties(min) => {
                let mut members = current.as_object().cloned().unwrap_or_default();
                while members.len() as u64 >= *min {
                    let key = members
                        .keys()
                        .find(|key| !node.required.contains(&key.as_str()))
                        .or_else(|| members.keys().next())
                        .cloned()
                        .ok_or("no member to remove")?;
                    members.remove(&key);
                }
                Value::Object(members)
            }
            Rule::MaxProperties(max) => {
                Value::Object(self.members(id, current, *max as usize + 1)?)
            }
        })
    }

    /// `count` items for the array at node `id`: its current ones, then
    /// copies of the first (or the smallest valid item).
    fn items(&self, id: NodeId, current: &Value, count: usize) -> Result<Vec<Value>, String> {
        let mut items = current.as_array().cloned().unwrap_or_default();
        let filler = match (items.first(), self.schemas.node(id).items) {
            (Some(first), _) => first.clone(),
            (None, Some(item)) => self.minimal(item, 0)?,
            (None, None) => json!("x"),
        };
        items.resize(count, filler);
        Ok(items)
    }

    /// At least `count` members for the object at node `id`: its current
    /// ones, then absent declared properties, then extra keys if allowed.
    fn members(
        &self,
        id: NodeId,
        current: &Value,
        count: usize,
    ) -> Result<Map<String, Value>, String> {
        let node = self.schemas.node(id);
        let mut members = current.as_object().cloned().unwrap_or_default();
        for (name, property) in &node.properties {
            if members.len() >= count {
                break;
            }
            if !members.contains_key(*name) {
                members.insert(name.to_string(), self.minimal(*property, 0)?);
            }
        }
        let mut extra = 0;
        while members.len() < count {
            if node.additional == Additional::Forbidden {
                return Err("not enough declared properties to exceed maxProperties".into());
            }
            let key = format!("extra_{extra}");
            extra += 1;
            if node.property(&key).is_none() {
                members.insert(key, self.additional_value(node.additional, 0)?);
            }
        }
        Ok(members)
    }
}

/// The smallest count a `min…` rule asks for (0 without one).
fn min_count(rules: &[Rule<'_>], bound: impl Fn(&Rule<'_>) -> Option<u64>) -> usize {
    rules.iter().find_map(bound).unwrap_or(0) as usize
}

fn minimal_string(rules: &[Rule<'_>]) -> Result<Value, String> {
    if rules.contains(&Rule::Format(Format::Uuid)) {
        return Ok(json!("00000000-0000-4000-8000-000000000000"));
    }
    let min = min_count(rules, |rule| match rule {
        Rule::MinLength(n) => Some(*n),
        _ => None,
    });
    let max = rules.iter().find_map(|rule| match rule {
        Rule::MaxLength(n) => Some(*n as usize),
        _ => None,
    });
    let text = "x".repeat(min.max(1).min(max.unwrap_or(usize::MAX)));
    for rule in rules {
        if let Rule::Pattern(pattern) = rule {
            let compiled = regex_lite::Regex::new(pattern).map_err(|e| e.to_string())?;
            if !compiled.is_match(&text) {
                return Err(format!(
                    "cannot build a string matching `{pattern}`: give the schema a valid `example`"
                ));
            }
        }
    }
    Ok(json!(text))
}

fn minimal_number(ty: JsonType, rules: &[Rule<'_>]) -> Value {
    let integer = ty == JsonType::Integer;
    let low = rules.iter().find_map(|rule| match rule {
        Rule::Minimum(min) if integer => Some(min.ceil()),
        Rule::Minimum(min) => Some(*min),
        Rule::ExclusiveMinimum(min) if integer => Some(min.floor() + 1.0),
        Rule::ExclusiveMinimum(min) => Some(min + 0.5),
        _ => None,
    });
    let high = rules.iter().find_map(|rule| match rule {
        Rule::Maximum(max) if integer => Some(max.floor()),
        Rule::Maximum(max) => Some(*max),
        Rule::ExclusiveMaximum(max) if integer => Some(max.ceil() - 1.0),
        Rule::ExclusiveMaximum(max) => Some(max - 0.5),
        _ => None,
    });
    let divisor = rules.iter().find_map(|rule| match rule {
        Rule::MultipleOf(divisor) => Some(*divisor),
        _ => None,
    });
    let start = low.or(high).unwrap_or(1.0);
    number(match divisor {
        Some(divisor) => (start / divisor).ceil() * divisor,
        None => start,
    })
}

/// A value of the enum's type that is not listed.
fn outside(values: &[Value], ty: Option<JsonType>) -> Result<Value, String> {
    let numbers: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
    let candidate = match ty {
        Some(JsonType::Integer | JsonType::Number) => {
            number(numbers.iter().copied().fold(0.0, f64::max).floor() + 1.0)
        }
        Some(JsonType::Boolean) => [json!(true), json!(false)]
            .into_iter()
            .find(|candidate| !values.contains(candidate))
            .ok_or("both booleans are listed")?,
        _ => {
            let first = values.iter().find_map(Value::as_str).unwrap_or("value");
            json!(format!("not-{first}"))
        }
    };
    if values.contains(&candidate) {
        return Err(format!("{candidate} is listed in the enum"));
    }
    Ok(candidate)
}

/// A short string the pattern does not match.
fn not_matching(pattern: &str) -> Result<Value, String> {
    let compiled = regex_lite::Regex::new(pattern).map_err(|e| e.to_string())?;
    ["", "!", " ", "0", "a", "~~~", "\u{1}"]
        .into_iter()
        .find(|candidate| !compiled.is_match(candidate))
        .map(|candidate| json!(candidate))
        .ok_or_else(|| format!("every candidate string matches `{pattern}`"))
}

/// A JSON number, written as an integer when it is one.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// The value at a concrete path.
fn value_at<'v>(body: &'v mut Value, at: &JsonPath) -> Option<&'v mut Value> {
    at.segments()
        .iter()
        .try_fold(body, |here, segment| match segment {
            Segment::Key(key) => here.get_mut(key.as_str()),
            Segment::Index(index) => here.get_mut(*index),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository_spec() -> Spec {
        spec::load(spec::path()).expect("the repository spec loads")
    }

    #[test]
    fn a_missing_case_is_named() {
        let spec = repository_spec();
        let mut all = cases(&spec);
        assert_eq!(coverage_gaps(&spec, &all), Vec::<String>::new());
        let dropped = all.pop().expect("the spec has constrained request bodies");
        let gaps = coverage_gaps(&spec, &all);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!(
            gaps[0].starts_with(&format!("{}: ", dropped.operation)),
            "{gaps:?}"
        );
    }

    #[test]
    fn a_body_the_client_would_send_or_misplace_fails_the_case() {
        let spec = repository_spec();
        let all = cases(&spec);
        let case = all
            .iter()
            .find(|case| case.name.ends_with("::minimum 8"))
            .expect("a font size minimum in the spec");
        assert_eq!(case.run(&spec), Ok(()));
        let bodies = case.bodies.as_ref().unwrap();
        let refused = || Err(vec!["refused".to_string()]);
        let client = client_check(&case.operation, &bodies.broken);
        assert!(client.is_err());
        // A client that let the body through fails the case.
        let sent = judge(bodies, refused(), Ok(())).unwrap_err();
        assert!(sent.starts_with("the client would send"), "{sent}");
        // So does one that names another place or another rule.
        let elsewhere = Bodies {
            valid: bodies.valid.clone(),
            broken: bodies.broken.clone(),
            at: JsonPath::root().key("elsewhere"),
            keyword: bodies.keyword,
            in_alternative: bodies.in_alternative,
        };
        assert!(judge(&elsewhere, refused(), client.clone()).is_err());
        let other_rule = Bodies {
            keyword: "maximum",
            at: bodies.at.clone(),
            ..elsewhere
        };
        assert!(judge(&other_rule, refused(), client.clone()).is_err());
        assert_eq!(judge(bodies, refused(), client), Ok(()));
    }

    #[test]
    fn numbers_and_strings_that_break_rules() {
        assert_eq!(number(7.0), json!(7));
        assert_eq!(number(7.5), json!(7.5));
        assert_eq!(outside(&[json!(1)], Some(JsonType::Integer)), Ok(json!(2)));
        assert_eq!(
            outside(&[json!("a")], Some(JsonType::String)),
            Ok(json!("not-a"))
        );
        assert_eq!(not_matching("^[a-z]+$"), Ok(json!("")));
        assert!(not_matching("").is_err());
        assert_eq!(
            minimal_number(JsonType::Integer, &[Rule::ExclusiveMinimum(7.5)]),
            json!(8)
        );
    }
}
