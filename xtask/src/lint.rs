//! `cargo xtask lint`: the spec quality gate.
//!
//! Two independent opinions: our own semantic checks (the ones `generate`
//! runs, see `codegen::load`) and Redocly CLI's `recommended` ruleset, pinned
//! in `package.json`/`package-lock.json` and run from `node_modules`, never
//! downloaded at lint time. Both must report zero problems; Redocly warnings
//! count as failures too.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::paths;

/// Runs both linters on `spec`.
pub fn run(root: &Path, spec: &Path) -> anyhow::Result<()> {
    let loaded = codegen::load(spec)?;
    let operations = loaded.openapi().operations().count();
    println!(
        "codegen checks: ok ({} operations, refs, operationIds, path parameters, response schemas, keys, examples)",
        operations
    );
    redocly(root, spec)
}

fn redocly(root: &Path, spec: &Path) -> anyhow::Result<()> {
    if Command::new("node").arg("--version").output().is_err() {
        bail!(
            "Redocly CLI needs Node.js 20 or newer and npm, which are not on PATH. \
             Install them (e.g. `apt-get install nodejs npm`, or https://nodejs.org), then re-run `cargo xtask lint`."
        );
    }
    if !root.join("node_modules/@redocly/cli").is_dir() {
        println!("installing the pinned Redocly CLI (npm ci) …");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root)
            .status()
            .context("cannot run npm")?;
        if !status.success() {
            bail!("`npm ci` failed ({status}); see its output above");
        }
    }
    let output = Command::new("npx")
        .args(["--no-install", "redocly", "lint", "--format=json"])
        .arg(spec)
        .current_dir(root)
        .output()
        .context("cannot run npx")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).with_context(|| {
        format!(
            "Redocly printed no JSON report ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let count = |kind: &str| report["totals"][kind].as_u64().unwrap_or(u64::MAX);
    let (errors, warnings) = (count("errors"), count("warnings"));
    if errors == 0 && warnings == 0 {
        println!("redocly lint (recommended): ok, 0 errors, 0 warnings");
        return Ok(());
    }
    for problem in report["problems"].as_array().into_iter().flatten() {
        let location = problem["location"][0]["pointer"].as_str().unwrap_or("#");
        println!(
            "{}: {}: {} [{}] {}",
            paths::display(spec),
            location,
            problem["severity"].as_str().unwrap_or("?"),
            problem["ruleId"].as_str().unwrap_or("?"),
            problem["message"].as_str().unwrap_or("?"),
        );
    }
    bail!("redocly lint found {errors} errors and {warnings} warnings")
}
