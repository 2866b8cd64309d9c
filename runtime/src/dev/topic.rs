//! Topics: SNS's `Publish` (a form, answered in XML), fanned out to every
//! action subscribed with `#[trigger(sns = topic)]`, each invoked
//! asynchronously as SNS invokes Lambda.

use super::aws::{escape, name_in, xml, xml_refusal, Refusal};
use super::clock::{iso8601, now_ms};
use super::{function, Dev, ACCOUNT, REGION};
use crate::resource::ResourceSpec;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

pub fn api(dev: &Arc<Dev>, body: &[u8]) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let field = |name: &str| form.get(name).map(String::as_str);
    match field("Action") {
        Some("Publish") => {}
        other => return xml_refusal(Refusal::unsupported("SNS", other.unwrap_or("(no Action)"))),
    }
    let topic = name_in(field("TopicArn").unwrap_or_default(), ':');
    let Some(message) = field("Message") else {
        return xml_refusal(Refusal::new(StatusCode::BAD_REQUEST, "InvalidParameter", "Message is required"));
    };
    match publish(dev, topic, message, field("Subject")) {
        Ok(id) => xml(
            StatusCode::OK,
            format!(
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>{}</MessageId></PublishResult><ResponseMetadata><RequestId>dev</RequestId></ResponseMetadata></PublishResponse>",
                escape(&id)
            ),
        ),
        Err(refusal) => xml_refusal(refusal),
    }
}

/// Delivers `message` to each subscriber of `topic`; the message's id.
pub fn publish(dev: &Arc<Dev>, topic: &str, message: &str, subject: Option<&str>) -> Result<String, Refusal> {
    if !matches!(dev.app.resource(topic).map(|r| &r.spec), Some(ResourceSpec::Topic(_))) {
        return Err(Refusal::new(StatusCode::NOT_FOUND, "NotFound", format!("the app has no topic `{topic}`")));
    }
    let id = format!("{:08x}-dev0-5000-8000-{:012x}", dev.state().next_id(), now_ms());
    let arn = format!("arn:aws:sns:{REGION}:{ACCOUNT}:{topic}");
    for action in dev.graph.fed_by(topic, wirestack_aws::trigger::sns::NAME) {
        let event = json!({ "Records": [{
            "EventVersion": "1.0",
            "EventSubscriptionArn": format!("{arn}:{action}"),
            "EventSource": "aws:sns",
            "Sns": {
                "Type": "Notification",
                "MessageId": id,
                "TopicArn": arn,
                "Subject": subject,
                "Message": message,
                "Timestamp": iso8601(now_ms()),
                "SignatureVersion": "1",
                "Signature": "",
                "SigningCertUrl": "",
                "UnsubscribeUrl": "",
                "MessageAttributes": {},
            }
        }]});
        function::push(dev, action, format!("sns {topic}"), event);
    }
    Ok(id)
}
