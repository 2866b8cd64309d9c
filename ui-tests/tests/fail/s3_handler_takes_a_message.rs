use wirestack::prelude::*;

#[singleton]
fn uploads() -> Bucket {
    Bucket::new()
}

#[trigger(s3 = uploads, suffix = ".csv")]
async fn on_upload(key: String) -> Result<(), Error> {
    let _ = key;
    Ok(())
}

fn main() {}
