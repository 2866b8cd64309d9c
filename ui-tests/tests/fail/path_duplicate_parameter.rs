use wirestack::prelude::*;

#[api(GET "/users/{id}/orders/{id}")]
async fn get() -> Result<(), String> {
    Ok(())
}

fn main() {}
