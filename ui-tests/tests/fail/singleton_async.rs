use wirestack::prelude::*;

#[singleton]
async fn orders() -> Queue<String> {
    Queue::new()
}

fn main() {}
