//! Generation speed and scale: load (YAML/JSON parse, our checks, example
//! validation, openapiv3) + generate (progenitor, our syn passes, prettyplease
//! formatting) for our spec and for synthetic OpenAPI 3.0.3 documents with
//! 10, 100 and 1,000 operations built here.
//!
//! ```text
//! cargo bench -p genviral-partner-codegen --bench generate
//! BENCH_ROUNDS=9 BENCH_SIZES=10,100,1000,2000 cargo bench -p genviral-partner-codegen --bench generate
//! ```
//!
//! For each document: the median time of load and of generate over the
//! rounds (after one warm-up; at least `BENCH_ROUNDS` rounds and
//! `BENCH_MIN_SECONDS` seconds per document, the rounds of all documents
//! interleaved), the generated lines, microseconds per line,
//! and that cost relative to the smallest synthetic document. Linear growth
//! shows as a per-line cost that stays flat; the last line fits
//! `time = a · lines^k` over the synthetic documents (k = 1 is linear,
//! k = 2 quadratic). Run without `--bench` (as `cargo test` does: `test =
//! true` in Cargo.toml), it only loads and generates the spec and a
//! 10-operation document once.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A valid 3.0.3 document with `operations` PATCH operations shaped like the
/// spec's: a UUID path parameter, a JSON request body with its own schema
/// (constrained string, enum, integer, nullable field, `minProperties`), a
/// tag and an operationId, a 200 response with its own schema, 404 and 4XX
/// responses with the shared error envelope, and an example for the request,
/// the 200 and the 404 (every example is validated by the load checks).
fn synthetic(operations: usize) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "required": ["ok", "code", "message"], "properties": {
            "ok": {"type": "boolean"},
            "code": {"type": "integer"},
            "message": {"type": "string"},
            "error_code": {"type": "string"}
        }}),
    );
    let problem = |description: &str| {
        json!({"description": description, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Problem"},
            "examples": {"not_found": {"value":
                {"ok": false, "code": 404, "message": "Not found", "error_code": "not_found"}}}
        }}})
    };
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
                    "schema": {"$ref": format!("#/components/schemas/UpdateThing{i}Request")},
                    "examples": {"rename": {"value": {"name": format!("Thing {i}"), "mode": "a"}}}
                }}},
                "responses": {
                    "200": {"description": "Updated.", "content": {"application/json": {
                        "schema": {"$ref": format!("#/components/schemas/Thing{i}")},
                        "examples": {"updated": {"value": {
                            "id": "11111111-1111-1111-1111-111111111111",
                            "name": format!("Thing {i}"), "mode": "a", "count": i, "note": null,
                            "created_at": "2026-02-14T09:00:00.000Z"
                        }}}
                    }}},
                    "404": problem("Not found."),
                    "4XX": problem("Other client errors.")
                }
            }}),
        );
        schemas.insert(
            format!("UpdateThing{i}Request"),
            json!({"type": "object", "minProperties": 1, "additionalProperties": false,
                "properties": {
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

/// One load + generate of `bytes`: (load time, generate time, output lines).
/// Not inlined, so that a profiler can collect just this function
/// (`valgrind --tool=callgrind --toggle-collect='generate::once*'`).
#[inline(never)]
fn once(path: &Path, bytes: &[u8], settings: &codegen::Settings) -> (Duration, Duration, usize) {
    let start = Instant::now();
    let spec = spec::parse(path, bytes).expect("the document loads");
    let loaded = Instant::now();
    let source = codegen::generate(&spec, settings).expect("the document generates");
    let generated = Instant::now();
    let lines = source.lines().count();
    drop((spec, source));
    (loaded - start, generated - loaded, lines)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Least-squares slope of ln(time) against ln(lines).
fn exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let (mx, my) = (
        logs.iter().map(|p| p.0).sum::<f64>() / n,
        logs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let covariance: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let variance: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    covariance / variance
}

/// The number in the environment variable `name`, or `default` when it is
/// unset; a value that is not a number stops the bench with its name.
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` does not.
    let bench = std::env::args().any(|arg| arg == "--bench");
    let rounds: usize = if bench { env_or("BENCH_ROUNDS", 5) } else { 0 };
    let sizes: Vec<usize> = if bench {
        std::env::var("BENCH_SIZES")
            .unwrap_or_else(|_| "10,100,1000".into())
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .expect("BENCH_SIZES: numbers, comma-separated")
            })
            .collect()
    } else {
        vec![10]
    };

    let mut cases: Vec<(String, Vec<u8>, codegen::Settings)> = Vec::new();
    if std::env::var_os("BENCH_SKIP_SPEC").is_none() {
        let operations = spec::load(spec::path())
            .expect("the spec loads")
            .operations()
            .len();
        cases.push((
            format!("{} ({operations} ops)", spec::PATH_IN_WORKSPACE),
            std::fs::read(spec::path()).expect("the spec"),
            codegen::Settings::default(),
        ));
    }
    for &n in &sizes {
        cases.push((
            format!("synthetic {n} ops"),
            serde_json::to_vec(&synthetic(n)).unwrap(),
            codegen::Settings::standalone(),
        ));
    }

    // Each document is measured for at least `min_seconds` (small ones get
    // more rounds, up to 100), and the rounds of all documents are
    // interleaved, so that a slow spell of a shared machine hits every
    // document alike instead of skewing the per-line ratios.
    let min_seconds: f64 = if bench {
        env_or("BENCH_MIN_SECONDS", 3.0)
    } else {
        0.0
    };
    let mut measured = Vec::new();
    for (_, bytes, settings) in &cases {
        let (load, generate, lines) = once(spec::path(), bytes, settings);
        let warm_up = (load + generate).as_secs_f64();
        let wanted = ((min_seconds / warm_up).ceil() as usize).min(100);
        let runs = if bench { rounds.max(wanted) } else { 0 };
        let first = (vec![load.as_secs_f64()], vec![generate.as_secs_f64()]);
        measured.push((
            runs,
            lines,
            if runs == 0 { first } else { (vec![], vec![]) },
        ));
    }
    let most = measured.iter().map(|(runs, _, _)| *runs).max().unwrap_or(0);
    for round in 0..most {
        for ((_, bytes, settings), (runs, _, (loads, generates))) in cases.iter().zip(&mut measured)
        {
            if round < *runs {
                let (load, generate, _) = once(spec::path(), bytes, settings);
                loads.push(load.as_secs_f64());
                generates.push(generate.as_secs_f64());
            }
        }
    }

    if bench {
        println!(
            "medians after a warm-up; at least {rounds} rounds and {min_seconds} s per document, rounds interleaved"
        );
    } else {
        println!("smoke run (no --bench): one load + generate per document");
    }
    println!(
        "{:<26} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>12}",
        "document", "rounds", "load ms", "gen ms", "total ms", "lines", "µs/line", "vs smallest"
    );
    let mut reference = None;
    let mut points = Vec::new();
    for ((name, _, _), (runs, lines, (loads, generates))) in cases.iter().zip(measured) {
        let (load, generate) = (median(loads), median(generates));
        let per_line = (load + generate) * 1e6 / lines as f64;
        let ratio = if name.starts_with("synthetic") {
            points.push((lines as f64, load + generate));
            format!("{:.2}", per_line / *reference.get_or_insert(per_line))
        } else {
            String::new()
        };
        println!(
            "{name:<26} {runs:>6} {:>9.1} {:>9.1} {:>9.1} {lines:>9} {per_line:>9.2} {ratio:>12}",
            load * 1e3,
            generate * 1e3,
            (load + generate) * 1e3,
        );
    }
    if points.len() >= 2 {
        println!(
            "fit over the synthetic documents: time ∝ lines^{:.3}",
            exponent(&points)
        );
    }
}
