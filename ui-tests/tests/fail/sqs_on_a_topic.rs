use wirestack::prelude::*;

#[singleton]
fn shipped() -> Topic<String> {
    Topic::new()
}

#[trigger(sqs = shipped)]
async fn consume(message: String) -> Result<(), String> {
    let _ = message;
    Ok(())
}

fn main() {}
