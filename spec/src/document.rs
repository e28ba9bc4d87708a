//! The one reading of the document every other crate asks: its operations
//! (method, path, id), their parameters, request and response schemas, the
//! documented statuses and error codes, and their examples.
//!
//! Everything here works on the JSON tree ([`crate::Spec::json`]) rather than
//! the typed `openapiv3` model: the checks need exact JSON paths, and a
//! `$ref` must be followed the same way everywhere ([`deref`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::json_path::JsonPath;
use crate::json_schema;

/// HTTP methods an OpenAPI 3.0 path item may hold, in the order operations
/// are listed.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Resolves a local reference such as `#/components/schemas/Pack`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    // JSON pointers escape `/` and `~`; `Value::pointer` unescapes them.
    doc.pointer(pointer)
}

/// Follows local `$ref`s (`#/components/...`, at most 16 hops) from `node`
/// to the first node that is not a reference, or whose reference does not
/// resolve in `doc` (in a document that passed [`crate::load`], every one
/// does).
pub fn deref<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => match resolve(doc, reference) {
                Some(target) => node = target,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// Every operation of `doc`, in a stable order: paths sorted, then
/// [`METHODS`] order within a path.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let item = deref(doc, item);
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push(Operation {
                    doc,
                    path,
                    method,
                    at: JsonPath::root().key("paths").key(path.as_str()).key(method),
                    item,
                    op,
                });
            }
        }
    }
    out
}

/// One operation of the document, located.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    doc: &'a Value,
    /// The path template, e.g. `/packs/{packId}`.
    pub path: &'a str,
    /// The lower-case HTTP method, one of [`METHODS`].
    pub method: &'a str,
    /// Where the operation object is: `$.paths['/packs/{packId}'].patch`.
    pub at: JsonPath,
    /// The path item holding it (shared parameters live there).
    pub item: &'a Value,
    /// The operation object.
    pub op: &'a Value,
}

impl<'a> Operation<'a> {
    /// The `operationId`, when it is a non-empty string.
    pub fn id(&self) -> Option<&'a str> {
        self.op
            .get("operationId")
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
    }

    /// The operationId, or `PATCH /path` for an operation without one
    /// (only in documents that failed the checks).
    pub fn name(&self) -> String {
        self.id().map_or_else(
            || format!("{} {}", self.method.to_uppercase(), self.path),
            str::to_string,
        )
    }

    /// The one-line `summary`.
    pub fn summary(&self) -> Option<&'a str> {
        self.op.get("summary").and_then(Value::as_str)
    }

    /// The parameters that apply to the operation: those of the path item,
    /// then its own, each followed through `$ref` and located where written.
    pub fn parameters(&self) -> Vec<Parameter<'a>> {
        let sources = [
            (
                self.item.get("parameters"),
                JsonPath::root()
                    .key("paths")
                    .key(self.path)
                    .key("parameters"),
            ),
            (self.op.get("parameters"), self.at.key("parameters")),
        ];
        let mut out = Vec::new();
        for (parameters, at) in sources {
            let Some(Value::Array(parameters)) = parameters else {
                continue;
            };
            for (index, parameter) in parameters.iter().enumerate() {
                let object = deref(self.doc, parameter);
                out.push(Parameter {
                    name: object.get("name").and_then(Value::as_str).unwrap_or(""),
                    location: object.get("in").and_then(Value::as_str).unwrap_or(""),
                    at: at.index(index),
                    object,
                });
            }
        }
        out
    }

    /// The `in: path` parameters.
    pub fn path_parameters(&self) -> Vec<Parameter<'a>> {
        self.parameters()
            .into_iter()
            .filter(|parameter| parameter.location == "path")
            .collect()
    }

    /// The request body object (followed through `$ref`).
    pub fn request_body(&self) -> Option<&'a Value> {
        self.op.get("requestBody").map(|body| deref(self.doc, body))
    }

    /// The JSON request body's schema as written (a `$ref` stays a `$ref`).
    pub fn request_schema(&self) -> Option<&'a Value> {
        self.request_body()
            .and_then(|body| json_media(body))
            .and_then(|media| media.get("schema"))
    }

    /// The named examples of the JSON request body, sorted by name.
    pub fn request_examples(&self) -> Vec<Example<'a>> {
        self.request_body()
            .and_then(|body| json_media(body))
            .map(|media| examples_of(self.doc, media))
            .unwrap_or_default()
    }

    /// Every response, sorted by status key.
    pub fn responses(&self) -> Vec<Response<'a>> {
        let Some(Value::Object(responses)) = self.op.get("responses") else {
            return Vec::new();
        };
        responses
            .iter()
            .map(|(status, written)| Response {
                doc: self.doc,
                status,
                class: StatusClass::of(status),
                at: self.at.key("responses").key(status.as_str()),
                written,
                object: deref(self.doc, written),
            })
            .collect()
    }

    /// The response that documents `status`: the exact status, else its
    /// range (`4XX`), else `default`.
    pub fn response_for(&self, status: u16) -> Option<Response<'a>> {
        let responses = self.responses();
        let keys = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".to_string(),
        ];
        keys.iter().find_map(|key| {
            responses
                .iter()
                .find(|response| response.status == key)
                .cloned()
        })
    }

    /// The explicitly listed 2xx statuses.
    pub fn success_statuses(&self) -> Vec<u16> {
        self.responses()
            .iter()
            .filter_map(Response::status_code)
            .filter(|status| (200..300).contains(status))
            .collect()
    }

    /// Validates a request body against the operation's request schema.
    pub fn validate_request(&self, body: &Value) -> Result<(), Vec<String>> {
        let schema = self
            .request_schema()
            .ok_or_else(|| vec![format!("`{}` has no JSON request body schema", self.name())])?;
        json_schema::validate(self.doc, schema, body)
    }

    /// Validates a response body against the schema documented for `status`.
    pub fn validate_response(&self, status: u16, body: &Value) -> Result<(), Vec<String>> {
        let schema = self
            .response_for(status)
            .and_then(|response| response.schema())
            .ok_or_else(|| {
                vec![format!(
                    "no JSON schema for `{}` status {status}",
                    self.name()
                )]
            })?;
        json_schema::validate(self.doc, schema, body)
    }

    /// Every case this operation documents: each example of each explicit
    /// success status, and each `error_code` in the examples of each
    /// explicit error status. Ranges (`4XX`) and `default` document what
    /// the API may add, not cases.
    pub fn documented_cases(&self) -> BTreeSet<Case> {
        let mut cases = BTreeSet::new();
        let Some(operation) = self.id() else {
            return cases;
        };
        for response in self.responses() {
            let Some(status) = response.status_code() else {
                continue;
            };
            for example in response.examples() {
                let error_code = example.error_code().map(str::to_string);
                if error_code.is_some() || status < 400 {
                    cases.insert(Case {
                        operation: operation.to_string(),
                        status,
                        error_code,
                    });
                }
            }
        }
        cases
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    /// Its `name` (empty when missing).
    pub name: &'a str,
    /// Its `in`: `path`, `query`, `header` or `cookie`.
    pub location: &'a str,
    /// Where it is written.
    pub at: JsonPath,
    /// The parameter object (followed through `$ref`).
    pub object: &'a Value,
}

impl<'a> Parameter<'a> {
    /// Its schema as written.
    pub fn schema(&self) -> Option<&'a Value> {
        self.object.get("schema")
    }

    /// Whether `required: true`.
    pub fn is_required(&self) -> bool {
        self.object.get("required") == Some(&Value::Bool(true))
    }

    /// Its `example`.
    pub fn example(&self) -> Option<&'a Value> {
        self.object.get("example")
    }
}

/// What a response status key means to progenitor, which puts every
/// response in one of two groups and needs one body schema per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// `2xx`: the operation's result.
    Success,
    /// `4xx`/`5xx` (and the `4XX`/`5XX` ranges): an error.
    Error,
    /// `default`: counts as both success and error.
    Default,
    /// Anything else (`1xx`, `3xx`): neither.
    Other,
}

impl StatusClass {
    /// The class of a status key such as `200`, `4XX` or `default`.
    pub fn of(status: &str) -> StatusClass {
        match status.as_bytes().first() {
            _ if status == "default" => StatusClass::Default,
            Some(b'2') => StatusClass::Success,
            Some(b'4' | b'5') => StatusClass::Error,
            _ => StatusClass::Other,
        }
    }

    /// Whether progenitor decodes this response as a success.
    pub fn is_success(self) -> bool {
        matches!(self, StatusClass::Success | StatusClass::Default)
    }

    /// Whether progenitor decodes this response as an error.
    pub fn is_error(self) -> bool {
        matches!(self, StatusClass::Error | StatusClass::Default)
    }
}

/// One response of an operation.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    doc: &'a Value,
    /// The status key as written: `200`, `4XX`, `default`.
    pub status: &'a str,
    /// What the status means.
    pub class: StatusClass,
    /// Where it is written.
    pub at: JsonPath,
    /// The response as written (possibly a `$ref`).
    pub written: &'a Value,
    /// The response object (followed through `$ref`).
    pub object: &'a Value,
}

impl<'a> Response<'a> {
    /// The status as a number, for an explicit status (not a range).
    pub fn status_code(&self) -> Option<u16> {
        self.status.parse().ok()
    }

    /// The body schema as written (a `$ref` stays a `$ref`): the JSON
    /// media type's, else the first one's; `None` for a response without
    /// a body.
    pub fn schema(&self) -> Option<&'a Value> {
        json_media(self.object).and_then(|media| media.get("schema"))
    }

    /// The body's examples: the media type's `example`, then its named
    /// `examples` sorted by name.
    pub fn examples(&self) -> Vec<Example<'a>> {
        json_media(self.object)
            .map(|media| examples_of(self.doc, media))
            .unwrap_or_default()
    }
}

/// One example value.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    /// Its key under `examples`, or `None` for a lone `example`.
    pub name: Option<&'a str>,
    /// Its `summary`.
    pub summary: Option<&'a str>,
    /// The example value.
    pub value: &'a Value,
}

impl<'a> Example<'a> {
    /// The `error_code` of an error-envelope example.
    pub fn error_code(&self) -> Option<&'a str> {
        self.value.get("error_code").and_then(Value::as_str)
    }
}

/// The media type object of a body: `application/json` (with or without
/// parameters), else the first listed.
fn json_media(body: &Value) -> Option<&Value> {
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media_type, _)| media_type.starts_with("application/json"))
        .or_else(|| content.iter().next())
        .map(|(_, media)| media)
}

fn examples_of<'a>(doc: &'a Value, media: &'a Value) -> Vec<Example<'a>> {
    let mut out: Vec<Example<'a>> = media
        .get("example")
        .map(|value| Example {
            name: None,
            summary: None,
            value,
        })
        .into_iter()
        .collect();
    if let Some(Value::Object(examples)) = media.get("examples") {
        for (name, example) in examples {
            let example = deref(doc, example);
            if let Some(value) = example.get("value") {
                out.push(Example {
                    name: Some(name),
                    summary: example.get("summary").and_then(Value::as_str),
                    value,
                });
            }
        }
    }
    out
}

/// One documented (or recorded) outcome of an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Case {
    /// The operationId.
    pub operation: String,
    /// The HTTP status.
    pub status: u16,
    /// The `error_code` of an error envelope; `None` for a success, or for
    /// an error body that is not the envelope (HTML, empty).
    pub error_code: Option<String>,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_code {
            Some(code) => write!(f, "({}, {}, {code})", self.operation, self.status),
            None => write!(f, "({}, {})", self.operation, self.status),
        }
    }
}

/// Where one error code is documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeUse {
    /// The operationId.
    pub operation: String,
    /// The status key (`409`, `4XX`).
    pub status: String,
    /// The example's summary (may be empty).
    pub summary: String,
}

/// The `error_code` of every error-response example (explicit statuses and
/// ranges), by code, with where each is documented.
pub fn documented_error_codes(doc: &Value) -> BTreeMap<String, Vec<ErrorCodeUse>> {
    let mut codes: BTreeMap<String, Vec<ErrorCodeUse>> = BTreeMap::new();
    for operation in operations(doc) {
        let name = operation.name();
        for response in operation.responses() {
            if response.class != StatusClass::Error {
                continue;
            }
            for example in response.examples() {
                if let Some(code) = example.error_code() {
                    codes
                        .entry(code.to_string())
                        .or_default()
                        .push(ErrorCodeUse {
                            operation: name.clone(),
                            status: response.status.to_string(),
                            summary: example.summary.unwrap_or("").to_string(),
                        });
                }
            }
        }
    }
    codes
}

/// Every documented case of every operation ([`Operation::documented_cases`]).
pub fn documented_cases(doc: &Value) -> BTreeSet<Case> {
    operations(doc)
        .iter()
        .flat_map(Operation::documented_cases)
        .collect()
}
