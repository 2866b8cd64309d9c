use wirestack::prelude::*;

#[trigger(schedule = "cron(0 12 * * MON *)")]
async fn noon() -> Result<(), String> {
    Ok(())
}

fn main() {}
