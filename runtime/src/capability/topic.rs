//! `Publisher<T>` on a `Topic<M>` singleton: publishes `M` messages as JSON
//! (grants `sns:Publish` on that topic).

use super::publisher::{outlet, Publisher};
use crate::handler::BoxFuture;
use crate::kinds::{Carries, MessageOf, Singleton};
use crate::resource::delivery::{Grouped, Ungrouped};
use crate::Error;
use serde::Serialize;

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
        let (client, arn) = outlet!(&self.outlet, Topic { client, arn });
        let request = client.publish().topic_arn(&**arn).message(body);
        request.set_message_group_id(group.map(str::to_owned)).send().await.map_err(|e| {
            Error::from(format!("publishing to topic `{}` failed: {}", T::NAME, e.into_service_error()))
        })?;
        Ok(())
    }
}
