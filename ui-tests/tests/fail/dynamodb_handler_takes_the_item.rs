use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
struct User {
    id: String,
}

#[singleton]
fn users() -> Table<User> {
    Table::new()
}

#[trigger(dynamodb = users, start = earliest, filter = "[1]")]
async fn watch(user: User) -> Result<(), Error> {
    let _ = user.id;
    Ok(())
}

fn main() {}
