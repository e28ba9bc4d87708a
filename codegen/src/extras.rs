//! Items derived from the spec that progenitor does not emit: the base URL,
//! the spec hash, the documented error codes as an enum, and per-operation
//! facts the hand-written layer needs (which bodies must not be empty, which
//! statuses mean success). Emitting them here keeps the spec the only place
//! they are written down.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::check::{deref, operations};
use crate::load::Spec;

/// Everything this module adds to the generated file.
pub(crate) fn tokens(spec: &Spec, file_name: &str) -> TokenStream {
    let constants = constants(spec, file_name);
    let error_codes = error_codes(spec.json());
    let operation_facts = operation_facts(spec.json());
    quote! {
        #constants
        #error_codes
        #operation_facts
    }
}

fn constants(spec: &Spec, file_name: &str) -> TokenStream {
    let sha = spec.sha256();
    let sha_doc =
        format!("SHA-256 of the OpenAPI document this module was generated from (`{file_name}`).");
    let base_url = spec.openapi().servers.first().map(|server| {
        let url = server.url.trim_end_matches('/');
        let doc = format!("The API's base URL: the first entry of the spec's `servers` (`{url}`).");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    quote! {
        #[doc = #sha_doc]
        pub const SPEC_SHA256: &str = #sha;
        #base_url
    }
}

/// Where one error code is documented: operation, status, summary.
type Uses = Vec<(String, String, String)>;

/// `error_code` values of every error-response example, by code.
pub(crate) fn documented_error_codes(doc: &Value) -> BTreeMap<String, Uses> {
    let mut codes: BTreeMap<String, Uses> = BTreeMap::new();
    for operation in operations(doc) {
        let name = operation
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or(operation.path);
        let Some(Value::Object(responses)) = operation.op.get("responses") else {
            continue;
        };
        for (status, response) in responses {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let response = deref(doc, response);
            let Some(Value::Object(content)) = response.get("content") else {
                continue;
            };
            for media in content.values() {
                let Some(Value::Object(examples)) = media.get("examples") else {
                    continue;
                };
                for example in examples.values() {
                    let example = deref(doc, example);
                    if let Some(code) = example.pointer("/value/error_code").and_then(Value::as_str)
                    {
                        let summary = example.get("summary").and_then(Value::as_str).unwrap_or("");
                        codes.entry(code.to_string()).or_default().push((
                            name.to_string(),
                            status.clone(),
                            summary.to_string(),
                        ));
                    }
                }
            }
        }
    }
    codes
}

/// `not_found` → `NotFound`.
fn variant_name(code: &str) -> String {
    code.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn error_codes(doc: &Value) -> TokenStream {
    let codes = documented_error_codes(doc);
    if codes.is_empty() {
        return TokenStream::new();
    }
    let mut variants = Vec::new();
    let mut as_str = Vec::new();
    let mut parse = Vec::new();
    let mut all = Vec::new();
    for (code, uses) in &codes {
        let variant = Ident::new(&variant_name(code), Span::call_site());
        let summary = uses
            .iter()
            .map(|(_, _, summary)| summary.as_str())
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let returned_by: Vec<String> = uses
            .iter()
            .map(|(operation, status, _)| format!("`{operation}` ({status})"))
            .collect();
        let doc = format!(
            "`{code}`: {summary}\n\nReturned by {}.",
            returned_by.join(", ")
        );
        variants.push(quote! { #[doc = #doc] #variant, });
        as_str.push(quote! { ErrorCode::#variant => #code, });
        parse.push(quote! { #code => ErrorCode::#variant, });
        all.push(quote! { ErrorCode::#variant, });
    }
    quote! {
        /// The `error_code` values the spec documents, plus [`ErrorCode::Unknown`]
        /// for any other code the server sends: new codes never break decoding.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code the spec does not document.
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// Every documented code, in alphabetical order of the wire value.
            pub const DOCUMENTED: &'static [ErrorCode] = &[#(#all)*];

            /// The code as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    ErrorCode::Unknown(code) => code.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    #(#parse)*
                    other => ErrorCode::Unknown(other.to_string()),
                }
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn operation_facts(doc: &Value) -> TokenStream {
    let mut non_empty = Vec::new();
    let mut success = Vec::new();
    for operation in operations(doc) {
        let Some(id) = operation.op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let body_schema = operation
            .op
            .get("requestBody")
            .map(|body| deref(doc, body))
            .and_then(|body| body.pointer("/content/application~1json/schema"))
            .map(|schema| deref(doc, schema));
        if let Some(schema) = body_schema
            && schema
                .get("minProperties")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                >= 1
        {
            let fields: Vec<&str> = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| properties.keys().map(String::as_str).collect())
                .unwrap_or_default();
            non_empty.push(quote! { (#id, &[#(#fields),*]), });
        }
        let statuses: Vec<u16> = operation
            .op
            .get("responses")
            .and_then(Value::as_object)
            .map(|responses| {
                responses
                    .keys()
                    .filter_map(|status| status.parse::<u16>().ok())
                    .filter(|status| (200..300).contains(status))
                    .collect()
            })
            .unwrap_or_default();
        success.push(quote! { (#id, &[#(#statuses),*]), });
    }
    quote! {
        /// Operations whose request body must set at least one field
        /// (`minProperties: 1` in the spec), with the fields it may set.
        pub const NON_EMPTY_BODIES: &[(&str, &[&str])] = &[#(#non_empty)*];

        /// The success statuses each operation declares.
        pub const SUCCESS_STATUSES: &[(&str, &[u16])] = &[#(#success)*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_upper_camel_case() {
        assert_eq!(variant_name("not_found"), "NotFound");
        assert_eq!(
            variant_name("template_name_conflict"),
            "TemplateNameConflict"
        );
        assert_eq!(variant_name("invalid-json"), "InvalidJson");
    }
}
