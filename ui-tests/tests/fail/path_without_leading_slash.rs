use wirestack::prelude::*;

#[api(GET "orders")]
async fn list() -> Result<(), String> {
    Ok(())
}

fn main() {}
