//! `genviral` run as a process against the mock server: every subcommand,
//! the flags that send `null` (exact request bytes), `--json-body` from a
//! file and from standard input, an API error, a bad flag value, a missing
//! API key and a network failure, each with its exit status.

use std::process::Output;

use genviral_partner_mock::httpmock::MockServer;
use genviral_partner_mock::{MockServerExt, examples};

const PACK: &str = "11111111-1111-1111-1111-111111111111";
const TEMPLATE: &str = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const SLIDESHOW: &str = "2ab58bb0-0c39-45c0-a4d5-b6852f9d7fc0";
const FOLDER: &str = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const PARENT: &str = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

/// The exit statuses `genviral --help` documents.
const USAGE_ERROR: i32 = 2;
const API_ERROR: i32 = 3;
const NETWORK_FAILURE: i32 = 4;

/// `genviral` with a well-formed key, aimed at `base_url`, and no
/// `GENVIRAL_BASE_URL` from the environment of the test run.
fn genviral(base_url: &str) -> assert_cmd::Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("genviral");
    command
        .env("GENVIRAL_API_KEY", genviral_partner_mock::MOCK_TOKEN)
        .env_remove("GENVIRAL_BASE_URL")
        .args(["--base-url", base_url]);
    command
}

fn run(command: &mut assert_cmd::Command, args: &[&str]) -> Output {
    command.args(args).output().expect("genviral runs")
}

/// `genviral args` aimed at `server`.
fn run_at(server: &MockServer, args: &[&str]) -> Output {
    run(&mut genviral(&server.base_url()), args)
}

/// `genviral`, set up by `prepare`, against a server that would answer
/// anything: it must exit with a usage error without sending a request.
fn refused_before_sending(prepare: impl FnOnce(&mut assert_cmd::Command)) -> Output {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200);
    });
    let mut command = genviral(&server.base_url());
    prepare(&mut command);
    let output = command.output().expect("genviral runs");
    assert_exit(&output, USAGE_ERROR);
    assert_eq!(any.calls(), 0, "a request was sent");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(&output.stdout)))
}

#[test]
fn update_pack_sends_each_flag_and_prints_the_reply() {
    let server = MockServer::start();
    let mock = server.update_pack(|when, then| {
        when.into_inner()
            .path(format!("/packs/{PACK}"))
            .body(r#"{"is_public":true,"name":"Motivation Pack v2"}"#);
        then.ok(&examples::update_pack::updated());
    });
    let output = run_at(
        &server,
        &[
            "update-pack",
            "--pack-id",
            PACK,
            "--name",
            "Motivation Pack v2",
            "--is-public",
            "true",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
    assert_eq!(
        stdout_json(&output),
        serde_json::to_value(examples::update_pack::updated()).unwrap()
    );
    assert!(text(&output.stdout).contains("\n  \""), "pretty by default");
}

#[test]
fn update_template_clear_description_sends_null() {
    let server = MockServer::start();
    let mock = server.update_template(|when, then| {
        when.into_inner()
            .path(format!("/templates/{TEMPLATE}"))
            .body(r#"{"description":null,"visibility":"workspace"}"#);
        then.ok(&examples::update_template::updated());
    });
    let output = run_at(
        &server,
        &[
            "update-template",
            "--template-id",
            TEMPLATE,
            "--clear-description",
            "--visibility",
            "workspace",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
}

#[test]
fn update_template_description_sends_the_value() {
    let server = MockServer::start();
    let mock = server.update_template(|when, then| {
        when.into_inner()
            .body(r#"{"description":"Hooks that open strong"}"#);
        then.ok(&examples::update_template::updated());
    });
    let output = run_at(
        &server,
        &[
            "update-template",
            "--template-id",
            TEMPLATE,
            "--description",
            "Hooks that open strong",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
}

#[test]
fn a_value_and_its_null_flag_conflict() {
    let output = refused_before_sending(|command| {
        command.args([
            "update-template",
            "--template-id",
            TEMPLATE,
            "--description",
            "x",
            "--clear-description",
        ]);
    });
    let stderr = text(&output.stderr);
    assert!(stderr.contains("--clear-description"), "{stderr}");
}

#[test]
fn update_slideshow_clear_product_id_sends_null_beside_the_title() {
    let server = MockServer::start();
    let mock = server.update_slideshow(|when, then| {
        when.into_inner()
            .path(format!("/slideshows/{SLIDESHOW}"))
            .body(r#"{"product_id":null,"status":"draft","title":"v3"}"#);
        then.ok(&examples::update_slideshow::updated());
    });
    let output = run_at(
        &server,
        &[
            "update-slideshow",
            "--slideshow-id",
            SLIDESHOW,
            "--clear-product-id",
            "--title",
            "v3",
            "--status",
            "draft",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
}

#[test]
fn move_folder_to_root_sends_a_null_parent() {
    let server = MockServer::start();
    let mock = server.move_folder(|when, then| {
        when.into_inner()
            .path(format!("/folders/{FOLDER}"))
            .body(r#"{"parent_folder_id":null}"#);
        then.ok(&examples::move_folder::moved());
    });
    let output = run_at(
        &server,
        &[
            "--output",
            "json",
            "move-folder",
            "--folder-id",
            FOLDER,
            "--to-root",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
    let stdout = text(&output.stdout);
    assert_eq!(stdout.trim_end().lines().count(), 1, "one line: {stdout}");
    assert_eq!(
        stdout_json(&output),
        serde_json::to_value(examples::move_folder::moved()).unwrap()
    );
}

/// The reply is printed as the server sent it: a field the spec does not
/// list, a `null`, an empty list and a whole number survive.
#[test]
fn the_servers_reply_is_printed_as_sent() {
    let reply = serde_json::json!({
        "ok": true, "code": 200, "message": "Folder moved", "request_id": "req-1",
        "data": {
            "id": FOLDER, "name": "Hooks", "parent_folder_id": null, "children": [],
            "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z",
            "position": 48
        }
    });
    let server = MockServer::start();
    server.move_folder(|_, then| {
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .body(reply.to_string());
    });
    let output = run_at(
        &server,
        &["move-folder", "--folder-id", FOLDER, "--to-root"],
    );
    assert_exit(&output, 0);
    assert_eq!(stdout_json(&output), reply);
}

#[test]
fn move_folder_into_a_parent_sends_its_id() {
    let server = MockServer::start();
    let mock = server.move_folder(|when, then| {
        when.into_inner()
            .body(format!(r#"{{"parent_folder_id":"{PARENT}"}}"#));
        then.ok(&examples::move_folder::moved());
    });
    let output = run_at(
        &server,
        &[
            "move-folder",
            "--folder-id",
            FOLDER,
            "--parent-folder-id",
            PARENT,
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
}

#[test]
fn move_folder_needs_a_destination() {
    let output = refused_before_sending(|command| {
        command.args(["move-folder", "--folder-id", FOLDER]);
    });
    let stderr = text(&output.stderr);
    for flag in ["--parent-folder-id", "--to-root", "--json-body"] {
        assert!(stderr.contains(flag), "{stderr}");
    }
}

#[test]
fn json_body_from_a_file_with_a_flag_replacing_one_field() {
    let server = MockServer::start();
    let mock = server.update_pack(|when, then| {
        when.into_inner()
            .body(r#"{"is_public":false,"name":"From the flag"}"#);
        then.ok(&examples::update_pack::updated());
    });
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, r#"{"name": "From the file", "is_public": false}"#).unwrap();
    let output = run_at(
        &server,
        &[
            "update-pack",
            "--pack-id",
            PACK,
            "--json-body",
            body.to_str().unwrap(),
            "--name",
            "From the flag",
        ],
    );
    assert_exit(&output, 0);
    mock.assert();
}

/// `--json-body` comes with either flag of a required clearable field,
/// which replaces the body's value.
#[test]
fn json_body_with_to_root_sends_a_null_parent() {
    let server = MockServer::start();
    let mock = server.move_folder(|when, then| {
        when.into_inner().body(r#"{"parent_folder_id":null}"#);
        then.ok(&examples::move_folder::moved());
    });
    let output = genviral(&server.base_url())
        .args([
            "move-folder",
            "--folder-id",
            FOLDER,
            "--json-body",
            "-",
            "--to-root",
        ])
        .write_stdin(format!(r#"{{"parent_folder_id": "{PARENT}"}}"#))
        .output()
        .unwrap();
    assert_exit(&output, 0);
    mock.assert();
}

/// A body without the required `parent_folder_id` is refused: read as
/// `null`, it would move the folder to the root.
#[test]
fn a_json_body_missing_a_required_field_is_refused() {
    for body in ["{}", r#"{"parentFolderId": null}"#] {
        let output = refused_before_sending(|command| {
            command
                .args(["move-folder", "--folder-id", FOLDER, "--json-body", "-"])
                .write_stdin(body);
        });
        let stderr = text(&output.stderr);
        assert!(stderr.contains("parent_folder_id"), "{body}: {stderr}");
    }
}

/// With `--output json`, every failure is one JSON object on standard
/// error: clap's usage errors, a missing key and a bad `--json-body` too.
#[test]
fn output_json_reports_every_failure_as_json() {
    let cases: [&[&str]; 3] = [
        &[
            "--output",
            "json",
            "update-pack",
            "--pack-id",
            "not-a-uuid",
            "--is-public",
            "true",
        ],
        &[
            "--output=json",
            "update-pack",
            "--pack-id",
            PACK,
            "--json-body",
            "-",
        ],
        &[
            "update-pack",
            "--pack-id",
            PACK,
            "--is-public",
            "true",
            "--output",
            "json",
        ],
    ];
    for (index, args) in cases.into_iter().enumerate() {
        let output = refused_before_sending(|command| {
            command.args(args).write_stdin("{not json");
            if index == 2 {
                command.env_remove("GENVIRAL_API_KEY");
            }
        });
        let stderr = text(&output.stderr);
        let failure: serde_json::Value = serde_json::from_str(stderr.trim_end())
            .unwrap_or_else(|e| panic!("{args:?}: not one JSON object ({e}): {stderr}"));
        assert_eq!(failure["error"], "usage_error", "{args:?}");
        assert!(failure["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn json_body_from_standard_input_keeps_null() {
    let server = MockServer::start();
    let mock = server.update_template(|when, then| {
        when.into_inner().body(r#"{"description":null}"#);
        then.ok(&examples::update_template::updated());
    });
    let output = genviral(&server.base_url())
        .args([
            "update-template",
            "--template-id",
            TEMPLATE,
            "--json-body",
            "-",
        ])
        .write_stdin(r#"{"description": null}"#)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    mock.assert();
}

#[test]
fn an_unreadable_json_body_is_a_usage_error_and_sends_nothing() {
    let output = refused_before_sending(|command| {
        command
            .args(["update-pack", "--pack-id", PACK, "--json-body", "-"])
            .write_stdin("{not json");
    });
    let stderr = text(&output.stderr);
    assert!(stderr.contains("failed to parse -"), "{stderr}");
}

#[test]
fn an_api_error_exits_3_with_status_and_error_code_on_stderr() {
    let server = MockServer::start();
    let mock = server.update_template(|_, then| {
        then.conflict(&examples::update_template::template_name_conflict());
    });
    let args = [
        "update-template",
        "--template-id",
        TEMPLATE,
        "--name",
        "Taken",
    ];
    let output = run_at(&server, &args);
    assert_exit(&output, API_ERROR);
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("409"), "{stderr}");
    assert!(stderr.contains("template_name_conflict"), "{stderr}");

    let output = run_at(&server, &[&["--output", "json"][..], &args].concat());
    assert_exit(&output, API_ERROR);
    let error: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["error"], "api_error");
    assert_eq!(error["status"], 409);
    assert_eq!(error["error_code"], "template_name_conflict");
    assert_eq!(mock.calls(), 2);
}

#[test]
fn a_bad_flag_value_is_a_usage_error_naming_the_flag() {
    for (flag, value) in [
        ("--pack-id", "not-a-uuid"),
        ("--is-public", "maybe"),
        ("--name", ""),
    ] {
        let output = refused_before_sending(|command| {
            command.args(["update-pack", "--pack-id", PACK, flag, value]);
        });
        let stderr = text(&output.stderr);
        assert!(stderr.contains(flag), "{flag}: {stderr}");
    }
}

#[test]
fn a_missing_api_key_is_explained_and_nothing_is_sent() {
    let output = refused_before_sending(|command| {
        command.env_remove("GENVIRAL_API_KEY").args([
            "update-pack",
            "--pack-id",
            PACK,
            "--is-public",
            "true",
        ]);
    });
    let stderr = text(&output.stderr);
    assert!(stderr.contains("GENVIRAL_API_KEY is not set"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_body_without_fields_is_refused_before_sending() {
    refused_before_sending(|command| {
        command.args(["update-pack", "--pack-id", PACK]);
    });
}

#[test]
fn no_server_is_a_network_failure() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = run(
        &mut genviral(&format!("http://127.0.0.1:{port}")),
        &["update-pack", "--pack-id", PACK, "--is-public", "true"],
    );
    assert_exit(&output, NETWORK_FAILURE);
    assert!(
        text(&output.stderr).contains("network failure"),
        "{}",
        text(&output.stderr)
    );
}
