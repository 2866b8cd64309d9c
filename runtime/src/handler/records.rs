//! Handlers fed by a polled stream, one record at a time, in order: a
//! Kinesis record's data decoded as JSON `T`, or an `ItemChange<T>` from a
//! table's stream. On the first record that fails, the batch stops and that
//! record's sequence number is reported, so Lambda resumes there and no
//! later record overtakes it.

use super::{bad_payload, guarded, BoxFuture, BoxedHandler, Callee, Context, Handler};
use crate::Error;
use aws_lambda_events::event::kinesis::KinesisEvent;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Number, Value};

/// One change to an item of a `Table<T>`, as its stream reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemChange<T> {
    pub kind: ChangeKind,
    /// The item's key attributes, as plain JSON.
    pub keys: Value,
    /// The item before the change (none for an insert).
    pub old: Option<T>,
    /// The item after the change (none for a removal).
    pub new: Option<T>,
    pub sequence_number: String,
}

/// What happened to the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Insert,
    Modify,
    Remove,
}

/// `async fn f(record: T)` on a Kinesis stream.
pub fn kinesis<T, R, E>(handler: Callee<(T,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: 'static,
    E: Into<Error> + 'static,
{
    Box::new(Kinesis { handler })
}

/// `async fn f(change: ItemChange<T>)` on a table's stream.
pub fn table_changes<T, R, E>(handler: Callee<(ItemChange<T>,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: 'static,
    E: Into<Error> + 'static,
{
    Box::new(TableChanges { handler })
}

struct Kinesis<T, R, E> {
    handler: Callee<(T,), Result<R, E>>,
}

impl<T, R, E> Handler for Kinesis<T, R, E>
where
    T: DeserializeOwned + Send,
    E: Into<Error>,
{
    fn call<'a>(&'a self, payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let event: KinesisEvent = serde_json::from_str(payload).map_err(|e| bad_payload("a Kinesis event", e))?;
            for record in event.records {
                let sequence = record.kinesis.sequence_number;
                let outcome = match serde_json::from_slice::<T>(&record.kinesis.data) {
                    Ok(record) => guarded(self.handler.call((record,))).await.map(drop),
                    Err(e) => Err(Error::from(format!("the record is not a `{}`: {e}", std::any::type_name::<T>()))),
                };
                if let Err(error) = outcome {
                    return Ok(stopped_at(sequence, &error));
                }
            }
            Ok(stopped_nowhere())
        })
    }
}

struct TableChanges<T, R, E> {
    handler: Callee<(ItemChange<T>,), Result<R, E>>,
}

/// The part of a DynamoDB stream event a typed change needs.
#[derive(Deserialize)]
struct ChangeEvent {
    #[serde(rename = "Records")]
    records: Vec<ChangeRecord>,
}

#[derive(Deserialize)]
struct ChangeRecord {
    #[serde(rename = "eventName")]
    event_name: String,
    dynamodb: StreamRecord,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StreamRecord {
    #[serde(default)]
    keys: Map<String, Value>,
    new_image: Option<Map<String, Value>>,
    old_image: Option<Map<String, Value>>,
    sequence_number: String,
}

impl<T, R, E> Handler for TableChanges<T, R, E>
where
    T: DeserializeOwned + Send,
    E: Into<Error>,
{
    fn call<'a>(&'a self, payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let event: ChangeEvent =
                serde_json::from_str(payload).map_err(|e| bad_payload("a DynamoDB stream event", e))?;
            for record in event.records {
                let sequence = record.dynamodb.sequence_number.clone();
                let outcome = match change::<T>(record) {
                    Ok(change) => guarded(self.handler.call((change,))).await.map(drop),
                    Err(error) => Err(error),
                };
                if let Err(error) = outcome {
                    return Ok(stopped_at(sequence, &error));
                }
            }
            Ok(stopped_nowhere())
        })
    }
}

fn change<T: DeserializeOwned>(record: ChangeRecord) -> Result<ItemChange<T>, Error> {
    let kind = match record.event_name.as_str() {
        "INSERT" => ChangeKind::Insert,
        "MODIFY" => ChangeKind::Modify,
        "REMOVE" => ChangeKind::Remove,
        other => return Err(Error::from(format!("unknown DynamoDB stream event `{other}`"))),
    };
    let item = |image: Option<Map<String, Value>>| -> Result<Option<T>, Error> {
        let Some(image) = image else { return Ok(None) };
        let plain = plain(json!({ "M": image }))?;
        serde_json::from_value(plain)
            .map(Some)
            .map_err(|e| Error::from(format!("the item is not a `{}`: {e}", std::any::type_name::<T>())))
    };
    let stream = record.dynamodb;
    Ok(ItemChange {
        kind,
        keys: plain(json!({ "M": stream.keys }))?,
        old: item(stream.old_image)?,
        new: item(stream.new_image)?,
        sequence_number: stream.sequence_number,
    })
}

/// DynamoDB's typed JSON (`{"N": "1"}`, `{"M": {..}}`) as plain JSON,
/// moving every value rather than copying it (this runs per record).
fn plain(value: Value) -> Result<Value, Error> {
    let typed = match value {
        Value::Object(typed) if typed.len() == 1 => typed,
        other => return Err(not_an_attribute(&other)),
    };
    let (kind, inner) = typed.into_iter().next().expect("one entry");
    Ok(match (kind.as_str(), inner) {
        ("S" | "B" | "BOOL" | "SS" | "BS", inner) => inner,
        ("NULL", _) => Value::Null,
        ("N", Value::String(text)) => number(&text)?,
        ("M", Value::Object(fields)) => {
            Value::Object(fields.into_iter().map(|(k, v)| Ok((k, plain(v)?))).collect::<Result<_, Error>>()?)
        }
        ("L", Value::Array(items)) => Value::Array(items.into_iter().map(plain).collect::<Result<_, _>>()?),
        ("NS", Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|item| match item {
                    Value::String(text) => number(&text),
                    other => Err(not_an_attribute(&other)),
                })
                .collect::<Result<_, _>>()?,
        ),
        (kind, inner) => return Err(not_an_attribute(&json!({ kind: inner }))),
    })
}

fn number(text: &str) -> Result<Value, Error> {
    serde_json::from_str::<Number>(text).map(Value::Number).map_err(|_| not_an_attribute(&json!({ "N": text })))
}

fn not_an_attribute(value: &Value) -> Error {
    Error::from(format!("`{value}` is not a DynamoDB attribute value"))
}

/// Stop here: Lambda retries from this record; the ones after it wait.
fn stopped_at(sequence: String, error: &Error) -> Value {
    tracing::error!(sequence_number = %sequence, error = %error, "record failed; the stream resumes from it");
    json!({ "batchItemFailures": [{ "itemIdentifier": sequence }] })
}

fn stopped_nowhere() -> Value {
    json!({ "batchItemFailures": [] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamodb_json_reads_as_plain_json() {
        let typed = json!({"M": {
            "id": {"S": "o-1"}, "cents": {"N": "250"}, "ratio": {"N": "0.5"}, "ok": {"BOOL": true},
            "none": {"NULL": true}, "tags": {"SS": ["a", "b"]}, "sizes": {"NS": ["1", "2"]},
            "lines": {"L": [{"M": {"sku": {"S": "x"}}}]},
        }});
        assert_eq!(
            plain(typed).unwrap(),
            json!({"id": "o-1", "cents": 250, "ratio": 0.5, "ok": true, "none": null, "tags": ["a", "b"],
                   "sizes": [1, 2], "lines": [{"sku": "x"}]})
        );
        assert!(plain(json!({"Q": 1})).is_err());
    }
}
