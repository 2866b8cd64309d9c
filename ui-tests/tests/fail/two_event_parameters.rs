use wirestack::prelude::*;

#[trigger(sqs)]
async fn consume(first: String, second: String) -> Result<(), Error> {
    let _ = (first, second);
    Ok(())
}

fn main() {}
