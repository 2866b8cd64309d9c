//! Lambda's `Invoke` (what `Invoke<A>` calls), and the asynchronous
//! invocations SNS, S3, EventBridge and `send_event` make: an event that
//! fails is tried twice more (after 1 s and 2 s here, about 1 and 2
//! minutes on Lambda), then kept in the action's failed-events queue.

use super::aws::{name_in, percent_decoded, Body};
use super::Dev;
use crate::render::FAILED_EVENTS_SUFFIX;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// The start of `Invoke`'s path: `/2015-03-31/functions/{name}/invocations`.
pub const PATH: &str = "/2015-03-31/functions/";

/// Tries of an asynchronous invocation, the first included.
const TRIES: u32 = 3;

pub async fn api(dev: &Arc<Dev>, rest: &str, headers: &HeaderMap, body: Body) -> Response {
    let function = rest.strip_suffix("/invocations").map(|f| name_in(f, ':')).unwrap_or_default();
    let function = percent_decoded(function);
    if dev.app.action(&function).is_none() {
        let body = json!({ "Type": "User", "message": format!("Function not found: {function}") });
        return (StatusCode::NOT_FOUND, [("x-amzn-errortype", "ResourceNotFoundException")], body.to_string())
            .into_response();
    }
    let event: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(event) => event,
            Err(e) => {
                let body = json!({ "Type": "User", "message": format!("Could not parse request body into json: {e}") });
                return (
                    StatusCode::BAD_REQUEST,
                    [("x-amzn-errortype", "InvalidRequestContentException")],
                    body.to_string(),
                )
                    .into_response();
            }
        }
    };
    match headers.get("x-amz-invocation-type").and_then(|t| t.to_str().ok()) {
        Some("Event") => {
            push(dev, &function, "invoke (event)".to_owned(), event);
            StatusCode::ACCEPTED.into_response()
        }
        Some("DryRun") => StatusCode::NO_CONTENT.into_response(),
        _ => match dev.invoke(&function, "invoke".to_owned(), event).await {
            Ok(output) => ([("x-amz-executed-version", "$LATEST")], output.to_string()).into_response(),
            Err(error) => {
                let body = json!({ "errorMessage": error, "errorType": "HandlerError" });
                ([("x-amz-function-error", "Unhandled"), ("x-amz-executed-version", "$LATEST")], body.to_string())
                    .into_response()
            }
        },
    }
}

/// Invokes `action` asynchronously with `event`: retried, then kept.
pub fn push(dev: &Arc<Dev>, action: &str, trigger: String, event: Value) {
    let dev = dev.clone();
    let action = action.to_owned();
    // Counted from now, so a hand-over waits for it through its retries.
    dev.busy.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    tokio::spawn(async move {
        let _busy = super::Busy(&dev.busy);
        for attempt in 1..=TRIES {
            if dev.invoke(&action, trigger.clone(), event.clone()).await.is_ok() {
                return;
            }
            if attempt < TRIES {
                tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
            }
        }
        let kept = format!("{action}{FAILED_EVENTS_SUFFIX}");
        if super::queue::keeps_failed_events(&dev, &action) {
            let _ = super::queue::send(&dev, &kept, event.to_string(), None, 0);
        }
    });
}
