//! The code panel of the rendered reference: each operation's "Request
//! samples" tabs must include a Rust and a curl tab showing exactly the
//! samples the site was built with ([`crate::site::samples`]).
//!
//! Redoc renders only the selected tab's code, so a static dump of the page
//! shows one sample per operation. The probe page (`samples_probe.html`,
//! served beside a copy of `index.html`, never published) opens the page in
//! a frame, clicks every tab as a reader would and reports what each showed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::browser;
use crate::site::samples::{Language, Samples};

/// The probe page.
const PROBE: &str = include_str!("samples_probe.html");
/// Its name beside the copy of `index.html`.
const PROBE_PAGE: &str = "samples_probe.html";

/// What one tab showed: its label and the text of its code block (`None`
/// when it showed no code, e.g. an empty panel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub label: String,
    pub source: Option<String>,
}

/// The tabs of each rendered operation, by operationId.
pub type Rendered = BTreeMap<String, Vec<Tab>>;

/// Clicks through the code panel of `site/index.html` in `chromium`.
pub fn rendered(chromium: &Path, site: &Path) -> anyhow::Result<Rendered> {
    let probe_dir = tempfile::tempdir().context("creating the probe's folder")?;
    std::fs::copy(site.join("index.html"), probe_dir.path().join("index.html"))
        .context("copying index.html for the code-sample probe")?;
    std::fs::write(probe_dir.path().join(PROBE_PAGE), PROBE)?;
    let server = browser::StaticServer::start(probe_dir.path())?;
    let dom = browser::dump_dom(chromium, &format!("{}/{PROBE_PAGE}", server.url))?;
    read_probe(&dom)
}

/// The probe's report from its dumped DOM.
fn read_probe(dom: &str) -> anyhow::Result<Rendered> {
    let document = scraper::Html::parse_document(dom);
    let text_of = |id: &str| {
        let selector = scraper::Selector::parse(&format!("pre#{id}")).expect("a valid selector");
        document
            .select(&selector)
            .next()
            .map(|pre| pre.text().collect::<String>())
            .unwrap_or_default()
    };
    let error = text_of("probe-error");
    if !error.is_empty() {
        bail!("the code-sample probe failed: {error}");
    }
    let result = text_of("probe-result");
    if result.is_empty() {
        bail!("the code-sample probe reported nothing (Redoc did not render in time?)");
    }
    let report: serde_json::Value =
        serde_json::from_str(&result).context("reading the code-sample probe's report")?;
    let operations = report
        .as_object()
        .context("the code-sample probe's report is not an object")?;
    operations
        .iter()
        .map(|(id, tabs)| {
            let tabs = tabs
                .as_array()
                .with_context(|| format!("the probe's `{id}` is not a list"))?
                .iter()
                .map(|tab| Tab {
                    label: tab["label"].as_str().unwrap_or_default().to_string(),
                    source: tab["source"].as_str().map(str::to_string),
                })
                .collect();
            Ok((id.clone(), tabs))
        })
        .collect()
}

/// Compares each operation's samples with the tabs it rendered; returns
/// the number of samples found as built.
pub fn check(rendered: &Rendered, samples: &Samples, problems: &mut Vec<String>) -> usize {
    let mut found = 0;
    for (id, expected) in samples {
        let Some(tabs) = rendered.get(id) else {
            problems.push(format!("{id}: no code panel rendered"));
            continue;
        };
        let labels: Vec<&str> = tabs.iter().map(|tab| tab.label.as_str()).collect();
        let in_order: Vec<&str> = Language::ALL.iter().map(|l| l.label()).collect();
        if !labels.starts_with(&in_order) {
            problems.push(format!(
                "{id}: the code panel's tabs are {labels:?}, expected {in_order:?} first"
            ));
        }
        for sample in expected {
            let label = sample.language.label();
            let shown = tabs
                .iter()
                .find(|tab| tab.label == label)
                .and_then(|tab| tab.source.as_deref());
            match shown {
                Some(source) if source.trim() == sample.source.trim() => found += 1,
                Some(source) => problems.push(format!(
                    "{id}: the {label} tab shows\n{source}\n  instead of\n{}",
                    sample.source
                )),
                None => problems.push(format!("{id}: no {label} sample shown")),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths;
    use crate::site::samples;

    fn built_samples() -> Samples {
        let spec = spec::load(spec::path()).unwrap();
        let source = samples::read_side_by_side(&paths::workspace_root()).unwrap();
        samples::of_spec(&spec, &source).unwrap()
    }

    /// What a faithful probe reports for `samples`.
    fn faithful(samples: &Samples) -> Rendered {
        samples
            .iter()
            .map(|(id, of_operation)| {
                let mut tabs: Vec<Tab> = of_operation
                    .iter()
                    .map(|sample| Tab {
                        label: sample.language.label().to_string(),
                        source: Some(format!("{}\n", sample.source)),
                    })
                    .collect();
                tabs.push(Tab {
                    label: "Payload".into(),
                    source: None,
                });
                (id.clone(), tabs)
            })
            .collect()
    }

    #[test]
    fn a_faithful_code_panel_passes_and_each_difference_is_named() {
        let samples = built_samples();
        let mut problems = Vec::new();
        let found = check(&faithful(&samples), &samples, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(found, samples.len() * Language::ALL.len());

        let (id, _) = samples.first_key_value().unwrap();
        let mut rendered = faithful(&samples);
        rendered.get_mut(id).unwrap()[1].source = Some("curl https://elsewhere".into());
        let mut problems = Vec::new();
        check(&rendered, &samples, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(&format!("{id}: the curl tab shows")),
            "{problems:#?}"
        );

        let mut rendered = faithful(&samples);
        rendered.get_mut(id).unwrap().remove(0);
        let mut problems = Vec::new();
        check(&rendered, &samples, &mut problems);
        assert!(
            problems.contains(&format!("{id}: no Rust sample shown")),
            "{problems:#?}"
        );

        let mut problems = Vec::new();
        check(&Rendered::new(), &samples, &mut problems);
        assert_eq!(problems.len(), samples.len(), "{problems:#?}");
    }

    #[test]
    fn the_probe_report_is_read_from_the_dumped_page() {
        let dom = r#"<html><body><pre id="probe-result">{"update_pack":[{"label":"Rust","source":"fn a() {}"},{"label":"Payload","source":null}]}</pre><pre id="probe-error"></pre></body></html>"#;
        let rendered = read_probe(dom).unwrap();
        assert_eq!(
            rendered["update_pack"],
            [
                Tab {
                    label: "Rust".into(),
                    source: Some("fn a() {}".into())
                },
                Tab {
                    label: "Payload".into(),
                    source: None
                }
            ]
        );
        let failed =
            r#"<pre id="probe-result"></pre><pre id="probe-error">Error: no operation</pre>"#;
        let error = read_probe(failed).unwrap_err().to_string();
        assert!(error.contains("Error: no operation"), "{error}");
        assert!(read_probe("<pre id=\"probe-result\"></pre>").is_err());
    }
}
