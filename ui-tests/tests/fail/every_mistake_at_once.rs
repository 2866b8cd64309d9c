use wirestack::prelude::*;

// One build reports all of these, not the first alone.
#[action(memory = 20000, timout = 10)]
#[api(GET "orders/{id")]
#[trigger(schedule = "rate(1 minutes)")]
fn everything() -> Result<(), String> {
    Ok(())
}

fn main() {}
