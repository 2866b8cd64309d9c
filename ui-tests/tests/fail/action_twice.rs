use wirestack::prelude::*;

#[action(memory = 256)]
#[action(timeout = 10)]
async fn work() -> Result<(), String> {
    Ok(())
}

fn main() {}
