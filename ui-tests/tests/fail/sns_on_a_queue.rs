use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[trigger(sns = orders)]
async fn consume(message: String) -> Result<(), String> {
    let _ = message;
    Ok(())
}

fn main() {}
