//! Attributes stack in any order, triggers repeat, and every annotated fn
//! stays an ordinary async fn.
use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub id: String,
}

#[singleton]
fn orders() -> Queue<Order> {
    Queue::new().visibility_timeout(120)
}

#[singleton]
pub fn events() -> Topic<Order> {
    Topic::new()
}

#[trigger(sqs = orders, batch = 10)]
#[action(memory = 512, timeout = 20)]
async fn fulfil(order: Order) -> Result<(), String> {
    let _ = order.id;
    Ok(())
}

#[action(timeout = 60, reserved_concurrency = 2, env(MODE = "audit", LEVEL = "info"), name = "audit-books")]
#[trigger(schedule = "rate(1 hour)")]
#[trigger(schedule = "cron(0 6 ? * MON-FRI *)")]
async fn audit() -> Result<(), String> {
    Ok(())
}

#[trigger(sns = events)]
#[trigger(sqs = orders)]
async fn mirror(order: Order) -> Result<(), String> {
    let _ = order.id;
    Ok(())
}

#[api(GET "/orders/{id}")]
#[api(HEAD "/orders/{id}")]
pub async fn get_order(id: String) -> Result<String, String> {
    Ok(id)
}

#[wirestack::trigger(sqs, batch = 500, window = 2)]
async fn notify(message: String) -> Result<(), String> {
    let _ = message;
    Ok(())
}

#[wirestack::action]
async fn helper() -> Result<u8, String> {
    Ok(7)
}

#[api(ANY "/")]
async fn root() -> Result<(), String> {
    Ok(())
}

#[api(GET "/files/{key+}")]
async fn file(key: String) -> Result<String, String> {
    Ok(key)
}

fn main() {
    // Still plain fns: callable, and their futures can be built.
    let _future = get_order("o-1".to_owned());
    let _future = helper();
    let _ = (fulfil, audit, mirror, notify, root, file);
}
