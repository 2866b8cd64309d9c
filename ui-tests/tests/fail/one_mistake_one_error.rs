// A mistake in `notify`'s trigger is reported once: `notify` is still the
// singleton of its own queue, so the handlers that send to it compile.
use wirestack::prelude::*;

#[derive(Serialize, Deserialize)]
pub struct Email {
    pub to: String,
}

#[trigger(sqs, batch = 0)]
pub async fn notify(mail: Email) -> Result<(), Error> {
    let _ = mail.to;
    Ok(())
}

#[api(POST "/signup")]
pub async fn signup(Json(mail): Json<Email>, outbox: Sender<notify>) -> Result<StatusCode, Error> {
    outbox.send(&mail).await?;
    Ok(StatusCode::ACCEPTED)
}

#[action]
pub async fn remind(outbox: Sender<notify>) -> Result<(), Error> {
    outbox.send(&Email { to: "a@example.com".into() }).await
}

fn main() {}
