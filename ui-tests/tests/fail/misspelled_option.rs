use wirestack::prelude::*;

#[action(memroy = 512)]
async fn work() -> Result<(), String> {
    Ok(())
}

fn main() {}
