use wirestack::prelude::*;

#[trigger(sqs)]
async fn fulfil(order: String) -> Result<(), Error> {
    let _ = order;
    Ok(())
}

#[action]
async fn restock(fulfilment: Invoke<fulfil>) -> Result<(), Error> {
    let _ = fulfilment;
    Ok(())
}

fn main() {}
