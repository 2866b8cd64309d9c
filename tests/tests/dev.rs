//! `synth dev` on the example app, as a subprocess: an order's whole flow
//! between the real handlers, a poison message ending in the dead-letter
//! queue, a schedule fired on demand, routes answering as the HTTP API.

use serde_json::Value;
use std::time::Duration;
use wirestack_tests::browser::Browser;
use wirestack_tests::dev_server::{invocations, messages, DevServer};
use wirestack_tests::{shop_synth, workspace};

fn shop_dev() -> DevServer {
    let layers = workspace().join("examples/shop/layers/carriers");
    DevServer::start(
        shop_synth(),
        &["--no-watch"],
        &[("SHOP_LAYERS", layers.to_str().unwrap())],
        Duration::from_secs(30),
    )
}

fn ok(invocation: &Value) -> bool {
    invocation["outcome"] == "ok"
}

#[test]
fn an_order_flows_between_the_real_handlers() {
    let dev = shop_dev();
    let (status, _) = dev.post_json("/orders", r#"{"id": "o-dev-1", "cents": 1250}"#);
    assert_eq!(status, 202, "{}", dev.output());

    // route -> queue `orders` -> `fulfil` (a 5 s batching window) -> table
    // -> `get_order`.
    let order = dev.wait_for("the order is in the book", Duration::from_secs(10), |_| {
        let (status, body) = dev.request("GET", "/orders/o-dev-1", &[], "");
        (status == 200).then_some(body)
    });
    assert_eq!(serde_json::from_str::<Value>(&order).unwrap(), serde_json::json!({"id": "o-dev-1", "cents": 1250}));

    // The receipt is in the bucket; `file_receipt` read it and handed it to
    // `tally`; `announce` queued mail that `notify` sent; `check_order`
    // saw the insert on the table's stream.
    let state = dev.wait_for("every hop ran", Duration::from_secs(10), |state| {
        let ran = |action| invocations(state, action).any(ok);
        ["fulfil", "file_receipt", "tally", "announce", "notify", "check_order"]
            .into_iter()
            .all(ran)
            .then(|| state.clone())
    });
    let receipts = state["buckets"].as_array().unwrap().iter().find(|b| b["name"] == "receipts").unwrap();
    assert!(receipts["objects"].as_array().unwrap().iter().any(|o| o["key"] == "receipts/o-dev-1.json"));
    let tally = invocations(&state, "tally").find(|i| ok(i)).unwrap();
    assert_eq!(tally["trigger"], "invoke (event)");
    assert_eq!(tally["event"]["id"], "o-dev-1", "tally got the receipt's order");
    let notify = invocations(&state, "notify").find(|i| ok(i)).unwrap();
    assert_eq!(notify["trigger"], "sqs notify");
    let mail: Value = serde_json::from_str(notify["event"]["Records"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(mail["to"], "customer-of-o-dev-1@example.com");
    let book = state["tables"].as_array().unwrap().iter().find(|t| t["name"] == "order_book").unwrap();
    assert_eq!(book["items"], serde_json::json!([{"id": "o-dev-1", "cents": 1250}]));
}

#[test]
fn a_message_that_always_fails_ends_in_the_dead_letter_queue() {
    let dev = shop_dev();
    // `fulfil` cannot decode this order; `orders` allows 3 receives.
    let (status, sent) = dev.post_json("/_dev/api/queues/orders/send", r#"{"id": 7}"#);
    assert_eq!(status, 200, "{sent}");
    let id = sent["id"].as_str().unwrap().to_owned();
    // Each failed receive hides it for the queue's 300 s visibility
    // timeout; the page's "retry now" shows it again at once.
    dev.wait_for("the message is dead-lettered", Duration::from_secs(60), |state| {
        if messages(state, "orders-dlq").iter().any(|m| m["body"] == r#"{"id": 7}"#) {
            return Some(());
        }
        if messages(state, "orders").iter().any(|m| m["in_flight"] == true) {
            dev.post_json("/_dev/api/queues/orders/retry", "");
        }
        None
    });
    let state = dev.state();
    let tries: Vec<_> = invocations(&state, "fulfil")
        .filter(|i| i["event"]["Records"][0]["messageId"] == id.as_str())
        .map(|i| (i["outcome"].as_str().unwrap().to_owned(), i["logs"].to_string()))
        .collect();
    assert_eq!(tries.len(), 3, "one delivery per allowed receive: {tries:?}");
    assert!(
        tries.iter().all(|(outcome, logs)| outcome == "partial" && logs.contains("not a `shop::Order`")),
        "{tries:?}"
    );
    assert!(messages(&state, "orders").is_empty());

    // "Send back" puts it on `orders` again, received afresh.
    let (_, sent_back) = dev.post_json("/_dev/api/queues/orders-dlq/redrive", "");
    assert_eq!(sent_back["sent_back"], 1);
    let state = dev.state();
    assert!(messages(&state, "orders-dlq").is_empty());
    assert!(messages(&state, "orders")
        .iter()
        .any(|m| m["body"] == r#"{"id": 7}"# && m["receives"].as_u64() <= Some(1)));
}

#[test]
fn a_schedule_fires_on_demand() {
    let dev = shop_dev();
    let (status, fired) = dev.post_json("/_dev/api/actions/audit/fire", "");
    assert_eq!(status, 200, "{fired}");
    let state = dev.wait_for("audit ran twice", Duration::from_secs(10), |state| {
        (invocations(state, "audit").filter(|i| ok(i)).count() == 2).then(|| state.clone())
    });
    let event = &invocations(&state, "audit").next().unwrap()["event"];
    assert_eq!(event["detail-type"], "Scheduled Event");
    assert_eq!(event["source"], "aws.events");
}

#[test]
fn routes_answer_as_the_http_api_does() {
    let dev = shop_dev();
    assert_eq!(dev.request("GET", "/nowhere", &[], "").0, 404);
    assert_eq!(dev.request("DELETE", "/orders", &[], "").0, 404, "no route for the method");
    let (status, body) = dev.post_json("/orders", r#"{"id": "o-free", "cents": 0}"#);
    assert_eq!(status, 422, "the handler's own refusal: {body}");
    assert_eq!(dev.post_json("/orders", "{not json").0, 400);

    // `GET /me` needs a customer's token, which the page hands out.
    assert_eq!(dev.request("GET", "/me", &[], "").0, 401);
    assert_eq!(dev.request("GET", "/me", &[("authorization", "Bearer forged.token.here")], "").0, 401);
    let (_, signed) = dev.post_json("/_dev/api/pools/customers/token", r#"{"sub": "ada", "email": "ada@example.com"}"#);
    let bearer = format!("Bearer {}", signed["token"].as_str().unwrap());
    let (status, me) = dev.request("GET", "/me", &[("authorization", &bearer)], "");
    assert_eq!(
        (status, serde_json::from_str::<Value>(&me).unwrap()),
        (200, serde_json::json!({"id": "ada", "email": "ada@example.com"}))
    );
}

/// The page in a real browser while an order flows: the diagram, then each
/// hop's invocation appearing as it happens (the page follows the state),
/// and a screenshot kept in `target/test-output/dev-page.png`.
#[test]
fn the_page_shows_the_wiring_and_the_flow_as_it_happens() {
    let dev = shop_dev();
    let mut browser = Browser::start()
        .expect("the page test needs Chromium: `apt-get install chromium` (Debian's package; .ci/run installs it)");
    browser.open(&format!("http://127.0.0.1:{}/_dev", dev.port));
    assert!(browser.wait_until("document.querySelector('#live.on') !== null", Duration::from_secs(20)));

    let nodes = browser.eval("[...document.querySelectorAll('#diagram .node')].map(n => n.dataset.node)");
    let nodes: Vec<&str> = nodes.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for node in ["place_order", "orders", "fulfil", "order_book", "receipts", "shipped", "announce", "notify", "tally"]
    {
        assert!(nodes.contains(&node), "the diagram draws `{node}`: {nodes:?}");
    }
    let edges = browser.eval("document.querySelectorAll('#diagram .edge').length").as_u64().unwrap();
    assert!(edges >= 15, "{edges} edges");
    assert_eq!(browser.eval("document.querySelectorAll('tr.invocation').length"), 0);

    // The page is open before the order is placed: what it shows next, it
    // learnt by following the state.
    let (status, _) = dev.post_json("/orders", r#"{"id": "o-page-1", "cents": 990}"#);
    assert_eq!(status, 202);
    let flow = ["place_order", "fulfil", "file_receipt", "tally", "announce", "notify", "check_order"];
    let shown = format!(
        "{flow:?}.every(a => document.querySelector(`tr.invocation[data-action=\"${{a}}\"][data-outcome=\"ok\"]`))"
    );
    assert!(
        browser.wait_until(&shown, Duration::from_secs(20)),
        "the page lists the flow's invocations: {}",
        browser.eval("[...document.querySelectorAll('tr.invocation')].map(r => r.dataset.action).join(' ')")
    );
    let book = browser.eval("document.querySelector('[data-table=order_book]').textContent");
    assert!(book.as_str().unwrap().contains("o-page-1"), "{book}");
    let receipts = browser.eval("document.querySelector('[data-bucket=receipts]').textContent");
    assert!(receipts.as_str().unwrap().contains("receipts/o-page-1.json"), "{receipts}");

    let shot = wirestack_tests::workspace().join("target/test-output/dev-page.png");
    browser.screenshot(&shot);
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a real picture at {}", shot.display());
}

/// With `--state DIR`, what the stand-ins hold outlives the process, even
/// one killed without warning; a file that is not a saved state is an
/// error naming it, and nothing is overwritten.
#[test]
fn with_a_state_directory_a_restart_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let state_dir = dir.path().to_str().unwrap();
    let layers = workspace().join("examples/shop/layers/carriers");
    let env = [("SHOP_LAYERS", layers.to_str().unwrap())];
    let start = || DevServer::start(shop_synth(), &["--no-watch", "--state", state_dir], &env, Duration::from_secs(30));
    {
        let dev = start();
        assert_eq!(dev.post_json("/orders", r#"{"id": "o-kept", "cents": 300}"#).0, 202);
        dev.wait_for("the order is in the book", Duration::from_secs(10), |_| {
            (dev.request("GET", "/orders/o-kept", &[], "").0 == 200).then_some(())
        });
        // Saved a moment after each change; then killed (SIGKILL).
        std::thread::sleep(Duration::from_millis(800));
    }
    let dev = start();
    assert_eq!(dev.request("GET", "/orders/o-kept", &[], "").0, 200, "{}", dev.output());
    assert!(invocations(&dev.state(), "fulfil").any(ok), "the invocations are kept too");
    drop(dev);

    let file = dir.path().join("state.json");
    std::fs::write(&file, "not json").unwrap();
    let output = std::process::Command::new(shop_synth())
        .args(["dev", "--no-watch", "--port", "0", "--state", state_dir])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains(&format!("{} is not a saved dev state", file.display())), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not json");
}
