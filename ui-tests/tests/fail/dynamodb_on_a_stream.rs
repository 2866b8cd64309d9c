use wirestack::prelude::*;

#[singleton]
fn clicks() -> Stream<String> {
    Stream::new()
}

#[trigger(dynamodb = clicks)]
async fn watch(change: ItemChange<String>) -> Result<(), Error> {
    let _ = change;
    Ok(())
}

fn main() {}
