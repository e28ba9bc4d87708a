//! `cargo xtask bench-build`: what the pre-generated crate saves its users.
//!
//! Two tiny consumers make the same `update_pack` call: one depends on the
//! checked-in `genviral-partner` crate (path dependency), the other runs
//! `progenitor::generate_api!` on the same spec at build time. Each is built
//! cold, in its own empty target folder, with the same `-j`; sources are
//! fetched first and not timed (the cargo registry cache is shared and warm,
//! so neither build downloads anything). Then `src/main.rs` is edited (one
//! string changes) and the build timed again: what every edit of the
//! consumer costs. Each build is timed in wall-clock seconds and in CPU
//! seconds (user + system of cargo and everything it runs): on a shared
//! 2-core machine other processes stretch the wall time of one build but
//! hardly its CPU time, so the CPU ratio is the one to trust there. With
//! `--runs N` both consumers are built N times, alternating which goes
//! first, and medians are reported. Also reports the dependency counts
//! (`cargo tree -e normal,build`: proc-macros and build-script dependencies
//! included, since they are compiled too).
//!
//! Not part of CI: it takes minutes and measures the machine as much as the
//! code. Results and method: BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};

/// One consumer crate.
struct Consumer {
    name: &'static str,
    manifest: String,
    /// `src/main.rs`; `{MESSAGE}` is replaced by a string that the
    /// rebuild measurement changes.
    main: String,
}

/// One timed `cargo build`: wall-clock seconds, and CPU seconds (user +
/// system) of cargo and everything it ran, when the platform tells.
#[derive(Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: Option<f64>,
}

/// The measurements of one consumer, one entry per run.
struct Row {
    name: &'static str,
    cold: Vec<Timing>,
    rebuild: Vec<Timing>,
    dependencies: Vec<String>,
}

/// The call both consumers make, written against the builder interface both
/// get (`interface = Builder, tags = Merged` is what the checked-in crate is
/// generated with).
const CALL: &str = r#"
    let pack = client
        .update_pack()
        .pack_id(uuid::Uuid::nil())
        .body(types::UpdatePackRequest::builder().is_public(true))
        .send()
        .await;
    println!("{MESSAGE}: {}", pack.is_ok());
"#;

fn consumers(root: &Path) -> Vec<Consumer> {
    let client = root.join("generated-client");
    let spec = root.join(crate::paths::SPEC);
    vec![
        Consumer {
            name: "pre-generated",
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
{CALL}}}
"#
            ),
        },
        Consumer {
            name: "generate_api!",
            // What the code `generate_api!` expands to needs: the crates it
            // names (progenitor-client, reqwest, serde, serde_json, chrono
            // for date-times, uuid for `format: uuid`), with the same
            // reqwest TLS backend as the pre-generated crate's default.
            manifest: r#"[package]
name = "consumer-macro"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
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
{CALL}}}
"#,
                spec.display()
            ),
        },
    ]
}

/// Builds both consumers cold, then after an edit, `runs` times (the order
/// alternates between runs), and prints the comparison.
pub fn run(root: &Path, jobs: usize, release: bool, runs: usize) -> anyhow::Result<()> {
    let work = tempfile::Builder::new()
        .prefix("bench-build-")
        .tempdir()
        .context("creating a work folder")?;
    let cargo = PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    let profile = if release { "release" } else { "dev" };
    let consumers = consumers(root);
    let dirs: Vec<PathBuf> = (0..consumers.len())
        .map(|index| work.path().join(format!("consumer-{index}")))
        .collect();
    let cargo_in = |dir: &Path, args: &[&str]| {
        let mut command = Command::new(&cargo);
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            // The consumer's own settings, not this workspace's.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_INCREMENTAL")
            .env_remove("CARGO_BUILD_JOBS");
        command
    };
    let mut rows = Vec::new();
    for (consumer, dir) in consumers.iter().zip(&dirs) {
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("Cargo.toml"), &consumer.manifest)?;
        write_main(consumer, dir, "first")?;
        let status = cargo_in(dir, &["fetch", "--quiet"])
            .status()
            .context("cannot run cargo fetch")?;
        if !status.success() {
            bail!("cargo fetch failed for the {} consumer", consumer.name);
        }
        let tree = cargo_in(
            dir,
            &[
                "tree",
                "--offline",
                "--prefix",
                "none",
                "-e",
                "normal,build",
            ],
        )
        .output()
        .context("cannot run cargo tree")?;
        if !tree.status.success() {
            bail!(
                "cargo tree failed: {}",
                String::from_utf8_lossy(&tree.stderr)
            );
        }
        rows.push(Row {
            name: consumer.name,
            cold: Vec::new(),
            rebuild: Vec::new(),
            dependencies: dependencies(&String::from_utf8_lossy(&tree.stdout)),
        });
    }

    let jobs_arg = jobs.to_string();
    let mut build_args = vec!["build", "--quiet", "--offline", "-j", jobs_arg.as_str()];
    if release {
        build_args.push("--release");
    }
    for run in 0..runs {
        let mut order: Vec<usize> = (0..consumers.len()).collect();
        if run % 2 == 1 {
            order.reverse();
        }
        for index in order {
            let (consumer, dir) = (&consumers[index], &dirs[index]);
            let timed_build = |what: &str| -> anyhow::Result<Timing> {
                println!(
                    "run {}/{runs}, {}: {what} `cargo build` ({profile}, -j {jobs}), load average {} …",
                    run + 1,
                    consumer.name,
                    load_average()
                );
                let cpu_before = children_cpu_seconds();
                let start = Instant::now();
                let status = cargo_in(dir, &build_args)
                    .status()
                    .context("cannot run cargo build")?;
                let wall = start.elapsed().as_secs_f64();
                let cpu = children_cpu_seconds()
                    .zip(cpu_before)
                    .map(|(after, before)| after - before);
                if !status.success() {
                    bail!("the {} consumer does not build ({status})", consumer.name);
                }
                let timing = Timing { wall, cpu };
                println!("  {}", timing.display());
                Ok(timing)
            };
            // Cold: nothing built yet for this consumer.
            let target = dir.join("target");
            if target.exists() {
                std::fs::remove_dir_all(&target).context("removing the consumer's target")?;
            }
            write_main(consumer, dir, "first")?;
            let cold = timed_build("cold")?;
            write_main(consumer, dir, "edited")?;
            let rebuild = timed_build("after editing src/main.rs,")?;
            rows[index].cold.push(cold);
            rows[index].rebuild.push(rebuild);
        }
    }
    report(&rows, profile, jobs);
    Ok(())
}

/// Writes the consumer's `src/main.rs` with `message` in it.
fn write_main(consumer: &Consumer, dir: &Path, message: &str) -> std::io::Result<()> {
    std::fs::write(
        dir.join("src/main.rs"),
        consumer.main.replace("{MESSAGE}", message),
    )
}

impl Timing {
    fn display(&self) -> String {
        match self.cpu {
            Some(cpu) => format!("{:.1} s wall, {cpu:.1} s CPU", self.wall),
            None => format!("{:.1} s wall", self.wall),
        }
    }
}

/// The median of the runs' wall times and of their CPU times.
fn median(timings: &[Timing]) -> Timing {
    let middle = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let cpu: Option<Vec<f64>> = timings.iter().map(|timing| timing.cpu).collect();
    Timing {
        wall: middle(timings.iter().map(|timing| timing.wall).collect()),
        cpu: cpu.map(middle),
    }
}

/// User + system CPU seconds of this process's finished (waited-for)
/// children and their own waited-for descendants: cargo, every rustc, build
/// script and linker it ran. Unlike wall time, this barely changes when
/// other processes compete for the two cores, so its ratio is the robust
/// one on a shared machine. Linux only (`/proc/self/stat` fields 16 and 17,
/// `cutime` and `cstime`, in clock ticks); `None` elsewhere.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    parse_children_cpu_ticks(&stat).map(|ticks| ticks as f64 / clock_ticks_per_second())
}

/// `cutime + cstime` from a `/proc/<pid>/stat` line. The command name (field
/// 2) is in parentheses and may hold spaces, so fields are counted after
/// the last `)`: field 3 is the first one there.
fn parse_children_cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let cutime: u64 = fields.get(16 - 3)?.parse().ok()?;
    let cstime: u64 = fields.get(17 - 3)?.parse().ok()?;
    Some(cutime + cstime)
}

/// `getconf CLK_TCK` (USER_HZ, the unit of `/proc` times): 100 on Linux
/// unless the system says otherwise.
fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|ticks: &f64| *ticks > 0.0)
        .unwrap_or(100.0)
}

/// The distinct packages `cargo tree --prefix none` lists, without the
/// consumer itself: `name version`.
fn dependencies(tree: &str) -> Vec<String> {
    let mut packages: Vec<String> = tree
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with("consumer-"))
        .map(|line| line.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    packages.sort();
    packages.dedup();
    packages
}

/// The 1-minute load average, to report how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|line| line.split(' ').next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn report(rows: &[Row], profile: &str, jobs: usize) {
    let runs = rows.first().map_or(0, |row| row.cold.len());
    println!(
        "\none-call consumer, `cargo build` ({profile} profile, -j {jobs}), median of {runs} run(s)"
    );
    println!(
        "{:<15} {:>11} {:>10} {:>14} {:>13} {:>13}",
        "consumer", "cold wall s", "cold CPU s", "rebuild wall s", "rebuild CPU s", "dependencies"
    );
    let cpu = |timing: &Timing| {
        timing
            .cpu
            .map_or("n/a".to_string(), |cpu| format!("{cpu:.1}"))
    };
    for row in rows {
        let (cold, rebuild) = (median(&row.cold), median(&row.rebuild));
        println!(
            "{:<15} {:>11.1} {:>10} {:>14.2} {:>13} {:>13}",
            row.name,
            cold.wall,
            cpu(&cold),
            rebuild.wall,
            cpu(&rebuild),
            row.dependencies.len()
        );
    }
    let [pre, mac] = rows else {
        return;
    };
    let ratio = |of: fn(&Row) -> &[Timing]| {
        let (a, b) = (median(of(mac)), median(of(pre)));
        let cpu = match (a.cpu, b.cpu) {
            (Some(a), Some(b)) => format!("{:.2}", a / b),
            _ => "n/a".into(),
        };
        format!("{:.2} wall, {cpu} CPU", a.wall / b.wall)
    };
    println!("ratios generate_api! / pre-generated:");
    println!("  cold build:         {}", ratio(|row| &row.cold));
    println!("  rebuild after edit: {}", ratio(|row| &row.rebuild));
    println!(
        "  dependencies:       {:.2} ({} / {})",
        mac.dependencies.len() as f64 / pre.dependencies.len() as f64,
        mac.dependencies.len(),
        pre.dependencies.len()
    );
    let names = |row: &Row| -> Vec<String> {
        row.dependencies
            .iter()
            .map(|package| package.split(' ').next().unwrap_or_default().to_string())
            .collect()
    };
    let pre_names = names(pre);
    let only_macro: Vec<String> = names(mac)
        .into_iter()
        .filter(|name| !pre_names.contains(name))
        .collect();
    println!(
        "packages only the generate_api! consumer builds ({}): {}",
        only_macro.len(),
        only_macro.join(", ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_distinct_packages_without_the_consumer() {
        let tree = "consumer-macro v0.0.0 (/tmp/x)\nserde v1.0.228\nserde_derive v1.0.228 (proc-macro)\nserde v1.0.228\nsyn v2.0.1\nsyn v2.0.1 (*)\n\n";
        assert_eq!(
            dependencies(tree),
            ["serde v1.0.228", "serde_derive v1.0.228", "syn v2.0.1"]
        );
    }

    #[test]
    fn children_cpu_ticks_are_fields_16_and_17_even_with_spaces_in_the_name() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
        // majflt cmajflt utime stime cutime cstime priority …
        let stat = "4242 (cargo (x) y) S 1 4242 4242 0 -1 4194304 10 20 0 0 7 3 1500 250 20 0 1 0";
        assert_eq!(parse_children_cpu_ticks(stat), Some(1750));
        assert_eq!(parse_children_cpu_ticks("4242 (cargo) S 1 2"), None);
    }

    #[test]
    fn both_consumers_make_the_same_call() {
        let root = crate::paths::workspace_root();
        let consumers = consumers(&root);
        assert_eq!(consumers.len(), 2);
        for consumer in &consumers {
            assert!(consumer.main.contains(CALL), "{}", consumer.name);
            assert!(consumer.main.contains("{MESSAGE}"), "{}", consumer.name);
        }
        assert!(
            consumers[1]
                .main
                .contains(&*root.join("spec/openapi.yaml").to_string_lossy())
        );
    }
}
