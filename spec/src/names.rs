//! The Rust names the generator gives to the spec's names, and whether an
//! `operationId` makes a usable client method: one rule, asked by the
//! checks (a name that would not compile is refused here, with its JSON
//! path) and by the generator.

/// snake_case as progenitor writes method and module names: words split
/// at any character that is not a letter or digit and before an upper-case
/// letter that follows a lower-case one or a digit, lower-cased, joined
/// with `_`: `UpdatePack` and `update-pack` both become `update_pack`.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            previous = None;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase()
            && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
            && !out.ends_with('_')
        {
            out.push('_');
        }
        out.extend(c.to_lowercase());
        previous = Some(c);
    }
    out.trim_end_matches('_').to_string()
}

/// Why `method` (an `operationId` in [`snake`] case) cannot name a method
/// of the generated `Client`, or `None` when it can.
pub fn method_name_problem(method: &str) -> Option<String> {
    let first = method.chars().next()?;
    if first.is_ascii_digit() {
        return Some("starts with a digit".into());
    }
    if !method
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Some("has characters other than ASCII letters, digits and `_`".into());
    }
    if RUST_KEYWORDS.contains(&method) {
        return Some("is a Rust keyword".into());
    }
    if CLIENT_METHODS.contains(&method) {
        return Some("is already a method of the generated `Client`".into());
    }
    None
}

/// Rust's strict and reserved keywords (2024 edition), which cannot name a
/// method.
const RUST_KEYWORDS: [&str; 52] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// The methods `Client` has besides the operations: progenitor's
/// constructors and `ClientInfo` accessors, and the client crate's
/// hand-written ones (`generated-client/src/`; the contract tests check
/// this list against its `impl Client` blocks). An operation of the same
/// name would not compile.
pub const CLIENT_METHODS: [&str; 15] = [
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "builder",
    "builder_from",
    "from_env",
    "with_token",
    "with_base_url_and_token",
    "with_options",
    "request_to_path",
    "request_to_segments",
    "send_with_retries",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_for_methods_and_modules() {
        assert_eq!(snake("UpdatePack"), "update_pack");
        assert_eq!(snake("update_pack"), "update_pack");
        assert_eq!(snake("update-pack"), "update_pack");
        assert_eq!(snake("textSettings"), "text_settings");
        assert_eq!(snake("Template2Config"), "template2_config");
        assert_eq!(snake("a  b_"), "a_b");
    }

    #[test]
    fn a_method_name_is_an_identifier_that_is_free() {
        for (id, problem) in [
            ("123update", "starts with a digit"),
            ("type", "is a Rust keyword"),
            ("new", "is already a method"),
            ("müll", "other than ASCII"),
        ] {
            let found = method_name_problem(&snake(id));
            assert!(found.is_some_and(|p| p.contains(problem)), "{id}");
        }
        assert_eq!(method_name_problem(&snake("updatePack")), None);
        assert_eq!(method_name_problem("update_pack"), None);
    }
}
