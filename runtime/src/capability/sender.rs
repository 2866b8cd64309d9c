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
    queue: QueueClient,
    target: PhantomData<fn() -> Q>,
}

/// What a `Sender` holds, whatever its queue's type. Sending lives here
/// rather than on `Sender<Q>`, so it is compiled once, not once per queue
/// an app sends to (each copy recompiled with the app on every edit).
#[derive(Clone)]
pub struct QueueClient {
    client: aws_sdk_sqs::Client,
    url: Arc<str>,
    name: &'static str,
}

impl<Q> Clone for Sender<Q> {
    fn clone(&self) -> Self {
        Sender { queue: self.queue.clone(), target: PhantomData }
    }
}

impl<Q: Singleton + 'static> Capability for Sender<Q>
where
    Q::Resource: SendTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Send, resource: Q::NAME };

    type Client = QueueClient;

    fn connect() -> BoxFuture<'static, Result<QueueClient, Error>> {
        QueueClient::resolve(Q::NAME)
    }

    fn shell(queue: QueueClient) -> Self {
        Sender { queue, target: PhantomData }
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
        self.queue.send(serde_json::to_string(message), None)
    }

    /// Sends messages in batches of ten; fails naming every message SQS
    /// refused (by its index in `messages`), after sending all the others.
    pub fn send_batch<M: MessageOf<Q::Resource> + Serialize>(&self, messages: &[M]) -> BoxFuture<'_, Result<(), Error>>
    where
        <Q::Resource as Carries>::Delivery: Ungrouped,
    {
        self.queue.send_batch(messages.iter().map(serde_json::to_string).collect(), None)
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
        self.queue.send(serde_json::to_string(message), Some(group.to_owned()))
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
        self.queue.send_batch(messages.iter().map(serde_json::to_string).collect(), Some(group.to_owned()))
    }
}

impl QueueClient {
    fn resolve(name: &'static str) -> BoxFuture<'static, Result<QueueClient, Error>> {
        Box::pin(async move {
            let url = required_env(&queue::url_env(name), &format!("Sender<{name}>"))?;
            let client = aws_sdk_sqs::Client::new(super::aws::config().await);
            Ok(QueueClient { client, url: url.into(), name })
        })
    }

    fn send(&self, body: serde_json::Result<String>, group: Option<String>) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let request = self.client.send_message().queue_url(&*self.url).message_body(body?);
            request.set_message_group_id(group).send().await.map_err(|e| {
                Error::from(format!("sending to queue `{}` failed: {}", self.name, e.into_service_error()))
            })?;
            Ok(())
        })
    }

    fn send_batch(
        &self,
        bodies: serde_json::Result<Vec<String>>,
        group: Option<String>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let bodies = bodies?;
            let mut refused = Vec::new();
            for (chunk_index, chunk) in bodies.chunks(BATCH).enumerate() {
                let mut request = self.client.send_message_batch().queue_url(&*self.url);
                for (i, body) in chunk.iter().enumerate() {
                    let entry = SendMessageBatchRequestEntry::builder()
                        .id((chunk_index * BATCH + i).to_string())
                        .message_body(body)
                        .set_message_group_id(group.clone())
                        .build()?;
                    request = request.entries(entry);
                }
                let output = request.send().await.map_err(|e| {
                    Error::from(format!("sending a batch to queue `{}` failed: {}", self.name, e.into_service_error()))
                })?;
                refused.extend(
                    output.failed().iter().map(|f| format!("#{} ({})", f.id(), f.message().unwrap_or(f.code()))),
                );
            }
            if refused.is_empty() {
                Ok(())
            } else {
                Err(Error::from(format!("queue `{}` refused messages {}", self.name, refused.join(", "))))
            }
        })
    }
}
