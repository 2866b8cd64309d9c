use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub id: String,
}

#[derive(Serialize, Deserialize)]
pub struct Email {
    pub to: String,
}

#[singleton]
fn orders() -> Queue<Order> {
    Queue::new()
}

#[trigger(sqs = orders)]
async fn send(mail: Email) -> Result<(), Error> {
    let _ = mail.to;
    Ok(())
}

fn main() {}
