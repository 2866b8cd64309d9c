use wirestack::prelude::*;

#[singleton]
pub fn payments() -> Queue<u64, Fifo> {
    Queue::new()
}

#[action]
pub async fn pay(cents: u64, payments: Sender<payments>) -> Result<(), Error> {
    payments.send(&cents).await
}

fn main() {}
