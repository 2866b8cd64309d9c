use wirestack::prelude::*;

#[action(timeout = 10, timeout = 20)]
async fn work() -> Result<(), String> {
    Ok(())
}

fn main() {}
