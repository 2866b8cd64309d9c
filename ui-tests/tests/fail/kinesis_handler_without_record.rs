use wirestack::prelude::*;

#[trigger(kinesis = clicks)]
async fn on_click() -> Result<(), String> {
    Ok(())
}

fn main() {}
