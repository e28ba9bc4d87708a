//! Spec pairs that pin each rule, both ways: a small released document
//! ([`base`]), one edit of it, and the class each direction of the edit
//! gets (the edit read backwards is its counterpart: a field added vs
//! removed, an enum widened vs narrowed).

use serde_json::{Value, json};

use super::*;

/// The released document the pairs start from: one operation with a path
/// and a query parameter, a request body and a response that share
/// nothing, and two documented error codes.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {
            "/packs/{packId}": {
                "patch": {
                    "operationId": "update_pack",
                    "description": "Updates a pack.",
                    "parameters": [
                        {"name": "packId", "in": "path", "required": true,
                         "schema": {"type": "string", "format": "uuid"}},
                        {"name": "dry_run", "in": "query", "required": false,
                         "schema": {"type": "boolean"}}
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/UpdatePackRequest"}
                        }}
                    },
                    "responses": {
                        "200": {
                            "description": "The pack.",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/PackResponse"}
                            }}
                        },
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "422": {
                            "description": "Invalid.",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorEnvelope"},
                                "examples": {"invalid_payload": {"value": {
                                    "ok": false, "code": 422, "message": "Invalid",
                                    "error_code": "invalid_payload"
                                }}}
                            }}
                        }
                    }
                }
            }
        },
        "components": {
            "responses": {
                "NotFound": {
                    "description": "Not found.",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"},
                        "examples": {"not_found": {"value": {
                            "ok": false, "code": 404, "message": "Not found",
                            "error_code": "not_found"
                        }}}
                    }}
                }
            },
            "schemas": {
                "UpdatePackRequest": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 120},
                        "visibility": {"type": "string", "enum": ["private", "workspace"]},
                        "note": {"type": "string", "nullable": true},
                        "is_public": {"type": "boolean"}
                    }
                },
                "PackResponse": {
                    "type": "object",
                    "required": ["ok", "data"],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "data": {"$ref": "#/components/schemas/Pack"}
                    }
                },
                "Pack": {
                    "type": "object",
                    "required": ["id", "name", "image_count", "cover"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string"},
                        "image_count": {"type": "integer"},
                        "cover": {"type": "string", "nullable": true},
                        "preview_url": {"type": "string"},
                        "caption": {"type": "string", "maxLength": 200},
                        "status": {"type": "string", "enum": ["pending", "done"]}
                    }
                },
                "ErrorEnvelope": {
                    "type": "object",
                    "required": ["ok", "code", "message"],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "code": {"type": "integer"},
                        "message": {"type": "string"},
                        "error_code": {"type": "string"}
                    }
                }
            }
        }
    })
}

/// The base document with `edit` applied.
fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut doc = base();
    edit(&mut doc);
    doc
}

/// The node at `pointer` (a JSON pointer, `~1` for `/`), to edit.
fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the base document"))
}

const REQUEST: &str = "/components/schemas/UpdatePackRequest";
const PACK: &str = "/components/schemas/Pack";
const OPERATION: &str = "/paths/~1packs~1{packId}/patch";

fn lines(changes: &[Change]) -> String {
    changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that comparing `old` with `new` finds a change of `class`
/// whose line contains every one of `words`, and no worse change; returns
/// the changes.
#[track_caller]
fn expect(old: &Value, new: &Value, class: Class, words: &[&str]) -> Vec<Change> {
    let changes = compare(old, new).unwrap_or_else(|e| panic!("{e:#}"));
    let found = changes.iter().any(|change| {
        let line = change.to_string();
        change.class == class && words.iter().all(|word| line.contains(word))
    });
    assert!(
        found,
        "expected a {} change mentioning {words:?}, got:\n{}",
        class.label(),
        lines(&changes)
    );
    let worst = changes.iter().map(|change| change.class).min();
    assert_eq!(
        worst,
        Some(class),
        "a worse change than expected:\n{}",
        lines(&changes)
    );
    changes
}

/// [`expect`] for the edit (`forward`) and for the edit undone (`backward`).
#[track_caller]
fn both_ways(edit: impl FnOnce(&mut Value), forward: (Class, &[&str]), backward: (Class, &[&str])) {
    let new = edited(edit);
    expect(&base(), &new, forward.0, forward.1);
    expect(&new, &base(), backward.0, backward.1);
}

#[test]
fn identical_documents_have_no_changes_and_info_version_is_not_one() {
    assert_eq!(compare(&base(), &base()).unwrap(), []);
    let bumped = edited(|doc| doc["info"]["version"] = json!("2.0.0"));
    assert_eq!(compare(&base(), &bumped).unwrap(), []);
}

#[test]
fn operation_removed_is_breaking_and_added_is_an_addition() {
    both_ways(
        |doc| {
            let item = doc["paths"]["/packs/{packId}"].clone();
            doc["paths"]["/packs/{packId}/copy"] = item;
            doc["paths"]["/packs/{packId}/copy"]["patch"]["operationId"] = json!("copy_pack");
        },
        (
            Class::Addition,
            &[
                "$.paths['/packs/{packId}/copy'].patch",
                "`copy_pack`",
                "added",
            ],
        ),
        (Class::Breaking, &["`copy_pack`", "removed"]),
    );
}

#[test]
fn a_changed_path_or_method_removes_the_operation_it_was() {
    let moved = edited(|doc| {
        let item = doc["paths"]["/packs/{packId}"].take();
        doc["paths"] = json!({"/v2/packs/{packId}": item});
    });
    let changes = expect(
        &base(),
        &moved,
        Class::Breaking,
        &[
            "$.paths['/packs/{packId}'].patch",
            "`update_pack`",
            "removed",
        ],
    );
    assert!(
        changes
            .iter()
            .any(|c| c.class == Class::Addition && c.to_string().contains("/v2/packs")),
        "{}",
        lines(&changes)
    );

    let put = edited(|doc| {
        let operation = doc["paths"]["/packs/{packId}"]["patch"].take();
        doc["paths"]["/packs/{packId}"] = json!({"put": operation});
    });
    expect(&base(), &put, Class::Breaking, &["patch", "removed"]);
}

#[test]
fn renaming_what_the_rust_api_is_named_after_is_breaking() {
    let renamed = edited(|doc| at(doc, OPERATION)["operationId"] = json!("patch_pack"));
    expect(
        &base(),
        &renamed,
        Class::Breaking,
        &["`patch_pack`", "renamed from `update_pack`"],
    );

    let parameter = edited(|doc| {
        let item = doc["paths"]["/packs/{packId}"].take();
        doc["paths"] = json!({"/packs/{id}": item});
        doc["paths"]["/packs/{id}"]["patch"]["parameters"][0]["name"] = json!("id");
    });
    expect(
        &base(),
        &parameter,
        Class::Breaking,
        &["parameter `id`", "renamed from `packId`"],
    );
}

#[test]
fn a_required_parameter_added_breaks_and_an_optional_one_is_an_addition() {
    let parameter = |required: bool| {
        move |doc: &mut Value| {
            at(doc, &format!("{OPERATION}/parameters"))
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "force", "in": "query", "required": required, "schema": {"type": "boolean"}}));
        }
    };
    both_ways(
        parameter(true),
        (
            Class::Breaking,
            &["`update_pack`", "required parameter 'force'"],
        ),
        (Class::Breaking, &["'force' was removed"]),
    );
    both_ways(
        parameter(false),
        (Class::Addition, &["optional parameter 'force'"]),
        (Class::Breaking, &["'force' was removed"]),
    );
    both_ways(
        |doc| at(doc, &format!("{OPERATION}/parameters/1"))["required"] = json!(true),
        (
            Class::Breaking,
            &["'dry_run' was optional and is now required"],
        ),
        (
            Class::Addition,
            &["'dry_run' was required and is now optional"],
        ),
    );
}

#[test]
fn a_request_field_added_as_required_breaks_and_an_optional_one_is_an_addition() {
    let field = |required: bool| {
        move |doc: &mut Value| {
            let request = at(doc, REQUEST);
            request["properties"]["tags"] = json!({"type": "array", "items": {"type": "string"}});
            if required {
                request["required"] = json!(["tags"]);
            }
        }
    };
    both_ways(
        field(true),
        (
            Class::Breaking,
            &[
                "$.components.schemas.UpdatePackRequest.properties.tags",
                "`update_pack` request field `tags`: added as required",
            ],
        ),
        (Class::Breaking, &["request field `tags`: removed"]),
    );
    both_ways(
        field(false),
        (Class::Addition, &["request field `tags`: added (optional)"]),
        (Class::Breaking, &["request field `tags`: removed"]),
    );
    both_ways(
        |doc| at(doc, REQUEST)["required"] = json!(["name"]),
        (Class::Breaking, &["request field `name`: now required"]),
        (Class::Addition, &["request field `name`: now optional"]),
    );
}

#[test]
fn a_stricter_request_field_breaks_and_a_looser_one_is_an_addition() {
    let name = format!("{REQUEST}/properties/name");
    both_ways(
        |doc| at(doc, &name)["maxLength"] = json!(100),
        (
            Class::Breaking,
            &[
                "request field `name`",
                "`maxLength` tightened from 120 to 100",
            ],
        ),
        (Class::Addition, &["`maxLength` loosened from 100 to 120"]),
    );
    both_ways(
        |doc| at(doc, &name)["pattern"] = json!("^[a-z]+$"),
        (Class::Breaking, &["`pattern`", "added"]),
        (Class::Addition, &["`pattern`", "removed"]),
    );
    let visibility = format!("{REQUEST}/properties/visibility");
    both_ways(
        |doc| at(doc, &visibility)["enum"] = json!(["private"]),
        (
            Class::Breaking,
            &[
                "request field `visibility`",
                "enum value `\"workspace\"` removed",
            ],
        ),
        (Class::Addition, &["enum value `\"workspace\"` added"]),
    );
    let note = format!("{REQUEST}/properties/note");
    both_ways(
        |doc| {
            at(doc, &note).as_object_mut().unwrap().remove("nullable");
        },
        (
            Class::Breaking,
            &["request field `note`: no longer accepts null"],
        ),
        (Class::Addition, &["request field `note`: now accepts null"]),
    );
    let is_public = format!("{REQUEST}/properties/is_public");
    both_ways(
        |doc| at(doc, &is_public)["type"] = json!("string"),
        (Class::Breaking, &["request field `is_public`"]),
        (Class::Breaking, &["request field `is_public`"]),
    );
}

#[test]
fn a_response_field_removed_made_optional_or_nullable_breaks() {
    both_ways(
        |doc| {
            at(doc, PACK)["properties"]
                .as_object_mut()
                .unwrap()
                .remove("preview_url");
        },
        (
            Class::Breaking,
            &["`update_pack` response 200 field `data.preview_url`: removed"],
        ),
        (
            Class::Addition,
            &["response 200 field `data.preview_url`: added"],
        ),
    );
    both_ways(
        |doc| at(doc, PACK)["required"] = json!(["id", "image_count", "cover"]),
        (Class::Breaking, &["field `data.name`: now optional"]),
        // Required again: `Option<String>` becomes `String` in Rust.
        (
            Class::Breaking,
            &["field `data.name`: now always present", "Option<T> to T"],
        ),
    );
    both_ways(
        // `cover` is required and nullable: no longer optional in Rust
        // either way, so making it always present is compatible.
        |doc| at(doc, PACK)["required"] = json!(["id", "name", "image_count"]),
        (Class::Breaking, &["field `data.cover`: now optional"]),
        (Class::Addition, &["field `data.cover`: now always present"]),
    );
    let preview = format!("{PACK}/properties/preview_url");
    both_ways(
        |doc| at(doc, &preview)["nullable"] = json!(true),
        (
            Class::Breaking,
            &["field `data.preview_url`: may now be null"],
        ),
        // Optional, so an `Option` in Rust either way.
        (
            Class::Addition,
            &["field `data.preview_url`: never null any more"],
        ),
    );
    let cover = format!("{PACK}/properties/cover");
    expect(
        &base(),
        &edited(|doc| {
            at(doc, &cover).as_object_mut().unwrap().remove("nullable");
        }),
        Class::Breaking,
        &["field `data.cover`: never null any more", "Option<T> to T"],
    );
}

#[test]
fn response_values_may_only_get_stricter() {
    let caption = format!("{PACK}/properties/caption");
    both_ways(
        |doc| at(doc, &caption)["maxLength"] = json!(100),
        (
            Class::Addition,
            &["field `data.caption`", "`maxLength` tightened"],
        ),
        (Class::Breaking, &["`maxLength` loosened"]),
    );
    // A first length limit makes typify generate a newtype for the field.
    let name = format!("{PACK}/properties/name");
    both_ways(
        |doc| at(doc, &name)["maxLength"] = json!(100),
        (
            Class::Breaking,
            &["field `data.name`", "`maxLength` 100 added", "Rust type"],
        ),
        (Class::Breaking, &["`maxLength` 100 removed"]),
    );
    let status = format!("{PACK}/properties/status");
    both_ways(
        |doc| at(doc, &status)["enum"] = json!(["pending", "done", "failed"]),
        (
            Class::Breaking,
            &["field `data.status`", "enum value `\"failed\"` added"],
        ),
        (Class::Breaking, &["enum value `\"failed\"` removed"]),
    );
    let id = format!("{PACK}/properties/id");
    both_ways(
        |doc| {
            at(doc, &id).as_object_mut().unwrap().remove("format");
        },
        (
            Class::Breaking,
            &["field `data.id`", "format changed from `uuid` to none"],
        ),
        (Class::Breaking, &["format changed from none to `uuid`"]),
    );
}

#[test]
fn an_error_code_or_status_removed_breaks_and_added_is_an_addition() {
    both_ways(
        |doc| {
            at(
                doc,
                &format!("{OPERATION}/responses/422/content/application~1json/examples"),
            )["invalid_config"] = json!({"value": {"ok": false, "code": 422, "message": "m", "error_code": "invalid_config"}});
        },
        (
            Class::Addition,
            &[
                "$.paths['/packs/{packId}'].patch.responses['422']",
                "error code `invalid_config` (422) added",
            ],
        ),
        (
            Class::Breaking,
            &["error code `invalid_config` (422) no longer documented"],
        ),
    );
    both_ways(
        |doc| {
            at(doc, &format!("{OPERATION}/responses"))
                .as_object_mut()
                .unwrap()
                .remove("404");
        },
        (
            Class::Breaking,
            &["`update_pack`", "no longer responds with status 404"],
        ),
        (Class::Addition, &["added a new response code 404"]),
    );
}

#[test]
fn a_renamed_schema_breaks_code_that_names_its_rust_type() {
    let renamed = edited(|doc| {
        let schemas = at(doc, "/components/schemas").as_object_mut().unwrap();
        let pack = schemas.remove("Pack").unwrap();
        schemas.insert("PackV2".into(), pack);
        at(doc, "/components/schemas/PackResponse/properties/data")["$ref"] =
            json!("#/components/schemas/PackV2");
    });
    let changes = expect(
        &base(),
        &renamed,
        Class::Breaking,
        &[
            "`update_pack` response 200 field `data`: schema `Pack` removed",
            "types::Pack` goes away",
        ],
    );
    let text = lines(&changes);
    assert!(
        text.contains("field `data`: now `PackV2` instead of `Pack`"),
        "{text}"
    );
    assert!(
        text.contains("addition  $.components.schemas.PackV2"),
        "{text}"
    );
}

#[test]
fn documentation_changes_are_other() {
    let changes = expect(
        &base(),
        &edited(|doc| {
            at(doc, OPERATION)["description"] = json!("Renames a pack.");
            at(doc, &format!("{PACK}/properties/name"))["description"] = json!("The name.");
            doc["info"]["title"] = json!("New title");
        }),
        Class::Other,
        &[
            "$.paths['/packs/{packId}'].patch",
            "`update_pack`: `description` changed",
        ],
    );
    let text = lines(&changes);
    assert!(
        text.contains("`update_pack` response 200 field `data.name`: `description` added"),
        "{text}"
    );
    assert!(
        text.contains("$.info  the document: `title` changed"),
        "{text}"
    );
}

#[test]
fn media_types_are_compared_without_drift_panicking() {
    let form = edited(|doc| {
        let content = at(doc, &format!("{OPERATION}/requestBody/content"));
        content["application/x-www-form-urlencoded"] = content["application/json"].clone();
    });
    both_ways(
        |doc| *doc = form,
        (
            Class::Addition,
            &["`update_pack` request body: now also accepts `application/x-www-form-urlencoded`"],
        ),
        (
            Class::Breaking,
            &["no longer accepts `application/x-www-form-urlencoded`"],
        ),
    );
}

#[test]
fn what_drift_cannot_judge_is_breaking_not_silent() {
    let one_of = edited(|doc| {
        at(doc, PACK)["properties"]["size"] =
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
    });
    let wider = {
        let mut doc = one_of.clone();
        at(&mut doc, &format!("{PACK}/properties/size/oneOf"))
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "boolean"}));
        doc
    };
    expect(
        &one_of,
        &wider,
        Class::Breaking,
        &["field `data.size`", "drift cannot tell"],
    );

    // A response header drift does not compare: caught by the safety net.
    let header = edited(|doc| {
        at(doc, &format!("{OPERATION}/responses/200"))["headers"] =
            json!({"X-Total": {"schema": {"type": "integer"}}});
    });
    expect(
        &base(),
        &header,
        Class::Breaking,
        &["in a way no rule classifies"],
    );
}

/// The repository's spec goes through drift whole: compared with itself it
/// has no changes, and a field taken out of a request is named.
#[test]
fn the_repository_spec_is_compared_whole() {
    let spec = spec::load(spec::path()).unwrap();
    let doc = spec.json();
    assert_eq!(compare(doc, doc).unwrap(), []);
    let operation = spec.operations().into_iter().find_map(|operation| {
        let schema = spec.deref(operation.request_schema()?);
        let field = schema
            .get("properties")?
            .as_object()?
            .keys()
            .next()?
            .clone();
        Some((operation.name(), operation.request_schema()?.clone(), field))
    });
    let (name, schema, field) = operation.expect("an operation with a request body");
    let mut edited = doc.clone();
    let target = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.trim_start_matches('#').to_string(),
        None => panic!("request schemas are named in this spec"),
    };
    edited
        .pointer_mut(&format!("{target}/properties"))
        .and_then(Value::as_object_mut)
        .unwrap()
        .remove(&field);
    expect(
        doc,
        &edited,
        Class::Breaking,
        &[&format!("`{name}` request field `{field}`: removed")],
    );
}

#[test]
fn the_gate_names_the_version_to_use() {
    let versions = |api: &str, krate: &str| Versions {
        api: api.parse().unwrap(),
        krate: krate.parse().unwrap(),
    };
    let released = versions("1.0.0", "0.1.0");
    assert!(version_problems(Bump::Major, &released, &versions("2.0.0", "0.2.0")).is_empty());
    assert!(version_problems(Bump::Minor, &released, &versions("1.1.0", "0.1.1")).is_empty());
    assert!(version_problems(Bump::None, &released, &released).is_empty());
    let problems = version_problems(Bump::Major, &released, &versions("1.1.0", "0.1.1"));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0]
            .contains("info.version 1.1.0 does not carry it over the released 1.0.0; use 2.0.0"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains(
            "genviral-partner 0.1.1 does not carry it over the released 0.1.0; use 0.2.0"
        ),
        "{problems:?}"
    );
    let backwards = version_problems(Bump::None, &released, &versions("0.9.0", "0.1.0"));
    assert!(
        backwards[0].contains("older than the released 1.0.0"),
        "{backwards:?}"
    );
}

#[test]
fn a_document_drift_cannot_read_is_an_error_not_a_crash() {
    // An unclosed path template (the spec crate's checks refuse it; drift
    // panics on it).
    let broken = edited(|doc| {
        let item = doc["paths"]["/packs/{packId}"].take();
        doc["paths"] = json!({"/packs/{packId": item});
    });
    let error = compare(&broken, &broken).unwrap_err().to_string();
    assert!(error.contains("drift stopped"), "{error}");
}
