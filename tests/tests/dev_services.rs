//! `synth dev` on the `ledger` fixture: the stand-ins the example does not
//! reach — a FIFO queue holding an account's payments back behind a
//! failing one, a Kinesis stream read in order, an event bus whose rule
//! selects by a numeric pattern, a parameter read at cold start.

use serde_json::{json, Value};
use std::time::Duration;
use wirestack_tests::dev_server::{fixture_app, invocations, messages, DevServer};

#[test]
fn payments_flow_through_a_fifo_queue_a_stream_and_a_bus() {
    let (_app, exe) = fixture_app("ledger");
    let dev = DevServer::start(&exe, &["--no-watch"], &[], Duration::from_secs(30));
    let pay = |account: &str, id: &str, cents: u64| {
        let body = json!({ "id": id, "cents": cents }).to_string();
        let (status, answer) = dev.post_json(&format!("/accounts/{account}/payments"), &body);
        assert_eq!(status, 202, "{answer}\n{}", dev.output());
    };
    // Account `b`'s first payment fails, so its second waits behind it.
    pay("b", "b1", 0);
    pay("b", "b2", 500);
    for (id, cents) in [("a1", 150), ("a2", 50), ("a3", 250)] {
        pay("a", id, cents);
    }

    // Postings above 100 cents are booked, in the parameter's currency.
    let posted = |id: &str| {
        let (status, body) = dev.request("GET", &format!("/postings/{id}"), &[], "");
        (status == 200).then(|| serde_json::from_str::<Value>(&body).unwrap())
    };
    dev.wait_for("a1 and a3 are booked", Duration::from_secs(15), |_| posted("a1").and(posted("a3")));
    assert_eq!(posted("a1").unwrap(), json!({"id": "a1", "account": "a", "cents": 150, "currency": "EUR"}));
    assert_eq!(posted("a2"), None, "the rule's numeric pattern leaves 50 cents out");

    let state = dev.state();
    // The stream delivered account `a`'s payments in the order paid.
    let posts: Vec<String> = invocations(&state, "post")
        .filter(|i| i["outcome"] == "ok")
        .flat_map(|i| i["event"]["Records"].as_array().unwrap().clone())
        .map(|record| {
            assert_eq!(record["eventSource"], "aws:kinesis");
            record["kinesis"]["partitionKey"].as_str().unwrap().to_owned()
                + ":"
                + &String::from_utf8_lossy(&decode(record["kinesis"]["data"].as_str().unwrap()))
        })
        .collect();
    let a: Vec<&String> = posts.iter().filter(|p| p.starts_with("a:")).collect();
    assert_eq!(a.len(), 3, "{posts:?}");
    assert!(a[0].contains("a1") && a[1].contains("a2") && a[2].contains("a3"), "{a:?}");

    // `b1` failed and is hidden for the queue's visibility timeout; `b2`,
    // behind it in the same group, has not been delivered.
    assert!(posts.iter().all(|p| !p.starts_with("b:")), "{posts:?}");
    let held = messages(&state, "payments");
    let ids: Vec<String> = held.iter().map(|m| m["body"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids[0].contains("b1") && ids[1].contains("b2"), "{ids:?}");
    assert_eq!(held[0]["in_flight"], true);
    assert_eq!(held[1]["receives"], 0, "b2 waits for b1");
}

fn decode(data: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(data).unwrap()
}
