//! `cargo xtask bench-build`: what the pre-generated crate saves its users.
//!
//! Two tiny consumers make the same `update_pack` call: one depends on the
//! checked-in `genviral-partner` crate, the other runs
//! `progenitor::generate_api!` on the same spec at build time. Each is built
//! cold (its own empty target folder) with the same `-j`; sources are
//! fetched first and not timed (the registry cache is shared and warm).
//! Reports both build times, their ratio and the dependency counts
//! (`cargo tree -e normal,build`, proc-macros included).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};

/// One consumer crate.
struct Consumer {
    name: &'static str,
    manifest: String,
    main: String,
}

fn consumers(root: &Path) -> Vec<Consumer> {
    let client = root.join("generated-client");
    let spec = root.join(crate::paths::SPEC);
    let call = r#"
    let pack = client
        .update_pack()
        .pack_id(uuid::Uuid::nil())
        .body(types::UpdatePackRequest::builder().is_public(true))
        .send()
        .await;
    println!("{}", pack.is_ok());
"#;
    vec![
        Consumer {
            name: "pregenerated",
            manifest: format!(
                r#"[package]
name = "consumer-pregenerated"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
genviral-partner = {{ path = "{}" }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
uuid = "1"
"#,
                client.display()
            ),
            main: format!(
                r#"use genviral_partner::{{Client, types}};

#[tokio::main]
async fn main() {{
    let client = Client::with_token("gva_x.y").unwrap();
{call}}}
"#
            ),
        },
        Consumer {
            name: "macro",
            manifest: r#"[package]
name = "consumer-macro"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures = "0.3"
progenitor = "0.15.1"
progenitor-client = "0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
uuid = { version = "1", features = ["serde"] }
"#
            .to_string(),
            main: format!(
                r#"progenitor::generate_api!(spec = "{}", interface = Builder, tags = Merged);

#[tokio::main]
async fn main() {{
    let client = Client::new("https://www.genviral.io/api/partner/v1");
{call}}}
"#,
                spec.display()
            ),
        },
    ]
}

/// Builds both consumers cold and prints the comparison.
pub fn run(root: &Path, jobs: usize, release: bool) -> anyhow::Result<()> {
    let work = tempfile::Builder::new()
        .prefix("bench-build-")
        .tempdir()
        .context("creating a work folder")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut rows = Vec::new();
    for consumer in consumers(root) {
        let dir = work.path().join(consumer.name);
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("Cargo.toml"), &consumer.manifest)?;
        std::fs::write(dir.join("src/main.rs"), &consumer.main)?;
        let target = dir.join("target");
        let status = Command::new(&cargo)
            .arg("fetch")
            .current_dir(&dir)
            .status()
            .context("cannot run cargo fetch")?;
        if !status.success() {
            bail!("cargo fetch failed for the {} consumer", consumer.name);
        }
        println!("building the {} consumer cold (-j {jobs}) …", consumer.name);
        let start = Instant::now();
        let mut build = Command::new(&cargo);
        build
            .args(["build", "--quiet", "-j", &jobs.to_string()])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            // The consumer's own profile, not this workspace's settings.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS");
        if release {
            build.arg("--release");
        }
        let status = build.status().context("cannot run cargo build")?;
        let seconds = start.elapsed().as_secs_f64();
        if !status.success() {
            bail!("the {} consumer does not build ({status})", consumer.name);
        }
        let tree = Command::new(&cargo)
            .args(["tree", "--prefix", "none", "-e", "normal,build"])
            .current_dir(&dir)
            .output()
            .context("cannot run cargo tree")?;
        let mut crates: Vec<String> = String::from_utf8_lossy(&tree.stdout)
            .lines()
            .map(|line| line.trim_end_matches(" (*)").to_string())
            .filter(|line| !line.is_empty() && !line.starts_with("consumer-"))
            .collect();
        crates.sort();
        crates.dedup();
        rows.push((consumer.name, seconds, crates));
    }
    let profile = if release { "release" } else { "dev" };
    println!("\ncold `cargo build` ({profile}, -j {jobs}) of a one-call consumer");
    println!(
        "{:<14} {:>10} {:>14}",
        "consumer", "seconds", "dependencies"
    );
    for (name, seconds, crates) in &rows {
        println!("{name:<14} {seconds:>10.1} {:>14}", crates.len());
    }
    let (pre, mac) = (&rows[0], &rows[1]);
    println!(
        "ratio macro / pre-generated: {:.2}x build time, {:.2}x dependencies",
        mac.1 / pre.1,
        mac.2.len() as f64 / pre.2.len() as f64
    );
    let only_macro: Vec<&String> = mac
        .2
        .iter()
        .filter(|name| {
            let crate_name = name.split(' ').next().unwrap_or_default();
            !pre.2
                .iter()
                .any(|other| other.split(' ').next() == Some(crate_name))
        })
        .collect();
    println!(
        "crates only the macro consumer needs ({}): {}",
        only_macro.len(),
        only_macro
            .iter()
            .map(|name| name.split(' ').next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
