use wirestack::prelude::*;

#[trigger(sqs, batch = 100)]
async fn bulk(message: String) -> Result<(), String> {
    let _ = message;
    Ok(())
}

fn main() {}
