//! `Publisher<B>` on a `Bus` singleton: puts events on that EventBridge bus
//! (grants `events:PutEvents` on it), for `#[trigger(event = ..)]` rules to
//! match.

use super::publisher::{outlet, Publisher};
use crate::kinds::Singleton;
use crate::resource::Bus;
use crate::Error;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde::Serialize;

impl<B: Singleton<Resource = Bus>> Publisher<B> {
    /// Puts one event: `detail` as JSON, with the `source` and `detail_type`
    /// rules match on (`{"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}`).
    pub async fn publish_event<D: Serialize + ?Sized>(
        &self,
        source: &str,
        detail_type: &str,
        detail: &D,
    ) -> Result<(), Error> {
        let (client, name) = outlet!(&self.outlet, Bus { client, name });
        let entry = PutEventsRequestEntry::builder()
            .event_bus_name(&**name)
            .source(source)
            .detail_type(detail_type)
            .detail(serde_json::to_string(detail)?)
            .build();
        let output = client.put_events().entries(entry).send().await.map_err(|e| {
            Error::from(format!("putting an event on bus `{}` failed: {}", B::NAME, e.into_service_error()))
        })?;
        match output.entries().first().and_then(|entry| entry.error_code()) {
            Some(code) => Err(Error::from(format!("bus `{}` refused the event: {code}", B::NAME))),
            None => Ok(()),
        }
    }
}
