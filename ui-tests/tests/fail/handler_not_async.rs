use wirestack::prelude::*;

#[api(GET "/health")]
fn health() -> Result<(), String> {
    Ok(())
}

fn main() {}
