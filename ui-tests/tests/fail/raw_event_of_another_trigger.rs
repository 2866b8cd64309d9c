use wirestack::prelude::*;

#[trigger(sqs)]
async fn consume(event: SnsEvent) -> Result<(), Error> {
    let _ = event;
    Ok(())
}

fn main() {}
