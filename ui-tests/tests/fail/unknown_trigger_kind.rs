use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[trigger(sqss = orders)]
async fn fulfil(order: String) -> Result<(), String> {
    let _ = order;
    Ok(())
}

fn main() {}
