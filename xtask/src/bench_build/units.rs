//! Compile units of a cold build, read from cargo's `--timings` report,
//! and what they say once the host's speed is taken out.
//!
//! This machine's host moved the same build by 40 % between runs, so the
//! plain ratio of two builds made minutes apart is unreliable. Two builds
//! that compile a unit with the same package, version, target and features
//! do the same work for it: the ratio of their seconds for those units is
//! the ratio of the host's speeds, and it cancels.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

/// One compile unit: a package's library, binary, build script or
/// build-script run, with the features cargo compiled it with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Unit {
    pub(super) package: String,
    version: String,
    /// As cargo's report writes it: empty for a library, ` build script
    /// (run)`, ` consumer "bin"`, ….
    target: String,
    features: Vec<String>,
}

impl Unit {
    /// The same package, version and target, perhaps with other features.
    fn same_target(&self, other: &Unit) -> bool {
        (&self.package, &self.version, &self.target)
            == (&other.package, &other.version, &other.target)
    }

    /// `tokio`, `ring build script (run)`, `tokio (features +fs)` when
    /// `other` builds the same target with other features.
    fn describe(&self, other: Option<&Unit>) -> String {
        let name = format!("{}{}", self.package, self.target);
        let Some(other) = other else {
            return name;
        };
        let added: Vec<String> = self
            .features
            .iter()
            .filter(|feature| !other.features.contains(feature))
            .map(|feature| format!("+{feature}"))
            .chain(
                other
                    .features
                    .iter()
                    .filter(|feature| !self.features.contains(feature))
                    .map(|feature| format!("-{feature}")),
            )
            .collect();
        format!("{name} (features {})", added.join(" "))
    }
}

/// Seconds of each compile unit of one cold build.
pub(super) type UnitSeconds = BTreeMap<Unit, f64>;

/// The units of the build whose target folder is `target`.
pub(super) fn read(target: &Path) -> anyhow::Result<UnitSeconds> {
    let report = target.join("cargo-timings").join("cargo-timing.html");
    let html = std::fs::read_to_string(&report)
        .with_context(|| format!("reading cargo's timings report {}", report.display()))?;
    parse(&html).with_context(|| format!("{}: no readable UNIT_DATA", report.display()))
}

/// Cargo writes the units into its HTML report as `const UNIT_DATA =
/// [{"name": …, "version": …, "target": …, "features": […], "duration":
/// …}, …]` (there is no stable JSON form).
fn parse(html: &str) -> Option<UnitSeconds> {
    const MARKER: &str = "const UNIT_DATA = ";
    let start = html.find(MARKER)? + MARKER.len();
    let units: Value = serde_json::Deserializer::from_str(&html[start..])
        .into_iter::<Value>()
        .next()?
        .ok()?;
    let mut seconds = UnitSeconds::new();
    for unit in units.as_array()? {
        let text = |key: &str| unit[key].as_str().map(str::to_string);
        let features = match unit.get("features") {
            None => Vec::new(),
            Some(features) => features
                .as_array()?
                .iter()
                .map(|feature| feature.as_str().map(str::to_string))
                .collect::<Option<_>>()?,
        };
        let key = Unit {
            package: text("name")?,
            version: text("version")?,
            target: text("target")?,
            features,
        };
        *seconds.entry(key).or_default() += unit["duration"].as_f64()?;
    }
    Some(seconds)
}

/// The seconds of all units.
pub(super) fn total(units: &UnitSeconds) -> f64 {
    units.values().sum()
}

/// `a`'s cold build cost over `b`'s with the host's speed taken out: per
/// run, (a's units / a's units identical in b) / (b's units / b's units
/// identical in a); the median over runs. A host k times slower during one
/// build makes all its units k times longer and k cancels. Units that
/// differ only by features (reqwest's `stream` turns on tokio's `fs`) are
/// not identical: they count as the cost of the build that has them.
pub(super) fn speed_normalised_ratio(a: &[UnitSeconds], b: &[UnitSeconds]) -> Option<f64> {
    let ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .filter_map(|(a_units, b_units)| {
            let identical = |units: &UnitSeconds, other: &UnitSeconds| -> f64 {
                units
                    .iter()
                    .filter(|(unit, _)| other.contains_key(*unit))
                    .map(|(_, seconds)| seconds)
                    .sum()
            };
            let (a_total, b_total) = (total(a_units), total(b_units));
            let (a_same, b_same) = (identical(a_units, b_units), identical(b_units, a_units));
            (a_same > 0.0 && b_same > 0.0 && b_total > 0.0)
                .then(|| (a_total / a_same) / (b_total / b_same))
        })
        .collect();
    (!ratios.is_empty()).then(|| median_of(&ratios))
}

/// The units `a` compiles and `b` does not (another package, or the same
/// with other features), described, with their median seconds over the
/// runs of `a`; the costliest first.
pub(super) fn only_in(a: &[UnitSeconds], b: &[UnitSeconds]) -> Vec<(String, f64)> {
    let Some(b_units) = b.first() else {
        return Vec::new();
    };
    let mut seen: BTreeMap<&Unit, Vec<f64>> = BTreeMap::new();
    for units in a {
        for (unit, seconds) in units {
            if !b_units.contains_key(unit) {
                seen.entry(unit).or_default().push(*seconds);
            }
        }
    }
    let mut extra: Vec<(String, f64)> = seen
        .into_iter()
        .map(|(unit, seconds)| {
            let twin = b_units.keys().find(|other| unit.same_target(other));
            (unit.describe(twin), median_of(&seconds))
        })
        .collect();
    extra.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    extra
}

pub(super) fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A library unit of `package` 1.0.0 with these features.
    fn unit(package: &str, features: &[&str]) -> Unit {
        Unit {
            package: package.to_string(),
            version: "1.0.0".to_string(),
            target: String::new(),
            features: features.iter().map(|feature| feature.to_string()).collect(),
        }
    }

    fn units(entries: &[(&str, &[&str], f64)]) -> UnitSeconds {
        entries
            .iter()
            .map(|(package, features, seconds)| (unit(package, features), *seconds))
            .collect()
    }

    #[test]
    fn units_are_summed_per_package_target_and_features_from_the_timings_report() {
        let html = r#"<script>
const UNIT_DATA = [{"i":0,"name":"ring","version":"0.17.14","mode":"run-custom-build","target":" build script (run)","features":[],"start":1.0,"duration":4.5},
{"i":1,"name":"ring","version":"0.17.14","mode":"todo","target":"","features":["alloc"],"start":6.0,"duration":1.25},
{"i":2,"name":"ring","version":"0.17.14","mode":"todo","target":"","features":["alloc"],"start":6.0,"duration":0.25},
{"i":3,"name":"serde","version":"1.0.0","mode":"todo","target":"","start":6.0,"duration":0.5}];
const CONCURRENCY_DATA = [];
</script>"#;
        let units = parse(html).unwrap();
        assert_eq!(units.len(), 3, "{units:?}");
        let ring = |target: &str, features: &[&str]| Unit {
            package: "ring".into(),
            version: "0.17.14".into(),
            target: target.into(),
            features: features.iter().map(|f| f.to_string()).collect(),
        };
        assert_eq!(units[&ring(" build script (run)", &[])], 4.5);
        assert_eq!(units[&ring("", &["alloc"])], 1.5);
        assert_eq!(total(&units), 6.5);
        assert!(parse("<html></html>").is_none());
        assert!(parse("const UNIT_DATA = [{\"name\": 1}];").is_none());
        assert!(parse(r#"const UNIT_DATA = [{"name":"a","version":"1","target":"","features":[1],"duration":1}];"#).is_none());
    }

    #[test]
    fn a_slower_host_during_one_build_cancels_out_of_the_normalised_ratio() {
        // The same units; `b` ran on a host twice as slow.
        let a = [units(&[
            ("tokio", &[], 6.0),
            ("hyper", &[], 4.0),
            ("serde_derive", &[], 2.0),
        ])];
        let b = [units(&[("tokio", &[], 12.0), ("hyper", &[], 8.0)])];
        let ratio = speed_normalised_ratio(&a, &b).unwrap();
        assert!((ratio - 1.2).abs() < 1e-9, "{ratio}");
        // Units only `c` builds count against it.
        let c = [units(&[
            ("tokio", &[], 6.0),
            ("hyper", &[], 4.0),
            ("aws-lc-sys", &[], 10.0),
        ])];
        let ratio = speed_normalised_ratio(&a, &c).unwrap();
        assert!((ratio - 0.6).abs() < 1e-9, "{ratio}");
        assert_eq!(speed_normalised_ratio(&a, &[]), None);
    }

    #[test]
    fn a_package_built_with_more_features_is_not_part_of_the_yardstick() {
        // `a` builds tokio with `fs`: those 3 s are its own cost, not a
        // sign of a slower host.
        let a = [units(&[("tokio", &["fs"], 9.0), ("hyper", &[], 4.0)])];
        let b = [units(&[("tokio", &[], 6.0), ("hyper", &[], 4.0)])];
        let ratio = speed_normalised_ratio(&a, &b).unwrap();
        assert!((ratio - 1.3).abs() < 1e-9, "{ratio}");
        assert_eq!(only_in(&a, &b), [("tokio (features +fs)".to_string(), 9.0)]);
    }

    #[test]
    fn units_only_one_build_compiles_are_listed_costliest_first_with_median_seconds() {
        let a = [
            units(&[
                ("genviral-partner", &[], 4.0),
                ("uuid", &["std"], 0.5),
                ("hyper", &[], 4.0),
            ]),
            units(&[
                ("genviral-partner", &[], 6.0),
                ("uuid", &["std"], 0.4),
                ("hyper", &[], 4.0),
            ]),
            units(&[
                ("genviral-partner", &[], 5.0),
                ("uuid", &["std"], 0.3),
                ("hyper", &[], 4.0),
            ]),
        ];
        let b = [units(&[("hyper", &[], 3.0), ("uuid", &["std", "v4"], 0.6)])];
        assert_eq!(
            only_in(&a, &b),
            [
                ("genviral-partner".to_string(), 5.0),
                ("uuid (features -v4)".to_string(), 0.4),
            ]
        );
        assert!(only_in(&a, &[]).is_empty());
    }
}
