//! The constraints of every request schema, emitted as Rust data so the
//! client can refuse a body the spec forbids before sending it.
//!
//! typify turns only some constraints into types (string lengths become
//! checked newtypes); numeric bounds, array sizes, enums inside maps,
//! `required` at depth and the rest would go out unchecked. Instead of
//! another code path per keyword, the generator writes the request schemas
//! themselves, as read by [`spec::constraints`], into a module of `static`s:
//!
//! ```text
//! pub(crate) mod request_rules {
//!     pub(crate) static BY_OPERATION: &[(&str, &Schema)] = &[("update_pack", &UPDATE_PACK_REQUEST), …];
//!     pub(crate) static PATTERNS: &[&str] = &[…];
//!     static UPDATE_PACK_REQUEST: Schema = Schema { ty: Some(Type::Object), rules: &[Rule::MinProperties(1)], … };
//! }
//! ```
//!
//! The client crate's hand-written constraints module defines `Schema`,
//! `Rule` and friends and walks a body against them. Every `$ref` target is
//! one `static` (named after its component), which is also what keeps
//! recursive schemas finite; inline schemas are written in place.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use spec::constraints::{Additional, Format, JsonType, NodeId, RequestSchemas, Rule};
use spec::{Diagnostic, Location, Spec};

use crate::error::Error;

/// The `request_rules` module, its types named through `module` (the
/// client crate's constraints module, e.g. `crate::constraints`).
pub(crate) fn tokens(spec: &Spec, module: &str) -> Result<TokenStream, Error> {
    let module: TokenStream = module.parse().map_err(|e| Error::Generate {
        file: spec.path().to_path_buf(),
        operation: None,
        message: format!("constraints module `{module}` is not a Rust path: {e}"),
    })?;
    let schemas = RequestSchemas::of(spec);
    let patterns = patterns(spec, &schemas)?;
    let emitter = Emitter {
        schemas: &schemas,
        names: static_names(&schemas),
        patterns: &patterns,
    };
    let statics = emitter.names.iter().map(|(id, name)| {
        let doc = format!(" The schema at `{}`.", emitter.schemas.node(*id).at);
        let schema = emitter.schema(*id);
        quote! {
            #[doc = #doc]
            static #name: Schema = #schema;
        }
    });
    let roots = schemas.roots().iter().map(|(operation, root)| {
        let schema = emitter.reference(*root);
        quote! { (#operation, #schema) }
    });
    let pattern_sources = patterns.iter();
    let pattern_matcher = pattern_matcher(&patterns);
    Ok(quote! {
        /// The request schemas' constraints, read from the spec: what the
        /// client checks a body against before sending it.
        #[doc(hidden)]
        pub(crate) mod request_rules {
            use #module::*;

            /// Each operation's id and the schema of its request body.
            pub(crate) static BY_OPERATION: &[(&str, &Schema)] = &[#(#roots),*];

            /// The `pattern`s of the request schemas; `Rule::Pattern(i)` is the i-th.
            pub(crate) static PATTERNS: &[&str] = &[#(#pattern_sources),*];

            #pattern_matcher

            #(#statics)*
        }
    })
}

/// `matches_pattern(index, text)`: whether `text` contains a match of
/// `PATTERNS[index]` (`None` past the end, `Err` for a pattern that does not
/// compile). Only a spec with patterns makes the client use `regex-lite`:
/// without them the function matches nothing, and the client crate need
/// not compile a regular-expression engine (its `Cargo.toml` declares
/// `regex-lite` exactly when the spec has a `pattern`, a test in
/// `xtask/src/dependency_rules.rs` keeps the two in step).
fn pattern_matcher(patterns: &[&str]) -> TokenStream {
    if patterns.is_empty() {
        return quote! {
            /// Whether `text` contains a match of `PATTERNS[index]`: the
            /// request schemas have no `pattern`, so never.
            pub(crate) fn matches_pattern(
                _index: usize,
                _text: &str,
            ) -> Option<Result<bool, &'static str>> {
                None
            }
        };
    }
    quote! {
        /// Whether `text` contains a match of `PATTERNS[index]` (each
        /// compiled once, on first use); `None` past the end, `Err` if the
        /// pattern does not compile.
        pub(crate) fn matches_pattern(
            index: usize,
            text: &str,
        ) -> Option<Result<bool, &'static str>> {
            static COMPILED: ::std::sync::OnceLock<Vec<Result<::regex_lite::Regex, String>>> =
                ::std::sync::OnceLock::new();
            let compiled = COMPILED.get_or_init(|| {
                PATTERNS
                    .iter()
                    .map(|source| ::regex_lite::Regex::new(source).map_err(|e| e.to_string()))
                    .collect()
            });
            compiled
                .get(index)
                .map(|pattern| match pattern {
                    Ok(pattern) => Ok(pattern.is_match(text)),
                    Err(error) => Err(error.as_str()),
                })
        }
    }
}

/// Every `pattern`, once each, in the order the nodes are numbered. Each
/// must compile with the engine the client checks with (`regex-lite`); one
/// that does not stops generation here, located, instead of failing in a
/// user's request.
fn patterns<'a>(spec: &Spec, schemas: &RequestSchemas<'a>) -> Result<Vec<&'a str>, Error> {
    let mut out: Vec<&'a str> = Vec::new();
    let mut problems = Vec::new();
    for (node, pattern) in schemas.patterns() {
        if out.contains(&pattern) {
            continue;
        }
        match regex_lite::Regex::new(pattern) {
            Ok(_) => out.push(pattern),
            Err(e) => problems.push(Diagnostic::at(
                spec.path(),
                Location::Path(node.at.key("pattern")),
                format!(
                    "the client checks patterns with regex-lite, which cannot compile `{pattern}`: {e}"
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Spec(spec::Error::Spec(problems)))
    }
}

/// The `static` of each `$ref` target: its component's name in
/// SCREAMING_SNAKE_CASE, made unique with the node number if needed.
fn static_names(schemas: &RequestSchemas<'_>) -> BTreeMap<NodeId, Ident> {
    let mut used = BTreeSet::new();
    let mut names = BTreeMap::new();
    for (id, node) in schemas.nodes() {
        if node.reference.is_none() {
            continue;
        }
        let base = node
            .component()
            .map(|component| screaming_snake(&component))
            .unwrap_or_else(|| "SCHEMA".to_string());
        let mut name = base.clone();
        let mut suffix = id.index();
        while !used.insert(name.clone()) {
            name = format!("{base}_{suffix}");
            suffix += 1;
        }
        names.insert(id, Ident::new(&name, Span::call_site()));
    }
    names
}

/// `UpdatePackRequest` → `UPDATE_PACK_REQUEST`; anything that is not an
/// ASCII letter or digit becomes `_`, and a name that would not be an
/// identifier gets a `SCHEMA_` prefix.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            let word_starts = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if word_starts {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let trimmed = out.trim_matches('_');
    match trimmed.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => trimmed.to_string(),
        Some(_) => format!("SCHEMA_{trimmed}"),
        None => "SCHEMA".to_string(),
    }
}

struct Emitter<'s, 'a> {
    schemas: &'s RequestSchemas<'a>,
    names: BTreeMap<NodeId, Ident>,
    patterns: &'s [&'a str],
}

impl Emitter<'_, '_> {
    /// `&NAME` for a node with a `static`, else the schema written in place.
    fn reference(&self, id: NodeId) -> TokenStream {
        match self.names.get(&id) {
            Some(name) => quote! { &#name },
            None => {
                let schema = self.schema(id);
                quote! { &#schema }
            }
        }
    }

    fn references(&self, ids: &[NodeId]) -> TokenStream {
        let references = ids.iter().map(|id| self.reference(*id));
        quote! { &[#(#references),*] }
    }

    /// A `Schema` literal listing only what differs from `Schema::ANY`.
    fn schema(&self, id: NodeId) -> TokenStream {
        let node = self.schemas.node(id);
        let mut fields = Vec::new();
        if let Some(ty) = node.ty {
            let ty = type_variant(ty);
            fields.push(quote! { ty: Some(Type::#ty) });
        }
        if node.nullable {
            fields.push(quote! { nullable: true });
        }
        if !node.rules.is_empty() {
            let rules = node.rules.iter().map(|rule| self.rule(rule));
            fields.push(quote! { rules: &[#(#rules),*] });
        }
        if !node.required.is_empty() {
            let required = &node.required;
            fields.push(quote! { required: &[#(#required),*] });
        }
        if !node.properties.is_empty() {
            let properties = node.properties.iter().map(|(name, id)| {
                let schema = self.reference(*id);
                quote! { (#name, #schema) }
            });
            fields.push(quote! { properties: &[#(#properties),*] });
        }
        if let Some(items) = node.items {
            let items = self.reference(items);
            fields.push(quote! { items: Some(#items) });
        }
        match node.additional {
            Additional::Any => {}
            Additional::Forbidden => fields.push(quote! { additional: Additional::Forbidden }),
            Additional::Schema(id) => {
                let schema = self.reference(id);
                fields.push(quote! { additional: Additional::Schema(#schema) });
            }
        }
        for (field, ids) in [
            (quote! { one_of }, &node.one_of),
            (quote! { any_of }, &node.any_of),
            (quote! { all_of }, &node.all_of),
        ] {
            if !ids.is_empty() {
                let references = self.references(ids);
                fields.push(quote! { #field: #references });
            }
        }
        if let Some(not) = node.not {
            let not = self.reference(not);
            fields.push(quote! { not: Some(#not) });
        }
        if fields.is_empty() {
            quote! { Schema::ANY }
        } else {
            quote! { Schema { #(#fields,)* ..Schema::ANY } }
        }
    }

    fn rule(&self, rule: &Rule<'_>) -> TokenStream {
        let count = |n: &u64| proc_macro2::Literal::u64_unsuffixed(*n);
        match rule {
            Rule::Enum(values) => {
                let values = values.iter().map(literal);
                quote! { Rule::Enum(&[#(#values),*]) }
            }
            Rule::MinLength(n) => {
                let n = count(n);
                quote! { Rule::MinLength(#n) }
            }
            Rule::MaxLength(n) => {
                let n = count(n);
                quote! { Rule::MaxLength(#n) }
            }
            Rule::Pattern(pattern) => {
                // `patterns` holds every pattern of every node.
                let index = self
                    .patterns
                    .iter()
                    .position(|known| known == pattern)
                    .unwrap_or_default();
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                quote! { Rule::Pattern(#index) }
            }
            Rule::Format(Format::Uuid) => quote! { Rule::Format(Format::Uuid) },
            Rule::Minimum(limit) => {
                let limit = number(*limit);
                quote! { Rule::Minimum(#limit) }
            }
            Rule::ExclusiveMinimum(limit) => {
                let limit = number(*limit);
                quote! { Rule::ExclusiveMinimum(#limit) }
            }
            Rule::Maximum(limit) => {
                let limit = number(*limit);
                quote! { Rule::Maximum(#limit) }
            }
            Rule::ExclusiveMaximum(limit) => {
                let limit = number(*limit);
                quote! { Rule::ExclusiveMaximum(#limit) }
            }
            Rule::MultipleOf(divisor) => {
                let divisor = number(*divisor);
                quote! { Rule::MultipleOf(#divisor) }
            }
            Rule::MinItems(n) => {
                let n = count(n);
                quote! { Rule::MinItems(#n) }
            }
            Rule::MaxItems(n) => {
                let n = count(n);
                quote! { Rule::MaxItems(#n) }
            }
            Rule::UniqueItems => quote! { Rule::UniqueItems },
            Rule::MinProperties(n) => {
                let n = count(n);
                quote! { Rule::MinProperties(#n) }
            }
            Rule::MaxProperties(n) => {
                let n = count(n);
                quote! { Rule::MaxProperties(#n) }
            }
        }
    }
}

fn type_variant(ty: JsonType) -> Ident {
    let name = match ty {
        JsonType::String => "String",
        JsonType::Number => "Number",
        JsonType::Integer => "Integer",
        JsonType::Boolean => "Boolean",
        JsonType::Array => "Array",
        JsonType::Object => "Object",
    };
    Ident::new(name, Span::call_site())
}

/// An `f64` expression (finite: [`spec::constraints`] reads no other).
fn number(value: f64) -> TokenStream {
    let magnitude = proc_macro2::Literal::f64_unsuffixed(value.abs());
    if value.is_sign_negative() && value != 0.0 {
        quote! { -#magnitude }
    } else {
        quote! { #magnitude }
    }
}

/// A JSON value as a `Literal` expression (the members of an `enum`).
fn literal(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { Literal::Null },
        Value::Bool(b) => quote! { Literal::Bool(#b) },
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let magnitude = proc_macro2::Literal::u64_unsuffixed(i.unsigned_abs());
                if i < 0 {
                    quote! { Literal::Integer(-#magnitude) }
                } else {
                    quote! { Literal::Integer(#magnitude) }
                }
            }
            (None, Some(f)) if f.is_finite() => {
                let f = number(f);
                quote! { Literal::Number(#f) }
            }
            // serde_json holds no other numbers without arbitrary precision.
            (None, _) => quote! { Literal::Null },
        },
        Value::String(s) => quote! { Literal::String(#s) },
        Value::Array(items) => {
            let items = items.iter().map(literal);
            quote! { Literal::Array(&[#(#items),*]) }
        }
        Value::Object(members) => {
            let members = members.iter().map(|(key, value)| {
                let value = literal(value);
                quote! { (#key, #value) }
            });
            quote! { Literal::Object(&[#(#members),*]) }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    /// The codegen fixture with its request schema replaced by `request`
    /// and `schemas` added to its components.
    fn spec_with(request: Value, schemas: Value) -> Result<Spec, spec::Error> {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal.yaml");
        let mut json = spec::load(&fixture)?.json().clone();
        *json
            .pointer_mut(
                "/paths/~1things~1{thingId}/patch/requestBody/content/application~1json/schema",
            )
            .expect("the fixture's request schema") = request;
        let components = json["components"]["schemas"]
            .as_object_mut()
            .expect("the fixture's schemas");
        for (name, schema) in schemas.as_object().expect("schemas by name") {
            components.insert(name.clone(), schema.clone());
        }
        spec::parse(
            &fixture,
            &serde_json::to_vec(&json).expect("JSON serialises"),
        )
    }

    fn rendered(spec: &Spec) -> String {
        let tokens = tokens(spec, "crate::constraints").expect("generates");
        let file: syn::File = syn::parse2(tokens).expect("valid Rust");
        prettyplease::unparse(&file)
    }

    #[test]
    fn components_are_statics_inline_schemas_are_in_place_and_recursion_is_finite() {
        let spec = spec_with(
            json!({"$ref": "#/components/schemas/ThingPatch"}),
            json!({
                "ThingPatch": {"type": "object", "minProperties": 1, "required": ["tags", "ids"], "properties": {
                    "size": {"type": "integer", "minimum": -8, "maximum": 200.5},
                    "parent": {"$ref": "#/components/schemas/MaybeThing"},
                    "tags": {"type": "array", "items": {"enum": ["a", 1, null]}},
                    "ids": {"type": "object", "additionalProperties": {"type": "string", "format": "uuid"}},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}$"}
                }},
                "MaybeThing": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/ThingPatch"}]}
            }),
        )
        .unwrap();
        let source = rendered(&spec);
        for expected in [
            "pub(crate) static BY_OPERATION: &[(&str, &Schema)] = &[",
            "(\"update_thing\", &THING_PATCH),",
            "pub(crate) static PATTERNS: &[&str] = &[\"^[A-Z]{3}$\"];",
            "/// The schema at `$.components.schemas.ThingPatch`.\n    static THING_PATCH: Schema = Schema {",
            "rules: &[Rule::MinProperties(1)]",
            "(\"parent\", &MAYBE_THING)",
            "static MAYBE_THING: Schema = Schema {",
            "all_of: &[&THING_PATCH]",
            "rules: &[Rule::Minimum(-8.0), Rule::Maximum(200.5)]",
            "&[Literal::String(\"a\"), Literal::Integer(1), Literal::Null]",
            "additional: Additional::Schema(",
            "rules: &[Rule::Format(Format::Uuid)]",
            "rules: &[Rule::Pattern(0)]",
            "::regex_lite::Regex::new(source)",
            "nullable: true",
            "..Schema::ANY",
        ] {
            assert!(source.contains(expected), "{expected}\nin:\n{source}");
        }
        assert_eq!(source.matches("static THING_PATCH").count(), 1);
        assert_eq!(source, rendered(&spec), "byte-for-byte deterministic");
    }

    #[test]
    fn without_patterns_the_client_compiles_no_regular_expression_engine() {
        let spec = spec_with(
            json!({"type": "object", "properties": {"code": {"type": "string", "maxLength": 3}}}),
            json!({}),
        )
        .unwrap();
        let source = rendered(&spec);
        assert!(
            source.contains("pub(crate) static PATTERNS: &[&str] = &[];"),
            "{source}"
        );
        assert!(
            source.contains("pub(crate) fn matches_pattern("),
            "{source}"
        );
        assert!(!source.contains("regex_lite"), "{source}");
    }

    #[test]
    fn a_pattern_the_client_cannot_compile_stops_generation_with_its_place() {
        let spec = spec_with(
            json!({"type": "object", "properties": {"code": {"type": "string", "pattern": "^(?=a)b"}}}),
            json!({}),
        )
        .unwrap();
        let error = tokens(&spec, "crate::constraints").unwrap_err().to_string();
        assert!(
            error.contains(
                "$.paths['/things/{thingId}'].patch.requestBody.content['application/json'].schema.properties.code.pattern: the client checks patterns with regex-lite, which cannot compile `^(?=a)b`"
            ),
            "{error}"
        );
    }

    #[test]
    fn static_names_are_identifiers() {
        assert_eq!(screaming_snake("UpdatePackRequest"), "UPDATE_PACK_REQUEST");
        assert_eq!(screaming_snake("FontSize2Value"), "FONT_SIZE2_VALUE");
        assert_eq!(screaming_snake("a/b~c"), "A_B_C");
        assert_eq!(screaming_snake("2x2"), "SCHEMA_2X2");
        assert_eq!(screaming_snake("é"), "SCHEMA");
    }
}
