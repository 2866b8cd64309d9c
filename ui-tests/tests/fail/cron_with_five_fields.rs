use wirestack::prelude::*;

#[trigger(schedule = "cron(0 12 * * *)")]
async fn noon() -> Result<(), String> {
    Ok(())
}

fn main() {}
