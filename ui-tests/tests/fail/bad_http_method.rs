use wirestack::prelude::*;

#[api(FETCH "/orders")]
async fn list() -> Result<(), String> {
    Ok(())
}

fn main() {}
