use wirestack::prelude::*;

#[api(get "/orders")]
async fn list() -> Result<(), String> {
    Ok(())
}

fn main() {}
