//! One test per example reply of the mock crate: each operation's success
//! and each documented `(status, error_code)`, run through this crate's
//! functions against the mock server, asserting what a user sees: the
//! returned value, or the error's status, `error_code` and kind.
//!
//! The cases come from `genviral_partner_mock::examples::ALL` (generated
//! from the spec; the mock crate's tests hold it equal to the spec's
//! documented cases), so a new documented error code is a new test here;
//! a new operation fails until it gets a scenario below.

use genviral_partner::{ApiError, ErrorKind, Nullable, types};
use genviral_partner_downstream_tests as app;
use genviral_partner_mock::httpmock::MockServer;
use genviral_partner_mock::{ExampleReply, MockServerExt, examples};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use uuid::{Uuid, uuid};

const PACK: Uuid = uuid!("11111111-1111-1111-1111-111111111111");
const TEMPLATE: Uuid = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
const SLIDESHOW: Uuid = uuid!("2ab58bb0-0c39-45c0-a4d5-b6852f9d7fc0");
const FOLDER: Uuid = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");

fn main() {
    let arguments = Arguments::from_args();
    let trials = examples::ALL
        .iter()
        .map(|reply| {
            let name = match reply.error_code {
                Some(code) => format!("{}::{}::{code}", reply.operation, reply.status),
                None => format!(
                    "{}::{}::success_{}",
                    reply.operation, reply.status, reply.name
                ),
            };
            Trial::test(name, move || run(reply))
        })
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}

/// What a scenario observed: the app function's result (its success value
/// as JSON), the value the reply should produce, and the mock's calls.
struct Observed {
    result: Result<Value, ApiError>,
    expected_success: Value,
    calls: usize,
}

fn run(reply: &'static ExampleReply) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let observed = runtime.block_on(scenario(reply))?;
    if observed.calls != 1 {
        return Err(format!(
            "the mock was called {} times, expected once",
            observed.calls
        )
        .into());
    }
    match (reply.error_code, observed.result) {
        (None, Ok(value)) if value == observed.expected_success => Ok(()),
        (None, Ok(value)) => {
            Err(format!("returned {value}, expected {}", observed.expected_success).into())
        }
        (None, Err(error)) => Err(format!("failed: {error}").into()),
        (Some(code), Ok(value)) => Err(format!("expected {code}, returned {value}").into()),
        (Some(code), Err(error)) => check_error(reply, code, &error),
    }
}

fn check_error(reply: &ExampleReply, code: &str, error: &ApiError) -> Result<(), Failed> {
    let status = error.status().map(|status| status.as_u16());
    let error_code = error.error_code();
    let seen = (
        status,
        error_code.as_ref().map(|c| c.as_str()),
        error.kind(),
    );
    let wanted = (Some(reply.status), Some(code), ErrorKind::Api);
    if seen == wanted {
        Ok(())
    } else {
        Err(format!("saw {seen:?}, expected {wanted:?}: {error}").into())
    }
}

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("the client's types serialize")
}

/// Mocks the reply's operation to expect exactly the body the app sends
/// and to answer with the reply, then calls the app.
async fn scenario(reply: &'static ExampleReply) -> Result<Observed, Failed> {
    let server = MockServer::start_async().await;
    let client = genviral_partner_mock::client(&server);
    let observed = match reply.operation {
        "update_pack" => {
            let body: types::UpdatePackRequest = types::UpdatePackRequest::builder()
                .name("Motivation Pack v2")
                .is_public(true)
                .try_into()?;
            let mock = server.update_pack(|when, then| {
                when.pack_id(&PACK).body(&body);
                reply.respond(then.into_inner());
            });
            let result = app::publish_pack(&client, PACK, "Motivation Pack v2").await;
            Observed {
                result: result.map(json),
                expected_success: success::<types::PackResponse>(reply, |r| json(r.data)),
                calls: mock.calls_async().await,
            }
        }
        "update_template" => {
            let body: types::UpdateTemplateRequest = types::UpdateTemplateRequest::builder()
                .description(Nullable::Null)
                .try_into()?;
            let mock = server.update_template(|when, then| {
                when.template_id(&TEMPLATE).body(&body);
                reply.respond(then.into_inner());
            });
            let result = app::clear_template_description(&client, TEMPLATE).await;
            Observed {
                result: result.map(json),
                expected_success: success::<types::TemplateResponse>(reply, |r| json(r.data)),
                calls: mock.calls_async().await,
            }
        }
        "update_slideshow" => {
            let body: types::UpdateSlideshowRequest = types::UpdateSlideshowRequest::builder()
                .title("5 discipline quotes (v2)")
                .product_id(Nullable::Null)
                .try_into()?;
            let mock = server.update_slideshow(|when, then| {
                when.slideshow_id(&SLIDESHOW).body(&body);
                reply.respond(then.into_inner());
            });
            let result =
                app::retitle_slideshow(&client, SLIDESHOW, "5 discipline quotes (v2)").await;
            Observed {
                result: result.map(json),
                expected_success: success::<types::SlideshowResponse>(reply, |r| json(r.data)),
                calls: mock.calls_async().await,
            }
        }
        "move_folder" => {
            let body: types::MoveFolderRequest = types::MoveFolderRequest::builder()
                .parent_folder_id(Nullable::Null)
                .try_into()?;
            let mock = server.move_folder(|when, then| {
                when.folder_id(&FOLDER).body(&body);
                reply.respond(then.into_inner());
            });
            let result = app::move_folder_to_root(&client, FOLDER).await;
            Observed {
                result: result.map(json),
                expected_success: success::<types::FolderResponse>(reply, |r| json(r.data)),
                calls: mock.calls_async().await,
            }
        }
        other => {
            return Err(format!(
                "`{other}` has example replies but no scenario here: add one calling the operation"
            )
            .into());
        }
    };
    Ok(observed)
}

/// For a success reply, what the app returns for it (the typed body's
/// `data`, as JSON); `Null` for an error reply.
fn success<T: serde::de::DeserializeOwned>(
    reply: &ExampleReply,
    data: impl FnOnce(T) -> Value,
) -> Value {
    match reply.error_code {
        None => data(reply.decode()),
        Some(_) => Value::Null,
    }
}
