//! JSON paths (`$.paths['/packs/{packId}'].patch`) that point a reader at the
//! exact node of a spec a diagnostic is about.

use std::fmt;

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A path from the document root to one node, displayed in JSONPath notation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// The document root, `$`.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path extended by an object member.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        JsonPath(segments)
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        JsonPath(segments)
    }

    /// The steps of the path, root first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Builds a path from a local JSON pointer such as `/components/schemas/Pack`.
    pub fn from_pointer(pointer: &str) -> Self {
        let segments = pointer
            .split('/')
            .skip(1)
            .map(|raw| Segment::Key(raw.replace("~1", "/").replace("~0", "~")))
            .collect();
        JsonPath(segments)
    }

    /// The path as the path that `serde_path_to_error` reports for a typed
    /// deserialisation failure.
    pub(crate) fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        let segments = path
            .iter()
            .filter_map(|segment| match segment {
                S::Seq { index } => Some(Segment::Index(*index)),
                S::Map { key } => Some(Segment::Key(key.clone())),
                S::Enum { variant } => Some(Segment::Key(variant.clone())),
                S::Unknown => None,
            })
            .collect();
        JsonPath(segments)
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
}

/// Writes one object member step: `.name` for identifiers, `['a b']` for
/// other keys (shared with [`crate::constraints`]' path patterns).
pub(crate) fn write_key(f: &mut impl fmt::Write, key: &str) -> fmt::Result {
    if is_identifier(key) {
        write!(f, ".{key}")
    } else {
        write!(f, "['{}']", key.replace('\'', "\\'"))
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Key(key) => write_key(f, key)?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_identifiers_dotted_and_other_keys_quoted() {
        let path = JsonPath::root()
            .key("paths")
            .key("/packs/{packId}")
            .key("patch")
            .key("responses")
            .key("404")
            .key("x-error-codes")
            .index(2);
        assert_eq!(
            path.to_string(),
            "$.paths['/packs/{packId}'].patch.responses['404'].x-error-codes[2]"
        );
    }

    #[test]
    fn pointer_segments_are_unescaped() {
        let path = JsonPath::from_pointer("/paths/~1packs~1{packId}/a~0b");
        assert_eq!(path.to_string(), "$.paths['/packs/{packId}']['a~b']");
    }
}
