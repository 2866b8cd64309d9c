use wirestack::prelude::*;

#[singleton]
fn clicks() -> Stream<u64> {
    Stream::new()
}

#[trigger(kinesis = clicks)]
async fn count(click: String) -> Result<(), Error> {
    let _ = click;
    Ok(())
}

fn main() {}
