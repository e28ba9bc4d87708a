//! The generated `Client::new` builds its own `reqwest::Client`. With
//! `rustls-ring`, that needs a crypto provider, which nothing has installed
//! when `Client::new` is the process's first client: it installs ring
//! itself, as `Client::builder().build()` does. A binary of its own, because
//! the provider is process-wide state that any other test would set first.
#![cfg(feature = "rustls-ring")]

use genviral_partner::{Client, ClientInfo, ClientState};

#[test]
fn client_new_works_as_the_first_client_of_the_process() {
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    let client = Client::new(
        "https://www.genviral.io/api/partner/v1",
        ClientState::default(),
    );
    assert_eq!(client.baseurl(), "https://www.genviral.io/api/partner/v1");
    assert!(rustls::crypto::CryptoProvider::get_default().is_some());
}
