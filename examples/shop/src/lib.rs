//! A small shop, wired with wirestack. An order flows through it:
//!
//! `POST /orders` (`place_order`) -> queue `orders` -> `fulfil` -> table
//! `order_book`, bucket `receipts` and topic `shipped`; `shipped` ->
//! `announce` -> `notify`'s own queue -> `notify`; a new receipt ->
//! `file_receipt` -> `tally`; `GET /orders/{id}` (`get_order`) reads the
//! table back; `audit` runs hourly.
//!
//! Each hop is a capability in a handler's signature (`Sender<orders>`,
//! `Writer<order_book>`, `Writer<receipts>`, `Publisher<shipped>`,
//! `Sender<notify>`, `SecretValue<carrier_api_key>`, `Reader<order_book>`,
//! `Reader<receipts>`, `Invoke<tally>`), and each becomes exactly the IAM
//! statements it needs, on exactly that resource.
//!
//! `cargo run -p shop --bin synth` writes its CloudFormation.

use wirestack::prelude::*;

/// An order as the API receives it and the queue carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub cents: u64,
}

/// A shipment announced when an order is fulfilled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipment {
    pub order_id: String,
    pub carrier: String,
}

/// A message for the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
}

/// Orders waiting to be fulfilled. Fulfilment may take a minute, so the
/// queue hides a received order for five.
#[singleton]
pub fn orders() -> Queue<Order> {
    Queue::new().visibility_timeout(300).max_receive_count(3)
}

/// Every fulfilled order, by id.
#[singleton]
pub fn order_book() -> Table<Order> {
    Table::new().partition_key(Key::string("id"))
}

/// The carrier's API key: generated at deploy, read at cold start.
#[singleton]
pub fn carrier_api_key() -> Secret {
    Secret::generated(40).description("Key for the carrier's tracking API")
}

/// The escape hatch: any CloudFormation resource wirestack does not model.
/// Here, an alarm when an order has waited more than 15 minutes.
#[singleton]
pub fn orders_waiting_alarm() -> Raw {
    Raw::new("AWS::CloudWatch::Alarm")
        .property("AlarmDescription", "An order has waited in the orders queue for over 15 minutes")
        .property("Namespace", "AWS/SQS")
        .property("MetricName", "ApproximateAgeOfOldestMessage")
        .property("Dimensions", json!([{ "Name": "QueueName", "Value": Raw::attribute::<orders>("QueueName") }]))
        .property("Statistic", "Maximum")
        .property("Period", 300)
        .property("EvaluationPeriods", 1)
        .property("Threshold", 900)
        .property("ComparisonOperator", "GreaterThanThreshold")
        .property("TreatMissingData", "notBreaching")
}

/// A receipt per fulfilled order, as JSON under `receipts/`. Kept a year.
#[singleton]
pub fn receipts() -> Bucket {
    Bucket::new().expire_after_days(365)
}

/// Carriers' tracking links, shipped as a layer: data that changes apart
/// from the code (Lambda mounts it under `/opt`).
#[singleton]
pub fn carriers() -> Layer {
    Layer::from_dir("layers/carriers")
}

/// Shipments, for anyone who wants to know.
#[singleton]
pub fn shipped() -> Topic<Shipment> {
    Topic::new().display_name("Shop shipments")
}

/// The shop's customers: they sign up with their email address.
#[singleton]
pub fn customers() -> UserPool {
    UserPool::new()
}

/// A signed-in customer, as `GET /me` shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
}

/// Who is signed in: only customers with a valid token reach this handler
/// (the HTTP API checks the token against `customers`).
#[api(GET "/me", auth = customers)]
pub async fn me(claims: Claims) -> Result<Json<Customer>, Error> {
    let id = claims.subject().ok_or_else(|| Error::status(StatusCode::UNAUTHORIZED, "the token names no user"))?;
    Ok(Json(Customer { id: id.to_owned(), email: claims.get("email").map(str::to_owned) }))
}

/// Takes an order over HTTP and queues it: 202 with the order, or 422 if it
/// is free. (Capabilities go anywhere, even after the body extractor.)
#[api(POST "/orders")]
pub async fn place_order(Json(order): Json<Order>, orders: Sender<orders>) -> Result<(StatusCode, Json<Order>), Error> {
    if order.cents == 0 {
        return Err(Error::status(StatusCode::UNPROCESSABLE_ENTITY, "an order must cost something"));
    }
    orders.send(&order).await?;
    Ok((StatusCode::ACCEPTED, Json(order)))
}

/// Looks a fulfilled order up; order ids start with `o-`.
#[api(GET "/orders/{id}")]
pub async fn get_order(book: Reader<order_book>, Path(id): Path<String>) -> Result<Json<Order>, Error> {
    let found = if id.starts_with("o-") { book.get(&id).await? } else { None };
    found.map(Json).ok_or_else(|| Error::status(StatusCode::NOT_FOUND, format!("no order `{id}`")))
}

/// Fulfils orders ten at a time: records each in the order book and
/// announces its shipment; each failed order is retried on its own.
#[trigger(sqs = orders, batch = 10, window = 5)]
#[action(memory = 512, timeout = 60)]
pub async fn fulfil(
    order: Order,
    book: Writer<order_book>,
    receipts: Writer<receipts>,
    shipped: Publisher<shipped>,
) -> Result<(), Error> {
    book.put(&order).await?;
    receipts.put_json(&format!("receipts/{}.json", order.id), &order).await?;
    shipped.publish(&Shipment { order_id: order.id, carrier: "post".into() }).await
}

/// Files each new receipt: reads it back and hands it to `tally`, without
/// waiting for the books.
#[trigger(s3 = receipts, events = [created], prefix = "receipts/", suffix = ".json")]
pub async fn file_receipt(event: S3Event, receipts: Reader<receipts>, books: Invoke<tally>) -> Result<(), Error> {
    for record in &event.records {
        let key = object_key(record);
        let receipt: Option<Order> = receipts.get_json(&key).await?;
        let receipt = receipt.ok_or_else(|| Error::from(format!("receipt `{key}` is gone")))?;
        books.send_event(&receipt).await?;
    }
    Ok(())
}

/// Watches the order book: each order stored is checked once, in order
/// (only inserts reach the function; the filter runs in Lambda's poller).
/// A free order fails here, and the stream holds its place until it is fixed.
#[trigger(dynamodb = order_book, start = trim_horizon, batch = 50, filter = r#"{"eventName": ["INSERT"]}"#)]
pub async fn check_order(change: ItemChange<Order>) -> Result<(), Error> {
    let order = change.new.ok_or("an insert carries the new item")?;
    if order.cents == 0 {
        return Err(format!("order `{}` was stored free", order.id).into());
    }
    Ok(())
}

/// A line in the books.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub order_id: String,
    pub cents: u64,
    pub tax_cents: u64,
}

/// Works out an order's tax (20%, rounded down). Invoked by `file_receipt`
/// with the order; answers with the book entry.
#[action]
pub async fn tally(order: Order) -> Result<Entry, Error> {
    if order.cents == 0 {
        return Err("a free order has no tax".into());
    }
    Ok(Entry { tax_cents: order.cents / 5, cents: order.cents, order_id: order.id })
}

/// Asks `notify` to email the customer when an order ships, with the
/// carrier's tracking link (from the `carriers` layer) and a key only the
/// carrier's secret can make.
#[trigger(sns = shipped)]
#[action(layers = [carriers])]
pub async fn announce(
    shipment: Shipment,
    mail: Sender<notify>,
    carrier: SecretValue<carrier_api_key>,
) -> Result<(), Error> {
    if carrier.expose().is_empty() {
        return Err("the carrier key is empty".into());
    }
    let to = format!("customer-of-{}@example.com", shipment.order_id);
    let link = tracking_link(&shipment.carrier)?.replace("{id}", &shipment.order_id);
    mail.send(&Email { to, subject: format!("Your order shipped: {link}") }).await
}

/// Where the `carriers` layer is mounted on Lambda; `SHOP_LAYERS` points a
/// local run at the package's own copy. The file is read by the first
/// message a process handles, not by every one.
fn tracking_link(carrier: &str) -> Result<String, Error> {
    type Links = std::collections::BTreeMap<String, String>;
    static LINKS: std::sync::OnceLock<Links> = std::sync::OnceLock::new();
    let links = match LINKS.get() {
        Some(links) => links,
        None => {
            let root = std::env::var("SHOP_LAYERS").unwrap_or_else(|_| "/opt".to_owned());
            let path = format!("{root}/carriers.json");
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let links: Links = serde_json::from_str(&text).map_err(|e| format!("{path} is not a map of links: {e}"))?;
            LINKS.get_or_init(|| links)
        }
    };
    links.get(carrier).cloned().ok_or_else(|| format!("no tracking link for carrier `{carrier}`").into())
}

/// Sends email; other actions queue mail for it on its own queue.
#[trigger(sqs)]
#[action(timeout = 20, env(SENDER = "shop@example.com"))]
pub async fn notify(mail: Email) -> Result<(), Error> {
    if mail.to.is_empty() {
        return Err("no recipient".into());
    }
    Ok(())
}

/// Checks the books every hour and at 06:00 UTC on weekdays.
#[action(memory = 1024, timeout = 300, reserved_concurrency = 1)]
#[trigger(schedule = "rate(1 hour)")]
#[trigger(schedule = "cron(0 6 ? * MON-FRI *)")]
pub async fn audit() -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The annotated fns stay plain async fns, callable from tests.
    #[test]
    fn handlers_stay_callable() {
        assert!(block_on(notify(Email { to: String::new(), subject: "hi".into() })).is_err());
        assert!(block_on(notify(Email { to: "ada@example.com".into(), subject: "hi".into() })).is_ok());
        assert!(block_on(audit()).is_ok());
    }

    /// Polls a future that never waits (these handlers touch no I/O).
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }
}
