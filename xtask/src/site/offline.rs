//! Keeping the page offline: what the built (or rendered) page would fetch
//! from other hosts, whether its Content-Security-Policy stops the browser
//! from doing so, and where its header links point.

/// Resources the browser would fetch from another host when showing `html`:
/// `src`/`href`/`srcset`/`data`/`poster` of elements that load something
/// (not `<a href>`, which is only followed when clicked), and `url(…)` or
/// `@import` in `<style>` elements and `style` attributes.
pub fn external_resources(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let mut found = loaded_by_elements(&document);
    found.extend(loaded_by_css(&document));
    found
}

/// `rel` values of a `<link>` that loads something at view time.
const LOADING_LINKS: [&str; 8] = [
    "stylesheet",
    "preload",
    "modulepreload",
    "icon",
    "manifest",
    "prefetch",
    "preconnect",
    "dns-prefetch",
];

/// Remote URLs in the attributes of elements that load what they point at.
fn loaded_by_elements(document: &scraper::Html) -> Vec<String> {
    let loading = scraper::Selector::parse(
        "script[src], link[href], img, iframe, frame, embed, object, source, video, audio, track, input[src], image, use",
    )
    .expect("a valid selector");
    let mut found = Vec::new();
    for element in document.select(&loading) {
        let tag = element.value().name();
        let rel = element.value().attr("rel").unwrap_or_default();
        let loads = rel
            .split_whitespace()
            .any(|r| LOADING_LINKS.contains(&r.to_ascii_lowercase().as_str()));
        if tag == "link" && !loads {
            continue;
        }
        for attribute in ["src", "href", "xlink:href", "data", "poster", "srcset"] {
            let Some(value) = element.value().attr(attribute) else {
                continue;
            };
            for candidate in value.split(',') {
                let url = candidate.split_whitespace().next().unwrap_or_default();
                if is_remote(url) {
                    found.push(format!("<{tag} {attribute}=\"{url}\">"));
                }
            }
        }
    }
    found
}

/// Remote `url(…)`s and `@import`s in `<style>` elements and `style`
/// attributes.
fn loaded_by_css(document: &scraper::Html) -> Vec<String> {
    let styles = scraper::Selector::parse("style").expect("a valid selector");
    let styled = scraper::Selector::parse("[style]").expect("a valid selector");
    let css = document
        .select(&styles)
        .map(|style| style.text().collect::<String>())
        .chain(
            document
                .select(&styled)
                .filter_map(|element| element.value().attr("style").map(str::to_string)),
        );
    let mut found = Vec::new();
    for text in css {
        for (index, _) in text.match_indices("url(") {
            let rest = text[index + 4..].trim_start_matches(['"', '\'', ' ']);
            if is_remote(rest) {
                found.push(format!("CSS url({})", css_token(rest)));
            }
        }
        for (index, _) in text.match_indices("@import") {
            let rest = text[index + 7..].trim_start();
            let rest = rest.strip_prefix("url(").unwrap_or(rest);
            let rest = rest.trim_start_matches(['"', '\'', ' ']);
            if is_remote(rest) {
                found.push(format!("CSS @import {}", css_token(rest)));
            }
        }
    }
    found
}

/// The URL at the start of `text`, up to its closing quote or parenthesis.
fn css_token(text: &str) -> &str {
    let end = text.find(['"', '\'', ')', ' ', ';']).unwrap_or(text.len());
    &text[..end]
}

/// What is wrong with the page's Content-Security-Policy, which makes the
/// browser itself refuse anything from another host, including what scripts
/// add at run time and the static scan above cannot see (Redoc 2 always
/// renders its footer logo from `cdn.redoc.ly`). It must be the page's
/// first `<meta http-equiv>` or `<script>` (a policy applies only to what
/// follows it), have a `default-src`, and let every fetch directive
/// (`*-src`, `*-src-elem`, `*-src-attr`) allow only the page's own origin,
/// inline code, `data:` and `blob:` (Redoc's search runs in a worker made
/// from a blob).
pub fn content_security_policy_problems(html: &str) -> Vec<String> {
    const ALLOWED: [&str; 5] = ["'self'", "'none'", "'unsafe-inline'", "data:", "blob:"];
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("meta[http-equiv], script").expect("a valid selector");
    let is_policy = |element: &scraper::ElementRef| {
        element.value().name() == "meta"
            && element
                .value()
                .attr("http-equiv")
                .is_some_and(|name| name.eq_ignore_ascii_case("Content-Security-Policy"))
    };
    let first = document.select(&selector).next();
    let Some(policy) = first.filter(is_policy) else {
        return vec![
            "no <meta http-equiv=\"Content-Security-Policy\"> before the first script".to_string(),
        ];
    };
    let mut problems = Vec::new();
    let mut has_default = false;
    for directive in policy
        .value()
        .attr("content")
        .unwrap_or_default()
        .split(';')
    {
        let mut words = directive.split_whitespace();
        let Some(name) = words.next().map(str::to_ascii_lowercase) else {
            continue;
        };
        has_default |= name == "default-src";
        // Fetch directives: `*-src`, `*-src-elem`, `*-src-attr`.
        if !name.split('-').any(|part| part == "src") {
            continue;
        }
        for source in words {
            if !ALLOWED.contains(&source.to_ascii_lowercase().as_str()) {
                problems.push(format!(
                    "`{name}` allows `{source}` (only {} are allowed)",
                    ALLOWED.join(" ")
                ));
            }
        }
    }
    if !has_default {
        problems.push("no `default-src` directive".to_string());
    }
    problems
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The relative links of the page's header navigation.
pub fn site_links(html: &str) -> Vec<String> {
    links_in(html, "nav.site-links a[href]")
}

/// Every relative link of the page (not `#…` anchors within it).
pub fn relative_links(html: &str) -> Vec<String> {
    links_in(html, "a[href]")
        .into_iter()
        .filter(|href| !href.starts_with('#'))
        .collect()
}

fn links_in(html: &str, css: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).expect("a valid selector");
    document
        .select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| !is_remote(href) && !href.starts_with("mailto:"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths;

    #[test]
    fn external_resources_are_found_and_plain_links_are_not() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
            <link rel="canonical" href="https://docs.example/">
            <script src="//cdn.example/redoc.js"></script>
            <script>const s = "https://not-fetched.example";</script>
            <style>@import url("https://cdn.example/a.css"); body { background: url('http://x.example/b.png') } .i { background: url(data:image/png;base64,AAA) }</style>
            </head><body>
            <a href="https://docs.genviral.io">docs</a>
            <img src="logo.png"><img srcset="a.png 1x, https://x.example/b.png 2x">
            <div style="background:url(https://y.example/c.png)"></div>
            </body></html>"#;
        let found = external_resources(html);
        // The @import is reported as an import and as a url().
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(
            found.contains(&"CSS url(https://cdn.example/a.css)".to_string()),
            "{found:#?}"
        );
        assert!(found.iter().any(|f| f.contains("fonts.googleapis.com")));
        assert!(found.iter().any(|f| f.contains("//cdn.example/redoc.js")));
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("CSS @import https://cdn.example/a.css"))
        );
        assert!(found.iter().any(|f| f.contains("x.example/b.png")));
        assert!(found.iter().any(|f| f.contains("y.example/c.png")));
        assert!(
            !found
                .iter()
                .any(|f| f.contains("docs.genviral.io") || f.contains("not-fetched"))
        );
    }

    #[test]
    fn the_content_security_policy_must_come_first_and_allow_no_other_host() {
        let page = |head: &str| format!("<html><head>{head}</head><body></body></html>");
        let meta = |policy: &str| {
            format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">")
        };
        let strict = meta("default-src 'self' 'unsafe-inline' data: blob:; base-uri 'none'");
        assert_eq!(
            content_security_policy_problems(&page(&format!("{strict}<script>x()</script>"))),
            Vec::<String>::new()
        );
        // Missing, or after a script it cannot govern.
        assert_eq!(
            content_security_policy_problems(&page("<script>x()</script>")).len(),
            1
        );
        assert_eq!(
            content_security_policy_problems(&page(&format!("<script>x()</script>{strict}"))).len(),
            1
        );
        // Other hosts, in any fetch directive, and wildcards.
        for policy in [
            "default-src 'self' https://fonts.googleapis.com",
            "default-src 'self'; font-src https:",
            "default-src 'self'; img-src *",
            "default-src 'self'; script-src-elem 'self' cdn.redoc.ly",
        ] {
            let problems = content_security_policy_problems(&page(&meta(policy)));
            assert_eq!(problems.len(), 1, "{policy}: {problems:?}");
        }
        // No default: whatever has no directive would be allowed.
        assert_eq!(
            content_security_policy_problems(&page(&meta("img-src 'self'"))),
            ["no `default-src` directive"]
        );
    }

    #[test]
    fn the_template_has_a_strict_content_security_policy() {
        let template = std::fs::read_to_string(paths::in_workspace(crate::site::TEMPLATE)).unwrap();
        assert_eq!(
            content_security_policy_problems(&template),
            Vec::<String>::new()
        );
    }

    #[test]
    fn header_links_are_read_from_the_template() {
        let template = std::fs::read_to_string(paths::in_workspace(crate::site::TEMPLATE)).unwrap();
        assert_eq!(
            site_links(&template),
            [
                "changelog.html",
                "llms.txt",
                "openapi.yaml",
                "openapi.json",
                "rust/genviral_partner/index.html"
            ]
        );
    }

    #[test]
    fn every_page_link_is_read_but_anchors_and_other_hosts_are_not() {
        let html = r##"<nav class="site-links"><a href="index.html">r</a></nav>
            <a href="specs/1.0.0/openapi.yaml">y</a><a href="#1.0.0">v</a>
            <a href="https://docs.example">d</a><a href="mailto:a@b.example">m</a><a>none</a>"##;
        assert_eq!(site_links(html), ["index.html"]);
        assert_eq!(
            relative_links(html),
            ["index.html", "specs/1.0.0/openapi.yaml"]
        );
    }

    #[test]
    fn the_changelog_template_has_a_strict_content_security_policy() {
        let template =
            std::fs::read_to_string(paths::in_workspace(crate::site::changelog::TEMPLATE)).unwrap();
        assert_eq!(
            content_security_policy_problems(&template),
            Vec::<String>::new()
        );
    }
}
