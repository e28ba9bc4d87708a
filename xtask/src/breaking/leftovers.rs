//! Whatever differs between the documents that no rule reported: the
//! documentation (descriptions, summaries, examples: class *other*), a
//! `$ref` that now points at another schema (the field's Rust type changes),
//! and, as a safety net, any other difference no rule explains, classed
//! breaking so that nothing passes the gate unclassified.

use std::collections::BTreeMap;

use serde_json::Value;

use super::change::{Change, Class, Subject};
use super::location::{Operations, subjects_at};
use super::pointer::Ptr;

/// Keys that document rather than define (OpenAPI 3.0); `x-…` extensions
/// count too, except the one that picks a Rust type.
const DOCUMENTATION: [&str; 8] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "tags",
];

/// Top-level sections that only describe the API, not its shape.
const DESCRIPTIVE_SECTIONS: [&str; 4] = ["info", "servers", "tags", "externalDocs"];

/// Keys whose members are names chosen by the document (a property named
/// `description` is a field, not documentation).
const NAME_MAPS: [&str; 12] = [
    "paths",
    "properties",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "securitySchemes",
    "requestBodies",
    "content",
    "links",
    "callbacks",
    "mapping",
];

/// The extension that names an existing Rust type for a schema.
const RUST_TYPE_EXTENSION: &str = "x-rust-type";

/// What the leftover differences mean, given the locations the other rules
/// reported (`explained`).
pub fn changes(old: &Value, new: &Value, explained: &[Ptr]) -> Vec<Change> {
    let mut differences = Vec::new();
    differ(old, new, &Ptr::root(), &mut differences);
    let (old_operations, new_operations) = (Operations::new(old), Operations::new(new));
    let subjects = |ptr: &Ptr, in_new: bool| {
        if in_new {
            subjects_at(new, &new_operations, ptr)
        } else {
            subjects_at(old, &old_operations, ptr)
        }
    };
    // Documentation changes, one per documented thing and key.
    let mut documentation: BTreeMap<(Ptr, String), (Vec<Subject>, &'static str)> = BTreeMap::new();
    let mut out = Vec::new();
    for (ptr, side) in differences {
        if ptr == Ptr::root().keys(["info", "version"]) {
            continue;
        }
        let in_new = side != Side::OldOnly;
        if let Some(at) = documentation_key(&ptr) {
            let owner = Ptr::root().keys(ptr.segments()[..at].iter().map(String::as_str));
            let key = ptr.segments()[at].clone();
            let what = match (at + 1 == ptr.segments().len(), side) {
                (true, Side::OldOnly) => "removed",
                (true, Side::NewOnly) => "added",
                _ => "changed",
            };
            documentation
                .entry((owner.clone(), key))
                .or_insert_with(|| (subjects(&owner, in_new), what));
        } else if ptr.segments().last().map(String::as_str) == Some("$ref") && side == Side::Both {
            let target = |doc: &Value| {
                ptr.get(doc)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            out.push(Change::about(
                Class::Breaking,
                ptr.parent(),
                subjects(&ptr.parent(), true),
                format!(
                    "now `{}` instead of `{}` (the generated Rust type changes)",
                    schema_name(&target(new)),
                    schema_name(&target(old))
                ),
            ));
        } else if !explained
            .iter()
            .any(|known| ptr.starts_with(known) || known.starts_with(&ptr))
        {
            out.push(Change::about(
                Class::Breaking,
                ptr.clone(),
                subjects(&ptr, in_new),
                format!("{} in a way no rule classifies", side.verb()),
            ));
        }
    }
    out.extend(
        documentation
            .into_iter()
            .map(|((owner, key), (subjects, what))| {
                Change::about(Class::Other, owner, subjects, format!("`{key}` {what}"))
            }),
    );
    out
}

/// `#/components/schemas/Pack` → `Pack`.
fn schema_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Where a difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    OldOnly,
    NewOnly,
    Both,
}

impl Side {
    fn verb(self) -> &'static str {
        match self {
            Side::OldOnly => "removed",
            Side::NewOnly => "added",
            Side::Both => "changed",
        }
    }
}

/// The smallest differing locations: a member only one side has, or a
/// value (scalar or array) that differs.
fn differ(old: &Value, new: &Value, at: &Ptr, out: &mut Vec<(Ptr, Side)>) {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, old_value) in old {
                match new.get(key) {
                    None => out.push((at.key(key.as_str()), Side::OldOnly)),
                    Some(new_value) if new_value != old_value => {
                        differ(old_value, new_value, &at.key(key.as_str()), out);
                    }
                    Some(_) => {}
                }
            }
            for key in new.keys().filter(|key| !old.contains_key(*key)) {
                out.push((at.key(key.as_str()), Side::NewOnly));
            }
        }
        _ if old != new => out.push((at.clone(), Side::Both)),
        _ => {}
    }
}

/// The index of the first segment of `ptr` that is a documentation key in
/// a key position (not a name the document chose), if any.
fn documentation_key(ptr: &Ptr) -> Option<usize> {
    let segments = ptr.segments();
    match segments.first().map(String::as_str) {
        // `info.title` is one thing to report, `servers[0].url` another.
        Some("info") if segments.len() > 1 => return Some(1),
        Some(section) if DESCRIPTIVE_SECTIONS.contains(&section) => return Some(0),
        _ => {}
    }
    let mut is_name = false;
    for (index, segment) in segments.iter().enumerate() {
        if !is_name {
            let documents = DOCUMENTATION.contains(&segment.as_str())
                || (segment.starts_with("x-") && segment != RUST_TYPE_EXTENSION);
            if documents {
                return Some(index);
            }
        }
        is_name = !is_name && NAME_MAPS.contains(&segment.as_str());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_keys_are_told_from_fields_named_alike() {
        let key = |ptr: &str| documentation_key(&Ptr::parse(ptr));
        assert_eq!(key("/components/schemas/Pack/description"), Some(3));
        assert_eq!(
            key("/components/schemas/T/properties/description/type"),
            None
        );
        assert_eq!(
            key("/components/schemas/T/properties/description/description"),
            Some(5)
        );
        assert_eq!(
            key("/paths/~1a/patch/responses/200/content/application~1json/examples/x/value"),
            Some(7)
        );
        assert_eq!(key("/paths/~1a/patch/x-codeSamples"), Some(3));
        assert_eq!(key("/components/schemas/N/x-rust-type/path"), None);
        assert_eq!(key("/info/title"), Some(1));
        assert_eq!(key("/servers/0/url"), Some(0));
        assert_eq!(key("/components/schemas/Pack/properties/id/format"), None);
    }
}
