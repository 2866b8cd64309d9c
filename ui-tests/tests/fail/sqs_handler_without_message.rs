use wirestack::prelude::*;

#[trigger(sqs)]
async fn drain() -> Result<(), Error> {
    Ok(())
}

fn main() {}
