use wirestack::prelude::*;

#[trigger(event = r#"{"source": "shop.orders"}"#)]
async fn placed(detail: serde_json::Value) -> Result<(), Error> {
    let _ = detail;
    Ok(())
}

#[trigger(event = r#"{"source": ["shop"]"#, bsu = orders)]
async fn shipped(detail: serde_json::Value) -> Result<(), Error> {
    let _ = detail;
    Ok(())
}

fn main() {}
