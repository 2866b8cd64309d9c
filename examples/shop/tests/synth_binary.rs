//! The real `synth` binary, whose source is the one line
//! `wirestack::synth_main!();`: it names only `wirestack`, yet finds every
//! handler registered in this package's library (the linker must not drop it).

use std::process::Command;

fn synth(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("the synth binary runs")
}

#[test]
fn finds_every_handler_in_the_library() {
    let out = tempfile::tempdir().unwrap();
    let output = synth(&["--out", out.path().to_str().unwrap(), "--stage", "ci"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("10 actions, 9 resources, 3 routes"), "{stdout}");
    let template = std::fs::read_to_string(out.path().join("ci-shop.template.json")).unwrap();
    for action in ["place-order", "get-order", "fulfil", "announce", "notify", "audit"] {
        assert!(template.contains(&format!("\"ci-shop-{action}\"")), "function of `{action}` missing");
    }
}

#[test]
fn graph_prints_the_wiring_as_mermaid_or_dot() {
    let mermaid = synth(&["graph"]);
    assert!(mermaid.status.success(), "{}", String::from_utf8_lossy(&mermaid.stderr));
    let text = String::from_utf8(mermaid.stdout).unwrap();
    assert!(text.starts_with("flowchart LR\n"), "{text}");
    assert!(text.contains("resource_orders -->|\"sqs\"| action_fulfil"), "{text}");
    let dot = synth(&["graph", "--format", "dot"]);
    assert!(dot.status.success());
    assert!(String::from_utf8(dot.stdout).unwrap().contains("\"resource:orders\" -> \"action:fulfil\""));
}

#[test]
fn check_validates_without_writing() {
    let out = tempfile::tempdir().unwrap();
    let output = synth(&["--check", "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("is valid"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_bad_stage_is_a_clear_error() {
    let output = synth(&["--check", "--stage", "Dev Stage!"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`Dev Stage!` cannot name a stage"), "{stderr}");
    assert!(stderr.contains("help: use 1 to 32 letters"), "{stderr}");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let output = synth(&["--outt", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"));
}

fn synth_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the synth binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn invoke_runs_the_real_handler_on_an_event_file() {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    let mail = r#"{\"to\": \"ada@example.com\", \"subject\": \"hi\"}"#;
    std::fs::write(
        &event,
        format!(r#"{{"Records": [{{"messageId": "m-1", "body": "{mail}", "eventSource": "aws:sqs"}}]}}"#),
    )
    .unwrap();
    let output = synth(&["invoke", "notify", "--event", event.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let response: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(response, serde_json::json!({"batchItemFailures": []}));
}

#[test]
fn invoke_reads_standard_input_and_fails_when_a_record_fails() {
    let event = r#"{"Records": [{"messageId": "m-1", "body": "{\"to\": \"\", \"subject\": \"x\"}", "eventSource": "aws:sqs"}]}"#;
    let output = synth_with_stdin(&["invoke", "notify", "--event", "-"], event);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"itemIdentifier\": \"m-1\""));
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 message(s) failed"));
}

#[test]
fn invoke_sample_prints_an_event_the_handler_accepts() {
    let sample = synth(&["invoke", "get_order", "--sample"]);
    assert!(sample.status.success());
    let mut event: serde_json::Value = serde_json::from_slice(&sample.stdout).unwrap();
    assert_eq!(event["requestContext"]["http"]["method"], "GET");
    // `x-2` is not an order id, so the handler answers without reading its
    // table; the table's variable is still needed to start it.
    event["rawPath"] = serde_json::json!("/orders/x-2");
    std::env::set_var("WIRESTACK_TABLE_ORDER_BOOK", "shop-order-book");
    std::env::set_var("AWS_REGION", "us-east-1");
    let output = synth_with_stdin(&["invoke", "get_order", "--event", "-"], &event.to_string());
    let response: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(response["statusCode"], 404);
    assert_eq!(response["body"], r#"{"error":"no order `x-2`"}"#);

    // A route with a body gets a sample body to edit.
    let sample = synth(&["invoke", "place_order", "--sample"]);
    let event: serde_json::Value = serde_json::from_slice(&sample.stdout).unwrap();
    assert_eq!(
        (event["requestContext"]["http"]["method"].as_str(), event["body"].as_str()),
        (Some("POST"), Some("{}"))
    );
}

#[test]
fn invoke_says_which_variable_a_capability_needs() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_synth")).args(["invoke", "place_order", "--sample"]).output().unwrap();
    let event = String::from_utf8(output.stdout).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(["invoke", "place_order", "--event", "-"])
        .env_remove("WIRESTACK_QUEUE_ORDERS")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(event.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Sender<orders> needs the environment variable WIRESTACK_QUEUE_ORDERS"), "{stderr}");
}

#[test]
fn invoke_reports_an_unknown_action_and_bad_json() {
    let output = synth_with_stdin(&["invoke", "refund", "--event", "-"], "{}");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no action named `refund`; this binary has: announce"));
    let output = synth_with_stdin(&["invoke", "audit", "--event", "-"], "{oops");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("standard input is not JSON"));
}
