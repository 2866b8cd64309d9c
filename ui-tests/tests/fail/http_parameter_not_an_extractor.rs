use wirestack::prelude::*;

#[derive(Deserialize)]
pub struct Order {
    pub id: String,
}

#[api(POST "/orders")]
async fn place(order: Order) -> Result<(), Error> {
    let _ = order.id;
    Ok(())
}

fn main() {}
