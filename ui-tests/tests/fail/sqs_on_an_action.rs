use wirestack::prelude::*;

#[action]
async fn helper() -> Result<(), String> {
    Ok(())
}

#[trigger(sqs = helper)]
async fn consume(message: String) -> Result<(), String> {
    let _ = message;
    Ok(())
}

fn main() {}
