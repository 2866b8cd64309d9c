use wirestack::prelude::*;

#[singleton]
pub fn news() -> Topic<String> {
    Topic::new()
}

#[trigger(schedule = "rate(1 hour)")]
pub async fn tick(news: Sender<news>) -> Result<(), Error> {
    news.send(&"hello".to_owned()).await
}

fn main() {}
