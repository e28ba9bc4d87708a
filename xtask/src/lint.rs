//! `cargo xtask lint`: the spec quality gate.
//!
//! Two independent opinions: our own semantic checks (the ones `generate`
//! runs, see `spec::load`) and Redocly CLI's `recommended` ruleset, pinned
//! in `package.json`/`package-lock.json` and run from `node_modules`, never
//! downloaded at lint time. Both must report zero problems; Redocly warnings
//! count as failures too.

use std::path::Path;

use anyhow::{Context as _, bail};

use crate::{npm, paths};

/// `cargo xtask lint`: which document to lint.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spec: paths::SpecArg,
}

/// Runs both linters on the spec.
pub fn run(args: Args) -> anyhow::Result<()> {
    let loaded = spec::load(&args.spec.path)?;
    println!(
        "spec checks: ok ({} operations, refs, operationIds, path parameters, response schemas, keys, examples)",
        loaded.operations().len()
    );
    redocly(&paths::workspace_root(), &args.spec.path)
}

fn redocly(root: &Path, spec: &Path) -> anyhow::Result<()> {
    let output = npm::redocly(
        root,
        &["lint".as_ref(), "--format=json".as_ref(), spec.as_os_str()],
    )?;
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
