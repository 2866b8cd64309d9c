// A misspelled kind is one error too: read as the kind meant (`sqs`),
// `notify` keeps its queue, so the handler that sends to it compiles.
use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Email {
    pub to: String,
}

#[trigger(sqss, batch = 5)]
pub async fn notify(mail: Email) -> Result<(), Error> {
    let _ = mail.to;
    Ok(())
}

#[action]
pub async fn remind(outbox: Sender<notify>) -> Result<(), Error> {
    outbox.send(&Email { to: "a@example.com".into() }).await
}

fn main() {}
