use wirestack::prelude::*;

#[action(timeout = 901)]
async fn slow() -> Result<(), String> {
    Ok(())
}

fn main() {}
