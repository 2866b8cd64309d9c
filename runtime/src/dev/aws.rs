//! The stand-ins' endpoint: the AWS wire protocols, as far as the
//! capabilities speak them, so the official SDK clients in the handlers
//! talk to this process unchanged. Which service a request is for comes
//! from the request itself: JSON protocols name it in `X-Amz-Target`, SNS
//! posts a form with an `Action`, Lambda's REST paths start with its API
//! version, and anything else is S3.

use super::{bucket, bus, function, secret, stream, table, topic, Dev};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value;
use std::sync::Arc;

/// A refusal, as the service would phrase it.
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    /// The service's error code (`QueueDoesNotExist`, `NoSuchKey`).
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { status, code, message: message.into() }
    }

    pub fn bad(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, "ValidationException", message)
    }

    /// A request for something the stand-in does not do: named, so a user
    /// calling the SDK directly sees what local dev covers.
    pub fn unsupported(service: &str, operation: &str) -> Refusal {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "UnsupportedOperation",
            format!(
                "the wirestack dev server's {service} stand-in does not answer {operation}; it answers what \
                 wirestack's capabilities call"
            ),
        )
    }
}

pub type Answer = Result<Value, Refusal>;

pub fn router(dev: Arc<Dev>) -> Router {
    Router::new().fallback(serve).with_state(dev)
}

async fn serve(State(dev): State<Arc<Dev>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let target = parts.headers.get("x-amz-target").and_then(|t| t.to_str().ok()).map(str::to_owned);
    if let Some(target) = target {
        return json_protocol(&dev, &target, &body);
    }
    let path = parts.uri.path();
    if let Some(rest) = path.strip_prefix(function::PATH) {
        return function::api(&dev, rest, &parts.headers, body).await;
    }
    if parts.method == Method::POST && is_form(&parts.headers) {
        return topic::api(&dev, &body);
    }
    bucket::api(&dev, &parts.method, &parts.uri, &parts.headers, body)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// SQS, DynamoDB, Kinesis, EventBridge, Secrets Manager and SSM: a JSON
/// body, the operation in `X-Amz-Target: Service.Operation`.
fn json_protocol(dev: &Arc<Dev>, target: &str, body: &[u8]) -> Response {
    let (service, operation) = target.split_once('.').unwrap_or((target, ""));
    let input: Value = match serde_json::from_slice(if body.is_empty() { b"{}" } else { body }) {
        Ok(input) => input,
        Err(e) => return json_refusal(Refusal::bad(format!("the request body is not JSON: {e}")), "1.0"),
    };
    let (answer, version) = match service {
        "AmazonSQS" => (super::queue::api(dev, operation, &input), "1.0"),
        "DynamoDB_20120810" => (table::api(dev, operation, &input), "1.0"),
        "Kinesis_20131202" => (stream::api(dev, operation, &input), "1.1"),
        "AWSEvents" => (bus::api(dev, operation, &input), "1.1"),
        "secretsmanager" => (secret::secrets_api(dev, operation, &input), "1.1"),
        "AmazonSSM" => (secret::parameters_api(dev, operation, &input), "1.1"),
        _ => (Err(Refusal::unsupported(service, operation)), "1.0"),
    };
    match answer {
        Ok(output) => {
            let content_type = format!("application/x-amz-json-{version}");
            ([(header::CONTENT_TYPE, content_type)], output.to_string()).into_response()
        }
        Err(refusal) => json_refusal(refusal, version),
    }
}

fn json_refusal(refusal: Refusal, version: &str) -> Response {
    let body = serde_json::json!({ "__type": refusal.code, "message": refusal.message });
    let content_type = format!("application/x-amz-json-{version}");
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::HeaderName::from_static("x-amzn-query-error"), refusal.code.to_owned()),
    ];
    (refusal.status, headers, body.to_string()).into_response()
}

/// An XML answer (S3, SNS): `body` is already XML.
pub fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// An XML error in the shape S3 and SNS share.
pub fn xml_refusal(refusal: Refusal) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{}</Code><Message>{}</Message><RequestId>dev</RequestId></Error>",
        refusal.code,
        escape(&refusal.message)
    );
    xml(refusal.status, body)
}

/// Text made safe inside XML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A field of a JSON request that must be a string.
pub fn text<'a>(input: &'a Value, field: &str) -> Result<&'a str, Refusal> {
    input[field].as_str().ok_or_else(|| Refusal::bad(format!("{field} is required")))
}

/// The last part of an ARN or URL after `separator`: the resource's name.
pub fn name_in(reference: &str, separator: char) -> &str {
    reference.rsplit(separator).next().unwrap_or(reference)
}

pub type Body = Bytes;

/// A path segment's `%2F` and the like, as text.
pub fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}
