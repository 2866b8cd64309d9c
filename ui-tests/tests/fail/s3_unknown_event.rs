use wirestack::prelude::*;

#[singleton]
fn uploads() -> Bucket {
    Bucket::new()
}

#[trigger(s3 = uploads, events = [create, removed], prefix = "")]
async fn on_upload(event: S3Event) -> Result<(), Error> {
    let _ = event;
    Ok(())
}

fn main() {}
