use wirestack::prelude::*;

#[action(env(AWS_REGION = "eu-west-1"))]
async fn work() -> Result<(), String> {
    Ok(())
}

fn main() {}
