use wirestack::prelude::*;

#[api(GET "/orders/{id")]
async fn get() -> Result<(), String> {
    Ok(())
}

fn main() {}
