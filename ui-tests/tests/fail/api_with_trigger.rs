use wirestack::prelude::*;

#[api(GET "/ping")]
#[trigger(schedule = "rate(5 minutes)")]
async fn ping() -> Result<(), Error> {
    Ok(())
}

fn main() {}
