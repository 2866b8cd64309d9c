//! `Publisher<B>` on a `Bus` singleton: puts events on that EventBridge bus
//! (grants `events:PutEvents` on it), for `#[trigger(event = ..)]` rules to
//! match.

use super::publisher::{outlet, Outlet, Publisher};
use crate::handler::BoxFuture;
use crate::kinds::Singleton;
use crate::resource::Bus;
use crate::Error;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde::Serialize;

impl<B: Singleton<Resource = Bus>> Publisher<B> {
    /// Puts one event: `detail` as JSON, with the `source` and `detail_type`
    /// rules match on (`{"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}`).
    pub fn publish_event<D: Serialize + ?Sized>(
        &self,
        source: &str,
        detail_type: &str,
        detail: &D,
    ) -> BoxFuture<'_, Result<(), Error>> {
        self.outlet.put_event(B::NAME, source.to_owned(), detail_type.to_owned(), serde_json::to_string(detail))
    }
}

/// Putting events, compiled once rather than once per bus.
impl Outlet {
    fn put_event(
        &self,
        bus: &'static str,
        source: String,
        detail_type: String,
        detail: serde_json::Result<String>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let (client, name) = outlet!(self, Bus { client, name });
            let entry = PutEventsRequestEntry::builder()
                .event_bus_name(&**name)
                .source(source)
                .detail_type(detail_type)
                .detail(detail?)
                .build();
            let output = client.put_events().entries(entry).send().await.map_err(|e| {
                Error::from(format!("putting an event on bus `{bus}` failed: {}", e.into_service_error()))
            })?;
            match output.entries().first().and_then(|entry| entry.error_code()) {
                Some(code) => Err(Error::from(format!("bus `{bus}` refused the event: {code}"))),
                None => Ok(()),
            }
        })
    }
}
