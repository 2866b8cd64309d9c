use wirestack::prelude::*;

#[trigger(s3 = uploads)]
async fn on_upload() -> Result<(), String> {
    Ok(())
}

fn main() {}
