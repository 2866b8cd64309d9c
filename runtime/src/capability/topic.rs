//! `Publisher<T>` on a `Topic<M>` singleton: publishes `M` messages as JSON
//! (grants `sns:Publish` on that topic).

use super::publisher::{outlet, Outlet, Publisher};
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
        self.outlet.publish(T::NAME, serde_json::to_string(message), None)
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
        self.outlet.publish(T::NAME, serde_json::to_string(message), Some(group.to_owned()))
    }
}

/// Publishing, compiled once rather than once per topic an app publishes to.
impl Outlet {
    fn publish(
        &self,
        topic: &'static str,
        body: serde_json::Result<String>,
        group: Option<String>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let (client, arn) = outlet!(self, Topic { client, arn });
            let request = client.publish().topic_arn(&**arn).message(body?);
            request.set_message_group_id(group).send().await.map_err(|e| {
                Error::from(format!("publishing to topic `{topic}` failed: {}", e.into_service_error()))
            })?;
            Ok(())
        })
    }
}
