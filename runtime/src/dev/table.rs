//! Tables: DynamoDB's `GetItem`, `PutItem`, `DeleteItem` and `Query` by
//! partition key (what `Reader` and `Writer` call), items kept in
//! DynamoDB's JSON. Every change is a record on the table's stream
//! (`NEW_AND_OLD_IMAGES`, as synth turns it on), which `dynamodb`
//! triggers read in order (see `stream`).

use super::aws::{text, Answer, Refusal};
use super::clock::now_ms;
use super::state::Record;
use super::{Dev, ACCOUNT, REGION};
use crate::resource::{ResourceSpec, TableSpec};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub fn api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    let table = text(input, "TableName")?;
    let spec = spec(dev, table)?;
    match operation {
        "GetItem" => {
            let key = key_text(&spec, &input["Key"])?;
            let state = dev.state();
            Ok(match state.tables.get(table).and_then(|t| t.items.get(&key)) {
                Some(item) => json!({ "Item": item }),
                None => json!({}),
            })
        }
        "PutItem" => {
            let item = input["Item"].clone();
            let key = key_text(&spec, &item)?;
            let old = dev.state().table(table).items.insert(key, item.clone());
            changed(dev, table, &spec, old, Some(item));
            Ok(json!({}))
        }
        "DeleteItem" => {
            let key = key_text(&spec, &input["Key"])?;
            let old = dev.state().table(table).items.remove(&key);
            if old.is_some() {
                changed(dev, table, &spec, old, None);
            }
            Ok(json!({}))
        }
        "Query" => query(dev, table, &spec, input),
        _ => Err(Refusal::unsupported("DynamoDB", operation)),
    }
}

fn spec(dev: &Dev, table: &str) -> Result<TableSpec, Refusal> {
    match dev.app.resource(table).map(|r| &r.spec) {
        Some(ResourceSpec::Table(spec)) => Ok(spec.clone()),
        _ => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "ResourceNotFoundException",
            format!("the app has no table `{table}`"),
        )),
    }
}

/// The item's key attributes, as the text items are stored under.
fn key_text(spec: &TableSpec, item: &Value) -> Result<String, Refusal> {
    let mut names = vec![&spec.partition_key.name];
    names.extend(spec.sort_key.as_ref().map(|k| &k.name));
    let mut parts = Vec::new();
    for name in names {
        let value = item.get(name).ok_or_else(|| {
            Refusal::bad(format!("One of the required keys was not given a value: the key `{name}` is missing"))
        })?;
        parts.push(value.to_string());
    }
    Ok(parts.join("|"))
}

/// `Query` with the key condition `Reader::query` sends: the partition
/// key equal to a value (`#p = :p`), in sort-key order.
fn query(dev: &Dev, table: &str, spec: &TableSpec, input: &Value) -> Answer {
    let condition = text(input, "KeyConditionExpression")?;
    let (name, value) = condition
        .split_once('=')
        .map(|(n, v)| (n.trim(), v.trim()))
        .filter(|(n, v)| !n.contains(' ') && !v.contains(' '))
        .ok_or_else(|| Refusal::unsupported("DynamoDB", &format!("Query with `{condition}`")))?;
    let name = input["ExpressionAttributeNames"][name].as_str().unwrap_or(name);
    let value = &input["ExpressionAttributeValues"][value];
    if name != spec.partition_key.name {
        return Err(Refusal::bad(format!("Query condition parameter `{name}` is not the partition key")));
    }
    let state = dev.state();
    let mut items: Vec<&Value> = state
        .tables
        .get(table)
        .into_iter()
        .flat_map(|t| t.items.values())
        .filter(|item| &item[name] == value)
        .collect();
    if let Some(sort) = &spec.sort_key {
        items.sort_by(|a, b| sort_value(&a[&sort.name]).partial_cmp(&sort_value(&b[&sort.name])).unwrap());
    }
    Ok(json!({ "Items": items, "Count": items.len(), "ScannedCount": items.len() }))
}

/// A sort key's value, ordered as DynamoDB orders it: numbers by value,
/// strings by their bytes.
fn sort_value(attribute: &Value) -> (f64, String) {
    match attribute.get("N").and_then(Value::as_str) {
        Some(number) => (number.parse().unwrap_or(0.0), String::new()),
        None => (0.0, attribute.to_string()),
    }
}

/// Appends the change to the table's stream.
fn changed(dev: &Dev, table: &str, spec: &TableSpec, old: Option<Value>, new: Option<Value>) {
    let image = new.as_ref().or(old.as_ref()).expect("a change has an image");
    let mut keys = Map::new();
    for key in std::iter::once(&spec.partition_key).chain(&spec.sort_key) {
        keys.insert(key.name.clone(), image[&key.name].clone());
    }
    let name = match (&old, &new) {
        (None, _) => "INSERT",
        (Some(_), Some(_)) => "MODIFY",
        (Some(_), None) => "REMOVE",
    };
    let mut state = dev.state();
    let sequence = format!("{:021}", state.next_id());
    let mut change = json!({
        "ApproximateCreationDateTime": now_ms() / 1000,
        "Keys": keys,
        "SequenceNumber": sequence,
        "SizeBytes": image.to_string().len(),
        "StreamViewType": crate::trigger::stream::STREAM_VIEW,
    });
    if let Some(old) = old {
        change["OldImage"] = old;
    }
    if let Some(new) = new {
        change["NewImage"] = new;
    }
    let record = json!({
        "eventID": sequence,
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": change,
        "eventSourceARN": format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/dev"),
    });
    state.table(table).stream.push(Record { sequence, record });
    drop(state);
    dev.touch();
}

/// An item in DynamoDB's JSON as plain JSON, for the page.
pub fn plain(item: &Value) -> Value {
    match item {
        Value::Object(attributes) => Value::Object(attributes.iter().map(|(k, v)| (k.clone(), attribute(v))).collect()),
        other => other.clone(),
    }
}

fn attribute(value: &Value) -> Value {
    let Some((kind, inner)) = value.as_object().and_then(|o| o.iter().next()) else { return value.clone() };
    match kind.as_str() {
        "S" | "B" | "BOOL" => inner.clone(),
        "N" => inner.as_str().and_then(|n| serde_json::from_str(n).ok()).unwrap_or(Value::Null),
        "NULL" => Value::Null,
        "M" => plain(inner),
        "L" => Value::Array(inner.as_array().into_iter().flatten().map(attribute).collect()),
        "SS" | "NS" | "BS" => inner.clone(),
        _ => value.clone(),
    }
}
