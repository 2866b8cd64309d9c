//! Sample events, shaped as AWS documents them: for `invoke --sample` and
//! for tests that drive handlers through the dispatcher.

use crate::model::Action;
use crate::trigger::{HttpMethod, TriggerKind};
use serde_json::{json, Value};

fn template(text: &str) -> Value {
    serde_json::from_str(text).expect("the bundled samples are JSON")
}

/// An SQS event with one record per body, message ids `message-1`, `message-2`, ..
pub fn sqs(bodies: &[&str]) -> Value {
    let mut event = template(include_str!("../samples/sqs.json"));
    let record = event["Records"][0].take();
    event["Records"] = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let mut record = record.clone();
            record["messageId"] = json!(format!("message-{}", i + 1));
            record["body"] = json!(body);
            record
        })
        .collect();
    event
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

/// A realistic event for `action`'s first trigger, for the user to edit.
pub fn for_action(action: &Action) -> Value {
    match action.triggers.first().map(|t| &t.kind) {
        Some(TriggerKind::Sqs(_)) => sqs(&["{}"]),
        Some(TriggerKind::Sns(_)) => sns("{}"),
        Some(TriggerKind::S3(trigger)) => {
            let key = format!(
                "{}example{}",
                trigger.prefix.as_deref().unwrap_or(""),
                trigger.suffix.as_deref().unwrap_or("")
            );
            s3("example-bucket", &key)
        }
        Some(TriggerKind::Schedule(_)) => schedule(),
        Some(TriggerKind::Http(route)) => {
            let method = if route.method == HttpMethod::Any { "GET" } else { route.method.as_str() };
            let path = route
                .path
                .split('/')
                .map(|s| if s.starts_with('{') { "example" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let body = matches!(route.method, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch).then_some("{}");
            http(method, &path, body)
        }
        None => json!({}),
    }
}
