//! Every constraint of the spec's request schemas, checked before a request
//! is sent: a body the spec forbids is refused with the JSON path, the rule
//! and the offending value, e.g.
//! `$.settings.advanced_settings.font_size: 5 is below the minimum 8`,
//! instead of travelling to the server for a `422`.
//!
//! The generator writes each operation's request schema as data
//! (`generated::request_rules`, from `spec::constraints`); this module
//! defines that data's types and walks a body against it with JSON
//! Schema's meaning: a rule applies only to values of its type,
//! `nullable: true` accepts `null`, `allOf` branches all apply, exactly one
//! `oneOf` (at least one `anyOf`) alternative must match.
//!
//! Cost: a body that passes is checked while serde_json reads it, without
//! building a `serde_json::Value` (`streaming`). Any other body is parsed
//! into a `Value` and walked once without allocating (a "probe" that stops
//! at the first problem), and walked again only to word every problem.

use std::fmt;

use serde_json::{Map, Number, Value};

use crate::generated::request_rules;

/// A JSON type (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The generator emits only the variants the spec's request schemas use.
#[allow(dead_code)]
pub(crate) enum Type {
    String,
    Number,
    /// A number without a fractional part (`1.0` included).
    Integer,
    Boolean,
    Array,
    Object,
}

impl Type {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Type::String => value.is_string(),
            Type::Number => value.is_number(),
            Type::Integer => {
                value.is_i64()
                    || value.is_u64()
                    || value.as_f64().is_some_and(|number| number.fract() == 0.0)
            }
            Type::Boolean => value.is_boolean(),
            Type::Array => value.is_array(),
            Type::Object => value.is_object(),
        }
    }

    fn described(self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Number => "a number",
            Type::Integer => "an integer",
            Type::Boolean => "a boolean",
            Type::Array => "an array",
            Type::Object => "an object",
        }
    }
}

/// A checked `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// The hyphenated UUID form, `8-4-4-4-12` hex digits.
    Uuid,
}

/// A rule on a value; it applies only to values of the type it is about.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(dead_code)] // The generator emits only the rules the spec uses.
pub(crate) enum Rule {
    /// `enum`.
    Enum(&'static [Literal]),
    /// `minLength`, in characters.
    MinLength(u64),
    /// `maxLength`, in characters.
    MaxLength(u64),
    /// `pattern`: the index of its source in `request_rules::PATTERNS`.
    Pattern(usize),
    /// `format`.
    Format(Format),
    /// `minimum`.
    Minimum(f64),
    /// `exclusiveMinimum`.
    ExclusiveMinimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `exclusiveMaximum`.
    ExclusiveMaximum(f64),
    /// `multipleOf`.
    MultipleOf(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `minProperties`.
    MinProperties(u64),
    /// `maxProperties`.
    MaxProperties(u64),
}

/// A JSON value written in the spec (a member of an `enum`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(dead_code)] // The generator emits only the kinds the spec's enums hold.
pub(crate) enum Literal {
    Null,
    Bool(bool),
    Integer(i64),
    Number(f64),
    String(&'static str),
    Array(&'static [Literal]),
    Object(&'static [(&'static str, Literal)]),
}

impl Literal {
    /// Whether this is the string `text`.
    fn equals_text(&self, text: &str) -> bool {
        matches!(self, Literal::String(literal) if *literal == text)
    }

    /// JSON equality: numbers by value (`1` equals `1.0`), objects
    /// whatever their member order.
    fn equals(&self, value: &Value) -> bool {
        match (self, value) {
            (Literal::Null, Value::Null) => true,
            (Literal::Bool(a), Value::Bool(b)) => a == b,
            (Literal::Integer(a), Value::Number(b)) => match b.as_i64() {
                Some(b) => *a == b,
                None => b.as_f64() == Some(*a as f64),
            },
            (Literal::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
            (Literal::String(_), Value::String(b)) => self.equals_text(b),
            (Literal::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.equals(b))
            }
            (Literal::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(key, a)| b.get(*key).is_some_and(|b| a.equals(b)))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Integer(i) => write!(f, "{i}"),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::String(s) => write!(f, "{}", Value::from(*s)),
            Literal::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "," };
                    write!(f, "{separator}{item}")?;
                }
                f.write_str("]")
            }
            Literal::Object(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "," };
                    write!(f, "{separator}{}:{value}", Value::from(*key))?;
                }
                f.write_str("}")
            }
        }
    }
}

/// What an object accepts besides its declared properties.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // The generator emits only the kinds the spec uses.
pub(crate) enum Additional {
    /// Anything.
    Any,
    /// Nothing (`additionalProperties: false`).
    Forbidden,
    /// Values of this schema.
    Schema(&'static Schema),
}

/// One request schema, as the generator writes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schema {
    /// `type`.
    pub(crate) ty: Option<Type>,
    /// `nullable: true`: `null` is accepted whatever else the schema says.
    pub(crate) nullable: bool,
    /// The rules on the value.
    pub(crate) rules: &'static [Rule],
    /// `required`.
    pub(crate) required: &'static [&'static str],
    /// `properties`.
    pub(crate) properties: &'static [(&'static str, &'static Schema)],
    /// `items`.
    pub(crate) items: Option<&'static Schema>,
    /// `additionalProperties`.
    pub(crate) additional: Additional,
    /// `oneOf`.
    pub(crate) one_of: &'static [&'static Schema],
    /// `anyOf`.
    pub(crate) any_of: &'static [&'static Schema],
    /// `allOf`.
    pub(crate) all_of: &'static [&'static Schema],
    /// `not`.
    pub(crate) not: Option<&'static Schema>,
}

impl Schema {
    /// Accepts every value; generated schemas list what differs from it.
    pub(crate) const ANY: Schema = Schema {
        ty: None,
        nullable: false,
        rules: &[],
        required: &[],
        properties: &[],
        items: None,
        additional: Additional::Any,
        one_of: &[],
        any_of: &[],
        all_of: &[],
        not: None,
    };

    /// Whether a value of this type could pass (an alternative "fits").
    fn fits_type(&self, value: &Value) -> bool {
        (value.is_null() && self.nullable) || self.ty.is_none_or(|ty| ty.accepts(value))
    }
}

/// Checks a request body of `operation_id` against its request schema.
/// Operations without one (or unknown ids) accept any body.
pub(crate) fn check(operation_id: &str, body: &[u8]) -> Result<(), Violations> {
    let Some((_, schema)) = request_rules::BY_OPERATION
        .iter()
        .find(|(id, _)| *id == operation_id)
    else {
        return Ok(());
    };
    // The usual body passes: say so while reading it, without building
    // a `Value` (see `streaming`). Any other body is checked whole, which
    // words every problem.
    if streaming::accepts(schema, body) {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => check_value(operation_id, schema, &value),
        Err(error) => Err(Violations {
            operation_id: operation_id.to_string(),
            violations: vec![Violation::new(
                "json",
                format!("the body is not JSON: {error}"),
            )],
        }),
    }
}

/// What the `pre` hook calls: checks the body of a request about to be
/// sent. A body that is not in memory (a stream) is not checked; the
/// generated builders always send buffered JSON.
pub(crate) fn check_request_body(
    operation_id: &str,
    request: &reqwest::Request,
) -> Result<(), Violations> {
    match request.body().and_then(reqwest::Body::as_bytes) {
        Some(body) => check(operation_id, body),
        None => Ok(()),
    }
}

fn check_value(operation_id: &str, schema: &Schema, value: &Value) -> Result<(), Violations> {
    if matches(schema, value) {
        return Ok(());
    }
    let mut sink = Sink::Collect(Vec::new());
    visit(schema, value, &mut sink);
    Err(Violations {
        operation_id: operation_id.to_string(),
        violations: sink.into_violations(),
    })
}

/// Whether `value` satisfies `schema` (stops at the first problem and
/// allocates nothing).
fn matches(schema: &Schema, value: &Value) -> bool {
    let mut probe = Sink::Probe(0);
    visit(schema, value, &mut probe);
    probe.count() == 0
}

/// Checking a body while it is read, for the body that passes.
///
/// The walk over a `Value` first builds the value: a map per object and a
/// string per key and string, about half of the cost of checking a small
/// body (see BENCHMARKS.md). This walk reads the body with serde_json and
/// checks each value as it arrives, against the same rules, allocating
/// nothing for objects, arrays, keys and strings. It only answers "passes":
/// whatever it finds wrong or cannot decide alone (a duplicate key, an
/// undeclared one under `minProperties`, a body that is not JSON) makes it
/// answer no, and the caller checks the body whole, so messages and
/// verdicts stay those of [`visit`]. A value whose check needs it whole
/// (`oneOf`, `anyOf`, `allOf`, `not`, `uniqueItems`) is read into a `Value`
/// and given to [`matches`]; so is every scalar but a string, which costs
/// nothing to build.
mod streaming {
    use std::fmt;

    use serde::de::{
        self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };
    use serde_json::Value;

    use super::{Additional, Literal, Rule, Schema, Sink, Type, check_string, matches};

    /// Whether `body` is JSON that satisfies `schema`; `false` also when
    /// the walk cannot tell (module docs).
    pub(super) fn accepts(schema: &Schema, body: &[u8]) -> bool {
        let mut reader = serde_json::Deserializer::from_slice(body);
        let passes = Probe(schema).deserialize(&mut reader).unwrap_or(false);
        passes && reader.end().is_ok()
    }

    /// Checks one value against its schema: `true` when it passes.
    #[derive(Clone, Copy)]
    struct Probe<'s>(&'s Schema);

    impl<'de> DeserializeSeed<'de> for Probe<'_> {
        type Value = bool;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
            let schema = self.0;
            if needs_whole_value(schema) {
                let value = Value::deserialize(deserializer)?;
                return Ok(matches(schema, &value));
            }
            deserializer.deserialize_any(self)
        }
    }

    /// Whether checking a value against `schema` needs the value whole:
    /// it is checked against several schemas (`oneOf`, `anyOf`, `allOf`,
    /// `not`), its items against each other (`uniqueItems`), or compared
    /// with an array or object of an `enum`.
    fn needs_whole_value(schema: &Schema) -> bool {
        let whole_rule = |rule: &Rule| match rule {
            Rule::UniqueItems => true,
            Rule::Enum(members) => members
                .iter()
                .any(|member| matches!(member, Literal::Array(_) | Literal::Object(_))),
            _ => false,
        };
        !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || !schema.all_of.is_empty()
            || schema.not.is_some()
            || schema.rules.iter().any(whole_rule)
    }

    impl Probe<'_> {
        /// A scalar other than a string, as a `Value` (which allocates
        /// nothing for them).
        fn scalar(self, value: &Value) -> bool {
            matches(self.0, value)
        }

        /// Whether the schema's type admits `ty` (a container here).
        fn admits(self, ty: Type) -> bool {
            self.0.ty.is_none_or(|expected| expected == ty)
        }
    }

    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(self.scalar(&Value::Null))
        }

        fn visit_bool<E>(self, value: bool) -> Result<bool, E> {
            Ok(self.scalar(&Value::Bool(value)))
        }

        fn visit_i64<E>(self, value: i64) -> Result<bool, E> {
            Ok(self.scalar(&Value::from(value)))
        }

        fn visit_u64<E>(self, value: u64) -> Result<bool, E> {
            Ok(self.scalar(&Value::from(value)))
        }

        fn visit_f64<E>(self, value: f64) -> Result<bool, E> {
            // serde_json reads no NaN or infinity, so `from_f64` succeeds.
            Ok(serde_json::Number::from_f64(value)
                .is_some_and(|number| self.scalar(&Value::Number(number))))
        }

        fn visit_str<E>(self, text: &str) -> Result<bool, E> {
            let schema = self.0;
            if !self.admits(Type::String) {
                return Ok(false);
            }
            let mut probe = Sink::Probe(0);
            for rule in schema.rules {
                match rule {
                    Rule::Enum(members) if !members.iter().any(|m| m.equals_text(text)) => {
                        return Ok(false);
                    }
                    Rule::Enum(_) => {}
                    _ => check_string(*rule, text, &mut probe),
                }
                if probe.done() {
                    return Ok(false);
                }
            }
            Ok(true)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<bool, A::Error> {
            let schema = self.0;
            if !self.admits(Type::Array) {
                return Ok(false);
            }
            let mut count: u64 = 0;
            while let Some(passes) = match schema.items {
                Some(item) => items.next_element_seed(Probe(item))?,
                None => items.next_element::<IgnoredAny>()?.map(|_| true),
            } {
                if !passes {
                    return Ok(false);
                }
                count += 1;
            }
            Ok(schema.rules.iter().all(|rule| match *rule {
                Rule::MinItems(min) => count >= min,
                Rule::MaxItems(max) => count <= max,
                // Only scalars are left in the `enum` (`needs_whole_value`).
                Rule::Enum(_) => false,
                _ => true,
            }))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<bool, A::Error> {
            let schema = self.0;
            // Declared properties seen, one bit each.
            if !self.admits(Type::Object) || schema.properties.len() > 64 {
                return Ok(false);
            }
            let mut seen: u64 = 0;
            let mut undeclared: u64 = 0;
            while let Some(key) = members.next_key_seed(Key(schema))? {
                let member_schema = match key {
                    Some(index) if seen & (1 << index) != 0 => return Ok(false),
                    Some(index) => {
                        seen |= 1 << index;
                        schema.properties[index].1
                    }
                    None => {
                        undeclared += 1;
                        match schema.additional {
                            Additional::Any => {
                                members.next_value::<IgnoredAny>()?;
                                continue;
                            }
                            Additional::Schema(values) => values,
                            Additional::Forbidden => return Ok(false),
                        }
                    }
                };
                if !members.next_value_seed(Probe(member_schema))? {
                    return Ok(false);
                }
            }
            let all_required = schema.required.iter().all(|name| {
                schema
                    .properties
                    .iter()
                    .position(|(property, _)| property == name)
                    .is_some_and(|index| seen & (1 << index) != 0)
            });
            // Undeclared keys are not checked for duplicates: they may be
            // counted more than once, which only a minimum could miss.
            let count = u64::from(seen.count_ones()) + undeclared;
            Ok(all_required
                && schema.rules.iter().all(|rule| match *rule {
                    Rule::MinProperties(min) => undeclared == 0 && count >= min,
                    Rule::MaxProperties(max) => count <= max,
                    // Only scalars are left in the `enum` (`needs_whole_value`).
                    Rule::Enum(_) => false,
                    _ => true,
                }))
        }
    }

    /// Reads a member's name: the index of the declared property of that
    /// name, or `None`, without keeping the name.
    struct Key<'s>(&'s Schema);

    impl<'de> DeserializeSeed<'de> for Key<'_> {
        type Value = Option<usize>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for Key<'_> {
        type Value = Option<usize>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a member name")
        }

        fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
            Ok(self
                .0
                .properties
                .iter()
                .position(|(property, _)| *property == name))
        }
    }
}

/// Where problems go: counted (a probe, which stops at the first), or
/// collected with their wording.
enum Sink {
    Probe(usize),
    Collect(Vec<Violation>),
}

impl Sink {
    fn count(&self) -> usize {
        match self {
            Sink::Probe(count) => *count,
            Sink::Collect(violations) => violations.len(),
        }
    }

    /// A probe that has found a problem needs to look no further.
    fn done(&self) -> bool {
        matches!(self, Sink::Probe(count) if *count > 0)
    }

    /// Records a problem at the current value; `violation` is only called
    /// when the wording is wanted.
    fn report(&mut self, violation: impl FnOnce() -> Violation) {
        match self {
            Sink::Probe(count) => *count += 1,
            Sink::Collect(violations) => violations.push(violation()),
        }
    }

    /// Runs `check` one step down (`segment`), adding that step to the
    /// path of each problem it records.
    fn within(&mut self, segment: impl FnOnce() -> Segment, check: impl FnOnce(&mut Sink)) {
        let before = self.count();
        check(self);
        if let Sink::Collect(violations) = self
            && violations.len() > before
        {
            let segment = segment();
            for violation in &mut violations[before..] {
                violation.reversed_path.push(segment.clone());
            }
        }
    }

    fn into_violations(self) -> Vec<Violation> {
        match self {
            Sink::Probe(_) => Vec::new(),
            Sink::Collect(violations) => violations,
        }
    }
}

fn visit(schema: &Schema, value: &Value, sink: &mut Sink) {
    if value.is_null() && schema.nullable {
        return;
    }
    if let Some(ty) = schema.ty
        && !ty.accepts(value)
    {
        // The other rules are about values of the right type: noise here.
        sink.report(|| {
            Violation::new(
                "type",
                format!("{} is not {}", shown(value), ty.described()),
            )
        });
        return;
    }
    for rule in schema.rules {
        check_rule(schema, *rule, value, sink);
        if sink.done() {
            return;
        }
    }
    match value {
        Value::Object(members) => visit_members(schema, members, sink),
        Value::Array(items) => {
            if let Some(item_schema) = schema.items {
                for (index, item) in items.iter().enumerate() {
                    sink.within(
                        || Segment::Index(index),
                        |sink| visit(item_schema, item, sink),
                    );
                    if sink.done() {
                        return;
                    }
                }
            }
        }
        _ => {}
    }
    for branch in schema.all_of {
        visit(branch, value, sink);
        if sink.done() {
            return;
        }
    }
    if !schema.one_of.is_empty() {
        visit_alternatives(Choice::OneOf, schema.one_of, value, sink);
    }
    if !schema.any_of.is_empty() {
        visit_alternatives(Choice::AnyOf, schema.any_of, value, sink);
    }
    if let Some(not) = schema.not
        && matches(not, value)
    {
        sink.report(|| {
            Violation::new(
                "not",
                format!("{} matches a schema it must not match", shown(value)),
            )
        });
    }
}

fn visit_members(schema: &Schema, members: &Map<String, Value>, sink: &mut Sink) {
    for name in schema.required {
        if !members.contains_key(*name) {
            sink.report(|| {
                Violation::new(
                    "required",
                    format!("the required property `{name}` is missing"),
                )
            });
        }
    }
    for (key, member) in members {
        let declared = schema
            .properties
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, schema)| *schema);
        let member_schema = match (declared, schema.additional) {
            (Some(declared), _) => declared,
            (None, Additional::Any) => continue,
            (None, Additional::Schema(values)) => values,
            (None, Additional::Forbidden) => {
                sink.report(|| {
                    Violation::new(
                        "additionalProperties",
                        format!("the property `{key}` is not allowed"),
                    )
                });
                continue;
            }
        };
        sink.within(
            || Segment::Key(key.clone()),
            |sink| visit(member_schema, member, sink),
        );
        if sink.done() {
            return;
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    OneOf,
    AnyOf,
}

fn visit_alternatives(choice: Choice, alternatives: &[&Schema], value: &Value, sink: &mut Sink) {
    // Counting stops where the answer is known.
    let enough = match choice {
        Choice::OneOf => 2,
        Choice::AnyOf => 1,
    };
    let matching = alternatives
        .iter()
        .filter(|alternative| matches(alternative, value))
        .take(enough)
        .count();
    let accepted = match choice {
        Choice::OneOf => matching == 1,
        Choice::AnyOf => matching >= 1,
    };
    if accepted {
        return;
    }
    if let Sink::Probe(count) = sink {
        *count += 1;
        return;
    }
    let keyword = match choice {
        Choice::OneOf => "oneOf",
        Choice::AnyOf => "anyOf",
    };
    if matching > 0 {
        sink.report(|| {
            Violation::new(
                keyword,
                format!(
                    "{} matches more than one of the {} alternatives; exactly one must match",
                    shown(value),
                    alternatives.len()
                ),
            )
        });
        return;
    }
    // No alternative matches: explain with the one the value is meant for,
    // the only one of its type (`5` for "a name or a size from 8 to 200"
    // is about the size: "5 is below the minimum 8").
    let mut fitting = alternatives
        .iter()
        .filter(|alternative| alternative.fits_type(value));
    match (fitting.next(), fitting.next()) {
        (Some(only), None) => visit(only, value, sink),
        (None, _) => {
            let types: Vec<&str> = alternatives
                .iter()
                .filter_map(|alternative| alternative.ty.map(Type::described))
                .collect();
            sink.report(|| {
                Violation::new(
                    "type",
                    format!("{} is not {}", shown(value), types.join(" or ")),
                )
            });
        }
        (Some(_), Some(_)) => sink.report(|| {
            Violation::new(
                keyword,
                format!(
                    "{} matches none of the {} alternatives",
                    shown(value),
                    alternatives.len()
                ),
            )
        }),
    }
}

fn check_rule(schema: &Schema, rule: Rule, value: &Value, sink: &mut Sink) {
    match (rule, value) {
        (Rule::Enum(members), _) if !members.iter().any(|member| member.equals(value)) => {
            sink.report(|| {
                let listed: Vec<String> = members.iter().map(ToString::to_string).collect();
                Violation::new(
                    "enum",
                    format!("{} is not one of {}", shown(value), listed.join(", ")),
                )
            });
        }
        (
            Rule::MinLength(_) | Rule::MaxLength(_) | Rule::Pattern(_) | Rule::Format(_),
            Value::String(text),
        ) => {
            check_string(rule, text, sink);
        }
        (
            Rule::Minimum(_)
            | Rule::ExclusiveMinimum(_)
            | Rule::Maximum(_)
            | Rule::ExclusiveMaximum(_)
            | Rule::MultipleOf(_),
            Value::Number(number),
        ) => check_number(rule, number, value, sink),
        (Rule::MinItems(_) | Rule::MaxItems(_) | Rule::UniqueItems, Value::Array(items)) => {
            check_array(rule, items, sink);
        }
        (Rule::MinProperties(min), Value::Object(members)) => {
            let count = members.len() as u64;
            if count < min {
                sink.report(|| {
                    let names: Vec<&str> =
                        schema.properties.iter().map(|(name, _)| *name).collect();
                    let hint = if names.is_empty() {
                        String::new()
                    } else {
                        format!(" (it may set: {})", names.join(", "))
                    };
                    Violation::new(
                        "minProperties",
                        format!(
                            "the object has {count} {}, fewer than the minimum {min}{hint}",
                            plural(count, "property", "properties")
                        ),
                    )
                });
            }
        }
        (Rule::MaxProperties(max), Value::Object(members)) => {
            let count = members.len() as u64;
            if count > max {
                sink.report(|| {
                    Violation::new(
                        "maxProperties",
                        format!(
                            "the object has {count} {}, more than the maximum {max}",
                            plural(count, "property", "properties")
                        ),
                    )
                });
            }
        }
        // A rule about another type does not apply to this value.
        _ => {}
    }
}

fn check_string(rule: Rule, text: &str, sink: &mut Sink) {
    let shown = || shown_text(text);
    match rule {
        Rule::MinLength(min) => {
            let length = text.chars().count() as u64;
            if length < min {
                sink.report(|| {
                    Violation::new(
                        "minLength",
                        format!(
                            "{} is shorter than the minimum length {min} ({length} {})",
                            shown(),
                            plural(length, "character", "characters")
                        ),
                    )
                });
            }
        }
        Rule::MaxLength(max) => {
            let length = text.chars().count() as u64;
            if length > max {
                sink.report(|| {
                    Violation::new(
                        "maxLength",
                        format!(
                            "{} is longer than the maximum length {max} ({length} characters)",
                            shown()
                        ),
                    )
                });
            }
        }
        Rule::Pattern(index) => {
            let source = request_rules::PATTERNS.get(index).copied().unwrap_or("");
            match request_rules::matches_pattern(index, text) {
                Some(Ok(true)) => {}
                Some(Ok(false)) => sink.report(|| {
                    Violation::new(
                        "pattern",
                        format!("{} does not match the pattern `{source}`", shown()),
                    )
                }),
                // The generator refuses patterns regex-lite cannot compile,
                // so this is a generator bug; the body is still refused.
                Some(Err(error)) => sink.report(|| {
                    Violation::new(
                        "pattern",
                        format!("the pattern `{source}` cannot be checked: {error}"),
                    )
                }),
                None => sink.report(|| {
                    Violation::new("pattern", format!("pattern #{index} is not generated"))
                }),
            }
        }
        Rule::Format(Format::Uuid) if !is_hyphenated_uuid(text) => {
            sink.report(|| {
                Violation::new(
                    "format",
                    format!("{} is not a UUID (8-4-4-4-12 hex digits)", shown()),
                )
            });
        }
        _ => {}
    }
}

fn check_number(rule: Rule, number: &Number, value: &Value, sink: &mut Sink) {
    // serde_json gives every number an f64 (large integers rounded).
    let Some(n) = number.as_f64() else {
        return;
    };
    let (keyword, limit, broken, wording) = match rule {
        Rule::Minimum(limit) => ("minimum", limit, n < limit, "is below the minimum"),
        Rule::ExclusiveMinimum(limit) => (
            "exclusiveMinimum",
            limit,
            n <= limit,
            "is not above the exclusive minimum",
        ),
        Rule::Maximum(limit) => ("maximum", limit, n > limit, "is above the maximum"),
        Rule::ExclusiveMaximum(limit) => (
            "exclusiveMaximum",
            limit,
            n >= limit,
            "is not below the exclusive maximum",
        ),
        Rule::MultipleOf(divisor) => (
            "multipleOf",
            divisor,
            !is_multiple(number, divisor),
            "is not a multiple of",
        ),
        _ => return,
    };
    if broken {
        sink.report(|| Violation::new(keyword, format!("{} {wording} {limit}", shown(value))));
    }
}

fn check_array(rule: Rule, items: &[Value], sink: &mut Sink) {
    let count = items.len() as u64;
    match rule {
        Rule::MinItems(min) if count < min => sink.report(|| {
            Violation::new(
                "minItems",
                format!(
                    "the array has {count} {}, fewer than the minimum {min}",
                    plural(count, "item", "items")
                ),
            )
        }),
        Rule::MaxItems(max) if count > max => sink.report(|| {
            Violation::new(
                "maxItems",
                format!("the array has {count} items, more than the maximum {max}"),
            )
        }),
        Rule::UniqueItems => {
            let duplicate = items.iter().enumerate().find_map(|(later, item)| {
                items[..later]
                    .iter()
                    .position(|earlier| json_equal(earlier, item))
                    .map(|earlier| (earlier, later))
            });
            if let Some((earlier, later)) = duplicate {
                sink.report(|| {
                    Violation::new(
                        "uniqueItems",
                        format!("items {earlier} and {later} are equal; items must be unique"),
                    )
                });
            }
        }
        _ => {}
    }
}

/// Whether `number / divisor` is an integer: exact for integers, within
/// rounding error for fractions (`0.3` is a multiple of `0.1`).
fn is_multiple(number: &Number, divisor: f64) -> bool {
    let whole_divisor = divisor.fract() == 0.0 && divisor <= (1u64 << 53) as f64;
    if whole_divisor {
        if let Some(n) = number.as_u64() {
            return n % (divisor as u64) == 0;
        }
        if let Some(n) = number.as_i64() {
            return n % (divisor as i64) == 0;
        }
    }
    let Some(n) = number.as_f64() else {
        return true;
    };
    let quotient = n / divisor;
    quotient.is_finite() && (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

/// JSON equality (numbers by value, objects whatever their member order).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| json_equal(a, b)))
        }
        _ => a == b,
    }
}

/// The hyphenated form only, as JSON Schema's `uuid` format: `uuid`
/// itself also parses the simple, braced and URN forms, all of other
/// lengths.
fn is_hyphenated_uuid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::try_parse(text).is_ok()
}

fn plural(count: u64, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// A string for a message, as [`shown`] writes it.
fn shown_text(text: &str) -> String {
    shown(&Value::from(text))
}

/// A value for a message: its JSON, cut after 60 characters.
fn shown(value: &Value) -> String {
    const MAX: usize = 60;
    let json = value.to_string();
    match json.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &json[..cut]),
        None => json,
    }
}

/// One step of a [`Violation`]'s path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// One constraint of the spec a request body breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The path from the offending value up to the body (built as the
    /// walk returns, so nothing is allocated for a body that passes).
    reversed_path: Vec<Segment>,
    keyword: &'static str,
    message: String,
}

impl Violation {
    fn new(keyword: &'static str, message: String) -> Self {
        Violation {
            reversed_path: Vec::new(),
            keyword,
            message,
        }
    }

    /// The JSON path of the offending value, e.g.
    /// `$.slides[0].text_elements` (`$` is the body itself).
    pub fn path(&self) -> String {
        let mut out = String::from("$");
        for segment in self.reversed_path.iter().rev() {
            match segment {
                // Written as `spec::JsonPath` writes paths (the contract
                // tests compare the two).
                Segment::Key(key) if is_identifier(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Segment::Key(key) => {
                    out.push_str("['");
                    out.push_str(&key.replace('\'', "\\'"));
                    out.push_str("']");
                }
                Segment::Index(index) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The schema keyword broken (`minimum`, `required`, `enum`, …), or
    /// `json` when the body is not JSON at all.
    pub fn keyword(&self) -> &'static str {
        self.keyword
    }

    /// What is wrong, e.g. `5 is below the minimum 8`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.message)
    }
}

/// Every problem found in a request body before it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations {
    operation_id: String,
    violations: Vec<Violation>,
}

impl Violations {
    /// The operation whose request body was checked.
    pub fn operation_id(&self) -> &str {
        &self.operation_id
    }

    /// The problems, one per broken rule (at least one).
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

/// `update_slideshow: $.settings.advanced_settings.font_size: 5 is below
/// the minimum 8` (further problems follow, separated by `; `).
impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation_id)?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A body the spec forbids is an invalid request: nothing was sent.
impl<E> From<Violations> for progenitor_client::Error<E> {
    fn from(violations: Violations) -> Self {
        progenitor_client::Error::InvalidRequest(violations.to_string())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static FONT_SIZE: Schema = Schema {
        one_of: &[
            &Schema {
                ty: Some(Type::String),
                rules: &[Rule::Enum(&[
                    Literal::String("default"),
                    Literal::String("small"),
                ])],
                ..Schema::ANY
            },
            &Schema {
                ty: Some(Type::Integer),
                rules: &[Rule::Minimum(8.0), Rule::Maximum(200.0)],
                ..Schema::ANY
            },
        ],
        ..Schema::ANY
    };

    static ELEMENT: Schema = Schema {
        ty: Some(Type::Object),
        required: &["content"],
        properties: &[
            (
                "content",
                &Schema {
                    ty: Some(Type::String),
                    ..Schema::ANY
                },
            ),
            ("font_size", &FONT_SIZE),
            (
                "id",
                &Schema {
                    ty: Some(Type::String),
                    rules: &[Rule::Format(Format::Uuid)],
                    ..Schema::ANY
                },
            ),
        ],
        additional: Additional::Forbidden,
        ..Schema::ANY
    };

    static BODY: Schema = Schema {
        ty: Some(Type::Object),
        rules: &[Rule::MinProperties(1)],
        properties: &[
            (
                "name",
                &Schema {
                    ty: Some(Type::String),
                    nullable: true,
                    rules: &[Rule::MinLength(1), Rule::MaxLength(3)],
                    ..Schema::ANY
                },
            ),
            (
                "elements",
                &Schema {
                    ty: Some(Type::Array),
                    rules: &[Rule::MinItems(1), Rule::MaxItems(2), Rule::UniqueItems],
                    items: Some(&ELEMENT),
                    ..Schema::ANY
                },
            ),
            (
                "ratio",
                &Schema {
                    ty: Some(Type::Number),
                    rules: &[
                        Rule::ExclusiveMinimum(0.0),
                        Rule::ExclusiveMaximum(1.0),
                        Rule::MultipleOf(0.1),
                    ],
                    ..Schema::ANY
                },
            ),
            (
                "packs",
                &Schema {
                    ty: Some(Type::Object),
                    rules: &[Rule::MaxProperties(1)],
                    additional: Additional::Schema(&Schema {
                        ty: Some(Type::Integer),
                        ..Schema::ANY
                    }),
                    ..Schema::ANY
                },
            ),
            (
                "tag",
                &Schema {
                    any_of: &[
                        &Schema {
                            ty: Some(Type::Boolean),
                            ..Schema::ANY
                        },
                        &Schema {
                            ty: Some(Type::Integer),
                            ..Schema::ANY
                        },
                    ],
                    not: Some(&Schema {
                        rules: &[Rule::Enum(&[Literal::Integer(13)])],
                        ..Schema::ANY
                    }),
                    ..Schema::ANY
                },
            ),
        ],
        ..Schema::ANY
    };

    fn problems(value: Value) -> Vec<String> {
        match check_value("op", &BODY, &value) {
            Ok(()) => Vec::new(),
            Err(violations) => violations
                .violations()
                .iter()
                .map(|v| format!("{} [{}]", v, v.keyword()))
                .collect(),
        }
    }

    #[test]
    fn valid_bodies_pass() {
        for body in [
            json!({"name": "abc"}),
            json!({"name": null}),
            json!({"elements": [{"content": "x", "font_size": "small", "id": "9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf"}, {"content": "y", "font_size": 8.0}]}),
            json!({"ratio": 0.3, "packs": {"0": 1}, "unknown": [1, 2]}),
            json!({"tag": true}),
            json!({"tag": 12}),
        ] {
            assert_eq!(problems(body.clone()), Vec::<String>::new(), "{body}");
        }
    }

    #[test]
    fn each_broken_rule_names_its_path_rule_and_value() {
        let cases = [
            (
                json!({}),
                "$: the object has 0 properties, fewer than the minimum 1 (it may set: name, elements, ratio, packs, tag) [minProperties]",
            ),
            (
                json!({"name": ""}),
                "$.name: \"\" is shorter than the minimum length 1 (0 characters) [minLength]",
            ),
            (
                json!({"name": "äbcd"}),
                "$.name: \"äbcd\" is longer than the maximum length 3 (4 characters) [maxLength]",
            ),
            (json!({"name": 5}), "$.name: 5 is not a string [type]"),
            (
                json!({"elements": []}),
                "$.elements: the array has 0 items, fewer than the minimum 1 [minItems]",
            ),
            (
                json!({"elements": [{"content": "a"}, {"content": "b"}, {"content": "c"}]}),
                "$.elements: the array has 3 items, more than the maximum 2 [maxItems]",
            ),
            (
                json!({"elements": [{"content": "a"}, {"content": "a"}]}),
                "$.elements: items 0 and 1 are equal; items must be unique [uniqueItems]",
            ),
            (
                json!({"elements": [{"font_size": 8}]}),
                "$.elements[0]: the required property `content` is missing [required]",
            ),
            (
                json!({"elements": [{"content": "a", "colour": "red"}]}),
                "$.elements[0]: the property `colour` is not allowed [additionalProperties]",
            ),
            (
                json!({"elements": [{"content": "a", "font_size": 5}]}),
                "$.elements[0].font_size: 5 is below the minimum 8 [minimum]",
            ),
            (
                json!({"elements": [{"content": "a", "font_size": 500}]}),
                "$.elements[0].font_size: 500 is above the maximum 200 [maximum]",
            ),
            (
                json!({"elements": [{"content": "a", "font_size": "huge"}]}),
                "$.elements[0].font_size: \"huge\" is not one of \"default\", \"small\" [enum]",
            ),
            (
                json!({"elements": [{"content": "a", "font_size": 8.5}]}),
                "$.elements[0].font_size: 8.5 is not a string or an integer [type]",
            ),
            (
                json!({"elements": [{"content": "a", "id": "9FD0B2BDA95A44888B7ABF1D18D2BCDF"}]}),
                "$.elements[0].id: \"9FD0B2BDA95A44888B7ABF1D18D2BCDF\" is not a UUID (8-4-4-4-12 hex digits) [format]",
            ),
            (
                json!({"ratio": 0}),
                "$.ratio: 0 is not above the exclusive minimum 0 [exclusiveMinimum]",
            ),
            (
                json!({"ratio": 1}),
                "$.ratio: 1 is not below the exclusive maximum 1 [exclusiveMaximum]",
            ),
            (
                json!({"ratio": 0.25}),
                "$.ratio: 0.25 is not a multiple of 0.1 [multipleOf]",
            ),
            (
                json!({"packs": {"0": 1, "1": 2}}),
                "$.packs: the object has 2 properties, more than the maximum 1 [maxProperties]",
            ),
            (
                json!({"packs": {"a b": "x"}}),
                "$.packs['a b']: \"x\" is not an integer [type]",
            ),
            (
                json!({"tag": "x"}),
                "$.tag: \"x\" is not a boolean or an integer [type]",
            ),
            (
                json!({"tag": 13}),
                "$.tag: 13 matches a schema it must not match [not]",
            ),
            (json!([]), "$: [] is not an object [type]"),
        ];
        for (body, expected) in cases {
            assert_eq!(problems(body.clone()), [expected], "{body}");
        }
    }

    #[test]
    fn every_problem_is_reported_and_the_display_names_the_operation() {
        let error = check_value(
            "update_x",
            &BODY,
            &json!({"name": "", "elements": [{"content": 1}]}),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "update_x: $.elements[0].content: 1 is not a string; $.name: \"\" is shorter than the minimum length 1 (0 characters)"
        );
        assert_eq!(error.violations()[0].path(), "$.elements[0].content");
        let as_progenitor: progenitor_client::Error<()> = error.into();
        assert!(
            matches!(as_progenitor, progenitor_client::Error::InvalidRequest(m) if m.starts_with("update_x: $.elements[0]"))
        );
    }

    #[test]
    fn one_of_refuses_a_value_matching_two_alternatives() {
        static OVERLAP: Schema = Schema {
            one_of: &[
                &Schema {
                    ty: Some(Type::Number),
                    ..Schema::ANY
                },
                &Schema {
                    ty: Some(Type::Integer),
                    ..Schema::ANY
                },
            ],
            ..Schema::ANY
        };
        assert!(check_value("op", &OVERLAP, &json!(1.5)).is_ok());
        let error = check_value("op", &OVERLAP, &json!(2)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "op: $: 2 matches more than one of the 2 alternatives; exactly one must match"
        );
    }

    /// Bodies of every kind the tests above use, valid or not, and some
    /// the streaming walk must leave to the full one.
    fn sample_bodies() -> Vec<String> {
        let mut bodies: Vec<String> = [
            json!({"name": "abc"}),
            json!({"name": null}),
            json!({"elements": [{"content": "x", "font_size": "small", "id": "9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf"}, {"content": "y", "font_size": 8.0}]}),
            json!({"ratio": 0.3, "packs": {"0": 1}, "unknown": [1, 2]}),
            json!({"tag": true}),
            json!({"tag": 12}),
            json!({}),
            json!({"name": ""}),
            json!({"name": "äbcd"}),
            json!({"name": 5}),
            json!({"elements": []}),
            json!({"elements": [{"content": "a"}, {"content": "a"}]}),
            json!({"elements": [{"font_size": 8}]}),
            json!({"elements": [{"content": "a", "colour": "red"}]}),
            json!({"elements": [{"content": "a", "font_size": 5}]}),
            json!({"elements": [{"content": "a", "id": "9FD0B2BDA95A44888B7ABF1D18D2BCDF"}]}),
            json!({"ratio": 0}),
            json!({"ratio": 0.25}),
            json!({"packs": {"0": 1, "1": 2}}),
            json!({"packs": {"a b": "x"}}),
            json!({"tag": 13}),
            json!([]),
        ]
        .iter()
        .map(Value::to_string)
        .collect();
        bodies.extend(
            [
                // A duplicate member: a `Value` keeps the last one.
                r#"{"name":"abc","name":""}"#,
                r#"{"name":"","name":"abc"}"#,
                r#"{"packs":{"0":1,"0":2}}"#,
                // An escaped name is the same name.
                r#"{"n\u0061me":""}"#,
                r#"{"name":"abc"} trailing"#,
                r#"{"name":"abc""#,
                "",
            ]
            .map(String::from),
        );
        bodies
    }

    /// The streaming walk's verdict never differs from the full walk's when
    /// it accepts (it may only leave a body to the full walk).
    fn assert_streaming_agrees(schema: &Schema, body: &[u8]) {
        if streaming::accepts(schema, body) {
            let value: Value = serde_json::from_slice(body).unwrap_or_else(|error| {
                panic!(
                    "{}: accepted, but not JSON: {error}",
                    String::from_utf8_lossy(body)
                )
            });
            assert!(
                matches(schema, &value),
                "{}: accepted by the streaming walk only",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn the_streaming_walk_accepts_only_what_the_full_walk_accepts() {
        for body in sample_bodies() {
            assert_streaming_agrees(&BODY, body.as_bytes());
        }
    }

    #[test]
    fn the_streaming_walk_accepts_the_usual_bodies_itself() {
        for body in [
            r#"{"name":"abc"}"#,
            r#" { "name" : null } "#,
            r#"{"elements":[{"content":"x","font_size":"small","id":"9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf"},{"content":"y","font_size":8.0}]}"#,
            r#"{"ratio":0.3,"packs":{"0":1}}"#,
            r#"{"tag":true}"#,
            r#"{"n\u0061me":"abc"}"#,
        ] {
            assert!(streaming::accepts(&BODY, body.as_bytes()), "{body}");
        }
    }

    #[test]
    fn a_duplicate_member_is_checked_as_a_value_reads_it() {
        let first = request_rules::BY_OPERATION[0].0;
        assert!(!streaming::accepts(&BODY, br#"{"name":"abc","name":""}"#));
        let error = check_value(
            first,
            &BODY,
            &serde_json::from_str(r#"{"name":"abc","name":""}"#).unwrap(),
        )
        .unwrap_err();
        assert_eq!(error.violations()[0].keyword(), "minLength");
    }

    /// Member names and strings the spec's request schemas use (so random
    /// bodies reach their rules), plus a few of no schema.
    fn schema_words() -> (Vec<&'static str>, Vec<&'static str>) {
        fn walk(schema: &Schema, names: &mut Vec<&'static str>, words: &mut Vec<&'static str>) {
            for (name, property) in schema.properties {
                names.push(name);
                walk(property, names, words);
            }
            for rule in schema.rules {
                if let Rule::Enum(members) = rule {
                    words.extend(members.iter().filter_map(|member| match member {
                        Literal::String(text) => Some(*text),
                        _ => None,
                    }));
                }
            }
            let nested = schema.items.into_iter().chain(schema.not);
            let alternatives = schema
                .one_of
                .iter()
                .chain(schema.any_of)
                .chain(schema.all_of);
            for child in nested.chain(alternatives.copied()) {
                walk(child, names, words);
            }
            if let Additional::Schema(values) = schema.additional {
                walk(values, names, words);
            }
        }
        let (mut names, mut words) = (
            vec!["x", "name"],
            vec!["", "9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf"],
        );
        for (_, schema) in request_rules::BY_OPERATION {
            walk(schema, &mut names, &mut words);
        }
        names.sort_unstable();
        names.dedup();
        words.sort_unstable();
        words.dedup();
        (names, words)
    }

    fn json_values() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::collection::vec;
        use proptest::prelude::*;
        use proptest::sample::select;
        let (names, words) = schema_words();
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..300).prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-10.0f64..300.0).prop_map(Value::from),
            select(words).prop_map(Value::from),
            ".{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Value::Array),
                vec((select(names.clone()), inner), 0..6).prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(name, value)| (name.to_string(), value))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn random_bodies_get_the_full_walks_verdict(value in json_values()) {
            let body = value.to_string();
            assert_streaming_agrees(&BODY, body.as_bytes());
            for (_, schema) in request_rules::BY_OPERATION {
                assert_streaming_agrees(schema, body.as_bytes());
            }
        }
    }

    #[test]
    fn bodies_that_are_not_json_and_unknown_operations() {
        let first = request_rules::BY_OPERATION[0].0;
        let error = check(first, b"{").unwrap_err();
        assert_eq!(error.violations()[0].keyword(), "json");
        assert!(
            error
                .to_string()
                .starts_with(&format!("{first}: $: the body is not JSON"))
        );
        assert_eq!(check("no_such_operation", b"not json"), Ok(()));
    }

    /// The one call the `pre` hook makes, in a function of its signature
    /// (progenitor's, hence the large error).
    #[allow(clippy::result_large_err)]
    fn pre<E>(
        operation_id: &str,
        request: &reqwest::Request,
    ) -> Result<(), progenitor_client::Error<E>> {
        check_request_body(operation_id, request)?;
        Ok(())
    }

    #[test]
    fn the_pre_hook_call_refuses_a_request_with_a_broken_body() {
        let (operation, schema) = request_rules::BY_OPERATION
            .iter()
            .find(|(_, schema)| schema.rules.contains(&Rule::MinProperties(1)))
            .expect("an operation whose body must set a field");
        assert_eq!(schema.ty, Some(Type::Object));
        let url = reqwest::Url::parse("http://127.0.0.1/x").unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::PATCH, url);
        assert!(
            pre::<()>(operation, &request).is_ok(),
            "no body, nothing to check"
        );
        *request.body_mut() = Some(reqwest::Body::from("{}"));
        match pre::<()>(operation, &request) {
            Err(progenitor_client::Error::InvalidRequest(message)) => assert!(
                message.starts_with(&format!("{operation}: $: the object has 0 properties")),
                "{message}"
            ),
            other => panic!("expected an invalid request, got {other:?}"),
        }
    }

    #[test]
    fn values_in_messages_are_cut_and_paths_quote_odd_keys() {
        assert_eq!(shown(&json!("x".repeat(100))).chars().count(), 61);
        assert_eq!(shown(&json!(5)), "5");
        let mut violation = Violation::new("type", String::new());
        violation.reversed_path = vec![
            Segment::Key("it's".into()),
            Segment::Index(3),
            Segment::Key("a-b".into()),
        ];
        assert_eq!(violation.path(), "$.a-b[3]['it\\'s']");
    }

    #[test]
    fn uuid_and_multiple_of_edges() {
        assert!(is_hyphenated_uuid("9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf"));
        assert!(!is_hyphenated_uuid(
            "{9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdf}"
        ));
        assert!(!is_hyphenated_uuid("9fd0b2bd-a95a-4488-8b7a-bf1d18d2bcdg"));
        assert!(is_multiple(&Number::from(12), 4.0));
        assert!(!is_multiple(&Number::from(-13), 4.0));
        assert!(is_multiple(&Number::from_f64(0.3).unwrap(), 0.1));
        assert!(!is_multiple(&Number::from_f64(0.35).unwrap(), 0.1));
    }
}
