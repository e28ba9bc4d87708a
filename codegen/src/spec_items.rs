//! Items derived from the spec that progenitor does not emit: the base URL,
//! the spec hash, the documented error codes as an enum, and per-operation
//! facts the hand-written layer needs (which bodies must not be empty, which
//! statuses mean success). Emitting them here keeps the spec the only place
//! they are written down.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use spec::Spec;

use crate::type_names::pascal;

/// Everything this module adds to the generated file.
pub(crate) fn tokens(spec: &Spec) -> TokenStream {
    let constants = constants(spec);
    let error_codes = error_codes(spec);
    let operation_facts = operation_facts(spec);
    quote! {
        #constants
        #error_codes
        #operation_facts
    }
}

fn constants(spec: &Spec) -> TokenStream {
    let sha = spec.sha256();
    let sha_doc = format!(
        "SHA-256 of the OpenAPI document this module was generated from (`{}`).",
        spec.file_name()
    );
    let base_url = spec.base_url().map(|url| {
        let doc = format!("The API's base URL: the first entry of the spec's `servers` (`{url}`).");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let version = spec.version();
    let version_doc =
        format!("The API version this client implements: the spec's `info.version` (`{version}`).");
    let api = format!(" (api {version})");
    quote! {
        #[doc = #sha_doc]
        pub const SPEC_SHA256: &str = #sha;
        #[doc = #version_doc]
        pub const API_VERSION: &str = #version;
        /// `User-Agent` sent with every request: `<crate name>/<crate
        /// version> (api <API_VERSION>)`, e.g. `genviral-partner/0.1.0 (api 1.0.0)`.
        pub const USER_AGENT_VALUE: &str = concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION"),
            #api
        );
        #base_url
    }
}

fn error_codes(spec: &Spec) -> TokenStream {
    let codes = spec.documented_error_codes();
    if codes.is_empty() {
        return TokenStream::new();
    }
    let mut variants = Vec::new();
    let mut as_str = Vec::new();
    let mut parse = Vec::new();
    let mut all = Vec::new();
    for (code, uses) in &codes {
        let variant = Ident::new(&pascal(code), Span::call_site());
        let summary = uses
            .iter()
            .map(|used| used.summary.as_str())
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let returned_by: Vec<String> = uses
            .iter()
            .map(|used| format!("`{}` ({})", used.operation, used.status))
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

fn operation_facts(spec: &Spec) -> TokenStream {
    let mut non_empty = Vec::new();
    let mut success = Vec::new();
    for operation in spec.operations() {
        let Some(id) = operation.id() else {
            continue;
        };
        if let Some(schema) = operation.request_schema().map(|schema| spec.deref(schema))
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
        let statuses = operation.success_statuses();
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
    fn the_api_version_and_the_user_agent_come_from_info_version() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal.yaml");
        let spec = spec::load(path).unwrap();
        let items = constants(&spec).to_string();
        let version = spec.version();
        assert!(
            items.contains(&format!("pub const API_VERSION : & str = \"{version}\"")),
            "{items}"
        );
        assert!(
            items.contains(&format!(
                "env ! (\"CARGO_PKG_VERSION\") , \" (api {version})\""
            )),
            "{items}"
        );
    }
}
