use wirestack::prelude::*;

#[singleton]
pub fn shipped() -> Topic<String> {
    Topic::new()
}

#[trigger(schedule = "rate(1 hour)")]
pub async fn tick(shipped: Writer<shipped>) -> Result<(), Error> {
    let _ = shipped;
    Ok(())
}

fn main() {}
