//! The one-line typed forms a user writes: a typed matcher and a typed
//! example reply per status.

use genviral_partner::{ErrorCode, Nullable, types};
use genviral_partner_downstream_tests as app;
use genviral_partner_mock::httpmock::MockServer;
use genviral_partner_mock::{MockServerExt, examples};
use uuid::uuid;

#[tokio::test]
async fn a_taken_name_is_reported_as_template_name_conflict() {
    let server = MockServer::start_async().await;
    let template = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
    let mock = server.update_template(|when, then| {
        when.template_id(&template);
        then.conflict(&examples::update_template::template_name_conflict());
    });
    let error = app::clear_template_description(&genviral_partner_mock::client(&server), template)
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), Some(ErrorCode::TemplateNameConflict));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    mock.assert_async().await;
}

#[tokio::test]
async fn moving_to_the_root_sends_null_and_returns_the_folder() {
    let server = MockServer::start_async().await;
    let folder = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
    let mock = server.move_folder(|when, then| {
        let body: types::MoveFolderRequest = types::MoveFolderRequest::builder()
            .parent_folder_id(Nullable::Null)
            .try_into()
            .unwrap();
        when.folder_id(&folder).body(&body);
        then.ok(&examples::move_folder::moved());
    });
    let moved = app::move_folder_to_root(&genviral_partner_mock::client(&server), folder)
        .await
        .unwrap();
    assert_eq!(moved.id, examples::move_folder::moved().data.id);
    mock.assert_async().await;
}

#[tokio::test]
async fn a_packs_creation_time_reads_as_the_server_wrote_it_and_as_chrono() {
    let server = MockServer::start_async().await;
    let pack = uuid!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
    let example = examples::update_pack::updated();
    server.update_pack(|when, then| {
        when.pack_id(&pack);
        then.ok(&example);
    });
    let updated = app::publish_pack(&genviral_partner_mock::client(&server), pack, "n")
        .await
        .unwrap();
    assert_eq!(updated.created_at, example.data.created_at);
    let created = chrono::DateTime::parse_from_rfc3339(updated.created_at.as_str()).unwrap();
    let a_day_later = created + chrono::TimeDelta::days(1);
    assert_eq!(
        app::pack_age(&updated, a_day_later.to_utc()),
        Some(chrono::TimeDelta::days(1))
    );
}
