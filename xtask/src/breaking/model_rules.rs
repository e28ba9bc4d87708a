//! Rules over the spec model for what drift does not compare: the names
//! the generated Rust API is built from (operationIds, path parameters,
//! component schemas) and the documented error codes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::change::{Change, Class, Part, Subject};
use super::drift_changes::route_key;
use super::location::{Operations, subjects_at};
use super::pointer::Ptr;

/// Every change these rules find between `old` and `new`.
pub fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let new_operations: BTreeMap<String, spec::Operation<'_>> = spec::operations(new)
        .into_iter()
        .map(|operation| (route_key(operation.path, operation.method), operation))
        .collect();
    let mut renamed = BTreeMap::new();
    for old_operation in spec::operations(old) {
        let Some(new_operation) =
            new_operations.get(&route_key(old_operation.path, old_operation.method))
        else {
            continue;
        };
        renamed.insert(old_operation.name(), new_operation.name());
        names(&old_operation, new_operation, &mut out);
    }
    error_codes(old, new, &renamed, &mut out);
    schemas(old, new, &mut out);
    out
}

fn operation_subject(name: String) -> Subject {
    Subject::Operation {
        operations: vec![name],
        part: Part::Operation,
        field: String::new(),
    }
}

/// The operationId names the client method, and each path parameter the
/// builder method that sets it: renaming either breaks callers even though
/// the HTTP request stays the same.
fn names(old: &spec::Operation<'_>, new: &spec::Operation<'_>, out: &mut Vec<Change>) {
    let at = Ptr::from_path(&new.at);
    if old.id() != new.id() {
        out.push(Change::new(
            Class::Breaking,
            at.key("operationId"),
            operation_subject(new.name()),
            format!(
                "operationId renamed from `{}` (the generated method is named after it)",
                old.name()
            ),
        ));
    }
    let placeholders = |path: &str| -> Vec<String> {
        path.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect()
    };
    for (old_name, new_name) in placeholders(old.path).iter().zip(placeholders(new.path)) {
        if *old_name != new_name {
            out.push(Change::new(
                Class::Breaking,
                at.clone(),
                Subject::Operation {
                    operations: vec![new.name()],
                    part: Part::Parameter(new_name.clone()),
                    field: String::new(),
                },
                format!(
                    "path parameter renamed from `{old_name}` (the generated builder method is named after it)"
                ),
            ));
        }
    }
}

/// Documented `error_code`s by operation (under the working names of
/// renamed operations), with the status keys that document each.
fn codes_by_operation(
    doc: &Value,
    renamed: &BTreeMap<String, String>,
) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (code, uses) in spec::documented_error_codes(doc) {
        for used in uses {
            let operation = renamed
                .get(&used.operation)
                .cloned()
                .unwrap_or(used.operation);
            out.entry((operation, code.clone()))
                .or_default()
                .insert(used.status);
        }
    }
    out
}

/// An error code an operation no longer documents breaks code that matches
/// on it (and the generated `ErrorCode` variant goes when no operation
/// documents it); a new one is an addition (`ErrorCode` is non-exhaustive).
fn error_codes(
    old: &Value,
    new: &Value,
    renamed: &BTreeMap<String, String>,
    out: &mut Vec<Change>,
) {
    let old_codes = codes_by_operation(old, renamed);
    let new_codes = codes_by_operation(new, &BTreeMap::new());
    let kept: BTreeSet<&String> = renamed.values().collect();
    let response_at = |doc: &Value, operation: &str, status: &str| {
        spec::operations(doc)
            .into_iter()
            .find(|candidate| candidate.name() == operation)
            .map(|operation| Ptr::from_path(&operation.at).keys(["responses", status]))
            .unwrap_or_default()
    };
    for ((operation, code), statuses) in &old_codes {
        if !kept.contains(operation) || new_codes.contains_key(&(operation.clone(), code.clone())) {
            continue;
        }
        let status = statuses.first().map(String::as_str).unwrap_or_default();
        let old_name = renamed
            .iter()
            .find(|(_, working)| *working == operation)
            .map_or(operation.as_str(), |(released, _)| released.as_str());
        out.push(Change::new(
            Class::Breaking,
            response_at(old, old_name, status),
            operation_subject(operation.clone()),
            format!("error code `{code}` ({status}) no longer documented"),
        ));
    }
    for ((operation, code), statuses) in &new_codes {
        if !kept.contains(operation) || old_codes.contains_key(&(operation.clone(), code.clone())) {
            continue;
        }
        let status = statuses.first().map(String::as_str).unwrap_or_default();
        out.push(Change::new(
            Class::Addition,
            response_at(new, operation, status),
            operation_subject(operation.clone()),
            format!("error code `{code}` ({status}) added"),
        ));
    }
}

/// Each component schema is a generated Rust type (`types::<Name>`), unless
/// it names an existing one with `x-rust-type`: removing or renaming it
/// breaks code that names the type; a new one is an addition.
fn schemas(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let at = Ptr::root().keys(["components", "schemas"]);
    let schemas = |doc: &Value| -> BTreeMap<String, bool> {
        at.get(doc)
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, schema)| (name.clone(), schema.get("x-rust-type").is_none()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (old_schemas, new_schemas) = (schemas(old), schemas(new));
    let (old_operations, new_operations) = (Operations::new(old), Operations::new(new));
    for (name, is_type) in &old_schemas {
        if !new_schemas.contains_key(name) {
            let (class, what) = if *is_type {
                (
                    Class::Breaking,
                    format!("schema `{name}` removed (the Rust type `types::{name}` goes away)"),
                )
            } else {
                (Class::Other, format!("schema `{name}` removed"))
            };
            let at = at.key(name.as_str());
            let subjects = subjects_at(old, &old_operations, &at);
            out.push(Change::about(class, at, subjects, what));
        }
    }
    for (name, is_type) in &new_schemas {
        if !old_schemas.contains_key(name) {
            let (class, what) = if *is_type {
                (
                    Class::Addition,
                    format!("schema `{name}` added (the Rust type `types::{name}`)"),
                )
            } else {
                (Class::Other, format!("schema `{name}` added"))
            };
            let at = at.key(name.as_str());
            let subjects = subjects_at(new, &new_operations, &at);
            out.push(Change::about(class, at, subjects, what));
        }
    }
}
