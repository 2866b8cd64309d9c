//! Buckets: S3's REST calls `Reader` and `Writer` make (path-style, as the
//! SDK addresses a bucket at an IP endpoint): put, get, head, delete and
//! list objects. Each put or delete notifies the actions whose `s3`
//! trigger's events, prefix and suffix match, asynchronously, as S3 does.

use super::aws::{escape, percent_decoded, xml, xml_refusal, Body, Refusal};
use super::clock::{http_date, iso8601, now_ms};
use super::function::push;
use super::state::Object;
use super::{bucket_name, Dev, REGION};
use crate::resource::ResourceSpec;
use crate::trigger::TriggerKind;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

pub fn api(dev: &Arc<Dev>, method: &Method, uri: &Uri, headers: &HeaderMap, body: Body) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    let Some(resource) = resource(dev, bucket) else {
        return xml_refusal(Refusal::new(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            format!("the app has no bucket `{bucket}`"),
        ));
    };
    let key = percent_decoded(key);
    let query: HashMap<String, String> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    match (method, key.is_empty()) {
        (&Method::GET, true) => list(dev, &resource, bucket, query.get("prefix").map_or("", String::as_str)),
        (&Method::PUT, false) => {
            let content_type = headers.get(header::CONTENT_TYPE).and_then(|t| t.to_str().ok()).map(str::to_owned);
            let etag = put(dev, &resource, &key, body.to_vec(), content_type);
            (StatusCode::OK, [(header::ETAG, format!("\"{etag}\""))]).into_response()
        }
        (&Method::GET | &Method::HEAD, false) => {
            let state = dev.state();
            let Some(object) = state.buckets.get(&resource).and_then(|objects| objects.get(&key)) else {
                return xml_refusal(Refusal::new(StatusCode::NOT_FOUND, "NoSuchKey", format!("no object `{key}`")));
            };
            let headers = [
                (header::CONTENT_TYPE, object.content_type.clone().unwrap_or("binary/octet-stream".to_owned())),
                (header::ETAG, format!("\"{}\"", object.etag)),
                (header::LAST_MODIFIED, http_date(object.modified_ms)),
            ];
            let body = if method == Method::HEAD { Vec::new() } else { object.body.clone() };
            (StatusCode::OK, headers, body).into_response()
        }
        (&Method::DELETE, false) => {
            delete(dev, &resource, &key);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => xml_refusal(Refusal::unsupported("S3", &format!("{method} {}", uri.path()))),
    }
}

/// The resource whose stand-in bucket is called `bucket`.
fn resource(dev: &Dev, bucket: &str) -> Option<String> {
    dev.app
        .resources
        .iter()
        .find(|r| matches!(r.spec, ResourceSpec::Bucket(_)) && bucket_name(&r.name) == bucket)
        .map(|r| r.name.clone())
}

/// Stores an object and notifies; its ETag.
pub fn put(dev: &Arc<Dev>, bucket: &str, key: &str, body: Vec<u8>, content_type: Option<String>) -> String {
    let etag = crate::digest::sha256_hex(&body)[..32].to_owned();
    let size = body.len();
    let object = Object { body, content_type, modified_ms: now_ms(), etag: etag.clone() };
    dev.state().buckets.entry(bucket.to_owned()).or_default().insert(key.to_owned(), object);
    dev.touch();
    notify(dev, bucket, key, "ObjectCreated:Put", size, &etag);
    etag
}

pub fn delete(dev: &Arc<Dev>, bucket: &str, key: &str) {
    let removed = dev.state().buckets.get_mut(bucket).and_then(|objects| objects.remove(key));
    dev.touch();
    if removed.is_some() {
        notify(dev, bucket, key, "ObjectRemoved:Delete", 0, "");
    }
}

fn list(dev: &Dev, resource: &str, bucket: &str, prefix: &str) -> Response {
    let state = dev.state();
    let mut contents = String::new();
    let mut count = 0;
    for (key, object) in state.buckets.get(resource).into_iter().flatten().filter(|(k, _)| k.starts_with(prefix)) {
        count += 1;
        contents.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>&quot;{}&quot;</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            escape(key),
            iso8601(object.modified_ms),
            object.etag,
            object.body.len()
        ));
    }
    xml(
        StatusCode::OK,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{count}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>",
            escape(bucket),
            escape(prefix)
        ),
    )
}

/// Pushes the S3 event for `event_name` on `key` to each matching trigger.
fn notify(dev: &Arc<Dev>, bucket: &str, key: &str, event_name: &str, size: usize, etag: &str) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            let TriggerKind::S3(trigger) = &trigger.kind else { continue };
            let selects = trigger.events.iter().any(|e| {
                let name = e.s3_name().trim_start_matches("s3:");
                name.strip_suffix('*').map_or(name == event_name, |prefix| event_name.starts_with(prefix))
            });
            if trigger.bucket != bucket
                || !selects
                || !trigger.prefix.as_ref().is_none_or(|p| key.starts_with(p.as_str()))
                || !trigger.suffix.as_ref().is_none_or(|s| key.ends_with(s.as_str()))
            {
                continue;
            }
            let name = bucket_name(bucket);
            let event = json!({ "Records": [{
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": iso8601(now_ms()),
                "eventName": event_name,
                "userIdentity": { "principalId": "wirestack-dev" },
                "requestParameters": { "sourceIPAddress": "127.0.0.1" },
                "responseElements": {},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "wirestack",
                    "bucket": { "name": name, "ownerIdentity": { "principalId": "wirestack-dev" }, "arn": format!("arn:aws:s3:::{name}") },
                    "object": { "key": url_encoded(key), "size": size, "eTag": etag, "sequencer": format!("{:016X}", now_ms()) }
                }
            }]});
            push(dev, &action.name, format!("s3 {bucket}"), event);
        }
    }
}

/// S3 event keys are URL-encoded, spaces as `+`.
fn url_encoded(key: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const KEPT: &percent_encoding::AsciiSet =
        &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');
    utf8_percent_encode(key, KEPT).to_string().replace("%20", "+")
}
