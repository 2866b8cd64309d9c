use wirestack::prelude::*;

#[singleton]
fn uploads() -> Queue<String> {
    Queue::new()
}

#[trigger(s3 = uploads)]
async fn on_upload(event: S3Event) -> Result<(), Error> {
    let _ = event;
    Ok(())
}

fn main() {}
