use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
struct Order {
    id: String,
}

#[action]
async fn tally(order: Order) -> Result<u64, Error> {
    Ok(order.id.len() as u64)
}

#[action]
async fn restock(books: Invoke<tally>) -> Result<(), Error> {
    let total: u64 = books.call(&"o-1".to_owned()).await?;
    let _ = total;
    Ok(())
}

fn main() {}
