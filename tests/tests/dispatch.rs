//! The example's real handlers, run through the dispatcher the Lambda binary
//! uses, with events shaped as AWS documents them, and their capabilities
//! talking to a local AWS stand-in (moto).

use serde_json::{json, Value};
use wirestack::dispatch::ActionTable;
use wirestack::handler::Context;
use wirestack::prelude::*;
use wirestack::sample;
use wirestack_tests::block_on;
use wirestack_tests::shop_on_moto::shop_on_moto;

extern crate shop as _;

async fn invoke(action: &str, event: Value) -> Result<Value, Error> {
    shop_on_moto().await;
    let dispatcher = ActionTable::from_registry().dispatcher(action).await.expect("the action starts");
    dispatcher.invoke(&event.to_string(), Context::default()).await
}

fn json_bodies(bodies: Vec<String>) -> Vec<Value> {
    bodies.iter().map(|b| serde_json::from_str(b).unwrap()).collect()
}

fn failed_ids(response: &Value) -> Vec<&str> {
    response["batchItemFailures"].as_array().unwrap().iter().map(|f| f["itemIdentifier"].as_str().unwrap()).collect()
}

#[test]
fn an_sqs_batch_reports_exactly_the_records_that_failed() {
    block_on(async {
        let good = json!({"to": "ada@example.com", "subject": "hi"}).to_string();
        let rejected = json!({"to": "", "subject": "no recipient"}).to_string();
        let event = sample::sqs(&[&good, "{not json", &rejected]);
        let response = invoke("notify", event).await.unwrap();
        // message-2 does not decode; message-3 is refused by the handler.
        assert_eq!(failed_ids(&response), ["message-2", "message-3"]);
    })
}

#[test]
fn from_a_fifo_queue_the_messages_after_a_failure_come_back_unhandled_in_order() {
    block_on(async {
        let mail = |to: &str| json!({"to": to, "subject": "hi"}).to_string();
        let mut event = sample::sqs(&[&mail("ada@example.com"), &mail(""), &mail("bob@example.com")]);
        for record in event["Records"].as_array_mut().unwrap() {
            record["eventSourceARN"] = json!("arn:aws:sqs:us-east-1:123456789012:shop-notify.fifo");
        }
        let response = invoke("notify", event).await.unwrap();
        // message-2 fails; message-3 must not overtake it, so it is returned too.
        assert_eq!(failed_ids(&response), ["message-2", "message-3"]);
    })
}

#[test]
fn a_clean_sqs_batch_reports_no_failure_and_publishes_each_shipment() {
    block_on(async {
        let first = json!({"id": "o-1", "cents": 100}).to_string();
        let second = json!({"id": "o-2", "cents": 200}).to_string();
        let response = invoke("fulfil", sample::sqs(&[&first, &second])).await.unwrap();
        assert_eq!(response, json!({"batchItemFailures": []}));
        // `Publisher<shipped>` really published, to the topic's subscribers.
        let shop = shop_on_moto().await;
        let mut published = json_bodies(shop.drain(&shop.shipped_tap_url).await);
        published.sort_by_key(|s| s["order_id"].as_str().unwrap().to_owned());
        assert_eq!(
            published,
            [json!({"order_id": "o-1", "carrier": "post"}), json!({"order_id": "o-2", "carrier": "post"})]
        );
        // `Writer<order_book>` stored each order; `get_order`'s `Reader` reads it back.
        let found = invoke("get_order", sample::http("GET", "/orders/o-2", None)).await.unwrap();
        assert_eq!(found["statusCode"], 200);
        assert_eq!(body(&found), json!({"id": "o-2", "cents": 200}));
        // `Writer<receipts>` filed a receipt; the `s3` trigger's handler reads it back.
        let receipt = shop.s3.get_object().bucket(&shop.receipts).key("receipts/o-2.json").send().await.unwrap();
        let receipt: Value = serde_json::from_slice(&receipt.body.collect().await.unwrap().to_vec()).unwrap();
        assert_eq!(receipt, json!({"id": "o-2", "cents": 200}));
        // ... and hands it to `tally` with `Invoke<tally>` (moto's Lambda accepts it).
        let filed = invoke("file_receipt", sample::s3(&shop.receipts, "receipts/o-2.json")).await;
        assert_eq!(filed.unwrap(), Value::Null);
        // `tally` itself, invoked with its input as `Invoke` sends it.
        let entry = invoke("tally", receipt).await.unwrap();
        assert_eq!(entry, json!({"order_id": "o-2", "cents": 200, "tax_cents": 40}));
        let error = invoke("tally", json!({"id": "o-3", "cents": 0})).await.unwrap_err();
        assert_eq!(error.to_string(), "a free order has no tax");
    })
}

#[test]
fn an_s3_event_for_an_object_that_is_gone_fails_the_invocation() {
    block_on(async {
        let shop = shop_on_moto().await;
        let error = invoke("file_receipt", sample::s3(&shop.receipts, "receipts/o-missing.json")).await.unwrap_err();
        assert_eq!(error.to_string(), "receipt `receipts/o-missing.json` is gone");
    })
}

#[test]
fn an_sns_message_reaches_its_handler_which_sends_to_another_actions_queue() {
    block_on(async {
        let shipment = json!({"order_id": "o-1", "carrier": "post"}).to_string();
        assert_eq!(invoke("announce", sample::sns(&shipment)).await.unwrap(), Value::Null);
        let shop = shop_on_moto().await;
        assert_eq!(
            json_bodies(shop.drain(&shop.notify_url).await),
            [
                json!({"to": "customer-of-o-1@example.com", "subject": "Your order shipped: https://track.example.com/post/o-1"})
            ]
        );
        let error = invoke("announce", sample::sns("{\"order_id\": 5}")).await.unwrap_err();
        assert!(error.to_string().contains("the message body is not a `shop::Shipment`"), "{error}");
    })
}

#[test]
fn a_scheduled_event_runs_a_handler_without_parameters() {
    block_on(async {
        assert_eq!(invoke("audit", sample::schedule()).await.unwrap(), Value::Null);
    })
}

fn body(response: &Value) -> Value {
    serde_json::from_str(response["body"].as_str().expect("a text body")).expect("a JSON body")
}

#[test]
fn http_routes_answer_with_status_and_json() {
    block_on(async {
        let order = json!({"id": "o-7", "cents": 250}).to_string();
        let accepted = invoke("place_order", sample::http("POST", "/orders", Some(&order))).await.unwrap();
        assert_eq!(accepted["statusCode"], 202);
        assert_eq!(body(&accepted), json!({"id": "o-7", "cents": 250}));
        // `Sender<orders>` really sent it.
        let shop = shop_on_moto().await;
        assert_eq!(json_bodies(shop.drain(&shop.orders_url).await), [json!({"id": "o-7", "cents": 250})]);

        // Not fulfilled yet, so not in the order book.
        let unknown = invoke("get_order", sample::http("GET", "/orders/o-7", None)).await.unwrap();
        assert_eq!(unknown["statusCode"], 404);
        assert_eq!(body(&unknown), json!({"error": "no order `o-7`"}));

        let missing = invoke("get_order", sample::http("GET", "/orders/x-1", None)).await.unwrap();
        assert_eq!(missing["statusCode"], 404);
        assert_eq!(body(&missing), json!({"error": "no order `x-1`"}));
    })
}

#[test]
fn an_unknown_route_is_a_json_404() {
    block_on(async {
        let response = invoke("get_order", sample::http("GET", "/nowhere", None)).await.unwrap();
        assert_eq!(response["statusCode"], 404);
        assert_eq!(body(&response), json!({"error": "no route for GET /nowhere"}));
        let response = invoke("get_order", sample::http("DELETE", "/orders/o-1", None)).await.unwrap();
        assert_eq!(response["statusCode"], 405);
    })
}

#[test]
fn a_bad_body_is_a_json_400_not_a_panic() {
    block_on(async {
        let response = invoke("place_order", sample::http("POST", "/orders", Some("{\"id\": "))).await.unwrap();
        assert_eq!(response["statusCode"], 400);
        let error = body(&response)["error"].as_str().unwrap().to_owned();
        assert!(error.contains("Failed to parse the request body as JSON"), "{error}");

        let response = invoke("place_order", sample::http("POST", "/orders", Some("{\"id\": \"o-1\"}"))).await.unwrap();
        assert_eq!(response["statusCode"], 422, "a body missing a field");
        let response = invoke("place_order", sample::http("POST", "/orders", Some("{\"id\":\"o\",\"cents\":0}"))).await;
        assert_eq!(response.unwrap()["statusCode"], 422, "refused by the handler");
    })
}

#[test]
fn a_payload_that_is_not_the_expected_event_is_an_error() {
    block_on(async {
        let error = invoke("fulfil", json!({"hello": "world"})).await.unwrap_err();
        assert!(error.to_string().contains("the payload is not an SQS event"), "{error}");
    })
}

#[test]
fn an_unknown_action_lists_the_known_ones() {
    block_on(async {
        let Err(error) = ActionTable::from_registry().dispatcher("nope").await else { panic!("found `nope`") };
        assert_eq!(
            error.to_string(),
            "no action named `nope`; this binary has: announce, audit, check_order, count_click, file_receipt, fulfil, get_order, \
             me, notify, place_order, reading, refund, settle, shaky, shaky_http, tally"
        );
    })
}

// Handlers that panic, to show a panic fails only its own record/invocation.

#[trigger(sqs)]
async fn shaky(message: u32) -> Result<(), Error> {
    if message == 13 {
        panic!("unlucky");
    }
    Ok(())
}

#[api(GET "/shaky")]
async fn shaky_http() -> &'static str {
    panic!("unlucky route")
}

#[test]
fn a_panic_fails_only_its_own_record() {
    block_on(async {
        let response = invoke("shaky", sample::sqs(&["1", "13", "2"])).await.unwrap();
        assert_eq!(failed_ids(&response), ["message-2"]);
    })
}

#[test]
fn a_panic_in_an_http_handler_is_an_invocation_error() {
    block_on(async {
        let error = invoke("shaky_http", sample::http("GET", "/shaky", None)).await.unwrap_err();
        assert!(error.to_string().contains("unlucky route"), "{error}");
    })
}

#[test]
fn a_table_stream_delivers_typed_changes_and_stops_at_the_first_failure() {
    block_on(async {
        let item = |id: &str, cents: u64| json!({"id": {"S": id}, "cents": {"N": cents.to_string()}});
        let key = |id: &str| json!({"id": {"S": id}});
        let event = sample::dynamodb(&[
            ("INSERT", key("o-1"), None, Some(item("o-1", 100))),
            ("INSERT", key("o-2"), None, Some(item("o-2", 0))),
            ("INSERT", key("o-3"), None, Some(item("o-3", 300))),
        ]);
        // o-2 was stored free: the stream resumes from it, so o-3 waits behind it.
        let response = invoke("check_order", event).await.unwrap();
        assert_eq!(failed_ids(&response), ["2"]);
        let clean = sample::dynamodb(&[("INSERT", key("o-4"), None, Some(item("o-4", 400)))]);
        assert_eq!(invoke("check_order", clean).await.unwrap(), json!({"batchItemFailures": []}));
    })
}

// A Kinesis consumer, to show records are typed and handled in order.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Click {
    page: String,
}

#[singleton]
fn clicks() -> Stream<Click> {
    Stream::new()
}

#[trigger(kinesis = clicks, start = trim_horizon, batch = 500, window = 2, retries = 5)]
async fn count_click(click: Click) -> Result<(), Error> {
    if click.page.is_empty() {
        return Err("a click without a page".into());
    }
    Ok(())
}

#[test]
fn a_kinesis_record_that_fails_stops_the_batch_there() {
    block_on(async {
        let click = |page: &str| json!({"page": page}).to_string();
        let response = invoke("count_click", sample::kinesis(&[&click("/a"), &click(""), &click("/b")])).await.unwrap();
        assert_eq!(failed_ids(&response), ["2"]);
        // A record that is not a `Click` fails the same way, naming the type.
        let response = invoke("count_click", sample::kinesis(&[&click("/a"), "[1, 2]"])).await.unwrap();
        assert_eq!(failed_ids(&response), ["2"]);
        let response = invoke("count_click", sample::kinesis(&[&click("/a"), &click("/b")])).await.unwrap();
        assert_eq!(response, json!({"batchItemFailures": []}));
    })
}

// An EventBridge consumer, to show a rule's events arrive as their typed detail.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Refund {
    order_id: String,
    cents: u64,
}

#[derive(Deserialize)]
struct Reading {
    sensor: String,
    celsius: f64,
}

/// An MQTT message selected by an IoT rule arrives as the payload itself.
#[trigger(iot = "SELECT * FROM 'sensors/+/reading'")]
async fn reading(reading: Reading) -> Result<(), Error> {
    if reading.celsius > 100.0 {
        return Err(format!("sensor {} is boiling", reading.sensor).into());
    }
    Ok(())
}

#[test]
fn an_iot_message_arrives_as_its_typed_payload() {
    block_on(async {
        invoke("reading", json!({"sensor": "s-1", "celsius": 21.5})).await.unwrap();
        let error = invoke("reading", json!({"sensor": "s-1", "celsius": 120.0})).await.unwrap_err().to_string();
        assert!(error.contains("sensor s-1 is boiling"), "{error}");
        let error = invoke("reading", json!({"sensor": "s-1"})).await.unwrap_err().to_string();
        assert!(error.contains("celsius"), "{error}");
    })
}

#[trigger(event = r#"{"source": ["shop.payments"], "detail-type": ["Refund"]}"#)]
async fn refund(refund: Refund) -> Result<u64, Error> {
    if refund.order_id.is_empty() {
        return Err("a refund names its order".into());
    }
    Ok(refund.cents)
}

#[test]
fn an_event_arrives_as_its_typed_detail() {
    block_on(async {
        let answered = invoke("refund", sample::event(json!({"order_id": "o-1", "cents": 250}))).await.unwrap();
        assert_eq!(answered, json!(250));
        let error = invoke("refund", sample::event(json!({"order_id": "o-1"}))).await.unwrap_err().to_string();
        assert!(error.contains("an EventBridge event whose detail is a `dispatch::Refund`"), "{error}");
        let error = invoke("refund", sample::event(json!({"order_id": "", "cents": 1}))).await.unwrap_err();
        assert_eq!(error.to_string(), "a refund names its order");
    })
}

#[test]
fn a_route_with_auth_sees_the_verified_claims_and_refuses_without_them() {
    block_on(async {
        let mut request = sample::http("GET", "/me", None);
        request["requestContext"]["authorizer"] =
            json!({"jwt": {"claims": {"sub": "u-42", "email": "ada@example.com"}, "scopes": null}});
        let response = invoke("me", request).await.unwrap();
        assert_eq!(response["statusCode"], 200);
        assert_eq!(body(&response), json!({"id": "u-42", "email": "ada@example.com"}));
        // API Gateway never lets an unsigned request through; if one arrives
        // (a local run), the handler refuses it rather than guess a user.
        let response = invoke("me", sample::http("GET", "/me", None)).await.unwrap();
        assert_eq!(response["statusCode"], 401);
        assert_eq!(body(&response), json!({"error": "this route needs a signed-in user"}));
    })
}

#[test]
fn an_s3_key_arrives_url_encoded_and_is_read_decoded() {
    block_on(async {
        let shop = shop_on_moto().await;
        let body = json!({"id": "o 5", "cents": 500}).to_string();
        let put = shop.s3.put_object().bucket(&shop.receipts).key("receipts/o 5 (copy).json");
        put.body(body.into_bytes().into()).send().await.unwrap();
        // S3 writes the key as `receipts/o+5+%28copy%29.json` in the event.
        let event = sample::s3(&shop.receipts, "receipts/o+5+%28copy%29.json");
        assert_eq!(invoke("file_receipt", event).await.unwrap(), Value::Null);
    })
}

// An action that owns a FIFO queue.

#[trigger(sqs, fifo)]
async fn settle(cents: u64) -> Result<(), Error> {
    if cents == 0 {
        return Err("nothing to settle".into());
    }
    Ok(())
}

#[test]
fn an_action_may_own_a_fifo_queue() {
    use wirestack::resource::ResourceSpec;
    let app = wirestack::model::App::from_registry("dispatch").unwrap();
    let Some(ResourceSpec::Queue(queue)) = app.resource("settle").map(|r| &r.spec) else {
        panic!("settle owns a queue")
    };
    assert!(queue.fifo);
    let template = wirestack::synth::synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
    assert_eq!(template["Resources"]["SettleQueue"]["Properties"]["QueueName"], "dispatch-settle.fifo");
}
