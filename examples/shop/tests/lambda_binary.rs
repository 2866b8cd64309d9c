//! The real Lambda binary (`wirestack::lambda_main!();`) as a process against
//! a local stand-in of the Lambda Runtime API: next invocation -> handler ->
//! response posted, for different actions of the same binary.

mod support;

use serde_json::json;
use std::io::Read;
use std::time::Duration;
use support::runtime_api::{start_function, start_function_with, Outcome, RuntimeApi};
use wirestack::sample;

const BINARY: &str = env!("CARGO_BIN_EXE_lambda");
const WAIT: Duration = Duration::from_secs(30);

/// Stops the process and returns what it logged.
fn stop(mut child: std::process::Child) -> String {
    child.kill().ok();
    child.wait().ok();
    let mut logs = String::new();
    child.stdout.take().unwrap().read_to_string(&mut logs).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    logs
}

#[test]
fn an_sqs_action_reports_its_failed_record_and_logs_json_with_request_ids() {
    let api = RuntimeApi::start();
    let good = json!({"to": "ada@example.com", "subject": "hi"}).to_string();
    let bad = json!({"to": "", "subject": "no recipient"}).to_string();
    api.push("request-1", &sample::sqs(&[&good, &bad]));
    let child = start_function(BINARY, &api, "notify");
    let outcome = api.outcome("request-1", WAIT);
    let logs = stop(child);
    assert_eq!(
        outcome,
        Some(Outcome::Response(json!({"batchItemFailures": [{"itemIdentifier": "message-2"}]}))),
        "logs:\n{logs}"
    );
    let lines: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}"))).collect();
    let failure = lines.iter().find(|l| l["fields"]["message"] == "message failed; SQS will retry it");
    let failure = failure.unwrap_or_else(|| panic!("no failure logged:\n{logs}"));
    let spans = failure["spans"].to_string();
    assert!(spans.contains("\"action\":\"notify\"") && spans.contains("request-1"), "{failure}");
}

#[test]
fn an_http_action_of_the_same_binary_answers_its_route() {
    let api = RuntimeApi::start();
    // Neither request reaches the table: `x-9` is not an order id, and
    // `/elsewhere` is no route. The table is named, as the template would.
    api.push("request-2", &sample::http("GET", "/orders/x-9", None));
    api.push("request-3", &sample::http("GET", "/elsewhere", None));
    let env = [("WIRESTACK_TABLE_ORDER_BOOK", "shop-order-book"), ("AWS_REGION", "us-east-1")];
    let child = start_function_with(BINARY, &api, "get_order", &env);
    let not_an_order = api.outcome("request-2", WAIT);
    let no_route = api.outcome("request-3", WAIT);
    let logs = stop(child);
    let body = |outcome: Option<Outcome>| match outcome {
        Some(Outcome::Response(response)) => {
            assert_eq!(response["statusCode"], 404, "{response}");
            serde_json::from_str::<serde_json::Value>(response["body"].as_str().unwrap()).unwrap()
        }
        other => panic!("no response: {other:?}\n{logs}"),
    };
    assert_eq!(body(not_an_order), json!({"error": "no order `x-9`"}));
    assert_eq!(body(no_route), json!({"error": "no route for GET /elsewhere"}));
}

#[test]
fn a_handler_error_is_posted_as_a_function_error() {
    let api = RuntimeApi::start();
    api.push("request-4", &json!({"not": "an SQS event"}));
    let child = start_function(BINARY, &api, "notify");
    let outcome = api.outcome("request-4", WAIT);
    let logs = stop(child);
    let Some(Outcome::Error(error)) = outcome else { panic!("expected an error: {outcome:?}\n{logs}") };
    assert_eq!(error["errorType"], "HandlerError");
    assert!(error["errorMessage"].as_str().unwrap().contains("the payload is not an SQS event"), "{error}");
}

#[test]
fn a_capability_without_its_resource_fails_at_init() {
    let api = RuntimeApi::start();
    let child = start_function(BINARY, &api, "place_order");
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(
        logs.contains(
            "action `place_order` cannot start: Sender<orders> needs the environment variable WIRESTACK_QUEUE_ORDERS"
        ),
        "{logs}"
    );
}

#[test]
fn an_unknown_action_fails_at_init_listing_the_known_ones() {
    let api = RuntimeApi::start();
    let child = start_function(BINARY, &api, "refund");
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(
        logs.contains(
            "no action named `refund`; this binary has: announce, audit, check_order, file_receipt, fulfil, get_order, me, notify, place_order, tally"
        ),
        "{logs}"
    );
    assert_eq!(api.first_poll(Duration::from_millis(10)), None, "it never asked for an event");
}
