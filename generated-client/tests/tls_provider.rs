//! With `rustls-ring`, building a client installs ring as the process's
//! rustls provider only when the application has not installed one: an
//! application's own provider is kept, and building never panics. A binary
//! of its own, because the provider is process-wide state that any other
//! test building a client would set first.
#![cfg(feature = "rustls-ring")]

use rustls::crypto::{CryptoProvider, ring};

#[test]
fn the_applications_provider_is_kept() {
    // Recognisable: ring with one cipher suite instead of all of them.
    let mut own = ring::default_provider();
    own.cipher_suites.truncate(1);
    own.install_default()
        .expect("nothing installed a provider before this test");

    for _ in 0..2 {
        genviral_partner::Client::with_token("gva_live_x1y2z3.abcd1234").unwrap();
    }
    let installed = CryptoProvider::get_default().expect("a provider is installed");
    assert_eq!(installed.cipher_suites.len(), 1);
}
