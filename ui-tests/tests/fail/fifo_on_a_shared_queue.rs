use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[trigger(sqs = orders, fifo)]
async fn consume(order: String) -> Result<(), Error> {
    let _ = order;
    Ok(())
}

#[trigger(sqs, fifo, batch = 20, window = 5)]
async fn own(order: String) -> Result<(), Error> {
    let _ = order;
    Ok(())
}

fn main() {}
