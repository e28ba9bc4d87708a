//! Generation speed and scale: load (parse + checks) + generate (progenitor
//! with syn and prettyplease) for our spec and for synthetic OpenAPI 3.0.3
//! documents with 10, 100 and 1,000 operations built here.
//!
//! ```text
//! cargo bench -p genviral-partner-codegen --bench generate
//! BENCH_ROUNDS=9 cargo bench -p genviral-partner-codegen --bench generate
//! ```
//!
//! Reports the median time per document, the generated lines, microseconds
//! per generated line, and that cost relative to the 10-operation document
//! (a ratio near 1 at 100 and 1,000 operations means the cost grows linearly
//! with the output).

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

/// A valid 3.0.3 document with `operations` PATCH operations, each with its
/// own request and response schemas (an enum, a constrained string, a
/// nullable field) and the shared error envelope.
fn synthetic(operations: usize) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "required": ["ok", "message"], "properties": {
            "ok": {"type": "boolean"}, "message": {"type": "string"}, "error_code": {"type": "string"}
        }}),
    );
    for i in 0..operations {
        paths.insert(
            format!("/things{i}/{{thingId}}"),
            json!({"patch": {
                "operationId": format!("update_thing_{i}"),
                "tags": [format!("things{}", i % 10)],
                "summary": format!("Update thing {i}"),
                "parameters": [{"name": "thingId", "in": "path", "required": true,
                                "schema": {"type": "string", "format": "uuid"}}],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/UpdateThing{i}Request")}}}},
                "responses": {
                    "200": {"description": "Updated.", "content": {"application/json": {
                        "schema": {"$ref": format!("#/components/schemas/Thing{i}")}}}},
                    "404": {"description": "Not found.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}},
                    "4XX": {"description": "Other errors.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}}
                }
            }}),
        );
        schemas.insert(
            format!("UpdateThing{i}Request"),
            json!({"type": "object", "minProperties": 1, "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "mode": {"type": "string", "enum": ["a", "b", "c"]},
                "count": {"type": "integer", "minimum": 0},
                "note": {"$ref": format!("#/components/schemas/NullableNote{i}")}
            }}),
        );
        schemas.insert(
            format!("NullableNote{i}"),
            json!({"type": "string", "nullable": true}),
        );
        schemas.insert(
            format!("Thing{i}"),
            json!({"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "mode": {"type": "string"},
                "count": {"type": "integer"},
                "note": {"type": "string", "nullable": true},
                "created_at": {"type": "string", "format": "date-time"}
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "servers": [{"url": "https://example.test/api"}],
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// One load + generate; returns (seconds, generated lines).
fn once(path: &Path, bytes: &[u8], settings: &codegen::Settings) -> (f64, usize) {
    let start = Instant::now();
    let spec = codegen::parse(path, bytes).expect("the document loads");
    let source = codegen::generate(&spec, settings).expect("the document generates");
    (start.elapsed().as_secs_f64(), source.lines().count())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--test");
    let rounds: usize = if smoke {
        1
    } else {
        std::env::var("BENCH_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(5)
    };
    let sizes: &[usize] = if smoke { &[10] } else { &[10, 100, 1000] };

    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
    let mut cases: Vec<(String, Vec<u8>, codegen::Settings)> = vec![(
        "spec/openapi.yaml (4 ops)".to_string(),
        std::fs::read(&spec_path).expect("the spec"),
        codegen::Settings::default(),
    )];
    for &n in sizes {
        cases.push((
            format!("synthetic {n} ops"),
            serde_json::to_vec(&synthetic(n)).unwrap(),
            codegen::Settings::standalone(),
        ));
    }

    println!("{rounds} rounds per document, medians of load + generate + format");
    println!(
        "{:<28} {:>10} {:>9} {:>9} {:>22}",
        "document", "ms", "lines", "µs/line", "µs/line vs 10 ops"
    );
    let mut reference = None;
    for (name, bytes, settings) in &cases {
        let _warm_up = once(&spec_path, bytes, settings);
        let mut times = Vec::new();
        let mut lines = 0;
        for _ in 0..rounds {
            let (seconds, count) = once(&spec_path, bytes, settings);
            times.push(seconds);
            lines = count;
        }
        let seconds = median(times);
        let per_line = seconds * 1e6 / lines as f64;
        if name.starts_with("synthetic 10 ") {
            reference = Some(per_line);
        }
        let ratio = reference
            .filter(|_| name.starts_with("synthetic"))
            .map_or("".to_string(), |r| format!("{:.2}", per_line / r));
        println!(
            "{name:<28} {:>10.1} {lines:>9} {per_line:>9.2} {ratio:>22}",
            seconds * 1e3
        );
    }
}
