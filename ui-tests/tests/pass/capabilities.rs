//! Capabilities as handler parameters, in any position, for every trigger
//! kind and for HTTP handlers.
use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub id: String,
}

#[derive(Serialize, Deserialize)]
pub struct Email {
    pub to: String,
}

#[singleton]
pub fn orders() -> Queue<Order> {
    Queue::new()
}

#[singleton]
pub fn news() -> Topic<Order> {
    Topic::new()
}

#[singleton]
pub fn ledger() -> Table<Order> {
    Table::new().partition_key(Key::string("id")).index("by_id", Key::string("id"), None)
}

#[singleton]
pub fn archive() -> Bucket {
    Bucket::new()
}

/// Both a table and a bucket behind `Reader` and `Writer`, and an `s3`
/// trigger with every option.
#[trigger(s3 = archive, events = [put, copy, multipart_upload], prefix = "in/", suffix = ".json")]
pub async fn archived(event: S3Event, objects: Reader<archive>, out: Writer<archive>) -> Result<(), Error> {
    for record in event.records {
        let key = record.s3.object.key.unwrap_or_default();
        let order: Option<Order> = objects.get_json(&key).await?;
        if let Some(order) = order {
            out.put_json(&format!("out/{}.json", order.id), &order).await?;
        }
        let _ = objects.list("in/").await?;
        let _ = objects.get_object(&key).await?;
        out.delete_object(&key).await?;
        out.put_object("raw", b"bytes".to_vec(), "text/plain").await?;
    }
    Ok(())
}

#[trigger(s3 = archive, events = [removed])]
pub async fn forgotten() -> Result<(), Error> {
    Ok(())
}

#[api(GET "/orders/{id}")]
pub async fn read(book: Reader<ledger>, Path(id): Path<String>) -> Result<Json<Vec<Order>>, Error> {
    let one = book.get(&id).await?;
    let all = book.query(&id).await?;
    Ok(Json(one.into_iter().chain(all).collect()))
}

#[trigger(sqs)]
pub async fn record(order: Order, book: Writer<ledger>) -> Result<(), Error> {
    book.put(&order).await?;
    book.delete(&order.id).await
}

#[trigger(sqs)]
pub async fn mail(email: Email) -> Result<(), Error> {
    let _ = email.to;
    Ok(())
}

#[api(POST "/orders")]
pub async fn place(queue: Sender<orders>, Json(order): Json<Order>) -> Result<StatusCode, Error> {
    queue.send(&order).await?;
    Ok(StatusCode::ACCEPTED)
}

/// A capability after the body extractor: capabilities are not parts of the
/// request, so they may stand anywhere.
#[api(PUT "/orders")]
pub async fn replace(Json(order): Json<Order>, queue: Sender<orders>) -> Result<StatusCode, Error> {
    queue.send(&order).await?;
    Ok(StatusCode::ACCEPTED)
}

#[trigger(sqs = orders)]
pub async fn fulfil(news: Publisher<news>, order: Order, mail: Sender<mail>) -> Result<(), Error> {
    news.publish(&order).await?;
    mail.send(&Email { to: order.id }).await
}

#[singleton]
pub fn alarm() -> Raw {
    Raw::new("AWS::CloudWatch::Alarm")
        .property("Namespace", "AWS/SQS")
        .property("Dimensions", json!([{ "Name": "QueueName", "Value": Raw::attribute::<orders>("QueueName") }]))
}

#[singleton]
pub fn token() -> Secret {
    Secret::generated(40).description("API token")
}

#[singleton]
pub fn legacy() -> Secret {
    Secret::existing("arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-AbCdEf")
}

#[api(GET "/token")]
pub async fn show(token: SecretValue<token>, old: SecretValue<legacy>) -> String {
    format!("{} {}", token.expose().len(), old.expose().len())
}

#[trigger(schedule = "rate(1 hour)")]
pub async fn remind(mail: Sender<mail>) -> Result<(), Error> {
    mail.send_batch(&[Email { to: "a".into() }, Email { to: "b".into() }]).await
}

fn main() {
    let _ = (place, fulfil, remind, read, record, show);
}

/// `Invoke` sends the action's input type and decodes its output type;
/// a nullary action takes `()`.
#[action]
pub async fn tally(order: Order) -> Result<Vec<u64>, Error> {
    Ok(vec![order.id.len() as u64])
}

#[action]
#[trigger(schedule = "rate(1 day)")]
pub async fn nightly() -> Result<(), Error> {
    Ok(())
}

/// An output type that cannot be named: still a handler, just not invocable.
#[action]
pub async fn opaque() -> Result<impl Serialize, Error> {
    Ok(1)
}

#[trigger(sqs)]
pub async fn books(order: Order, tally: Invoke<tally>, nightly: Invoke<nightly>) -> Result<(), Error> {
    let totals: Vec<u64> = tally.call(&order).await?;
    let _ = totals;
    tally.send_event(&order).await?;
    nightly.call(&()).await
}

#[singleton]
pub fn payments() -> Queue<Order, Fifo> {
    Queue::new().visibility_timeout(60)
}

#[singleton]
pub fn ledger_feed() -> Topic<Order, Fifo> {
    Topic::new()
}

/// FIFO queues and topics take a message group.
#[trigger(sqs = payments, batch = 10)]
pub async fn settle(order: Order, feed: Publisher<ledger_feed>, again: Sender<payments>) -> Result<(), Error> {
    feed.publish_to_group(&order, &order.id).await?;
    again.send_batch_to_group(std::slice::from_ref(&order), "retries").await?;
    again.send_to_group(&order, "retries").await
}

#[singleton]
pub fn clicks() -> Stream<Order> {
    Stream::new().shards(2).retention_hours(48)
}

/// Stream records, one at a time: typed Kinesis data, typed table changes,
/// or the raw Kinesis event. A `Writer` of a stream puts records on it.
#[trigger(kinesis = clicks, start = trim_horizon, batch = 100, window = 1, retries = 2)]
pub async fn click(order: Order, book: Writer<ledger>) -> Result<(), Error> {
    book.put(&order).await
}

#[api(POST "/clicks")]
pub async fn record_click(clicks: Writer<clicks>, Json(order): Json<Order>) -> Result<StatusCode, Error> {
    clicks.put_record(&order, &order.id).await?;
    clicks.put_records(std::slice::from_ref(&order), |o| o.id.clone()).await?;
    Ok(StatusCode::ACCEPTED)
}

#[trigger(dynamodb = ledger, filter = r#"{"eventName": ["MODIFY"]}"#)]
pub async fn ledger_changed(change: ItemChange<Order>) -> Result<(), Error> {
    let _ = (change.kind == ChangeKind::Modify, change.old, change.new, change.keys);
    Ok(())
}

#[trigger(kinesis = clicks)]
pub async fn raw_clicks(event: KinesisEvent) -> Result<(), Error> {
    let _ = event.records.len();
    Ok(())
}

#[singleton]
pub fn payments_bus() -> Bus {
    Bus::new()
}

/// EventBridge rules: the typed detail, on the default bus or the app's own;
/// the raw event fits a rule and a schedule alike.
#[trigger(event = r#"{"source": ["shop"], "detail-type": ["OrderPlaced"]}"#)]
#[trigger(event = r#"{"source": ["payments"]}"#, bus = payments_bus)]
pub async fn on_order(order: Order, queue: Sender<orders>) -> Result<(), Error> {
    queue.send(&order).await
}

/// A `Publisher` of a bus puts events for rules like the ones above.
#[api(POST "/payments")]
pub async fn pay(bus: Publisher<payments_bus>, Json(order): Json<Order>) -> Result<StatusCode, Error> {
    bus.publish_event("payments", "OrderPaid", &order).await?;
    Ok(StatusCode::ACCEPTED)
}

#[trigger(event = r#"{"source": ["aws.s3"]}"#)]
#[trigger(schedule = "rate(1 day)")]
pub async fn on_anything(event: EventBridgeEvent<serde_json::Value>) -> Result<(), Error> {
    let _ = event.detail;
    Ok(())
}

#[singleton]
pub fn members() -> UserPool {
    UserPool::new().invite_only().min_password_length(16)
}

/// A route only `members` may call; its claims are an extractor.
#[api(GET "/members/me", auth = members)]
pub async fn member(claims: Claims, book: Reader<ledger>) -> Result<Json<Option<Order>>, Error> {
    let id = claims.subject().unwrap_or_default();
    Ok(Json(book.get(id).await?))
}

#[singleton]
pub fn fonts() -> Layer {
    Layer::from_dir("layers/fonts")
}

#[singleton]
pub fn shared_tools() -> Layer {
    Layer::existing("arn:aws:lambda:eu-west-1:123456789012:layer:tools:7")
}

/// Layers attach in the order listed.
#[action(layers = [fonts, shared_tools], memory = 1024)]
pub async fn render_pdf(order: Order) -> Result<String, Error> {
    Ok(order.id)
}

/// An action may own a FIFO queue; its name is that queue's singleton.
#[trigger(sqs, fifo, batch = 10)]
pub async fn settle_in_order(order: Order, again: Sender<settle_in_order>) -> Result<(), Error> {
    if order.id.is_empty() {
        again.send_to_group(&order, "retries").await?;
    }
    Ok(())
}
