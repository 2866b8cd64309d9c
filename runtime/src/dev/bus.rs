//! Event buses: EventBridge's `PutEvents` (what `Publisher<bus>` calls),
//! each event pushed to the actions whose `event` trigger on that bus
//! matches it (see `pattern`).

use super::aws::{name_in, Answer, Refusal};
use super::clock::{iso8601, now_ms};
use super::{function, pattern, Dev, ACCOUNT, REGION};
use crate::trigger::TriggerKind;
use serde_json::{json, Value};
use std::sync::Arc;

/// The account's own bus, which triggers without `bus` read.
const DEFAULT_BUS: &str = "default";

pub fn api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    if operation != "PutEvents" {
        return Err(Refusal::unsupported("EventBridge", operation));
    }
    let entries = input["Entries"].as_array().ok_or_else(|| Refusal::bad("Entries is required"))?;
    let mut answers = Vec::new();
    for entry in entries {
        let bus = entry["EventBusName"].as_str().map_or(DEFAULT_BUS, |b| name_in(b, '/'));
        let detail: Value = entry["Detail"].as_str().and_then(|d| serde_json::from_str(d).ok()).unwrap_or(json!({}));
        let id = format!("{:08x}-dev0-6000-8000-{:012x}", dev.state().next_id(), now_ms());
        let event = json!({
            "version": "0",
            "id": id,
            "detail-type": entry["DetailType"],
            "source": entry["Source"],
            "account": ACCOUNT,
            "time": iso8601(now_ms()),
            "region": REGION,
            "resources": entry.get("Resources").cloned().unwrap_or(json!([])),
            "detail": detail,
        });
        deliver(dev, bus, &event);
        answers.push(json!({ "EventId": id }));
    }
    Ok(json!({ "FailedEntryCount": 0, "Entries": answers }))
}

/// Pushes `event` to every action whose rule on `bus` matches it.
pub fn deliver(dev: &Arc<Dev>, bus: &str, event: &Value) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            let TriggerKind::Event(trigger) = &trigger.kind else { continue };
            if trigger.bus.as_deref().unwrap_or(DEFAULT_BUS) != bus {
                continue;
            }
            let pattern: Value = serde_json::from_str(&trigger.pattern).unwrap_or(Value::Null);
            if pattern::matches(&pattern, event) {
                function::push(dev, &action.name, format!("event {bus}"), event.clone());
            }
        }
    }
}
