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

#[trigger(schedule = "rate(1 hour)")]
pub async fn tick(orders: Sender<orders>) -> Result<(), Error> {
    orders.send(&Email { to: "x".into() }).await
}

fn main() {}
