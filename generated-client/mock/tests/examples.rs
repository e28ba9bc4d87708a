//! The example replies are the spec's documented cases, each exactly once,
//! and each error reply is the envelope the client decodes.

use std::collections::BTreeSet;

use genviral_partner::types;
use genviral_partner_mock::examples;

fn spec() -> spec::Spec {
    spec::load(spec::path()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_documented_case_has_an_example_reply_and_no_reply_is_undocumented() {
    let documented = spec().documented_cases();
    let replies: BTreeSet<spec::Case> = examples::ALL
        .iter()
        .map(|reply| spec::Case {
            operation: reply.operation.to_string(),
            status: reply.status,
            error_code: reply.error_code.map(str::to_string),
        })
        .collect();
    assert_eq!(replies, documented);
}

#[test]
fn every_reply_is_the_example_the_spec_documents_for_its_status() {
    let spec = spec();
    for reply in examples::ALL {
        let operation = spec.operation(reply.operation).expect("a spec operation");
        let response = operation
            .response_for(reply.status)
            .expect("a documented status");
        let example = response
            .examples()
            .into_iter()
            .find(|example| example.name == Some(reply.name))
            .unwrap_or_else(|| panic!("{reply:?}: no example named {}", reply.name));
        assert_eq!(&reply.json(), example.value, "{reply:?}");
        assert_eq!(reply.summary, example.summary.unwrap_or("").trim());
        assert_eq!(reply.error_code, example.error_code(), "{reply:?}");
        operation
            .validate_response(reply.status, &reply.json())
            .unwrap_or_else(|errors| panic!("{reply:?}: {errors:?}"));
    }
}

#[test]
fn error_replies_decode_as_the_envelope_with_their_code() {
    let errors: Vec<_> = examples::ALL
        .iter()
        .filter(|reply| reply.error_code.is_some())
        .collect();
    assert!(!errors.is_empty());
    for reply in errors {
        let envelope: types::ErrorEnvelope = reply.decode();
        assert_eq!(
            envelope.error_code.as_deref(),
            reply.error_code,
            "{reply:?}"
        );
        assert_eq!(envelope.code, i64::from(reply.status), "{reply:?}");
    }
}

#[test]
fn every_request_example_of_the_spec_is_available() {
    let spec = spec();
    let mut documented = Vec::new();
    for operation in spec.operations() {
        for example in operation.request_examples() {
            documented.push((operation.name(), example.name, example.value.clone()));
        }
    }
    let available: Vec<_> = examples::REQUESTS
        .iter()
        .map(|request| {
            (
                request.operation.to_string(),
                Some(request.name),
                request.json(),
            )
        })
        .collect();
    assert_eq!(available, documented);
    for (request, (operation, _, value)) in examples::REQUESTS.iter().zip(&documented) {
        spec.operation(operation)
            .unwrap()
            .validate_request(value)
            .unwrap_or_else(|errors| panic!("{request:?}: {errors:?}"));
    }
}
