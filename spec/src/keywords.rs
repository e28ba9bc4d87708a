//! The Schema Object's vocabulary, written once: the keys check accepts it,
//! the JSON Schema conversion drops the OpenAPI-only part, and the request
//! check tells constraints from annotations.

/// Schema Object keywords OpenAPI 3.0 shares with JSON Schema.
pub const JSON_SCHEMA: [&str; 22] = [
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
];

/// Schema Object keywords JSON Schema has under the same name but OpenAPI
/// 3.0 lists separately (their meaning is adjusted, not new).
const JSON_SCHEMA_ADJUSTED: [&str; 5] = [
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
];

/// Schema Object keywords of OpenAPI 3.0 that JSON Schema does not have.
pub const OPENAPI_ONLY: [&str; 8] = [
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// Every key a Schema Object may hold (besides `x-` extensions and `$ref`).
pub const SCHEMA: [&str; 35] = concat(
    concat::<22, 5, 27>(JSON_SCHEMA, JSON_SCHEMA_ADJUSTED),
    OPENAPI_ONLY,
);

/// Keywords that restrict which values a schema accepts, each one a rule the
/// client checks before sending a request ([`crate::constraints`] reads
/// them; `additionalProperties` counts when it is `false`, `format` for the
/// formats in [`crate::constraints::Format`]).
pub const CONSTRAINTS: [&str; 19] = [
    "type",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "additionalProperties",
    "not",
];

/// Keys that document a schema without constraining its values.
pub const ANNOTATIONS: [&str; 6] = [
    "description",
    "example",
    "nullable",
    "title",
    "deprecated",
    "externalDocs",
];

const fn concat<const A: usize, const B: usize, const C: usize>(
    first: [&'static str; A],
    second: [&'static str; B],
) -> [&'static str; C] {
    assert!(A + B == C, "the lengths must add up");
    let mut out = [""; C];
    let mut index = 0;
    while index < A {
        out[index] = first[index];
        index += 1;
    }
    while index < C {
        out[index] = second[index - A];
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constraint_is_a_schema_keyword_and_none_is_an_annotation() {
        for keyword in CONSTRAINTS {
            assert!(SCHEMA.contains(&keyword), "{keyword}");
            assert!(!ANNOTATIONS.contains(&keyword), "{keyword}");
        }
    }
}
