use wirestack::prelude::*;

#[trigger(sns)]
async fn consume() -> Result<(), String> {
    Ok(())
}

fn main() {}
