//! `cargo xtask bench-build`: what the pre-generated crate costs its users'
//! builds, against the physical limit and against the macro.
//!
//! Five tiny consumers make the same `update_pack` call:
//!
//! - **raw reqwest**: written by hand with reqwest + serde_json only, the
//!   least any Rust client of this API compiles (the physical limit);
//! - **raw typed**: written by hand with serde-derived request and reply
//!   structs, as a careful user who wants typed values would;
//! - **raw + runtime**: the typed code, also depending on progenitor-client
//!   (the runtime the generated code calls, with the reqwest features its
//!   manifest requires);
//! - **pre-generated**: depends on the checked-in `genviral-partner` crate
//!   as `cargo package` would publish it (unpacked once per run, so every
//!   build compiles the same snapshot);
//! - **`generate_api!`**: runs `progenitor::generate_api!` on the same spec
//!   at build time.
//!
//! The first four are steps that split the pre-generated crate's cost over raw
//! reqwest into serde's derive, progenitor-client and the crate itself
//! ([`STEPS`]).
//!
//! The five are built once per TLS backend of `genviral-partner`
//! ([`BACKENDS`]; native-tls only where pkg-config finds OpenSSL), all
//! with the same backend: the crate's feature, and for the others the
//! reqwest features and crates that feature turns on, read from `cargo
//! metadata` so they cannot drift from `generated-client/Cargo.toml`
//! (progenitor's version too).
//!
//! With `--baseline REV` one more consumer depends on `genviral-partner` as
//! the repository held it at that git revision (`git archive`, path
//! dependency, its own default features): the default backend's cold build
//! is then also compared with that revision's, in the same run.
//! `--backend FEATURE` limits the run to some backends.
//!
//! Each consumer is built cold, in its own empty target folder, with the
//! same `-j`; sources are fetched first and not timed (the cargo registry
//! cache is shared and warm, so no build downloads anything). Then
//! `src/main.rs` is edited (one string changes) and the build timed again:
//! what every edit of the consumer costs. The pre-generated consumer is
//! then built once more after `cargo clean -p genviral-partner`: the
//! crate's own compile time (plus the consumer's rebuild). Each build is
//! timed in wall-clock seconds and in CPU seconds (user + system of cargo
//! and everything it runs): on a shared 2-core machine other processes
//! stretch the wall time of one build much more than its CPU time, so the
//! CPU ratio is the steadier one, though a shared host moves it too (one
//! run at load 4–6 scattered by ±20 %). With `--runs N` every consumer is
//! built N times, alternating the order, and medians are reported. Also
//! reports the dependency counts (`cargo tree -e normal,build`: proc-macros
//! and build-script dependencies included, since they are compiled too)
//! and the generated file's length.
//!
//! Not part of CI: it takes many minutes and measures the machine as much
//! as the code. Results and method: BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde_json::Value;

mod units;
use units::UnitSeconds;

/// The operation every consumer calls; its builder method has the same name.
const OPERATION: &str = "update_pack";

/// The call the two consumers of the generated API make, written against
/// the builder interface both get (`interface = Builder, tags = Merged` is
/// what the checked-in crate is generated with).
const CALL: &str = r#"
    let pack = client
        .update_pack()
        .pack_id(uuid::Uuid::nil())
        .body(types::UpdatePackRequest::builder().is_public(true))
        .send()
        .await;
    println!("{MESSAGE}: {}", pack.is_ok());
"#;

/// The same call written with reqwest and serde_json only; `{URL}` is the
/// operation's URL with the nil UUID as the pack id.
const RAW_CALL: &str = r#"
    let pack = reqwest::Client::new()
        .patch("{URL}")
        .bearer_auth("gva_x.y")
        .json(&serde_json::json!({ "is_public": true }))
        .send()
        .await;
    let pack = match pack {
        Ok(response) => response.json::<serde_json::Value>().await,
        Err(error) => Err(error),
    };
    println!("{MESSAGE}: {}", pack.is_ok());
"#;

/// The same call written by hand with typed bodies: the structs a careful
/// user declares for this call (serde derives), reqwest and serde_json.
/// Items first, then the body of `main`.
const RAW_TYPED_ITEMS: &str = r#"#[derive(serde::Serialize)]
struct UpdatePack {
    is_public: bool,
}

#[derive(serde::Deserialize)]
struct Envelope {
    ok: bool,
    code: u16,
    message: String,
    data: Pack,
}

#[derive(serde::Deserialize)]
struct Pack {
    id: String,
    name: String,
    image_count: u64,
    is_public: bool,
    created_at: String,
}

"#;

/// The body of `main` of the typed raw consumer; `{URL}` as in [`RAW_CALL`].
const RAW_TYPED_CALL: &str = r#"
    let pack = reqwest::Client::new()
        .patch("{URL}")
        .bearer_auth("gva_x.y")
        .json(&UpdatePack { is_public: true })
        .send()
        .await;
    let pack = match pack {
        Ok(response) => response.json::<Envelope>().await,
        Err(error) => Err(error),
    };
    if let Ok(Envelope { ok, code, message, data }) = &pack {
        let Pack { id, name, image_count, is_public, created_at } = data;
        println!("{ok} {code} {message} {id} {name} {image_count} {is_public} {created_at}");
    }
    println!("{MESSAGE}: {}", pack.is_ok());
"#;

/// A TLS backend of `genviral-partner`, as the consumers use it.
struct Backend {
    /// Its `genviral-partner` feature.
    feature: &'static str,
    /// Statements a consumer that builds its own reqwest client runs first:
    /// what `genviral-partner` does for it in `tls::prepare`.
    setup: &'static str,
    /// The pkg-config package it needs on Linux, if any.
    system_library: Option<&'static str>,
}

/// The backends measured, the default's baseline among them.
const BACKENDS: [Backend; 3] = [
    Backend {
        feature: "rustls-ring",
        setup: "    let _ = rustls::crypto::ring::default_provider().install_default();\n",
        system_library: None,
    },
    Backend {
        feature: PREVIOUS_DEFAULT,
        setup: "",
        system_library: None,
    },
    Backend {
        feature: "native-tls",
        setup: "",
        system_library: Some("openssl"),
    },
];

/// `genviral-partner`'s default backend before `rustls-ring` (reqwest's own
/// default): the baseline of the default backend's target.
const PREVIOUS_DEFAULT: &str = "rustls-aws-lc";

/// The issue's target for the pre-generated consumer's cold CPU time, as a
/// multiple of the raw-reqwest consumer's with the same backend.
const TARGET_VS_RAW: f64 = 1.15;

/// The issue's target for the default backend's cold CPU time (pre-generated
/// consumer), as a multiple of [`PREVIOUS_DEFAULT`]'s.
const TARGET_VS_PREVIOUS_DEFAULT: f64 = 0.70;

/// How a consumer makes the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    RawReqwest,
    /// The call written by hand with typed (serde-derived) bodies.
    RawTyped,
    /// The typed raw consumer that also depends on progenitor-client: the
    /// runtime every progenitor-generated client needs, with the reqwest
    /// features its manifest requires.
    RawWithRuntime,
    PreGenerated,
    Macro,
    /// The pre-generated consumer of `genviral-partner` as it was at the
    /// `--baseline` revision, with that revision's default features.
    Baseline,
}

impl Kind {
    /// The consumers built for each backend.
    const PER_BACKEND: [Kind; 5] = [
        Kind::RawReqwest,
        Kind::RawTyped,
        Kind::RawWithRuntime,
        Kind::PreGenerated,
        Kind::Macro,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::RawReqwest => "raw reqwest",
            Kind::RawTyped => "raw typed",
            Kind::RawWithRuntime => "raw + runtime",
            Kind::PreGenerated => "pre-generated",
            Kind::Macro => "generate_api!",
            Kind::Baseline => "baseline rev",
        }
    }

    /// The consumer's package name (`cargo tree` lines starting with
    /// `consumer-` are the consumer itself).
    fn package(self) -> &'static str {
        match self {
            Kind::RawReqwest => "consumer-raw",
            Kind::RawTyped => "consumer-raw-typed",
            Kind::RawWithRuntime => "consumer-raw-runtime",
            Kind::PreGenerated => "consumer-pregenerated",
            Kind::Macro => "consumer-macro",
            Kind::Baseline => "consumer-baseline",
        }
    }
}

/// What a backend feature of `genviral-partner` turns on, from `cargo
/// metadata`: reqwest features, and optional crates as `Cargo.toml` lines.
#[derive(Debug, Default, PartialEq)]
struct TlsDependencies {
    reqwest_features: Vec<String>,
    crates: Vec<String>,
}

/// What the consumers are written from.
struct Inputs {
    /// The unpacked snapshot of `genviral-partner` ([`snapshot_client`]).
    client: PathBuf,
    /// The spec `generate_api!` reads.
    spec: PathBuf,
    /// The spec's server URL.
    base_url: String,
    /// The [`OPERATION`]'s URL with the nil UUID in its path parameters.
    url: String,
    /// `genviral-partner`'s reqwest version requirement.
    reqwest: String,
    /// `genviral-partner`'s progenitor-client version requirement (the
    /// macro consumer's progenitor takes the same).
    progenitor: String,
}

/// One consumer crate.
struct Consumer {
    kind: Kind,
    backend: &'static str,
    manifest: String,
    /// `src/main.rs`; `{MESSAGE}` is replaced by a string that the
    /// rebuild measurement changes.
    main: String,
}

/// Whether a build writes cargo's `--timings` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitReport {
    Write,
    Skip,
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
    kind: Kind,
    backend: &'static str,
    cold: Vec<Timing>,
    rebuild: Vec<Timing>,
    /// Pre-generated only: rebuilt after `cargo clean -p genviral-partner`.
    client_rebuild: Vec<Timing>,
    /// Per cold build: seconds of each package's compile units (cargo
    /// `--timings`: the build script, its run and the crate).
    cold_units: Vec<UnitSeconds>,
    dependencies: Vec<String>,
}

/// `cargo xtask bench-build`: how to build the consumers.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Parallel jobs for both builds.
    #[arg(long, short = 'j', default_value_t = 2)]
    pub jobs: usize,
    /// Build with `--release` instead of the dev profile.
    #[arg(long)]
    pub release: bool,
    /// Cold builds per consumer (the order alternates); medians are reported.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub runs: u16,
    /// Only this TLS backend feature (repeatable; default: every backend
    /// this machine can build).
    #[arg(long = "backend", value_name = "FEATURE", value_parser = backend_feature)]
    pub backends: Vec<&'static str>,
    /// Also build the pre-generated consumer against `genviral-partner` as
    /// it was at this git revision, with its default features, and compare
    /// the default backend's cold build with it (`git archive`).
    #[arg(long, value_name = "REV")]
    pub baseline: Option<String>,
}

/// A `--backend` value: one of [`BACKENDS`].
fn backend_feature(value: &str) -> Result<&'static str, String> {
    BACKENDS
        .iter()
        .map(|backend| backend.feature)
        .find(|feature| *feature == value)
        .ok_or_else(|| {
            let known: Vec<&str> = BACKENDS.iter().map(|backend| backend.feature).collect();
            format!("not a measured backend; one of: {}", known.join(", "))
        })
}

/// Builds every consumer cold, then after an edit, `runs` times (the order
/// alternates between runs), and prints the comparison.
pub fn run(args: Args) -> anyhow::Result<()> {
    let Args {
        jobs,
        release,
        runs,
        backends,
        baseline,
    } = args;
    let runs = usize::from(runs);
    let root = &crate::paths::workspace_root();
    let work = tempfile::Builder::new()
        .prefix("bench-build-")
        .tempdir()
        .context("creating a work folder")?;
    let cargo = Cargo::new(jobs, release);
    let package = client_package(&cargo.program, root)?;
    let client = snapshot_client(&cargo, root, work.path(), &package)?;
    let inputs = Inputs::new(&package, client)?;
    let mut consumers = Vec::new();
    for backend in buildable_backends()
        .into_iter()
        .filter(|backend| backends.is_empty() || backends.contains(&backend.feature))
    {
        let tls = tls_dependencies(&package, backend.feature)?;
        consumers.extend(consumers_for(&inputs, backend, &tls));
    }
    let baseline = match &baseline {
        Some(revision) => {
            let (revision, client) = archive_client(root, revision, work.path())?;
            consumers.push(baseline_consumer(&client));
            Some(revision)
        }
        None => None,
    };
    let dirs: Vec<PathBuf> = (0..consumers.len())
        .map(|index| work.path().join(format!("consumer-{index}")))
        .collect();
    let mut rows = Vec::new();
    for (consumer, dir) in consumers.iter().zip(&dirs) {
        rows.push(set_up(&cargo, consumer, dir)?);
    }
    for run in 0..runs {
        let mut order: Vec<usize> = (0..consumers.len()).collect();
        if run % 2 == 1 {
            order.reverse();
        }
        for index in order {
            let label = format!("run {}/{runs}", run + 1);
            measure(
                &cargo,
                &consumers[index],
                &dirs[index],
                &label,
                &mut rows[index],
            )?;
        }
    }
    let default = default_backend(&package);
    report(&rows, &cargo, default.as_deref(), baseline.as_deref());
    let generated = Path::new(crate::paths::CLIENT_SRC).join(codegen::GENERATED_FILE);
    println!(
        "\n{}: {} lines",
        generated.display(),
        lines(&root.join(&generated))?
    );
    Ok(())
}

/// The backends this machine can build; says which it skips and why.
fn buildable_backends() -> Vec<&'static Backend> {
    BACKENDS
        .iter()
        .filter(|backend| {
            let Some(library) = backend.system_library else {
                return true;
            };
            let found = !cfg!(target_os = "linux")
                || Command::new("pkg-config")
                    .args(["--exists", library])
                    .status()
                    .is_ok_and(|status| status.success());
            if !found {
                println!(
                    "skipping {}: pkg-config finds no {library} (Debian/Ubuntu: apt-get install -y libssl-dev pkg-config)",
                    backend.feature
                );
            }
            found
        })
        .collect()
}

/// Runs cargo for the consumers.
struct Cargo {
    program: PathBuf,
    jobs: usize,
    release: bool,
}

impl Cargo {
    fn new(jobs: usize, release: bool) -> Self {
        Cargo {
            program: PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())),
            jobs,
            release,
        }
    }

    fn profile(&self) -> &'static str {
        if self.release { "release" } else { "dev" }
    }

    /// `cargo args…` in the consumer folder `dir`, with its own target
    /// folder and the consumer's own settings, not this workspace's.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_INCREMENTAL")
            .env_remove("CARGO_BUILD_JOBS");
        command
    }

    /// Runs `cargo args…` in `dir`; fails with its output when it fails.
    fn quiet(&self, dir: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
        let output = self
            .command(dir, args)
            .output()
            .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
        if !output.status.success() {
            bail!(
                "cargo {} failed in {}: {}",
                args.join(" "),
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(output.stdout)
    }

    /// One timed `cargo build` of the consumer in `dir`; with
    /// [`UnitReport::Write`], cargo also writes its `--timings` report.
    fn timed_build(&self, dir: &Path, what: &str, units: UnitReport) -> anyhow::Result<Timing> {
        let jobs = self.jobs.to_string();
        let mut args = vec!["build", "--quiet", "--offline", "-j", jobs.as_str()];
        if self.release {
            args.push("--release");
        }
        if units == UnitReport::Write {
            args.push("--timings");
        }
        println!(
            "{what} `cargo build` ({}, -j {}), load average {} …",
            self.profile(),
            self.jobs,
            load_average()
        );
        let cpu_before = children_cpu_seconds();
        let start = Instant::now();
        let status = self
            .command(dir, &args)
            .status()
            .context("cannot run cargo build")?;
        let wall = start.elapsed().as_secs_f64();
        let cpu = children_cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        if !status.success() {
            bail!("{what}: the consumer does not build ({status})");
        }
        let timing = Timing { wall, cpu };
        println!("  {}", timing.display());
        Ok(timing)
    }
}

/// Writes the consumer into `dir`, fetches its sources (untimed) and lists
/// its dependencies.
fn set_up(cargo: &Cargo, consumer: &Consumer, dir: &Path) -> anyhow::Result<Row> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), &consumer.manifest)?;
    write_main(consumer, dir, "first")?;
    cargo.quiet(dir, &["fetch", "--quiet"])?;
    let tree = cargo.quiet(
        dir,
        &[
            "tree",
            "--offline",
            "--prefix",
            "none",
            "-e",
            "normal,build",
        ],
    )?;
    Ok(Row {
        kind: consumer.kind,
        backend: consumer.backend,
        cold: Vec::new(),
        rebuild: Vec::new(),
        client_rebuild: Vec::new(),
        cold_units: Vec::new(),
        dependencies: dependencies(&String::from_utf8_lossy(&tree)),
    })
}

/// One run of one consumer: cold, after an edit, and (pre-generated) after
/// cleaning `genviral-partner`.
fn measure(
    cargo: &Cargo,
    consumer: &Consumer,
    dir: &Path,
    run: &str,
    row: &mut Row,
) -> anyhow::Result<()> {
    let name = format!("{run}, {} ({})", consumer.kind.name(), consumer.backend);
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).context("removing the consumer's target")?;
    }
    write_main(consumer, dir, "first")?;
    row.cold
        .push(cargo.timed_build(dir, &format!("{name}: cold"), UnitReport::Write)?);
    row.cold_units.push(units::read(&target)?);
    write_main(consumer, dir, "edited")?;
    row.rebuild.push(cargo.timed_build(
        dir,
        &format!("{name}: after editing src/main.rs,"),
        UnitReport::Skip,
    )?);
    if consumer.kind == Kind::PreGenerated {
        cargo.quiet(dir, &["clean", "--offline", "-p", "genviral-partner"])?;
        row.client_rebuild.push(cargo.timed_build(
            dir,
            &format!("{name}: after `cargo clean -p genviral-partner`,"),
            UnitReport::Skip,
        )?);
    }
    Ok(())
}

impl Inputs {
    fn new(package: &Value, client: PathBuf) -> anyhow::Result<Self> {
        let spec_path = spec::path().to_path_buf();
        let spec = spec::load(&spec_path)?;
        let base_url = spec
            .base_url()
            .context("the spec has no server URL")?
            .to_string();
        let operation = spec
            .operation(OPERATION)
            .with_context(|| format!("the spec has no operation {OPERATION}"))?;
        let mut path = operation.path.to_string();
        for parameter in operation.path_parameters() {
            path = path.replace(
                &format!("{{{}}}", parameter.name),
                "00000000-0000-0000-0000-000000000000",
            );
        }
        Ok(Inputs {
            client,
            spec: spec_path,
            url: format!("{base_url}{path}"),
            base_url,
            reqwest: requirement(package, "reqwest")?,
            progenitor: requirement(package, "progenitor-client")?,
        })
    }
}

/// The consumers of one backend ([`Kind::PER_BACKEND`]), raw reqwest first.
fn consumers_for(inputs: &Inputs, backend: &Backend, tls: &TlsDependencies) -> Vec<Consumer> {
    Kind::PER_BACKEND
        .into_iter()
        .map(|kind| Consumer {
            kind,
            backend: backend.feature,
            manifest: manifest(kind, inputs, backend, tls),
            main: main_rs(kind, inputs, backend),
        })
        .collect()
}

/// The name [`Row::backend`] gives the baseline consumer: whatever its
/// revision's default features pick.
const BASELINE_BACKEND: &str = "its default";

/// The pre-generated consumer of the crate unpacked at `client`, with its
/// default features.
fn baseline_consumer(client: &Path) -> Consumer {
    Consumer {
        kind: Kind::Baseline,
        backend: BASELINE_BACKEND,
        manifest: manifest_text(
            Kind::Baseline,
            &[
                format!("genviral-partner = {{ path = \"{}\" }}", client.display()),
                TOKIO.to_string(),
                r#"uuid = "1""#.to_string(),
            ],
        ),
        main: pre_generated_main(),
    }
}

/// The repository at `revision` (`git archive`), unpacked into `work`: the
/// short commit id and the folder of its `genviral-partner` crate. The
/// crate is used from its workspace (path dependency), as the repository
/// held it.
fn archive_client(root: &Path, revision: &str, work: &Path) -> anyhow::Result<(String, PathBuf)> {
    let git = |args: &[&str]| -> anyhow::Result<Vec<u8>> {
        let output = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .context("cannot run git")?;
        if !output.status.success() {
            bail!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    };
    let commit = String::from_utf8(git(&[
        "rev-parse",
        "--short",
        &format!("{revision}^{{commit}}"),
    ])?)
    .context("git rev-parse's output")?
    .trim()
    .to_string();
    let folder = work.join(format!("baseline-{commit}"));
    std::fs::create_dir_all(&folder)?;
    let tar = work.join("baseline.tar");
    git(&[
        "archive",
        "--format=tar",
        "-o",
        &tar.to_string_lossy(),
        &commit,
    ])?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(&folder)
        .status()
        .context("cannot run tar")?;
    if !status.success() {
        bail!("cannot unpack {} ({status})", tar.display());
    }
    let crate_dir = Path::new(crate::paths::CLIENT_SRC)
        .parent()
        .context("the client's source folder is inside its crate")?;
    let client = folder.join(crate_dir);
    if !client.join("Cargo.toml").is_file() {
        bail!(
            "{revision} ({commit}) has no {}/Cargo.toml",
            crate_dir.display()
        );
    }
    Ok((commit, client))
}

/// The serde line of the consumers that derive.
const SERDE: &str = r#"serde = { version = "1", features = ["derive"] }"#;

/// The serde_json line of the consumers that name it.
const SERDE_JSON: &str = r#"serde_json = "1""#;

/// The tokio line of every consumer's manifest.
const TOKIO: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;

/// The consumer's `Cargo.toml`.
fn manifest(kind: Kind, inputs: &Inputs, backend: &Backend, tls: &TlsDependencies) -> String {
    let tokio = TOKIO.to_string();
    let progenitor_client = format!("progenitor-client = \"{}\"", inputs.progenitor);
    let reqwest = |features: &[&str]| {
        let features: Vec<&str> = features
            .iter()
            .copied()
            .chain(tls.reqwest_features.iter().map(String::as_str))
            .collect();
        format!(
            "reqwest = {{ version = \"{}\", default-features = false, features = {} }}",
            inputs.reqwest,
            toml_list(&features)
        )
    };
    let mut dependencies = match kind {
        Kind::RawReqwest => vec![reqwest(&["json"]), SERDE_JSON.into(), tokio],
        // Each step adds one line to the one before it.
        Kind::RawTyped | Kind::RawWithRuntime => {
            let mut lines = vec![reqwest(&["json"]), SERDE.into(), SERDE_JSON.into(), tokio];
            if kind == Kind::RawWithRuntime {
                lines.push(progenitor_client);
            }
            lines
        }
        Kind::PreGenerated => vec![
            format!(
                "genviral-partner = {{ path = \"{}\", default-features = false, features = {} }}",
                inputs.client.display(),
                toml_list(&[backend.feature])
            ),
            tokio,
            r#"uuid = "1""#.into(),
        ],
        // What the code `generate_api!` expands to needs: the crates it
        // names (progenitor-client, reqwest, serde, serde_json, chrono for
        // date-times, uuid for `format: uuid`).
        Kind::Baseline => unreachable!("the baseline consumer is written by baseline_consumer"),
        Kind::Macro => vec![
            r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#
                .into(),
            format!("progenitor = \"{}\"", inputs.progenitor),
            progenitor_client,
            reqwest(&["json", "query", "stream"]),
            SERDE.into(),
            SERDE_JSON.into(),
            tokio,
            r#"uuid = { version = "1", features = ["serde"] }"#.into(),
        ],
    };
    if kind != Kind::PreGenerated {
        dependencies.extend(tls.crates.iter().cloned());
    }
    manifest_text(kind, &dependencies)
}

/// A consumer's `Cargo.toml` with these dependency lines.
fn manifest_text(kind: Kind, dependencies: &[String]) -> String {
    format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}\n",
        kind.package(),
        dependencies.join("\n")
    )
}

/// The consumer's `src/main.rs`, with `{MESSAGE}` left in.
fn main_rs(kind: Kind, inputs: &Inputs, backend: &Backend) -> String {
    let setup = backend.setup;
    match kind {
        Kind::RawReqwest => format!(
            "#[tokio::main]\nasync fn main() {{\n{setup}{}}}\n",
            RAW_CALL.replace("{URL}", &inputs.url)
        ),
        Kind::RawTyped | Kind::RawWithRuntime => format!(
            "{RAW_TYPED_ITEMS}#[tokio::main]\nasync fn main() {{\n{setup}{}}}\n",
            RAW_TYPED_CALL.replace("{URL}", &inputs.url)
        ),
        Kind::PreGenerated | Kind::Baseline => pre_generated_main(),
        Kind::Macro => format!(
            r#"progenitor::generate_api!(spec = "{}", interface = Builder, tags = Merged);

#[tokio::main]
async fn main() {{
{setup}    let client = Client::new("{}");
{CALL}}}
"#,
            inputs.spec.display(),
            inputs.base_url
        ),
    }
}

/// The `src/main.rs` of a consumer of `genviral-partner`.
fn pre_generated_main() -> String {
    format!(
        r#"use genviral_partner::{{Client, types}};

#[tokio::main]
async fn main() {{
    let client = Client::with_token("gva_x.y").unwrap();
{CALL}}}
"#
    )
}

/// `["a", "b"]`.
fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `genviral-partner` as `cargo metadata --no-deps` describes it.
fn client_package(cargo: &Path, root: &Path) -> anyhow::Result<Value> {
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata's output")?;
    metadata["packages"]
        .as_array()
        .and_then(|packages| {
            packages
                .iter()
                .find(|package| package["name"] == "genviral-partner")
        })
        .cloned()
        .context("cargo metadata lists no genviral-partner package")
}

/// Packs `genviral-partner` as `cargo package` would publish it and unpacks
/// it into `work`: every build of the run compiles the same snapshot even
/// if the working tree changes meanwhile, with the manifest users get
/// (workspace settings resolved). Returns the unpacked folder.
fn snapshot_client(
    cargo: &Cargo,
    root: &Path,
    work: &Path,
    package: &Value,
) -> anyhow::Result<PathBuf> {
    let packages = work.join("package");
    let status = Command::new(&cargo.program)
        .args([
            "package",
            "-p",
            "genviral-partner",
            "--no-verify",
            "--allow-dirty",
        ])
        .args(["--offline", "--quiet", "--target-dir"])
        .arg(&packages)
        .current_dir(root)
        .status()
        .context("cannot run cargo package")?;
    if !status.success() {
        bail!("cargo package -p genviral-partner failed ({status})");
    }
    let name = format!(
        "genviral-partner-{}",
        package["version"]
            .as_str()
            .context("cargo metadata gives no version for genviral-partner")?
    );
    let archive = packages.join("package").join(format!("{name}.crate"));
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(work)
        .status()
        .context("cannot run tar")?;
    if !status.success() {
        bail!("cannot unpack {} ({status})", archive.display());
    }
    Ok(work.join(name))
}

/// The reqwest features and optional crates the feature turns on, through
/// the features it enables (`rustls` → `rustls-aws-lc` → `reqwest/rustls`).
fn tls_dependencies(package: &Value, feature: &str) -> anyhow::Result<TlsDependencies> {
    let mut found = TlsDependencies::default();
    let mut pending = vec![feature.to_string()];
    let mut seen = Vec::new();
    while let Some(feature) = pending.pop() {
        if seen.contains(&feature) {
            continue;
        }
        let entries = package["features"][&feature]
            .as_array()
            .with_context(|| format!("genviral-partner has no feature `{feature}`"))?;
        for entry in entries.iter().filter_map(Value::as_str) {
            if let Some(name) = entry.strip_prefix("dep:") {
                found.crates.push(dependency_line(package, name)?);
            } else if let Some((name, enabled)) = entry.split_once('/') {
                if name.trim_end_matches('?') != "reqwest" {
                    bail!(
                        "feature `{feature}` sets `{entry}`: only reqwest's features are carried over to the other consumers"
                    );
                }
                found.reqwest_features.push(enabled.to_string());
            } else {
                pending.push(entry.to_string());
            }
        }
        seen.push(feature);
    }
    Ok(found)
}

/// The normal dependency `name` of the package.
fn dependency<'a>(package: &'a Value, name: &str) -> anyhow::Result<&'a Value> {
    package["dependencies"]
        .as_array()
        .and_then(|dependencies| {
            dependencies
                .iter()
                .find(|dependency| dependency["name"] == name && dependency["kind"].is_null())
        })
        .with_context(|| format!("genviral-partner has no dependency {name}"))
}

/// The version requirement of the dependency `name`.
fn requirement(package: &Value, name: &str) -> anyhow::Result<String> {
    dependency(package, name)?["req"]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("no version requirement for {name}"))
}

/// The dependency `name` as a `Cargo.toml` line: version, default features
/// and features as the package has them.
fn dependency_line(package: &Value, name: &str) -> anyhow::Result<String> {
    let dependency = dependency(package, name)?;
    let features: Vec<&str> = dependency["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    Ok(format!(
        "{name} = {{ version = \"{}\", default-features = {}, features = {} }}",
        requirement(package, name)?,
        dependency["uses_default_features"]
            .as_bool()
            .unwrap_or(true),
        toml_list(&features)
    ))
}

/// The measured backend among `genviral-partner`'s default features.
fn default_backend(package: &Value) -> Option<String> {
    let defaults = package["features"]["default"].as_array()?;
    BACKENDS
        .iter()
        .find(|backend| defaults.iter().any(|feature| feature == backend.feature))
        .map(|backend| backend.feature.to_string())
}

/// The number of lines of a file.
fn lines(path: &Path) -> anyhow::Result<usize> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text.lines().count())
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
    let cpu: Option<Vec<f64>> = timings.iter().map(|timing| timing.cpu).collect();
    Timing {
        wall: units::median_of(&timings.iter().map(|timing| timing.wall).collect::<Vec<_>>()),
        cpu: cpu.map(|cpu| units::median_of(&cpu)),
    }
}

/// User + system CPU seconds of this process's finished (waited-for)
/// children and their own waited-for descendants: cargo, every rustc, build
/// script and linker it ran. It changes much less than wall time when
/// other processes compete for the two cores. Linux only (`/proc/self/stat` fields 16 and 17,
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

/// `a / b` of wall and of CPU times.
fn ratio(a: Timing, b: Timing) -> Timing {
    Timing {
        wall: a.wall / b.wall,
        cpu: a.cpu.zip(b.cpu).map(|(a, b)| a / b),
    }
}

/// A CPU figure with `decimals`, or `n/a`.
fn cpu_text(timing: Timing, decimals: usize) -> String {
    timing
        .cpu
        .map_or("n/a".to_string(), |cpu| format!("{cpu:.decimals$}"))
}

/// A measured ratio, and whether it is within its target if it has one.
fn verdict(ratio: Option<f64>, target: Option<f64>) -> String {
    match (ratio, target) {
        (Some(ratio), Some(target)) if ratio <= target => {
            format!("{ratio:.2} (target ≤ {target:.2}: met)")
        }
        (Some(ratio), Some(target)) => format!("{ratio:.2} (target ≤ {target:.2}: NOT met)"),
        (Some(ratio), None) => format!("{ratio:.2}"),
        (None, _) => "n/a".into(),
    }
}

fn report(rows: &[Row], cargo: &Cargo, default: Option<&str>, baseline: Option<&str>) {
    let runs = rows.first().map_or(0, |row| row.cold.len());
    println!(
        "\none-call consumer, `cargo build` ({} profile, -j {}), median of {runs} run(s)",
        cargo.profile(),
        cargo.jobs
    );
    print_times(rows);
    print_ratios(rows);
    let comparisons = comparisons(rows, default, baseline);
    print_comparisons(&comparisons, default);
    print_client_compile(rows);
    print_compile_units(rows, &comparisons);
    print_package_differences(rows, default);
}

fn print_times(rows: &[Row]) {
    println!(
        "{:<14} {:<14} {:>11} {:>10} {:>14} {:>13} {:>8}",
        "backend",
        "consumer",
        "cold wall s",
        "cold CPU s",
        "rebuild wall s",
        "rebuild CPU s",
        "packages"
    );
    for row in rows {
        let (cold, rebuild) = (median(&row.cold), median(&row.rebuild));
        println!(
            "{:<14} {:<14} {:>11.1} {:>10} {:>14.2} {:>13} {:>8}",
            row.backend,
            row.kind.name(),
            cold.wall,
            cpu_text(cold, 1),
            rebuild.wall,
            cpu_text(rebuild, 2),
            row.dependencies.len()
        );
    }
}

/// The row of `kind` with `backend`.
fn find<'a>(rows: &'a [Row], backend: &str, kind: Kind) -> Option<&'a Row> {
    rows.iter()
        .find(|row| row.backend == backend && row.kind == kind)
}

fn print_ratios(rows: &[Row]) {
    println!("\nratios against the raw-reqwest consumer with the same backend:");
    println!(
        "{:<14} {:<14} {:>9} {:>8} {:>12} {:>11} {:>8}",
        "backend", "consumer", "cold wall", "cold CPU", "rebuild wall", "rebuild CPU", "packages"
    );
    for row in rows.iter().filter(|row| row.kind != Kind::RawReqwest) {
        let Some(raw) = find(rows, row.backend, Kind::RawReqwest) else {
            continue;
        };
        let cold = ratio(median(&row.cold), median(&raw.cold));
        let rebuild = ratio(median(&row.rebuild), median(&raw.rebuild));
        println!(
            "{:<14} {:<14} {:>9.2} {:>8} {:>12.2} {:>11} {:>8.2}",
            row.backend,
            row.kind.name(),
            cold.wall,
            cpu_text(cold, 2),
            rebuild.wall,
            cpu_text(rebuild, 2),
            row.dependencies.len() as f64 / raw.dependencies.len() as f64
        );
    }
}

/// Two builds compared: `build` against `against`, with issue 17's
/// `target` for the ratio where it sets one.
struct Comparison<'a> {
    label: String,
    build: &'a Row,
    against: &'a Row,
    target: Option<f64>,
}

/// The pre-generated consumer's cost over raw reqwest, step by step (each
/// consumer against the one before it, and what the step adds), then the
/// pre-generated consumer against the typed hand-written one.
const STEPS: [(Kind, Kind, &str); 4] = [
    (Kind::RawTyped, Kind::RawReqwest, "serde's derive"),
    (
        Kind::RawWithRuntime,
        Kind::RawTyped,
        "progenitor-client beyond serde's derive",
    ),
    (Kind::PreGenerated, Kind::RawWithRuntime, "the crate itself"),
    (
        Kind::PreGenerated,
        Kind::RawTyped,
        "the SDK against the call hand-written with typed bodies",
    ),
];

/// The comparisons the rows can answer: each pre-generated consumer
/// against its raw-reqwest twin (a target) and the [`STEPS`] between them;
/// then the default backend's against [`PREVIOUS_DEFAULT`]'s and against
/// the `--baseline` revision's (targets).
fn comparisons<'a>(
    rows: &'a [Row],
    default: Option<&str>,
    baseline: Option<&str>,
) -> Vec<Comparison<'a>> {
    let mut comparisons = Vec::new();
    for pre in rows.iter().filter(|row| row.kind == Kind::PreGenerated) {
        let backend = pre.backend;
        if let Some(raw) = find(rows, backend, Kind::RawReqwest) {
            comparisons.push(Comparison {
                label: format!("pre-generated / raw reqwest, {backend}"),
                build: pre,
                against: raw,
                target: Some(TARGET_VS_RAW),
            });
        }
        for (build, against, adds) in STEPS {
            if let (Some(build), Some(against)) =
                (find(rows, backend, build), find(rows, backend, against))
            {
                comparisons.push(Comparison {
                    label: format!(
                        "{} / {}, {backend} ({adds})",
                        build.kind.name(),
                        against.kind.name()
                    ),
                    build,
                    against,
                    target: None,
                });
            }
        }
    }
    let Some(now) = default.and_then(|default| find(rows, default, Kind::PreGenerated)) else {
        return comparisons;
    };
    if let Some(before) =
        find(rows, PREVIOUS_DEFAULT, Kind::PreGenerated).filter(|row| !std::ptr::eq(*row, now))
    {
        comparisons.push(Comparison {
            label: format!(
                "pre-generated, default backend {} / {PREVIOUS_DEFAULT}",
                now.backend
            ),
            build: now,
            against: before,
            target: Some(TARGET_VS_PREVIOUS_DEFAULT),
        });
    }
    let baseline_row = rows.iter().find(|row| row.kind == Kind::Baseline);
    if let (Some(before), Some(revision)) = (baseline_row, baseline) {
        comparisons.push(Comparison {
            label: format!(
                "pre-generated, default backend {} / the crate at {revision} with its defaults",
                now.backend
            ),
            build: now,
            against: before,
            target: Some(TARGET_VS_PREVIOUS_DEFAULT),
        });
    }
    comparisons
}

fn print_comparisons(comparisons: &[Comparison<'_>], default: Option<&str>) {
    println!("\ntargets and their parts (cold build CPU):");
    for comparison in comparisons {
        let cpu = ratio(
            median(&comparison.build.cold),
            median(&comparison.against.cold),
        )
        .cpu;
        println!(
            "  {}: {}",
            comparison.label,
            verdict(cpu, comparison.target)
        );
    }
    if default.is_none() {
        println!("  genviral-partner's default features hold none of the measured backends");
    }
}

/// The package names of `row`'s dependency tree.
fn package_names(row: &Row) -> Vec<&str> {
    row.dependencies
        .iter()
        .map(|package| package.split(' ').next().unwrap_or_default())
        .collect()
}

/// Compile-unit seconds of the cold builds, and the comparisons' ratios
/// with the host's speed taken out (see [`units::speed_normalised_ratio`]),
/// and what each build compiles that its yardstick does not.
fn print_compile_units(rows: &[Row], comparisons: &[Comparison<'_>]) {
    println!(
        "\ncompile units of the cold builds (cargo --timings, seconds summed over units; medians):"
    );
    for row in rows {
        let totals: Vec<f64> = row.cold_units.iter().map(units::total).collect();
        println!(
            "  {:<14} {:<14} {:>6.1} s",
            row.backend,
            row.kind.name(),
            units::median_of(&totals)
        );
    }
    println!(
        "the same comparisons with the host's speed taken out (units both builds compile identically as the yardstick):"
    );
    for comparison in comparisons {
        let ratio = units::speed_normalised_ratio(
            &comparison.build.cold_units,
            &comparison.against.cold_units,
        );
        println!(
            "  {}: {}",
            comparison.label,
            verdict(ratio, comparison.target)
        );
    }
    for comparison in comparisons {
        print_units_only_in(comparison);
    }
}

/// What `comparison.build` compiles that `comparison.against` does not:
/// other packages, or the same with other features.
fn print_units_only_in(comparison: &Comparison<'_>) {
    const SHOWN: usize = 12;
    let (build, against) = (comparison.build, comparison.against);
    let extra = units::only_in(&build.cold_units, &against.cold_units);
    let sum: f64 = extra.iter().map(|(_, seconds)| seconds).sum();
    println!(
        "compiled by {} ({}) and not by {} ({}): {} units, {sum:.1} s",
        build.kind.name(),
        build.backend,
        against.kind.name(),
        against.backend,
        extra.len()
    );
    for (unit, seconds) in extra.iter().take(SHOWN) {
        println!("  {seconds:>5.2} s  {unit}");
    }
    if extra.len() > SHOWN {
        let rest: f64 = extra[SHOWN..].iter().map(|(_, seconds)| seconds).sum();
        println!("  {rest:>5.2} s  {} more", extra.len() - SHOWN);
    }
}

fn print_client_compile(rows: &[Row]) {
    println!(
        "\ngenviral-partner's own compile: the pre-generated consumer rebuilt after `cargo clean -p genviral-partner`, and that minus its rebuild after an edit:"
    );
    for row in rows.iter().filter(|row| !row.client_rebuild.is_empty()) {
        let (client, edit) = (median(&row.client_rebuild), median(&row.rebuild));
        let own = Timing {
            wall: client.wall - edit.wall,
            cpu: client.cpu.zip(edit.cpu).map(|(a, b)| a - b),
        };
        println!(
            "  {}: {} (crate alone: {})",
            row.backend,
            client.display(),
            own.display()
        );
    }
}

fn print_package_differences(rows: &[Row], default: Option<&str>) {
    let backend = default.unwrap_or(PREVIOUS_DEFAULT);
    let names = |kind: Kind| -> Vec<&str> {
        find(rows, backend, kind)
            .map(package_names)
            .unwrap_or_default()
    };
    let only = |kind: Kind, than: Kind| -> Vec<&str> {
        let others = names(than);
        names(kind)
            .into_iter()
            .filter(|name| !others.contains(name))
            .collect()
    };
    for (kind, than) in [
        (Kind::PreGenerated, Kind::RawReqwest),
        (Kind::Macro, Kind::PreGenerated),
    ] {
        let extra = only(kind, than);
        println!(
            "\npackages the {} consumer builds and the {} one does not ({backend}, {}): {}",
            kind.name(),
            than.name(),
            extra.len(),
            extra.join(", ")
        );
    }
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

    /// A package as `cargo metadata` shows it, with an alias feature.
    fn package() -> Value {
        serde_json::json!({
            "name": "genviral-partner",
            "version": "0.1.0",
            "features": {
                "default": ["rustls-ring"],
                "rustls-ring": ["reqwest/rustls-no-provider", "dep:rustls"],
                "rustls-aws-lc": ["reqwest/rustls"],
                "rustls": ["rustls-aws-lc"],
                "odd": ["serde/derive"],
            },
            "dependencies": [
                {"name": "reqwest", "req": "^0.13.5", "kind": null, "uses_default_features": false, "features": ["json"]},
                {"name": "rustls", "req": "^0.23.27", "kind": null, "uses_default_features": false, "features": ["ring", "std"]},
                {"name": "rustls", "req": "^0.23", "kind": "dev", "uses_default_features": true, "features": []},
                {"name": "progenitor-client", "req": "^0.15.1", "kind": null, "uses_default_features": true, "features": []},
            ],
        })
    }

    #[test]
    fn backend_features_carry_their_reqwest_features_and_crates_through_aliases() {
        let package = package();
        assert_eq!(
            tls_dependencies(&package, "rustls-ring").unwrap(),
            TlsDependencies {
                reqwest_features: vec!["rustls-no-provider".into()],
                crates: vec![
                    r#"rustls = { version = "^0.23.27", default-features = false, features = ["ring", "std"] }"#.into()
                ],
            }
        );
        assert_eq!(
            tls_dependencies(&package, "rustls").unwrap(),
            tls_dependencies(&package, "rustls-aws-lc").unwrap()
        );
        let unknown = tls_dependencies(&package, "boring").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "genviral-partner has no feature `boring`"
        );
        let odd = tls_dependencies(&package, "odd").unwrap_err().to_string();
        assert!(odd.contains("serde/derive"), "{odd}");
        assert_eq!(default_backend(&package).as_deref(), Some("rustls-ring"));
    }

    #[test]
    fn every_measured_backend_is_a_feature_of_the_client() {
        let cargo = Cargo::new(1, false);
        let package = client_package(&cargo.program, &crate::paths::workspace_root()).unwrap();
        for backend in &BACKENDS {
            tls_dependencies(&package, backend.feature).unwrap();
        }
        assert!(default_backend(&package).is_some());
    }

    #[test]
    fn every_consumer_makes_the_same_call_with_the_same_backend() {
        let inputs = Inputs::new(&package(), "/repo/generated-client".into()).unwrap();
        assert_eq!(
            inputs.url,
            "https://www.genviral.io/api/partner/v1/packs/00000000-0000-0000-0000-000000000000"
        );
        let ring = &BACKENDS[0];
        let tls = tls_dependencies(&package(), ring.feature).unwrap();
        let consumers = consumers_for(&inputs, ring, &tls);
        let kinds: Vec<Kind> = consumers.iter().map(|consumer| consumer.kind).collect();
        assert_eq!(kinds, Kind::PER_BACKEND);
        for consumer in &consumers {
            let name = consumer.kind.name();
            assert!(consumer.main.contains("{MESSAGE}"), "{name}");
            match consumer.kind {
                Kind::RawReqwest | Kind::RawTyped | Kind::RawWithRuntime => {
                    assert!(consumer.main.contains(&inputs.url), "{name}")
                }
                Kind::PreGenerated | Kind::Macro | Kind::Baseline => {
                    assert!(consumer.main.contains(CALL), "{name}")
                }
            }
            if consumer.kind == Kind::PreGenerated {
                assert!(consumer.manifest.contains(r#"features = ["rustls-ring"]"#));
                assert!(
                    consumer
                        .manifest
                        .contains("path = \"/repo/generated-client\"")
                );
                assert!(!consumer.main.contains(ring.setup));
            } else {
                assert!(
                    consumer.manifest.contains("\"rustls-no-provider\""),
                    "{name}"
                );
                assert!(consumer.manifest.contains(&tls.crates[0]), "{name}");
                assert!(consumer.main.contains(ring.setup), "{name}");
            }
        }
        let of = |kind: Kind| {
            consumers
                .iter()
                .find(|consumer| consumer.kind == kind)
                .unwrap()
        };
        // Each step adds one thing: serde's derive, then progenitor-client.
        let (typed, runtime) = (of(Kind::RawTyped), of(Kind::RawWithRuntime));
        assert!(!of(Kind::RawReqwest).manifest.contains("serde ="));
        assert!(typed.main.contains("#[derive(serde::Deserialize)]"));
        assert!(typed.manifest.contains(SERDE));
        assert_eq!(typed.main, runtime.main);
        let progenitor_client = format!("progenitor-client = \"{}\"", inputs.progenitor);
        assert!(!typed.manifest.contains(&progenitor_client));
        assert_eq!(
            runtime
                .manifest
                .replace(&format!("{progenitor_client}\n"), ""),
            typed
                .manifest
                .replace("consumer-raw-typed", "consumer-raw-runtime")
        );
        assert!(
            of(Kind::Macro)
                .main
                .contains(&*spec::path().to_string_lossy())
        );
    }

    #[test]
    fn the_baseline_consumer_makes_the_same_call_with_its_revisions_defaults() {
        let baseline = baseline_consumer(Path::new("/old/generated-client"));
        assert!(baseline.main.contains(CALL));
        assert_eq!(baseline.main, pre_generated_main());
        assert!(
            baseline
                .manifest
                .contains("genviral-partner = { path = \"/old/generated-client\" }\n"),
            "{}",
            baseline.manifest
        );
        assert!(baseline.manifest.contains("name = \"consumer-baseline\""));
    }

    fn row(kind: Kind) -> Row {
        Row {
            kind,
            backend: "rustls-ring",
            cold: Vec::new(),
            rebuild: Vec::new(),
            client_rebuild: Vec::new(),
            cold_units: Vec::new(),
            dependencies: Vec::new(),
        }
    }

    #[test]
    fn comparisons_pair_each_build_with_its_baselines() {
        let mut aws_lc = row(Kind::PreGenerated);
        aws_lc.backend = PREVIOUS_DEFAULT;
        let rows = [
            row(Kind::RawReqwest),
            row(Kind::RawTyped),
            row(Kind::RawWithRuntime),
            row(Kind::PreGenerated),
            aws_lc,
            row(Kind::Baseline),
        ];
        let labels = |comparisons: Vec<Comparison<'_>>| -> Vec<(String, Option<f64>)> {
            comparisons
                .into_iter()
                .map(|comparison| (comparison.label, comparison.target))
                .collect()
        };
        assert_eq!(
            labels(comparisons(&rows, Some("rustls-ring"), Some("bc37608"))),
            [
                (
                    "pre-generated / raw reqwest, rustls-ring".to_string(),
                    Some(TARGET_VS_RAW)
                ),
                (
                    "raw typed / raw reqwest, rustls-ring (serde's derive)".to_string(),
                    None
                ),
                (
                    "raw + runtime / raw typed, rustls-ring (progenitor-client beyond serde's derive)"
                        .to_string(),
                    None
                ),
                (
                    "pre-generated / raw + runtime, rustls-ring (the crate itself)".to_string(),
                    None
                ),
                (
                    "pre-generated / raw typed, rustls-ring (the SDK against the call hand-written with typed bodies)"
                        .to_string(),
                    None
                ),
                (
                    "pre-generated, default backend rustls-ring / rustls-aws-lc".to_string(),
                    Some(TARGET_VS_PREVIOUS_DEFAULT)
                ),
                (
                    "pre-generated, default backend rustls-ring / the crate at bc37608 with its defaults"
                        .to_string(),
                    Some(TARGET_VS_PREVIOUS_DEFAULT)
                ),
            ]
        );
        // The old default as the default is not compared with itself, and
        // a backend without the raw consumers has no comparison with them.
        let aws_lc_default = labels(comparisons(&rows, Some(PREVIOUS_DEFAULT), None));
        assert!(
            aws_lc_default
                .iter()
                .all(|(label, _)| label.ends_with("rustls-ring")
                    || label.contains("rustls-ring (")),
            "{aws_lc_default:?}"
        );
        assert_eq!(aws_lc_default.len(), 1 + STEPS.len(), "{aws_lc_default:?}");
    }

    #[test]
    fn verdicts_judge_only_ratios_with_a_target() {
        assert_eq!(verdict(Some(1.1), Some(1.15)), "1.10 (target ≤ 1.15: met)");
        assert_eq!(
            verdict(Some(1.2), Some(1.15)),
            "1.20 (target ≤ 1.15: NOT met)"
        );
        assert_eq!(verdict(Some(1.2), None), "1.20");
        assert_eq!(verdict(None, Some(1.15)), "n/a");
    }

    #[test]
    fn backends_are_chosen_by_their_feature_name() {
        assert_eq!(backend_feature("rustls-ring"), Ok("rustls-ring"));
        let error = backend_feature("openssl").unwrap_err();
        assert!(
            error.contains("rustls-ring, rustls-aws-lc, native-tls"),
            "{error}"
        );
    }
}
