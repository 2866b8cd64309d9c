use wirestack::prelude::*;

#[singleton]
pub fn jobs() -> Queue<String> {
    Queue::new()
}

#[trigger(schedule = "rate(1 hour)")]
pub async fn tick(jobs: SecretValue<jobs>) -> Result<(), Error> {
    let _ = jobs;
    Ok(())
}

fn main() {}
