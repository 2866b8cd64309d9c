//! Streams: Kinesis's `PutRecord` and `PutRecords`, and the reader of each
//! `kinesis` or `dynamodb` trigger, which reads as Lambda's event source
//! mapping does: in order, up to `batch` records (waiting up to `window`
//! seconds to fill one), only the records its `filter` selects; a failing
//! batch is retried from the first record the handler reports failed,
//! `retries` times, then described in the action's failed-events queue
//! and passed.

use super::aws::{name_in, text, Answer, Refusal};
use super::clock::{iso8601, now_ms};
use super::state::{Record, State};
use super::{next_change, pattern, Dev, ACCOUNT, REGION};
use crate::render::FAILED_EVENTS_SUFFIX;
use crate::resource::ResourceSpec;
use crate::trigger::stream::{DEFAULT_BATCH, DEFAULT_RETRIES};
use crate::trigger::{StartPosition, StreamSource, StreamTrigger, TriggerKind};
use axum::http::StatusCode;
use base64::Engine;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

const SHARD: &str = "shardId-000000000000";

pub fn api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    let stream = input["StreamARN"]
        .as_str()
        .map(|arn| name_in(arn, '/'))
        .or_else(|| input["StreamName"].as_str())
        .ok_or_else(|| Refusal::bad("StreamARN is required"))?
        .to_owned();
    if !matches!(dev.app.resource(&stream).map(|r| &r.spec), Some(ResourceSpec::Stream(_))) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "ResourceNotFoundException",
            format!("the app has no stream `{stream}`"),
        ));
    }
    match operation {
        "PutRecord" => put(dev, &stream, input),
        "PutRecords" => {
            let entries = input["Records"].as_array().ok_or_else(|| Refusal::bad("Records is required"))?;
            let records = entries.iter().map(|entry| put(dev, &stream, entry)).collect::<Result<Vec<_>, _>>()?;
            Ok(json!({ "FailedRecordCount": 0, "Records": records }))
        }
        _ => Err(Refusal::unsupported("Kinesis", operation)),
    }
}

fn put(dev: &Dev, stream: &str, entry: &Value) -> Answer {
    let data = text(entry, "Data")?;
    let partition_key = text(entry, "PartitionKey")?;
    let mut state = dev.state();
    let sequence = format!("{:021}", state.next_id());
    let record = json!({
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": partition_key,
            "sequenceNumber": sequence,
            "data": data,
            "approximateArrivalTimestamp": now_ms() as f64 / 1000.0,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": format!("{SHARD}:{sequence}"),
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": format!("arn:aws:iam::{ACCOUNT}:role/wirestack-dev"),
        "awsRegion": REGION,
        "eventSourceARN": format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}"),
    });
    state.streams.entry(stream.to_owned()).or_default().push(Record { sequence: sequence.clone(), record });
    drop(state);
    dev.touch();
    Ok(json!({ "SequenceNumber": sequence, "ShardId": SHARD }))
}

/// A reader per `kinesis` and `dynamodb` trigger.
pub fn start(dev: &Arc<Dev>) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            if let TriggerKind::Stream(trigger) = &trigger.kind {
                tokio::spawn(read(dev.clone(), action.name.clone(), trigger.clone()));
            }
        }
    }
}

fn records<'s>(state: &'s State, source: &StreamSource) -> &'s [Record] {
    let records = match source {
        StreamSource::Kinesis { stream } => state.streams.get(stream),
        StreamSource::DynamoDb { table } => state.tables.get(table).map(|t| &t.stream),
    };
    records.map_or(&[], Vec::as_slice)
}

fn label(source: &StreamSource) -> String {
    match source {
        StreamSource::Kinesis { stream } => format!("kinesis {stream}"),
        StreamSource::DynamoDb { table } => format!("dynamodb {table}"),
    }
}

async fn read(dev: Arc<Dev>, action: String, trigger: StreamTrigger) {
    let source = label(&trigger.source);
    let cursor_key = format!("{action} <- {source}");
    {
        let mut state = dev.state();
        let end = records(&state, &trigger.source).len();
        let start = if trigger.start == StartPosition::TrimHorizon { 0 } else { end };
        state.cursors.entry(cursor_key.clone()).or_insert(start);
    }
    let batch = trigger.batch_size.unwrap_or(DEFAULT_BATCH) as usize;
    let retries = trigger.retries.unwrap_or(DEFAULT_RETRIES);
    let window_ms = u64::from(trigger.window_s.unwrap_or(0)) * 1000;
    let filter: Option<Value> = trigger.filter.as_deref().and_then(|f| serde_json::from_str(f).ok());
    let available = |dev: &Dev| {
        let state = dev.state();
        records(&state, &trigger.source).len().saturating_sub(state.cursors[&cursor_key])
    };
    let mut attempts = 0;
    let mut changes = dev.changes();
    loop {
        changes.borrow_and_update();
        if available(&dev) == 0 {
            next_change(&mut changes, Duration::from_secs(1)).await;
            continue;
        }
        let closes = now_ms() + window_ms;
        while available(&dev) < batch && now_ms() < closes {
            next_change(&mut changes, Duration::from_millis(closes - now_ms())).await;
        }
        if !dev.taking_work() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        let (cursor, batch_records) = {
            let state = dev.state();
            let cursor = state.cursors[&cursor_key];
            let all = records(&state, &trigger.source);
            (cursor, all[cursor..all.len().min(cursor + batch)].to_vec())
        };
        let selected: Vec<&Record> = batch_records
            .iter()
            .filter(|r| filter.as_ref().is_none_or(|f| pattern::matches(f, &filter_view(r))))
            .collect();
        if selected.is_empty() {
            advance(&dev, &cursor_key, cursor + batch_records.len());
            continue;
        }
        let event = json!({ "Records": selected.iter().map(|r| &r.record).collect::<Vec<_>>() });
        let result = dev.invoke(&action, source.clone(), event).await;
        let failed_at = match &result {
            Err(_) => Some(0),
            Ok(response) => response["batchItemFailures"][0]["itemIdentifier"]
                .as_str()
                .map(|first| batch_records.iter().position(|r| r.sequence == first).unwrap_or(0)),
        };
        let Some(failed_at) = failed_at else {
            advance(&dev, &cursor_key, cursor + batch_records.len());
            attempts = 0;
            continue;
        };
        attempts = if failed_at > 0 { 1 } else { attempts + 1 };
        advance(&dev, &cursor_key, cursor + failed_at);
        if attempts > retries {
            give_up(&dev, &action, &trigger.source, &batch_records[failed_at..]);
            advance(&dev, &cursor_key, cursor + batch_records.len());
            attempts = 0;
        } else {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

fn advance(dev: &Dev, cursor_key: &str, to: usize) {
    dev.state().cursors.insert(cursor_key.to_owned(), to);
    dev.touch();
}

/// What a filter sees of a record: a table change as delivered; a Kinesis
/// record's fields with its data decoded from base64 JSON.
fn filter_view(record: &Record) -> Value {
    let Some(kinesis) = record.record.get("kinesis") else { return record.record.clone() };
    let mut view = kinesis.clone();
    let decoded = kinesis["data"]
        .as_str()
        .and_then(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    if let Some(data) = decoded {
        view["data"] = data;
    }
    view
}

/// Describes the records given up on in the failed-events queue, as
/// Lambda's on-failure destination does (the records themselves stay in
/// the stream).
fn give_up(dev: &Dev, action: &str, source: &StreamSource, records: &[Record]) {
    let (Some(first), Some(last)) = (records.first(), records.last()) else { return };
    let (info, arn) = match source {
        StreamSource::Kinesis { stream } => {
            ("KinesisBatchInfo", format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}"))
        }
        StreamSource::DynamoDb { table } => {
            ("DDBStreamBatchInfo", format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/dev"))
        }
    };
    let description = json!({
        "requestContext": {
            "requestId": format!("dev-{}", now_ms()),
            "functionArn": format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{action}"),
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": 1,
        },
        "version": "1.0",
        "timestamp": iso8601(now_ms()),
        info: {
            "shardId": SHARD,
            "startSequenceNumber": first.sequence,
            "endSequenceNumber": last.sequence,
            "batchSize": records.len(),
            "streamArn": arn,
        }
    });
    let queue = format!("{action}{FAILED_EVENTS_SUFFIX}");
    if let Err(refusal) = super::queue::send(dev, &queue, description.to_string(), None, 0) {
        eprintln!("warning: {}", refusal.message);
    }
}
