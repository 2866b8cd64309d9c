use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[action(layers = [orders])]
async fn render() -> Result<(), Error> {
    Ok(())
}

fn main() {}
