//! The pinned npm packages in `node_modules` (Redocly CLI for `lint`, Redoc
//! for `docs`): `package-lock.json` pins them and `npm ci` installs them on
//! first use, never a newer version downloaded at run time. Only the tasks
//! call this, never `cargo test`, which must not need the network.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context as _, bail};

/// Makes sure Node.js is on PATH and the pinned packages are installed.
pub fn ensure_node_modules(root: &Path) -> anyhow::Result<()> {
    if Command::new("node").arg("--version").output().is_err() {
        bail!(
            "Redocly CLI needs Node.js 20 or newer and npm, which are not on PATH. \
             Install them (e.g. `apt-get install nodejs npm`, or https://nodejs.org), then re-run."
        );
    }
    let installed = ["node_modules/@redocly/cli", "node_modules/redoc"]
        .iter()
        .all(|package| root.join(package).is_dir());
    if !installed {
        println!("installing the pinned Node tooling (npm ci) …");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root)
            .status()
            .context("cannot run npm")?;
        if !status.success() {
            bail!("`npm ci` failed ({status}); see its output above");
        }
    }
    Ok(())
}

/// Runs `redocly <args>` from `root` and returns its output.
pub fn redocly(root: &Path, args: &[&std::ffi::OsStr]) -> anyhow::Result<Output> {
    ensure_node_modules(root)?;
    Command::new("npx")
        .args(["--no-install", "redocly"])
        .args(args)
        .current_dir(root)
        // No usage data from the CLI (also `telemetry: off` in redocly.yaml).
        .env("REDOCLY_TELEMETRY", "off")
        .output()
        .context("cannot run npx")
}
