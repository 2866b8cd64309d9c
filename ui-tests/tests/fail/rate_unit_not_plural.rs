use wirestack::prelude::*;

#[trigger(schedule = "rate(5 minute)")]
async fn tick() -> Result<(), String> {
    Ok(())
}

fn main() {}
