//! `Client` records the request timeout its `reqwest::Client` applies by
//! itself.
//!
//! The hand-written hooks give every attempt a timeout. Set on a request, a
//! timeout costs reqwest a map allocated and freed per request (reqwest
//! keeps it in the request's extensions); a `reqwest::Client` built with
//! that timeout applies it without one (BENCHMARKS.md, section 1). Only the
//! code that built the `reqwest::Client` knows its timeout, so `Client`
//! gets a field for it, next to the `reqwest::Client` it describes: `None`
//! from progenitor's constructors (`new_with_client` takes any
//! `reqwest::Client`), set by the client crate's builder.

use super::syntax;

/// The field of `Client`.
const FIELD: &str = "reqwest_timeout";

/// Adds the field to `Client`, `None` in its constructor.
pub(crate) fn add(file: &mut syn::File) {
    if syntax::client_fields_mut(file).is_none() || syntax::client_constructor_mut(file).is_none() {
        return;
    }
    let field = syn::Ident::new(FIELD, proc_macro2::Span::call_site());
    if let Some(fields) = syntax::client_fields_mut(file) {
        fields.named.push(syn::parse_quote! {
            /// The timeout the `reqwest::Client` applies to every request by
            /// itself, when the code that built it says so: an attempt with
            /// this timeout sets none on its request.
            pub(crate) #field: ::std::option::Option<::std::time::Duration>
        });
    }
    if let Some(values) = syntax::client_constructor_mut(file) {
        values.push(syn::parse_quote!(#field: ::std::option::Option::None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_added_and_unknown_in_the_constructor() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Client {
                pub(crate) baseurl: String,
                pub(crate) client: reqwest::Client,
            }
            impl Client {
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self {
                    Self { baseurl: baseurl.to_string(), client }
                }
            }
        };
        add(&mut file);
        let compact = syntax::compact(&file);
        for expected in [
            "pub(crate)reqwest_timeout:::std::option::Option<::std::time::Duration>}",
            "client,reqwest_timeout:::std::option::Option::None}",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{compact}");
        }
    }
}
