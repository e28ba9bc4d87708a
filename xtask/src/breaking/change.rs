//! One classified change: its class, where it is, what it is about and
//! what happened.

use std::fmt;

use super::pointer::Ptr;
use crate::versioning::Bump;

/// What a change means to a user of the released API and crate. Ordered
/// by severity: breaking first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code or requests that worked against the release may fail: needs a
    /// major version.
    Breaking,
    /// Something new that cannot break existing users: needs a minor
    /// version.
    Addition,
    /// Documentation and metadata: needs no new version of its own.
    Other,
}

impl Class {
    /// The version bump a change of this class needs.
    pub fn bump(self) -> Bump {
        match self {
            Class::Breaking => Bump::Major,
            Class::Addition => Bump::Minor,
            Class::Other => Bump::None,
        }
    }

    /// The word `cargo xtask breaking` prints.
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Addition => "addition",
            Class::Other => "other",
        }
    }
}

/// Which part of an operation a change is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The operation itself (its path, method, statuses).
    Operation,
    /// The request body.
    Request,
    /// A parameter, by name.
    Parameter(String),
    /// The response of a status key (`200`, `4XX`, `default`).
    Response(String),
}

/// What a change is about: an operation's request field, a schema, the
/// document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// Something of one or more operations (several when a path-level
    /// parameter changes).
    Operation {
        /// The operationIds.
        operations: Vec<String>,
        /// Which part.
        part: Part,
        /// The field inside the part's body, dotted (`config.structure`),
        /// `[]` for array items; empty for the part itself.
        field: String,
    },
    /// A component schema (`components.schemas`) and a field in it.
    Schema {
        /// The schema's name.
        name: String,
        /// As in [`Subject::Operation`].
        field: String,
    },
    /// Anything else of the document (`info`, `servers`, …).
    Document,
}

impl Subject {
    /// The same subject with `name` appended to its field.
    pub fn field(&self, name: &str) -> Subject {
        let join = |field: &str| match field {
            "" => name.to_string(),
            field if name.starts_with('[') => format!("{field}{name}"),
            field => format!("{field}.{name}"),
        };
        match self {
            Subject::Operation {
                operations,
                part,
                field,
            } => Subject::Operation {
                operations: operations.clone(),
                part: part.clone(),
                field: join(field),
            },
            Subject::Schema {
                name: schema,
                field,
            } => Subject::Schema {
                name: schema.clone(),
                field: join(field),
            },
            Subject::Document => Subject::Document,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = |f: &mut fmt::Formatter<'_>, field: &str| match field {
            "" => Ok(()),
            field => write!(f, " field `{field}`"),
        };
        match self {
            Subject::Operation {
                operations,
                part,
                field: name,
            } => {
                let operations: Vec<String> =
                    operations.iter().map(|id| format!("`{id}`")).collect();
                f.write_str(&operations.join(", "))?;
                match part {
                    Part::Operation => Ok(()),
                    Part::Request if name.is_empty() => f.write_str(" request body"),
                    Part::Request => {
                        f.write_str(" request")?;
                        field(f, name)
                    }
                    Part::Parameter(parameter) => write!(f, " parameter `{parameter}`"),
                    Part::Response(status) => {
                        write!(f, " response {status}")?;
                        field(f, name)
                    }
                }
            }
            Subject::Schema { name, field: inner } => {
                write!(f, "schema `{name}`")?;
                field(f, inner)
            }
            Subject::Document => f.write_str("the document"),
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// Where it is: in the working spec, or in the released one for what
    /// was removed.
    pub at: Ptr,
    /// What it is about (several when one schema is reached from several
    /// operations).
    pub subjects: Vec<Subject>,
    /// What happened, e.g. `removed`, `` `maxLength` tightened from 120 to 100 ``.
    pub what: String,
}

impl Change {
    /// A change about one subject.
    pub fn new(class: Class, at: Ptr, subject: Subject, what: impl Into<String>) -> Change {
        Change {
            class,
            at,
            subjects: vec![subject],
            what: what.into(),
        }
    }

    /// A change about several subjects (a schema several operations use).
    pub fn about(class: Class, at: Ptr, subjects: Vec<Subject>, what: impl Into<String>) -> Change {
        Change {
            class,
            at,
            subjects: merge(subjects),
            what: what.into(),
        }
    }

    /// The changelog entry: the subjects and what happened, without the
    /// path.
    pub fn entry(&self) -> String {
        let subjects: Vec<String> = self.subjects.iter().map(ToString::to_string).collect();
        format!("{}: {}", subjects.join("; "), self.what)
    }
}

impl fmt::Display for Change {
    /// One line: class, JSON path, subject and what happened.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8}  {}  {}",
            self.class.label(),
            self.at.json_path(),
            self.entry()
        )
    }
}

/// `changes` sorted (breaking first, then by path) with duplicates merged:
/// one change reported through several operations lists them all.
pub fn normalize(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort();
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    for change in changes {
        match out.last_mut() {
            Some(last)
                if last.class == change.class
                    && last.at == change.at
                    && last.what == change.what =>
            {
                last.subjects.extend(change.subjects);
            }
            _ => out.push(change),
        }
    }
    for change in &mut out {
        change.subjects = merge(std::mem::take(&mut change.subjects));
    }
    // A change found through several routes keeps its worst class only.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|change| seen.insert((change.at.clone(), change.what.clone())));
    out
}

/// `subjects` without repeats, those that differ only in the operation or
/// the response status written as one (`` `a`, `b` response 400, 404 field `x` ``).
pub fn merge(subjects: Vec<Subject>) -> Vec<Subject> {
    let mut out: Vec<Subject> = Vec::new();
    for subject in subjects {
        let merged = out.iter_mut().any(|kept| merge_into(kept, &subject));
        if !merged {
            out.push(subject);
        }
    }
    out
}

/// Merges `subject` into `kept` when they differ only in operations or in
/// response status; whether it did.
fn merge_into(kept: &mut Subject, subject: &Subject) -> bool {
    if kept == subject {
        return true;
    }
    let (
        Subject::Operation {
            operations: kept_operations,
            part: kept_part,
            field: kept_field,
        },
        Subject::Operation {
            operations,
            part,
            field,
        },
    ) = (kept, subject)
    else {
        return false;
    };
    if kept_field != field {
        return false;
    }
    match (&mut *kept_part, part) {
        (Part::Response(kept_statuses), Part::Response(status))
            if kept_operations == operations =>
        {
            if !kept_statuses.split(", ").any(|kept| kept == status) {
                kept_statuses.push_str(", ");
                kept_statuses.push_str(status);
            }
            true
        }
        (kept_part, part) if *kept_part == *part => {
            for operation in operations {
                if !kept_operations.contains(operation) {
                    kept_operations.push(operation.clone());
                }
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_name_the_operation_the_part_and_the_field() {
        let request = Subject::Operation {
            operations: vec!["update_pack".into()],
            part: Part::Request,
            field: String::new(),
        };
        assert_eq!(request.to_string(), "`update_pack` request body");
        assert_eq!(
            request.field("config").field("version").to_string(),
            "`update_pack` request field `config.version`"
        );
        let response = Subject::Operation {
            operations: vec!["a".into(), "b".into()],
            part: Part::Response("200".into()),
            field: "data".into(),
        };
        assert_eq!(response.to_string(), "`a`, `b` response 200 field `data`");
        let change = Change::new(
            Class::Breaking,
            Ptr::parse("#/components/schemas/Pack/properties/name"),
            Subject::Schema {
                name: "Pack".into(),
                field: "name".into(),
            },
            "removed",
        );
        assert_eq!(
            change.to_string(),
            "breaking  $.components.schemas.Pack.properties.name  schema `Pack` field `name`: removed"
        );
    }

    #[test]
    fn the_same_change_through_two_operations_is_one_line_naming_both() {
        let at = Ptr::parse("#/components/schemas/Pack");
        let subject = |id: &str| Subject::Operation {
            operations: vec![id.into()],
            part: Part::Operation,
            field: String::new(),
        };
        let changes = normalize(vec![
            Change::new(Class::Addition, at.clone(), subject("b"), "x"),
            Change::new(Class::Breaking, at.clone(), subject("a"), "x"),
            Change::new(Class::Breaking, at.clone(), subject("c"), "x"),
        ]);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].class, Class::Breaking);
        assert_eq!(changes[0].entry(), "`a`, `c`: x");

        let response = |id: &str, status: &str| Subject::Operation {
            operations: vec![id.into()],
            part: Part::Response(status.into()),
            field: "message".into(),
        };
        let merged = merge(vec![
            response("a", "400"),
            response("a", "404"),
            response("a", "400"),
            response("b", "400"),
        ]);
        let shown: Vec<String> = merged.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "`a` response 400, 404 field `message`",
                "`b` response 400 field `message`"
            ]
        );
    }
}
