//! Handlers that take one message `T` (or a `Vec<T>`) from SQS or SNS.
//!
//! SQS: each record is decoded and handled on its own; a record that does not
//! decode, or whose handler fails or panics, is reported in the
//! `SqsBatchResponse` so that only it is retried (and, past the redrive
//! limit, lands in the dead-letter queue). From a FIFO queue, the messages
//! after a failure are returned too, unhandled, so order is kept. SNS: a failure fails the
//! invocation, so SNS retries the delivery.

use super::{bad_payload, guarded, BoxFuture, BoxedHandler, Callee, Context, Handler};
use crate::Error;
use aws_lambda_events::event::sns::SnsEvent;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// Which event sources deliver messages to a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Sqs,
    Sns,
}

/// `async fn f(message: T)`, called once per message.
pub fn each<T, R, E>(sources: &'static [Source], handler: Callee<(T,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: 'static,
    E: Into<Error> + 'static,
{
    Box::new(Each { sources, handler })
}

/// `async fn f(messages: Vec<T>)`, called once per SQS batch with every
/// record that decodes; if it fails, the whole batch is retried.
pub fn batch<T, R, E>(handler: Callee<(Vec<T>,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: 'static,
    E: Into<Error> + 'static,
{
    Box::new(Batch { handler })
}

struct Each<T, R, E> {
    sources: &'static [Source],
    handler: Callee<(T,), Result<R, E>>,
}

impl<T, R, E> Handler for Each<T, R, E>
where
    T: DeserializeOwned + Send,
    E: Into<Error>,
{
    fn call<'a>(&'a self, payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            match source_of(self.sources, payload)? {
                Source::Sqs => {
                    let event: SqsEvent = serde_json::from_str(payload).map_err(|e| bad_payload("an SQS event", e))?;
                    let fifo = from_fifo_queue(&event);
                    let mut failures = Vec::new();
                    for record in event.records {
                        if fifo && !failures.is_empty() {
                            failures.push(held_back(record));
                            continue;
                        }
                        if let Err(error) = self.one(&record).await {
                            let id = record.message_id.unwrap_or_default();
                            tracing::error!(message_id = %id, error = %error, "message failed; SQS will retry it");
                            failures.push(id);
                        }
                    }
                    Ok(batch_response(failures))
                }
                Source::Sns => {
                    let event: SnsEvent = serde_json::from_str(payload).map_err(|e| bad_payload("an SNS event", e))?;
                    for record in event.records {
                        let message = decode::<T>(Some(&record.sns.message))?;
                        guarded(self.handler.call((message,))).await?;
                    }
                    Ok(Value::Null)
                }
            }
        })
    }
}

impl<T, R, E> Each<T, R, E>
where
    T: DeserializeOwned,
    E: Into<Error>,
{
    async fn one(&self, record: &SqsMessage) -> Result<(), Error> {
        let message = decode::<T>(record.body.as_deref())?;
        guarded(self.handler.call((message,))).await.map(drop)
    }
}

/// Whether the batch comes from a FIFO queue: there, a message must not be
/// handled before an earlier one that failed, so everything after the first
/// failure is returned unhandled, to come back in order.
fn from_fifo_queue(event: &SqsEvent) -> bool {
    let arn = event.records.first().and_then(|record| record.event_source_arn.as_deref());
    arn.is_some_and(|arn| arn.ends_with(crate::resource::delivery::FIFO_SUFFIX))
}

/// A FIFO message returned unhandled behind an earlier failure.
fn held_back(record: SqsMessage) -> String {
    let id = record.message_id.unwrap_or_default();
    tracing::warn!(message_id = %id, "held back behind an earlier failure in this FIFO batch; SQS will redeliver it");
    id
}

struct Batch<T, R, E> {
    handler: Callee<(Vec<T>,), Result<R, E>>,
}

impl<T, R, E> Handler for Batch<T, R, E>
where
    T: DeserializeOwned + Send,
    E: Into<Error>,
{
    fn call<'a>(&'a self, payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let event: SqsEvent = serde_json::from_str(payload).map_err(|e| bad_payload("an SQS event", e))?;
            let fifo = from_fifo_queue(&event);
            let mut failures = Vec::new();
            let mut messages = Vec::with_capacity(event.records.len());
            let mut handled = Vec::with_capacity(event.records.len());
            for record in event.records {
                if fifo && !failures.is_empty() {
                    failures.push(held_back(record));
                    continue;
                }
                let id = record.message_id.unwrap_or_default();
                match decode::<T>(record.body.as_deref()) {
                    Ok(message) => {
                        messages.push(message);
                        handled.push(id);
                    }
                    Err(error) => {
                        tracing::error!(message_id = %id, error = %error, "message failed; SQS will retry it");
                        failures.push(id);
                    }
                }
            }
            if !messages.is_empty() {
                if let Err(error) = guarded(self.handler.call((messages,))).await {
                    tracing::error!(error = %error, count = handled.len(), "batch failed; SQS will retry it");
                    failures.extend(handled);
                }
            }
            Ok(batch_response(failures))
        })
    }
}

/// A message body decoded as JSON `T`.
fn decode<T: DeserializeOwned>(body: Option<&str>) -> Result<T, Error> {
    let body = body.ok_or_else(|| Error::from("the message has no body"))?;
    serde_json::from_str(body)
        .map_err(|e| Error::from(format!("the message body is not a `{}`: {e}", std::any::type_name::<T>())))
}

fn batch_response(failures: Vec<String>) -> Value {
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures
        .into_iter()
        .map(|id| {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            failure
        })
        .collect();
    serde_json::to_value(response).expect("a batch response is JSON")
}

/// The source of this payload: the only one, or read from its first record.
fn source_of(sources: &[Source], payload: &str) -> Result<Source, Error> {
    if let [only] = sources {
        return Ok(*only);
    }
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "Records")]
        records: Vec<Record>,
    }
    #[derive(Deserialize)]
    struct Record {
        #[serde(rename = "eventSource", alias = "EventSource")]
        source: String,
    }
    let probe: Probe = serde_json::from_str(payload).map_err(|e| bad_payload("an SQS or SNS event", e))?;
    match probe.records.first().map(|r| r.source.as_str()) {
        Some("aws:sqs") => Ok(Source::Sqs),
        Some("aws:sns") => Ok(Source::Sns),
        other => Err(Error::from(format!("expected an SQS or SNS event, got event source {other:?}"))),
    }
}
