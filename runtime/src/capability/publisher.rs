//! `Publisher<T>`: publishes messages to topic `T` (a `Topic<M>` singleton).
//! Grants `sns:Publish` on that topic.

use super::{required_env, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{Carries, MessageOf, PublishTarget, Singleton};
use crate::resource::delivery::{Grouped, Ungrouped};
use crate::resource::topic;
use crate::Error;
use serde::Serialize;
use std::marker::PhantomData;
use std::sync::Arc;

/// A client that may publish to topic `T` and nowhere else.
pub struct Publisher<T> {
    client: aws_sdk_sns::Client,
    arn: Arc<str>,
    topic: PhantomData<fn() -> T>,
}

impl<T> Clone for Publisher<T> {
    fn clone(&self) -> Self {
        Publisher { client: self.client.clone(), arn: self.arn.clone(), topic: PhantomData }
    }
}

impl<T: Singleton + 'static> Capability for Publisher<T>
where
    T::Resource: PublishTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Publish, resource: T::NAME };

    fn resolve() -> BoxFuture<'static, Result<Self, Error>> {
        Box::pin(async {
            let arn = required_env(&topic::arn_env(T::NAME), &format!("Publisher<{}>", T::NAME))?;
            let client = aws_sdk_sns::Client::new(super::aws::config().await);
            Ok(Publisher { client, arn: arn.into(), topic: PhantomData })
        })
    }
}

impl<T: Singleton> Publisher<T>
where
    T::Resource: Carries,
{
    /// Publishes one message, as JSON. (The future does not name `M`, so a
    /// message of the wrong type is one error, at the call.)
    pub fn publish<M: MessageOf<T::Resource> + Serialize>(&self, message: &M) -> BoxFuture<'_, Result<(), Error>>
    where
        <T::Resource as Carries>::Delivery: Ungrouped,
    {
        let body = serde_json::to_string(message);
        Box::pin(async move { self.publish_body(body?, None).await })
    }

    // A FIFO topic's messages go in a group, delivered in order within it.

    /// Publishes one message, as JSON, at the end of message group `group`.
    pub fn publish_to_group<M: MessageOf<T::Resource> + Serialize>(
        &self,
        message: &M,
        group: &str,
    ) -> BoxFuture<'_, Result<(), Error>>
    where
        <T::Resource as Carries>::Delivery: Grouped,
    {
        let body = serde_json::to_string(message);
        let group = group.to_owned();
        Box::pin(async move { self.publish_body(body?, Some(&group)).await })
    }
}

impl<T: Singleton> Publisher<T> {
    async fn publish_body(&self, body: String, group: Option<&str>) -> Result<(), Error> {
        let request = self.client.publish().topic_arn(&*self.arn).message(body);
        request.set_message_group_id(group.map(str::to_owned)).send().await.map_err(|e| {
            Error::from(format!("publishing to topic `{}` failed: {}", T::NAME, e.into_service_error()))
        })?;
        Ok(())
    }
}

super::extractor!(Publisher);
