use wirestack::prelude::*;

#[singleton]
fn news() -> Topic<String> {
    Topic::new()
}

#[trigger(sns = news)]
async fn heard(all: Vec<String>) -> Result<(), Error> {
    let _ = all;
    Ok(())
}

fn main() {}
