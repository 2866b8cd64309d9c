//! `Sender<Q>`: sends `T` messages to queue `Q` (a `Queue<T>` singleton, or
//! an action with `#[trigger(sqs)]`). Grants `sqs:SendMessage` on that queue.

use super::{required_env, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{Carries, MessageOf, SendTarget, Singleton};
use crate::resource::delivery::{Grouped, Ungrouped};
use crate::resource::queue;
use crate::Error;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use serde::Serialize;
use std::marker::PhantomData;
use std::sync::Arc;

/// SQS accepts at most ten messages per batch call.
const BATCH: usize = 10;

/// A client that may send to queue `Q` and nowhere else.
pub struct Sender<Q> {
    client: aws_sdk_sqs::Client,
    url: Arc<str>,
    queue: PhantomData<fn() -> Q>,
}

impl<Q> Clone for Sender<Q> {
    fn clone(&self) -> Self {
        Sender { client: self.client.clone(), url: self.url.clone(), queue: PhantomData }
    }
}

impl<Q: Singleton + 'static> Capability for Sender<Q>
where
    Q::Resource: SendTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Send, resource: Q::NAME };

    fn resolve() -> BoxFuture<'static, Result<Self, Error>> {
        Box::pin(async {
            let url = required_env(&queue::url_env(Q::NAME), &format!("Sender<{}>", Q::NAME))?;
            let client = aws_sdk_sqs::Client::new(super::aws::config().await);
            Ok(Sender { client, url: url.into(), queue: PhantomData })
        })
    }
}

impl<Q: Singleton> Sender<Q>
where
    Q::Resource: Carries,
{
    /// Sends one message, as JSON. (The future does not name `M`, so a
    /// message of the wrong type is one error, at the call.)
    pub fn send<M: MessageOf<Q::Resource> + Serialize>(&self, message: &M) -> BoxFuture<'_, Result<(), Error>>
    where
        <Q::Resource as Carries>::Delivery: Ungrouped,
    {
        let body = serde_json::to_string(message);
        Box::pin(async move { self.send_body(body?, None).await })
    }

    /// Sends messages in batches of ten; fails naming every message SQS
    /// refused (by its index in `messages`), after sending all the others.
    pub fn send_batch<M: MessageOf<Q::Resource> + Serialize>(&self, messages: &[M]) -> BoxFuture<'_, Result<(), Error>>
    where
        <Q::Resource as Carries>::Delivery: Ungrouped,
    {
        let bodies: Result<Vec<String>, _> = messages.iter().map(serde_json::to_string).collect();
        Box::pin(async move { self.send_bodies(bodies?, None).await })
    }

    // A FIFO queue's messages go in a group: in order within it, in parallel
    // across groups. SQS drops a message whose body it saw in the last five
    // minutes (content-based deduplication).

    /// Sends one message, as JSON, at the end of message group `group`.
    pub fn send_to_group<M: MessageOf<Q::Resource> + Serialize>(
        &self,
        message: &M,
        group: &str,
    ) -> BoxFuture<'_, Result<(), Error>>
    where
        <Q::Resource as Carries>::Delivery: Grouped,
    {
        let body = serde_json::to_string(message);
        let group = group.to_owned();
        Box::pin(async move { self.send_body(body?, Some(&group)).await })
    }

    /// Sends messages, in order, at the end of message group `group`.
    pub fn send_batch_to_group<M: MessageOf<Q::Resource> + Serialize>(
        &self,
        messages: &[M],
        group: &str,
    ) -> BoxFuture<'_, Result<(), Error>>
    where
        <Q::Resource as Carries>::Delivery: Grouped,
    {
        let bodies: Result<Vec<String>, _> = messages.iter().map(serde_json::to_string).collect();
        let group = group.to_owned();
        Box::pin(async move { self.send_bodies(bodies?, Some(&group)).await })
    }
}

impl<Q: Singleton> Sender<Q> {
    async fn send_body(&self, body: String, group: Option<&str>) -> Result<(), Error> {
        let request = self.client.send_message().queue_url(&*self.url).message_body(body);
        request
            .set_message_group_id(group.map(str::to_owned))
            .send()
            .await
            .map_err(|e| Error::from(format!("sending to queue `{}` failed: {}", Q::NAME, e.into_service_error())))?;
        Ok(())
    }

    async fn send_bodies(&self, bodies: Vec<String>, group: Option<&str>) -> Result<(), Error> {
        let mut refused = Vec::new();
        for (chunk_index, chunk) in bodies.chunks(BATCH).enumerate() {
            let mut request = self.client.send_message_batch().queue_url(&*self.url);
            for (i, body) in chunk.iter().enumerate() {
                let entry = SendMessageBatchRequestEntry::builder()
                    .id((chunk_index * BATCH + i).to_string())
                    .message_body(body)
                    .set_message_group_id(group.map(str::to_owned))
                    .build()?;
                request = request.entries(entry);
            }
            let output = request.send().await.map_err(|e| {
                Error::from(format!("sending a batch to queue `{}` failed: {}", Q::NAME, e.into_service_error()))
            })?;
            refused
                .extend(output.failed().iter().map(|f| format!("#{} ({})", f.id(), f.message().unwrap_or(f.code()))));
        }
        if refused.is_empty() {
            Ok(())
        } else {
            Err(Error::from(format!("queue `{}` refused messages {}", Q::NAME, refused.join(", "))))
        }
    }
}
