//! The rules drift 0.2.0 leaves to its caller, applied to one schema node
//! that drift walked to: it reports "object properties changed", "string
//! schema changed" and the like as *unhandled*, and does not report a
//! `nullable` change at all. Each rule here compares one keyword (or the
//! property list) of the released node with the working one, for one
//! direction, and says what that means to a user of the generated crate.
//!
//! The two directions mirror each other: what a user sends may only get
//! looser, what a user receives only stricter. Where the generated Rust
//! type follows a keyword (typify: a string with a length or pattern
//! becomes a validating newtype, an integer with `minimum >= 0` a `u64`, a
//! non-required or nullable field an `Option`, an `enum` a Rust enum), the
//! change breaks code even when the wire format stays compatible, and is
//! classed breaking.

use std::collections::BTreeSet;

use serde_json::Value;

use super::change::Class;
use super::location::{Direction, FieldSite};

/// One finding at a node or at one of its properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its class.
    pub class: Class,
    /// The property it is about, when it is about one (`None`: the node).
    pub property: Option<String>,
    /// Whether the property or node is only in the released document (so
    /// its path is the released one).
    pub removed: bool,
    /// What happened.
    pub what: String,
}

impl Finding {
    fn node(class: Class, what: String) -> Finding {
        Finding {
            class,
            property: None,
            removed: false,
            what,
        }
    }
}

/// The two documents and the node compared, in one direction.
pub struct Node<'a> {
    /// The working document.
    pub new_doc: &'a Value,
    /// The released node.
    pub old: &'a Value,
    /// The working node.
    pub new: &'a Value,
    /// Which way the data flows.
    pub direction: Direction,
    /// The property the node is the schema of, if any (in the working
    /// document).
    pub field: Option<FieldSite>,
}

/// Every finding at the node.
pub fn compare(node: &Node<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    properties(node, &mut findings);
    required(node, &mut findings);
    nullable(node, &mut findings);
    enumeration(node, &mut findings);
    format(node, &mut findings);
    bounds(node, &mut findings);
    additional_properties(node, &mut findings);
    findings
}

/// `request` for data the user sends, `response` for data they receive.
fn by_direction(direction: Direction, request: Class, response: Class) -> Class {
    match direction {
        Direction::Request => request,
        Direction::Response => response,
    }
}

fn properties_of(node: &Value) -> BTreeSet<&str> {
    node.get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn required_of(node: &Value) -> BTreeSet<&str> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn is_nullable(doc: &Value, schema: &Value) -> bool {
    spec::deref(doc, schema).get("nullable") == Some(&Value::Bool(true))
}

/// A property added (a new required request field breaks every request
/// without it) or removed (from a request: the setter is gone; from a
/// response: the field is gone).
fn properties(node: &Node<'_>, out: &mut Vec<Finding>) {
    let (old, new) = (properties_of(node.old), properties_of(node.new));
    let required = required_of(node.new);
    for name in old.difference(&new) {
        out.push(Finding {
            class: Class::Breaking,
            property: Some(name.to_string()),
            removed: true,
            what: "removed".to_string(),
        });
    }
    for name in new.difference(&old) {
        let (class, what) = match (node.direction, required.contains(name)) {
            (Direction::Request, true) => (Class::Breaking, "added as required"),
            (Direction::Request, false) => (Class::Addition, "added (optional)"),
            (Direction::Response, _) => (Class::Addition, "added"),
        };
        out.push(Finding {
            class,
            property: Some(name.to_string()),
            removed: false,
            what: what.to_string(),
        });
    }
}

/// A kept property made required or optional. A response field that
/// becomes required changes from `Option<T>` to `T` unless it is nullable.
fn required(node: &Node<'_>, out: &mut Vec<Finding>) {
    let (old, new) = (required_of(node.old), required_of(node.new));
    let (old_properties, new_properties) = (properties_of(node.old), properties_of(node.new));
    for name in old_properties.intersection(&new_properties).copied() {
        let (class, what) = match (node.direction, old.contains(name), new.contains(name)) {
            (Direction::Request, false, true) => (Class::Breaking, "now required"),
            (Direction::Request, true, false) => (Class::Addition, "now optional"),
            (Direction::Response, true, false) => (Class::Breaking, "now optional"),
            (Direction::Response, false, true) => {
                let schema = &node.new["properties"][name];
                if is_nullable(node.new_doc, schema) {
                    (Class::Addition, "now always present")
                } else {
                    (
                        Class::Breaking,
                        "now always present (its Rust field changes from Option<T> to T)",
                    )
                }
            }
            _ => continue,
        };
        out.push(Finding {
            class,
            property: Some(name.to_string()),
            removed: false,
            what: what.to_string(),
        });
    }
}

/// `nullable` added or removed. A response value that can no longer be
/// `null` changes from `Option<T>` to `T` unless its field is optional.
fn nullable(node: &Node<'_>, out: &mut Vec<Finding>) {
    let nullable = |schema: &Value| schema.get("nullable") == Some(&Value::Bool(true));
    let (class, what) = match (node.direction, nullable(node.old), nullable(node.new)) {
        (Direction::Request, false, true) => (Class::Addition, "now accepts null"),
        (Direction::Request, true, false) => (Class::Breaking, "no longer accepts null"),
        (Direction::Response, false, true) => (Class::Breaking, "may now be null"),
        (Direction::Response, true, false) => match &node.field {
            Some(field) if !field.is_required(node.new_doc) => {
                (Class::Addition, "never null any more")
            }
            _ => (
                Class::Breaking,
                "never null any more (its Rust type changes from Option<T> to T)",
            ),
        },
        _ => return,
    };
    out.push(Finding::node(class, what.to_string()));
}

fn listed(values: &[&Value]) -> String {
    let values: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    values.join(", ")
}

/// `enum` values added or removed. A request enum may only grow; any change
/// of a response enum breaks: a new value does not decode into the released
/// Rust enum, a removed one takes its variant away.
fn enumeration(node: &Node<'_>, out: &mut Vec<Finding>) {
    let values = |schema: &'_ Value| schema.get("enum").and_then(Value::as_array).cloned();
    let (old, new) = (values(node.old), values(node.new));
    if old == new {
        return;
    }
    let direction = node.direction;
    let mut push = |request: Class, what: String| {
        out.push(Finding::node(
            by_direction(direction, request, Class::Breaking),
            what,
        ));
    };
    match (old, new) {
        (None, Some(new)) => push(
            Class::Breaking,
            format!(
                "now restricted to {}",
                listed(&new.iter().collect::<Vec<_>>())
            ),
        ),
        (Some(_), None) => push(Class::Addition, "no longer restricted to an enum".into()),
        (Some(old), Some(new)) => {
            let removed: Vec<&Value> = old.iter().filter(|value| !new.contains(value)).collect();
            let added: Vec<&Value> = new.iter().filter(|value| !old.contains(value)).collect();
            if !removed.is_empty() {
                push(
                    Class::Breaking,
                    format!("enum value {} removed", listed(&removed)),
                );
            }
            if !added.is_empty() {
                push(
                    Class::Addition,
                    format!("enum value {} added", listed(&added)),
                );
            }
        }
        (None, None) => {}
    }
}

/// `format` changed: the generated Rust type follows it (`uuid` → `Uuid`,
/// `date-time` → `DateTime<Utc>`, `int32` → `i32`), whatever the direction.
fn format(node: &Node<'_>, out: &mut Vec<Finding>) {
    let format = |schema: &Value| {
        schema
            .get("format")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (old, new) = (format(node.old), format(node.new));
    if old != new {
        let show = |format: Option<String>| format.map_or("none".into(), |f| format!("`{f}`"));
        out.push(Finding::node(
            Class::Breaking,
            format!(
                "format changed from {} to {} (the generated Rust type follows it)",
                show(old),
                show(new)
            ),
        ));
    }
}

/// Which way a constraint moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tightness {
    /// Fewer values allowed.
    Tightened,
    /// More values allowed.
    Loosened,
    /// Cannot tell (a different pattern or multiple).
    Changed,
}

/// Whether a smaller or a bigger number is the stricter one.
#[derive(Debug, Clone, Copy)]
enum Limit {
    Lower,
    Upper,
}

/// The numeric bounds, each with the side it limits.
const BOUNDS: [(&str, Limit); 8] = [
    ("minLength", Limit::Lower),
    ("maxLength", Limit::Upper),
    ("minimum", Limit::Lower),
    ("maximum", Limit::Upper),
    ("minItems", Limit::Lower),
    ("maxItems", Limit::Upper),
    ("minProperties", Limit::Lower),
    ("maxProperties", Limit::Upper),
];

/// Flags that restrict when set.
const RESTRICTING_FLAGS: [&str; 3] = ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"];

/// Free-form constraints: any change may go either way.
const OPAQUE: [&str; 2] = ["pattern", "multipleOf"];

/// Keywords whose mere presence makes typify generate a different Rust
/// type for a response value (a validating newtype for a string, `u64`
/// for an integer).
fn shapes_rust_type(keyword: &str, schema: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => matches!(keyword, "minLength" | "maxLength" | "pattern"),
        Some("integer") => keyword == "minimum",
        _ => false,
    }
}

/// Bounds, flags and patterns tightened or loosened: a request may only
/// loosen, a response only tighten (and a response constraint that
/// appears may change the generated type, see [`shapes_rust_type`]).
fn bounds(node: &Node<'_>, out: &mut Vec<Finding>) {
    let mut found: Vec<(&str, Tightness, String)> = Vec::new();
    for (keyword, limit) in BOUNDS {
        let number = |schema: &Value| schema.get(keyword).and_then(Value::as_f64);
        let (old, new) = (number(node.old), number(node.new));
        let shown = |schema: &Value| schema.get(keyword).map(ToString::to_string);
        let tightness = match (old, new, limit) {
            (None, Some(_), _) => Tightness::Tightened,
            (Some(_), None, _) => Tightness::Loosened,
            (Some(old), Some(new), Limit::Lower) if new > old => Tightness::Tightened,
            (Some(old), Some(new), Limit::Upper) if new < old => Tightness::Tightened,
            (Some(old), Some(new), _) if old != new => Tightness::Loosened,
            _ => continue,
        };
        let what = match (shown(node.old), shown(node.new)) {
            (None, Some(new)) => format!("`{keyword}` {new} added"),
            (Some(old), None) => format!("`{keyword}` {old} removed"),
            (Some(old), Some(new)) => {
                let verb = match tightness {
                    Tightness::Tightened => "tightened",
                    _ => "loosened",
                };
                format!("`{keyword}` {verb} from {old} to {new}")
            }
            (None, None) => continue,
        };
        found.push((keyword, tightness, what));
    }
    for keyword in RESTRICTING_FLAGS {
        let flag = |schema: &Value| schema.get(keyword) == Some(&Value::Bool(true));
        match (flag(node.old), flag(node.new)) {
            (false, true) => {
                found.push((keyword, Tightness::Tightened, format!("`{keyword}` set")))
            }
            (true, false) => {
                found.push((keyword, Tightness::Loosened, format!("`{keyword}` unset")))
            }
            _ => {}
        }
    }
    for keyword in OPAQUE {
        let (old, new) = (node.old.get(keyword), node.new.get(keyword));
        let (tightness, what) = match (old, new) {
            (None, Some(new)) => (Tightness::Tightened, format!("`{keyword}` {new} added")),
            (Some(old), None) => (Tightness::Loosened, format!("`{keyword}` {old} removed")),
            (Some(old), Some(new)) if old != new => (
                Tightness::Changed,
                format!("`{keyword}` changed from {old} to {new}"),
            ),
            _ => continue,
        };
        found.push((keyword, tightness, what));
    }
    for (keyword, tightness, what) in found {
        let appeared = node.old.get(keyword).is_none() && node.new.get(keyword).is_some();
        let class = match (node.direction, tightness) {
            (_, Tightness::Changed) => Class::Breaking,
            (Direction::Request, Tightness::Tightened) => Class::Breaking,
            (Direction::Request, Tightness::Loosened) => Class::Addition,
            (Direction::Response, Tightness::Loosened) => Class::Breaking,
            (Direction::Response, Tightness::Tightened)
                if appeared && shapes_rust_type(keyword, node.new) =>
            {
                Class::Breaking
            }
            (Direction::Response, Tightness::Tightened) => Class::Addition,
        };
        let what = match class {
            Class::Breaking if node.direction == Direction::Response && appeared => {
                format!("{what} (the generated Rust type follows it)")
            }
            _ => what,
        };
        out.push(Finding::node(class, what));
    }
}

/// `additionalProperties`: closing an open object (`false`) tightens it,
/// opening a closed one loosens it; a change to or from a schema is
/// judged by drift on the schemas themselves, here only when one side is a
/// flag.
fn additional_properties(node: &Node<'_>, out: &mut Vec<Finding>) {
    #[derive(PartialEq)]
    enum Extra {
        Open,
        Closed,
        Typed,
    }
    let extra = |schema: &Value| match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Extra::Open,
        Some(Value::Bool(false)) => Extra::Closed,
        Some(_) => Extra::Typed,
    };
    let (old, new) = (extra(node.old), extra(node.new));
    let (tightness, what) = match (&old, &new) {
        (Extra::Open, Extra::Closed) => (Tightness::Tightened, "no longer allows other fields"),
        (Extra::Closed, Extra::Open) => (Tightness::Loosened, "now allows other fields"),
        _ if old == new => return,
        _ => (Tightness::Changed, "`additionalProperties` changed"),
    };
    let class = match (node.direction, tightness) {
        (Direction::Request, Tightness::Loosened) | (Direction::Response, Tightness::Tightened) => {
            Class::Addition
        }
        _ => Class::Breaking,
    };
    out.push(Finding::node(class, what.to_string()));
}
