//! Sample events, shaped as AWS documents them: for `invoke --sample` and
//! for tests that drive handlers through the dispatcher.

use crate::model::Action;
use crate::trigger::EventSource;
use serde_json::{json, Value};

fn template(text: &str) -> Value {
    serde_json::from_str(text).expect("the bundled samples are JSON")
}

/// `count` copies of the sample's one record, each filled in by `fill` with
/// its index.
fn records(mut event: Value, count: usize, fill: impl Fn(usize, &mut Value)) -> Value {
    let record = event["Records"][0].take();
    event["Records"] = (0..count)
        .map(|i| {
            let mut record = record.clone();
            fill(i, &mut record);
            record
        })
        .collect();
    event
}

/// An SQS event with one record per body, message ids `message-1`, `message-2`, ..
pub fn sqs(bodies: &[&str]) -> Value {
    records(template(include_str!("../samples/sqs.json")), bodies.len(), |i, record| {
        record["messageId"] = json!(format!("message-{}", i + 1));
        record["body"] = json!(bodies[i]);
    })
}

/// An SNS event delivering `message`.
pub fn sns(message: &str) -> Value {
    let mut event = template(include_str!("../samples/sns.json"));
    event["Records"][0]["Sns"]["Message"] = json!(message);
    event
}

/// An S3 event: object `key` was created in `bucket`.
pub fn s3(bucket: &str, key: &str) -> Value {
    let mut event = template(include_str!("../samples/s3.json"));
    let s3 = &mut event["Records"][0]["s3"];
    s3["bucket"]["name"] = json!(bucket);
    s3["bucket"]["arn"] = json!(format!("arn:aws:s3:::{bucket}"));
    s3["object"]["key"] = json!(key);
    event
}

/// A Kinesis event with one record per JSON body, sequence numbers `1`, `2`, ..
pub fn kinesis(bodies: &[&str]) -> Value {
    records(template(include_str!("../samples/kinesis.json")), bodies.len(), |i, record| {
        record["kinesis"]["sequenceNumber"] = json!((i + 1).to_string());
        record["kinesis"]["data"] = json!(base64(bodies[i].as_bytes()));
    })
}

/// A DynamoDB stream event: one record per `(event name, keys, old image,
/// new image)`, images in DynamoDB's JSON, sequence numbers `1`, `2`, ..
pub fn dynamodb(changes: &[(&str, Value, Option<Value>, Option<Value>)]) -> Value {
    records(template(include_str!("../samples/dynamodb.json")), changes.len(), |i, record| {
        let (name, keys, old, new) = &changes[i];
        record["eventName"] = json!(name);
        let change = &mut record["dynamodb"];
        change["SequenceNumber"] = json!((i + 1).to_string());
        change["Keys"] = keys.clone();
        change.as_object_mut().expect("the sample's change is an object").remove("NewImage");
        for (field, image) in [("OldImage", old), ("NewImage", new)] {
            if let Some(image) = image {
                change[field] = image.clone();
            }
        }
    })
}

/// Standard base64 (Kinesis record data).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An EventBridge event carrying `detail`.
pub fn event(detail: Value) -> Value {
    let mut event = template(include_str!("../samples/schedule.json"));
    event["source"] = json!("shop.example");
    event["detail-type"] = json!("Example");
    event["resources"] = json!([]);
    event["detail"] = detail;
    event
}

/// The EventBridge event a schedule delivers.
pub fn schedule() -> Value {
    template(include_str!("../samples/schedule.json"))
}

/// An HTTP API (payload 2.0) request.
pub fn http(method: &str, path_and_query: &str, body: Option<&str>) -> Value {
    let mut event = template(include_str!("../samples/http.json"));
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    event["rawPath"] = json!(path);
    event["rawQueryString"] = json!(query);
    event["requestContext"]["http"]["method"] = json!(method);
    event["requestContext"]["http"]["path"] = json!(path);
    if let Some(body) = body {
        event["body"] = json!(body);
    }
    event
}

/// A realistic event for `action`'s first trigger (its kind shapes it), for
/// the user to edit.
pub fn for_action(action: &Action) -> Value {
    action.triggers.first().map_or_else(|| json!({}), |trigger| trigger.kind.sample())
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_as_the_standard_says() {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("{}", "e30="), ("foob", "Zm9vYg==")];
        for (plain, encoded) in cases {
            assert_eq!(super::base64(plain.as_bytes()), encoded);
        }
    }
}
