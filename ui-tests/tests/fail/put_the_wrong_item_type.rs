use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct User {
    pub id: String,
}

#[singleton]
pub fn users() -> Table<User> {
    Table::new()
}

#[trigger(schedule = "rate(1 hour)")]
pub async fn tick(users: Writer<users>) -> Result<(), Error> {
    users.put(&"not a user".to_owned()).await
}

fn main() {}
