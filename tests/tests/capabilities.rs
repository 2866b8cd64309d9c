//! Each capability's client, resolved as a handler's would be and really
//! round-tripping against the local AWS stand-in (moto): send -> receive,
//! batch send -> receive, put -> get -> query -> delete, object put -> get ->
//! list -> delete, stream put -> shard read, bus event -> rule -> queue,
//! invoke -> output, parameter read at cold start.

use serde::{Deserialize, Serialize};
use wirestack::capability::Capability;
use wirestack::prelude::*;
use wirestack_tests::block_on;
use wirestack_tests::moto::moto;
use wirestack_tests::shop_on_moto::shop_on_moto;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub account: String,
    pub seq: u64,
    pub cents: i64,
    pub note: Option<String>,
}

/// A table with a sort key, declared as an app would.
#[singleton]
pub fn ledger() -> Table<Entry> {
    Table::new().partition_key(Key::string("account")).sort_key(Key::number("seq"))
}

#[singleton]
pub fn archive() -> Bucket {
    Bucket::new()
}

#[singleton]
pub fn ledger_feed() -> Stream<Entry> {
    Stream::new()
}

#[singleton]
pub fn ledger_bus() -> Bus {
    Bus::new()
}

#[singleton]
pub fn payments() -> Queue<u32, Fifo> {
    Queue::new()
}

#[singleton]
pub fn jobs() -> Queue<u32> {
    Queue::new()
}

async fn create_ledger() {
    use aws_sdk_dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
    let shop = shop_on_moto().await;
    let attribute =
        |name: &str, kind| AttributeDefinition::builder().attribute_name(name).attribute_type(kind).build().unwrap();
    let key = |name: &str, kind| KeySchemaElement::builder().attribute_name(name).key_type(kind).build().unwrap();
    shop.dynamodb
        .create_table()
        .table_name("ledger")
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("account", ScalarAttributeType::S))
        .attribute_definitions(attribute("seq", ScalarAttributeType::N))
        .key_schema(key("account", KeyType::Hash))
        .key_schema(key("seq", KeyType::Range))
        .send()
        .await
        .unwrap();
    std::env::set_var("WIRESTACK_TABLE_LEDGER", "ledger");
}

#[test]
fn a_writer_puts_and_deletes_what_a_reader_gets_and_queries() {
    block_on(async {
        create_ledger().await;
        let writer = Writer::<ledger>::resolve().await.unwrap();
        let reader = Reader::<ledger>::resolve().await.unwrap();
        let entry =
            |seq, cents| Entry { account: "acme".into(), seq, cents, note: (seq == 2).then(|| "refund".into()) };
        for (seq, cents) in [(3, 700), (1, 100), (2, -50)] {
            writer.put(&entry(seq, cents)).await.unwrap();
        }
        writer.put(&Entry { account: "other".into(), seq: 1, cents: 1, note: None }).await.unwrap();

        assert_eq!(reader.get_sorted("acme", 2).await.unwrap(), Some(entry(2, -50)));
        assert_eq!(reader.get_sorted("acme", 9).await.unwrap(), None);
        // Query: that partition only, in sort-key order.
        assert_eq!(reader.query("acme").await.unwrap(), [entry(1, 100), entry(2, -50), entry(3, 700)]);

        writer.delete_sorted("acme", 1).await.unwrap();
        assert_eq!(reader.query("acme").await.unwrap().len(), 2);
        // A table with a sort key needs it: a clear error, no call.
        let error = reader.get("acme").await.unwrap_err().to_string();
        assert_eq!(error, "table `ledger` needs its sort key `seq` too");
    })
}

#[test]
fn a_writer_puts_and_deletes_objects_a_reader_gets_and_lists() {
    block_on(async {
        let shop = shop_on_moto().await;
        shop.s3.create_bucket().bucket("archive").send().await.unwrap();
        std::env::set_var("WIRESTACK_BUCKET_ARCHIVE", "archive");
        let writer = Writer::<archive>::resolve().await.unwrap();
        let reader = Reader::<archive>::resolve().await.unwrap();

        writer.put_object("raw/a.bin", vec![0u8, 159, 146, 150], "application/octet-stream").await.unwrap();
        let entry = Entry { account: "acme".into(), seq: 1, cents: 5, note: None };
        writer.put_json("entries/1.json", &entry).await.unwrap();
        writer.put_json("entries/2.json", &[1, 2, 3]).await.unwrap();

        assert_eq!(reader.get_object("raw/a.bin").await.unwrap(), Some(vec![0u8, 159, 146, 150]));
        assert_eq!(reader.get_json::<Entry>("entries/1.json").await.unwrap(), Some(entry));
        assert_eq!(reader.list("entries/").await.unwrap(), ["entries/1.json", "entries/2.json"]);
        // The wrong type for an object is an error naming the object.
        let error = reader.get_json::<Entry>("entries/2.json").await.unwrap_err().to_string();
        assert!(error.starts_with("decoding of `entries/2.json` in bucket `archive` failed"), "{error}");

        writer.delete_object("entries/1.json").await.unwrap();
        assert_eq!(reader.get_object("entries/1.json").await.unwrap(), None);
        assert_eq!(reader.list("entries/").await.unwrap(), ["entries/2.json"]);
    })
}

/// An action other actions invoke: `Invoke<echo>` sends an `Entry` and
/// expects one back.
#[action]
pub async fn echo(entry: Entry) -> Result<Entry, Error> {
    Ok(entry)
}

/// An action whose output differs from its input.
#[action]
pub async fn price(entry: Entry) -> Result<u64, Error> {
    Ok(entry.cents.unsigned_abs())
}

#[test]
fn invoke_sends_the_actions_input_and_decodes_its_output() {
    block_on(async {
        shop_on_moto().await;
        std::env::set_var("WIRESTACK_FUNCTION_ECHO", "app-echo");
        std::env::set_var("WIRESTACK_FUNCTION_PRICE", "app-price");
        let entry = Entry { account: "acme".into(), seq: 7, cents: -250, note: Some("refund".into()) };
        // moto's Lambda echoes the payload it was sent: the input went out
        // as the action's JSON and came back decoded.
        let echo = Invoke::<echo>::resolve().await.unwrap();
        assert_eq!(echo.call(&entry).await.unwrap(), entry);
        // Told what to answer, it answers that; the output type decodes it.
        let price = Invoke::<price>::resolve().await.unwrap();
        moto().answer_lambda_with(&["250"]);
        assert_eq!(price.call(&entry).await.unwrap(), 250);
        // An answer that is not the output type is an error naming the action.
        let error = price.call(&entry).await.unwrap_err().to_string();
        assert!(error.starts_with("action `price` answered with something other than its output type"), "{error}");
        // Fire and forget: Lambda accepts the event (202) and the call returns.
        price.send_event(&entry).await.unwrap();
    })
}

#[test]
fn a_fifo_sender_keeps_each_groups_order_and_drops_duplicates() {
    block_on(async {
        use aws_sdk_sqs::types::QueueAttributeName;
        let shop = shop_on_moto().await;
        let url = shop
            .sqs
            .create_queue()
            .queue_name("payments.fifo")
            .attributes(QueueAttributeName::FifoQueue, "true")
            .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
            .send()
            .await
            .unwrap()
            .queue_url()
            .unwrap()
            .to_owned();
        std::env::set_var("WIRESTACK_QUEUE_PAYMENTS", &url);
        let sender = Sender::<payments>::resolve().await.unwrap();
        sender.send_batch_to_group(&(1..=12).collect::<Vec<u32>>(), "acme").await.unwrap();
        sender.send_to_group(&13, "acme").await.unwrap();
        // The same body again within five minutes: SQS drops it.
        sender.send_to_group(&13, "acme").await.unwrap();
        let received: Vec<u32> =
            shop.drain(&url).await.iter().map(|body| serde_json::from_str(body).unwrap()).collect();
        assert_eq!(received, (1..=13).collect::<Vec<_>>());
    })
}

#[test]
fn a_stream_writer_puts_records_a_shard_reader_gets_back_in_order() {
    block_on(async {
        shop_on_moto().await;
        let config = aws_config::load_from_env().await;
        let kinesis = aws_sdk_kinesis::Client::new(&config);
        kinesis.create_stream().stream_name("ledger-feed").shard_count(1).send().await.unwrap();
        let description = kinesis.describe_stream().stream_name("ledger-feed").send().await.unwrap();
        let description = description.stream_description().unwrap();
        std::env::set_var("WIRESTACK_STREAM_LEDGER_FEED", description.stream_arn());
        let writer = Writer::<ledger_feed>::resolve().await.unwrap();

        let entry = |seq: u64| Entry { account: "acme".into(), seq, cents: seq as i64 * 10, note: None };
        writer.put_record(&entry(1), "acme").await.unwrap();
        let more: Vec<Entry> = (2..=4).map(entry).collect();
        writer.put_records(&more, |e| e.account.clone()).await.unwrap();

        let shard = description.shards()[0].shard_id();
        let iterator = kinesis
            .get_shard_iterator()
            .stream_name("ledger-feed")
            .shard_id(shard)
            .shard_iterator_type(aws_sdk_kinesis::types::ShardIteratorType::TrimHorizon)
            .send()
            .await
            .unwrap();
        let records = kinesis.get_records().shard_iterator(iterator.shard_iterator().unwrap()).send().await.unwrap();
        let read: Vec<Entry> =
            records.records().iter().map(|r| serde_json::from_slice(r.data().as_ref()).unwrap()).collect();
        assert_eq!(read, (1..=4).map(entry).collect::<Vec<_>>());
    })
}

#[test]
fn a_bus_publisher_puts_events_that_a_rule_delivers() {
    block_on(async {
        use aws_sdk_eventbridge::types::Target;
        let shop = shop_on_moto().await;
        let config = aws_config::load_from_env().await;
        let events = aws_sdk_eventbridge::Client::new(&config);
        events.create_event_bus().name("ledger-bus").send().await.unwrap();
        // A rule on the bus that forwards matching events to a queue we can read.
        let url =
            shop.sqs.create_queue().queue_name("ledger-tap").send().await.unwrap().queue_url().unwrap().to_owned();
        let tap = "arn:aws:sqs:us-east-1:123456789012:ledger-tap";
        let pattern = r#"{"source": ["tests.ledger"], "detail-type": ["Entry"]}"#;
        let rule = events.put_rule().name("entries").event_bus_name("ledger-bus").event_pattern(pattern);
        rule.send().await.unwrap();
        let target = Target::builder().id("tap").arn(tap).build().unwrap();
        events.put_targets().rule("entries").event_bus_name("ledger-bus").targets(target).send().await.unwrap();
        std::env::set_var("WIRESTACK_BUS_LEDGER_BUS", "ledger-bus");

        let publisher = Publisher::<ledger_bus>::resolve().await.unwrap();
        let entry = Entry { account: "acme".into(), seq: 9, cents: 90, note: None };
        publisher.publish_event("tests.ledger", "Entry", &entry).await.unwrap();
        publisher.publish_event("tests.other", "Entry", &entry).await.unwrap();

        let delivered: Vec<serde_json::Value> =
            shop.drain(&url).await.iter().map(|body| serde_json::from_str(body).unwrap()).collect();
        assert_eq!(delivered.len(), 1, "only the matching event: {delivered:?}");
        assert_eq!(delivered[0]["detail"], serde_json::to_value(&entry).unwrap());
        assert_eq!(delivered[0]["detail-type"], "Entry");
    })
}

#[test]
fn a_sender_sends_batches_of_any_size() {
    block_on(async {
        let shop = shop_on_moto().await;
        let url = shop.sqs.create_queue().queue_name("jobs").send().await.unwrap().queue_url().unwrap().to_owned();
        std::env::set_var("WIRESTACK_QUEUE_JOBS", &url);
        let sender = Sender::<jobs>::resolve().await.unwrap();
        let numbers: Vec<u32> = (0..25).collect();
        sender.send_batch(&numbers).await.unwrap();
        sender.send(&99).await.unwrap();
        let mut received: Vec<u32> =
            shop.drain(&url).await.iter().map(|body| serde_json::from_str(body).unwrap()).collect();
        received.sort_unstable();
        assert_eq!(received, (0..25).chain([99]).collect::<Vec<_>>());
    })
}

#[test]
fn a_capability_reports_the_variable_it_lacks() {
    block_on(async {
        std::env::remove_var("WIRESTACK_QUEUE_NOWHERE");
        let Err(error) = Sender::<nowhere>::resolve().await else { panic!("resolved without its variable") };
        assert_eq!(
            error.to_string(),
            "Sender<nowhere> needs the environment variable WIRESTACK_QUEUE_NOWHERE; deploy the function from \
             the template synth wrote, or set it for a local run"
        );
    })
}

#[singleton]
pub fn nowhere() -> Queue<String> {
    Queue::new()
}

#[singleton]
pub fn smtp() -> Secret {
    Secret::generated(32)
}

#[derive(Debug, PartialEq, Deserialize)]
struct Smtp {
    user: String,
    password: String,
}

#[test]
fn a_secret_value_is_read_once_and_decodes() {
    block_on(async {
        let shop = shop_on_moto().await;
        let secret = r#"{"user": "mailer", "password": "hunter2"}"#;
        let created = shop.secrets.create_secret().name("smtp").secret_string(secret).send().await.unwrap();
        std::env::set_var("WIRESTACK_SECRET_SMTP", created.arn().unwrap());
        let value = SecretValue::<smtp>::resolve().await.unwrap();
        assert_eq!(value.expose(), secret);
        assert_eq!(value.json::<Smtp>().unwrap(), Smtp { user: "mailer".into(), password: "hunter2".into() });
        assert_eq!(format!("{value:?}"), "SecretValue(..)", "Debug never shows the value");
    })
}

#[singleton]
pub fn pricing() -> Parameter {
    Parameter::string(r#"{"currency": "EUR"}"#)
}

#[derive(Debug, PartialEq, Deserialize)]
struct Pricing {
    currency: String,
}

#[test]
fn a_parameter_is_read_once_at_cold_start_and_decodes() {
    block_on(async {
        moto();
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let ssm = aws_sdk_ssm::Client::new(&config);
        let put = |value: &'static str| {
            let put = ssm.put_parameter().name("shop-pricing").value(value).overwrite(true);
            put.r#type(aws_sdk_ssm::types::ParameterType::String).send()
        };
        put(r#"{"currency": "EUR"}"#).await.unwrap();
        std::env::set_var("WIRESTACK_PARAMETER_PRICING", "shop-pricing");
        let settings = Reader::<pricing>::resolve().await.unwrap();
        // Read when the function started: a later change reaches the next
        // instance, and this one makes no call for it.
        put(r#"{"currency": "USD"}"#).await.unwrap();
        assert_eq!(settings.value(), r#"{"currency": "EUR"}"#);
        assert_eq!(settings.json::<Pricing>().unwrap(), Pricing { currency: "EUR".into() });
        assert_eq!(Reader::<pricing>::resolve().await.unwrap().value(), r#"{"currency": "USD"}"#);
        std::env::set_var("WIRESTACK_PARAMETER_PRICING", "shop-no-such-parameter");
        let error = Reader::<pricing>::resolve().await.err().expect("no such parameter").to_string();
        assert!(error.contains("reading parameter `pricing` (shop-no-such-parameter) failed"), "{error}");
        std::env::set_var("WIRESTACK_PARAMETER_PRICING", "shop-pricing");
    })
}
