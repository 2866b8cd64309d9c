use wirestack::prelude::*;

#[action(memory = 64)]
async fn small() -> Result<(), String> {
    Ok(())
}

fn main() {}
