//! Every handler shape each trigger accepts.
use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub id: String,
}

#[derive(Deserialize)]
pub struct Page {
    pub after: Option<String>,
}

#[singleton]
fn orders() -> Queue<Order> {
    Queue::new()
}

#[singleton]
fn news() -> Topic<Order> {
    Topic::new()
}

// SQS: one message, the whole batch, or the raw event.
#[trigger(sqs = orders)]
async fn one(order: Order) -> Result<(), Error> {
    let _ = order;
    Ok(())
}

#[trigger(sqs = orders, batch = 100, window = 5)]
async fn many(orders: Vec<Order>) -> Result<(), Error> {
    let _ = orders.len();
    Ok(())
}

#[trigger(sqs = orders)]
async fn raw(event: SqsEvent) -> Result<wirestack::event::SqsBatchResponse, Error> {
    let _ = event.records.len();
    Ok(Default::default())
}

// SNS: one message or the raw event.
#[trigger(sns = news)]
async fn heard(order: Order) -> Result<(), Error> {
    let _ = order;
    Ok(())
}

#[trigger(sns = news)]
async fn heard_raw(event: SnsEvent) -> Result<(), Error> {
    let _ = event.records.len();
    Ok(())
}

// Schedule: nothing, or the EventBridge event.
#[trigger(schedule = "rate(1 day)")]
async fn daily() -> Result<(), Error> {
    Ok(())
}

#[trigger(schedule = "rate(2 days)")]
async fn daily_event(event: ScheduledEvent) -> Result<(), Error> {
    let _ = event.detail_type;
    Ok(())
}

// HTTP: axum extractors in, `IntoResponse` out.
#[api(GET "/orders/{id}")]
async fn get(Path(id): Path<String>, Query(page): Query<Page>) -> Result<Json<Order>, Error> {
    let _ = page.after;
    Ok(Json(Order { id }))
}

#[api(POST "/orders")]
async fn post(Json(order): Json<Order>) -> Result<(StatusCode, Json<Order>), Error> {
    Ok((StatusCode::CREATED, Json(order)))
}

#[api(GET "/health")]
async fn health() -> &'static str {
    "ok"
}

#[api(GET "/version")]
async fn version() -> impl axum::response::IntoResponse {
    (StatusCode::OK, "1")
}

// A plain action takes its input whole, or nothing.
#[action]
async fn compute(order: Order) -> Result<String, Error> {
    Ok(order.id)
}

// An IoT rule hands over the message it selected, decoded as the handler's type.
#[trigger(iot = "SELECT * FROM 'sensors/+/reading' WHERE celsius > 30")]
async fn hot(reading: Order) -> Result<(), Error> {
    let _ = reading;
    Ok(())
}

fn main() {
    let _ = (one, many, raw, heard, heard_raw, daily, daily_event, get, post, health, version, compute, hot);
}
