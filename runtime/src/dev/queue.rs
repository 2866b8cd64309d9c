//! Queues: SQS's `SendMessage` and `SendMessageBatch`, and each `sqs`
//! trigger's poller, which delivers as Lambda's event source mapping does:
//! up to `batch` messages, waiting up to `window` seconds to fill a batch;
//! each received message hidden for the queue's visibility timeout; the
//! ones the handler reports failed (or all, if it fails) seen again after
//! it; a message received more than the queue's maximum receives moved to
//! its dead-letter queue; a FIFO queue's group held while one of its
//! messages is in flight.

use super::aws::{name_in, text, Answer, Refusal};
use super::clock::now_ms;
use super::state::{Message, Queue as Held};
use super::{next_change, Dev, ACCOUNT, REGION};
use crate::render::FAILED_EVENTS_SUFFIX;
use crate::resource::queue::DEAD_LETTER_SUFFIX;
use crate::resource::ResourceSpec;
use crate::trigger::{SqsTrigger, TriggerKind};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// SQS drops a FIFO message whose body it saw in the last five minutes.
const DEDUPLICATION_MS: u64 = 5 * 60 * 1000;

/// What the app declares of a queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub fifo: bool,
    pub visibility_s: u32,
    pub max_receives: u32,
    /// Where messages received too often go.
    pub dead_letter: Option<String>,
    /// For a dead-letter queue, the queue it serves; for a failed-events
    /// queue, the action whose events it keeps.
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Queue(String),
    Action(String),
}

/// The queue `name` of the app: a queue resource, the dead-letter queue of
/// one, or an action's failed-events queue.
pub fn settings(dev: &Dev, name: &str) -> Option<Settings> {
    if let Some(resource) = dev.app.resource(name) {
        let ResourceSpec::Queue(spec) = &resource.spec else { return None };
        return Some(Settings {
            fifo: spec.fifo,
            visibility_s: spec.visibility_timeout_in(&dev.app, &dev.graph, name),
            max_receives: spec.max_receive_count,
            dead_letter: Some(format!("{name}{DEAD_LETTER_SUFFIX}")),
            source: None,
        });
    }
    let kept = |source| Settings { fifo: false, visibility_s: 30, max_receives: 0, dead_letter: None, source };
    if let Some(queue) = name.strip_suffix(DEAD_LETTER_SUFFIX) {
        let of = settings(dev, queue)?;
        return Some(Settings { fifo: of.fifo, ..kept(Some(Source::Queue(queue.to_owned()))) });
    }
    let action = name.strip_suffix(FAILED_EVENTS_SUFFIX)?;
    dev.app.action(action).map(|_| kept(Some(Source::Action(action.to_owned()))))
}

/// Every queue of the app, by name, for the page.
pub fn names(dev: &Dev) -> Vec<String> {
    let mut names = Vec::new();
    for resource in &dev.app.resources {
        if matches!(resource.spec, ResourceSpec::Queue(_)) {
            names.push(resource.name.clone());
            names.push(format!("{}{DEAD_LETTER_SUFFIX}", resource.name));
        }
    }
    for action in &dev.app.actions {
        let name = format!("{}{FAILED_EVENTS_SUFFIX}", action.name);
        if keeps_failed_events(dev, &action.name) {
            names.push(name);
        }
    }
    names
}

/// Whether the action has a failed-events queue (as synth gives it one).
pub fn keeps_failed_events(dev: &Dev, action: &str) -> bool {
    dev.app.action(action).is_some_and(|action| crate::render::keeps_failed_events(&dev.graph, action))
}

/// Puts a message at the end of `queue`; its id.
pub fn send(dev: &Dev, queue: &str, body: String, group: Option<String>, delay_s: u64) -> Result<String, Refusal> {
    let settings = settings(dev, queue).ok_or_else(|| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "AWS.SimpleQueueService.NonExistentQueue",
            format!("the app has no queue `{queue}`"),
        )
    })?;
    if settings.fifo != group.is_some() {
        let message = if settings.fifo { "needs a MessageGroupId" } else { "takes no MessageGroupId" };
        return Err(Refusal::bad(format!("queue `{queue}` {message}")));
    }
    let now = now_ms();
    let mut state = dev.state();
    let id = format!("{:08x}-dev0-4000-8000-{:012x}", state.next_id(), now);
    let held = state.queue(queue);
    if let Some(group) = &group {
        let hash = crate::trie::hash(&body);
        held.recent.retain(|(_, _, at)| now - at < DEDUPLICATION_MS);
        if held.recent.iter().any(|(g, h, _)| g == group && *h == hash) {
            return Ok(id);
        }
        held.recent.push((group.clone(), hash, now));
    }
    held.messages.push(Message {
        id: id.clone(),
        body,
        group,
        sent_ms: now,
        receives: 0,
        first_received_ms: None,
        visible_ms: now + delay_s * 1000,
    });
    drop(state);
    dev.touch();
    Ok(id)
}

/// SQS's JSON protocol, for what `Sender` calls.
pub fn api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    let queue = name_in(text(input, "QueueUrl")?, '/').to_owned();
    match operation {
        "SendMessage" => {
            let id = send(dev, &queue, text(input, "MessageBody")?.to_owned(), group(input), delay(input))?;
            Ok(json!({ "MessageId": id }))
        }
        "SendMessageBatch" => {
            let entries = input["Entries"].as_array().ok_or_else(|| Refusal::bad("Entries is required"))?;
            let mut successful = Vec::new();
            let mut failed = Vec::new();
            for entry in entries {
                let body = text(entry, "MessageBody")?.to_owned();
                match send(dev, &queue, body, group(entry), delay(entry)) {
                    Ok(id) => successful.push(json!({ "Id": entry["Id"], "MessageId": id })),
                    Err(refusal) => failed.push(
                        json!({ "Id": entry["Id"], "Code": refusal.code, "Message": refusal.message, "SenderFault": true }),
                    ),
                }
            }
            Ok(json!({ "Successful": successful, "Failed": failed }))
        }
        _ => Err(Refusal::unsupported("SQS", operation)),
    }
}

fn group(input: &Value) -> Option<String> {
    input["MessageGroupId"].as_str().map(str::to_owned)
}

fn delay(input: &Value) -> u64 {
    input["DelaySeconds"].as_u64().unwrap_or(0)
}

/// A poller per `sqs` trigger.
pub fn start(dev: &Arc<Dev>) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            if let TriggerKind::Sqs(trigger) = &trigger.kind {
                tokio::spawn(poll(dev.clone(), action.name.clone(), trigger.clone()));
            }
        }
    }
}

async fn poll(dev: Arc<Dev>, action: String, trigger: SqsTrigger) {
    let queue = trigger.queue.clone();
    let Some(settings) = settings(&dev, &queue) else { return };
    let batch = trigger.batch_size.unwrap_or(10) as usize;
    let window_ms = u64::from(trigger.window_s.unwrap_or(0)) * 1000;
    let mut changes = dev.changes();
    loop {
        changes.borrow_and_update();
        let (visible, next) = waiting(&dev, &queue, settings.fifo);
        if visible == 0 {
            let wait = next.map_or(Duration::from_secs(1), |at| Duration::from_millis(at.saturating_sub(now_ms())));
            next_change(&mut changes, wait.min(Duration::from_secs(1))).await;
            continue;
        }
        // The batching window: wait for a full batch, or until it closes.
        let closes = now_ms() + window_ms;
        while waiting(&dev, &queue, settings.fifo).0 < batch && now_ms() < closes {
            next_change(&mut changes, Duration::from_millis(closes - now_ms())).await;
        }
        if !dev.taking_work() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        let messages = receive(&dev, &queue, &settings, batch);
        if messages.is_empty() {
            continue;
        }
        let event = event(&queue, &messages);
        let result = dev.invoke(&action, format!("sqs {queue}"), event).await;
        settle(&dev, &queue, &messages, result.as_ref().ok());
    }
}

/// How many messages a consumer could receive now, and when the next
/// hidden one shows again.
fn waiting(dev: &Dev, queue: &str, fifo: bool) -> (usize, Option<u64>) {
    let now = now_ms();
    let state = dev.state();
    let Some(held) = state.queues.get(queue) else { return (0, None) };
    let blocked = if fifo { in_flight_groups(held, now) } else { BTreeSet::new() };
    let visible = held
        .messages
        .iter()
        .filter(|m| m.visible_ms <= now && m.group.as_ref().is_none_or(|g| !blocked.contains(g)))
        .count();
    let next = held.messages.iter().map(|m| m.visible_ms).filter(|at| *at > now).min();
    (visible, next)
}

fn in_flight_groups(held: &Held, now: u64) -> BTreeSet<String> {
    held.messages.iter().filter(|m| m.visible_ms > now && m.receives > 0).filter_map(|m| m.group.clone()).collect()
}

/// Receives up to `batch` visible messages, hiding each for the
/// visibility timeout; one received once too often goes to the
/// dead-letter queue instead.
fn receive(dev: &Dev, queue: &str, settings: &Settings, batch: usize) -> Vec<Message> {
    let now = now_ms();
    let mut state = dev.state();
    let held = state.queue(queue);
    let blocked = if settings.fifo { in_flight_groups(held, now) } else { BTreeSet::new() };
    let mut received = Vec::new();
    let mut dead = Vec::new();
    for message in held.messages.iter_mut() {
        if received.len() == batch {
            break;
        }
        if message.visible_ms > now || message.group.as_ref().is_some_and(|g| blocked.contains(g)) {
            continue;
        }
        message.receives += 1;
        if settings.dead_letter.is_some() && message.receives > settings.max_receives {
            dead.push(message.id.clone());
            continue;
        }
        message.first_received_ms.get_or_insert(now);
        message.visible_ms = now + u64::from(settings.visibility_s) * 1000;
        received.push(message.clone());
    }
    if let (Some(dead_letter), false) = (&settings.dead_letter, dead.is_empty()) {
        let moved: Vec<Message> = take(held, |m| dead.contains(&m.id));
        let target = state.queue(dead_letter);
        target.messages.extend(moved.into_iter().map(|m| Message {
            receives: 0,
            first_received_ms: None,
            visible_ms: now,
            ..m
        }));
        drop(state);
        dev.touch();
    }
    received
}

fn take(held: &mut Held, which: impl Fn(&Message) -> bool) -> Vec<Message> {
    let (taken, kept) = std::mem::take(&mut held.messages).into_iter().partition(|m| which(m));
    held.messages = kept;
    taken
}

/// Deletes what the handler handled: all of the batch, but for the
/// `batchItemFailures` it reported; nothing if it failed.
fn settle(dev: &Dev, queue: &str, messages: &[Message], response: Option<&Value>) {
    let Some(response) = response else { return };
    let failed: BTreeSet<&str> = response["batchItemFailures"]
        .as_array()
        .map(|failures| failures.iter().filter_map(|f| f["itemIdentifier"].as_str()).collect())
        .unwrap_or_default();
    let done: BTreeSet<&str> = messages.iter().map(|m| m.id.as_str()).filter(|id| !failed.contains(id)).collect();
    let mut state = dev.state();
    take(state.queue(queue), |m| done.contains(m.id.as_str()));
    drop(state);
    dev.touch();
}

/// The SQS event Lambda delivers for `messages`.
fn event(queue: &str, messages: &[Message]) -> Value {
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            let mut attributes = json!({
                "ApproximateReceiveCount": m.receives.to_string(),
                "SentTimestamp": m.sent_ms.to_string(),
                "SenderId": "WIRESTACKDEV",
                "ApproximateFirstReceiveTimestamp": m.first_received_ms.unwrap_or(m.sent_ms).to_string(),
            });
            if let Some(group) = &m.group {
                attributes["MessageGroupId"] = json!(group);
                attributes["MessageDeduplicationId"] = json!(m.id);
                attributes["SequenceNumber"] = json!(m.sent_ms.to_string());
            }
            json!({
                "messageId": m.id,
                "receiptHandle": format!("dev-{}", m.id),
                "body": m.body,
                "attributes": attributes,
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}"),
                "awsRegion": REGION,
            })
        })
        .collect();
    json!({ "Records": records })
}

/// Makes the queue's hidden messages visible now (the page's "retry now"),
/// rather than after their visibility timeout.
pub fn retry_now(dev: &Dev, queue: &str) -> usize {
    let now = now_ms();
    let mut state = dev.state();
    let mut count = 0;
    for message in state.queue(queue).messages.iter_mut().filter(|m| m.visible_ms > now) {
        message.visible_ms = now;
        count += 1;
    }
    drop(state);
    dev.touch();
    count
}

/// Sends a dead-letter queue's messages back where they came from: to the
/// queue it serves, or (a failed-events queue) to its action again.
pub async fn redrive(dev: &Arc<Dev>, queue: &str) -> Result<usize, Refusal> {
    let source = settings(dev, queue).and_then(|s| s.source).ok_or_else(|| {
        Refusal::bad(format!("`{queue}` is not a dead-letter or failed-events queue; only those send messages back"))
    })?;
    let messages = {
        let mut state = dev.state();
        take(state.queue(queue), |_| true)
    };
    let count = messages.len();
    for message in messages {
        match &source {
            Source::Queue(to) => {
                send(dev, to, message.body, message.group, 0)?;
            }
            Source::Action(action) => {
                let event = serde_json::from_str(&message.body).unwrap_or(Value::String(message.body));
                super::function::push(dev, action, format!("redrive {queue}"), event);
            }
        }
    }
    dev.touch();
    Ok(count)
}
