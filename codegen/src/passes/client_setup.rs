//! progenitor's `Client::new` prepares the process before it builds its
//! `reqwest::Client`.
//!
//! `Client::new` builds a `reqwest::Client` itself and unwraps the result.
//! Under the client crate's default TLS feature, reqwest has no rustls
//! crypto provider of its own, so a `Client::new` that runs before anything
//! installed one panicked; the crate's builder installs one first. This
//! pass makes `new` call the same setup function before building, and says
//! in its docs what can still fail (as `reqwest::Client::new` does).

use super::syntax;

/// Makes `Client::new` call `setup` first.
pub(crate) fn add(file: &mut syn::File, setup: &syn::Path) {
    let Some(new) = syntax::inherent_impls_mut(&mut file.items)
        .filter(|(name, _)| name == "Client")
        .flat_map(|(_, block)| block.items.iter_mut())
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == "new" => Some(function),
            _ => None,
        })
    else {
        return;
    };
    new.block.stmts.insert(0, syn::parse_quote!(#setup();));
    let panics = [
        "",
        " # Panics",
        "",
        " If the TLS backend cannot be initialised, as `reqwest::Client::new`;",
        " `Client::builder()` returns that as an error instead.",
    ];
    new.attrs
        .extend(panics.map(|line| -> syn::Attribute { syn::parse_quote!(#[doc = #line]) }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_calls_the_setup_before_anything_else() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Client {}
            impl Client {
                /// Create a new client.
                pub fn new(baseurl: &str) -> Self {
                    let client = reqwest::ClientBuilder::new();
                    Self::new_with_client(baseurl, client.build().unwrap())
                }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self {
                    Self {}
                }
            }
        };
        add(
            &mut file,
            &syn::parse_quote!(crate::install_crypto_provider),
        );
        let compact = syntax::compact(&file);
        assert!(
            compact.contains("->Self{crate::install_crypto_provider();letclient="),
            "{compact}"
        );
        assert_eq!(compact.matches("install_crypto_provider").count(), 1);
        assert!(compact.contains("#[doc=\"#Panics\"]"), "{compact}");
    }
}
