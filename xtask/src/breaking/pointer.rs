//! JSON pointers into a spec document, as drift reports them
//! (`#/components/schemas/Pack`) and as the rules build them.

use serde_json::Value;
use spec::{JsonPath, Segment};

/// A location in a document: its unescaped keys (array indexes as digits).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ptr(Vec<String>);

impl Ptr {
    /// The document root.
    pub fn root() -> Ptr {
        Ptr(Vec::new())
    }

    /// Reads `#/a/b~1c`, `/a/b~1c` (RFC 6901 escapes) or `#`.
    pub fn parse(text: &str) -> Ptr {
        let text = text.strip_prefix('#').unwrap_or(text);
        Ptr(text
            .split('/')
            .skip(1)
            .map(|raw| raw.replace("~1", "/").replace("~0", "~"))
            .collect())
    }

    /// A pointer drift reports. drift names an operation's request body
    /// `request_body` (its field name in `openapiv3`) where the document
    /// says `requestBody`.
    pub fn from_drift(text: &str) -> Ptr {
        let mut ptr = Ptr::parse(text);
        if ptr.0.first().map(String::as_str) == Some("paths")
            && let Some(segment) = ptr.0.get_mut(3)
            && segment == "request_body"
        {
            *segment = "requestBody".to_string();
        }
        ptr
    }

    /// The location of a [`JsonPath`] of the spec crate.
    pub fn from_path(path: &JsonPath) -> Ptr {
        Ptr(path
            .segments()
            .iter()
            .map(|segment| match segment {
                Segment::Key(key) => key.clone(),
                Segment::Index(index) => index.to_string(),
            })
            .collect())
    }

    /// This location extended by one key.
    pub fn key(&self, key: impl Into<String>) -> Ptr {
        let mut segments = self.0.clone();
        segments.push(key.into());
        Ptr(segments)
    }

    /// This location extended by several keys.
    pub fn keys<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> Ptr {
        let mut segments = self.0.clone();
        segments.extend(keys.into_iter().map(str::to_string));
        Ptr(segments)
    }

    /// The keys, root first.
    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// The enclosing location (the root's is the root).
    pub fn parent(&self) -> Ptr {
        Ptr(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    /// The node here, if there is one.
    pub fn get<'a>(&self, doc: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(doc, |node, key| match node {
            Value::Object(map) => map.get(key),
            Value::Array(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        })
    }

    /// The node here, to change.
    pub fn get_mut<'a>(&self, doc: &'a mut Value) -> Option<&'a mut Value> {
        self.0.iter().try_fold(doc, |node, key| match node {
            Value::Object(map) => map.get_mut(key),
            Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?),
            _ => None,
        })
    }

    /// Whether `self` is `prefix` or below it.
    pub fn starts_with(&self, prefix: &Ptr) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// The location followed through local `$ref`s (at most 16) in `doc`.
    pub fn deref(&self, doc: &Value) -> Ptr {
        let mut ptr = self.clone();
        for _ in 0..16 {
            match ptr
                .get(doc)
                .and_then(|node| node.get("$ref"))
                .and_then(Value::as_str)
            {
                Some(reference) if reference.starts_with("#/") => ptr = Ptr::parse(reference),
                _ => break,
            }
        }
        ptr
    }

    /// The location as the spec crate prints paths:
    /// `$.paths['/packs/{packId}'].patch`.
    pub fn json_path(&self) -> JsonPath {
        self.0
            .iter()
            .fold(JsonPath::root(), |path, key| path.key(key.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn drift_pointers_are_unescaped_and_name_the_request_body_as_written() {
        let ptr = Ptr::from_drift("#/paths/~1packs~1{packId}/patch/request_body/content");
        assert_eq!(
            ptr.segments(),
            [
                "paths",
                "/packs/{packId}",
                "patch",
                "requestBody",
                "content"
            ]
        );
        assert_eq!(
            ptr.json_path().to_string(),
            "$.paths['/packs/{packId}'].patch.requestBody.content"
        );
        assert_eq!(Ptr::parse("#"), Ptr::root());
    }

    #[test]
    fn nodes_are_found_through_objects_arrays_and_refs() {
        let doc = json!({
            "a": {"list": [{"$ref": "#/b"}]},
            "b": {"$ref": "#/c"},
            "c": {"type": "string"}
        });
        let item = Ptr::parse("/a/list/0");
        assert_eq!(item.get(&doc), Some(&json!({"$ref": "#/b"})));
        assert_eq!(item.deref(&doc), Ptr::parse("/c"));
        assert_eq!(Ptr::parse("/a/list/9").get(&doc), None);
        assert!(item.starts_with(&Ptr::parse("/a")));
        assert!(!Ptr::parse("/ab").starts_with(&Ptr::parse("/a")));
    }
}
