use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[trigger(event = r#"{"source": ["shop"]}"#, bus = orders)]
async fn placed(detail: serde_json::Value) -> Result<(), Error> {
    let _ = detail;
    Ok(())
}

fn main() {}
