//! Following a stack operation: its events as they come (a progress bar on a
//! terminal, one line each otherwise) and, when it fails, the one event that
//! caused it.

use super::aws::{explain, is_missing_stack, Aws};
use super::stack::{self, Condition, Deployed};
use crate::layout::Stack;
use aws_sdk_cloudformation::types::EventFilter;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// One stack event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: String,
    pub logical_id: String,
    pub kind: String,
    pub status: String,
    pub reason: Option<String>,
    /// Seconds since the epoch, for order.
    pub at: i64,
    /// The stack operation it belongs to, where the service says.
    pub operation: Option<String>,
}

impl Event {
    fn is_failure(&self) -> bool {
        self.status.ends_with("_FAILED")
    }

    fn is_stack(&self, stack: &str) -> bool {
        self.kind == "AWS::CloudFormation::Stack" && self.logical_id == stack
    }
}

/// The failure that caused the others: the first failed resource whose
/// reason is not that CloudFormation cancelled it because of another.
pub fn root_cause<'e>(events: &'e [Event], stack: &str) -> Option<&'e Event> {
    let failed = || events.iter().filter(|e| e.is_failure());
    let cancelled = |e: &&Event| {
        let reason = e.reason.as_deref().unwrap_or_default();
        reason.contains("cancelled") || reason.contains("canceled")
    };
    failed()
        .find(|e| !e.is_stack(stack) && !cancelled(e))
        .or_else(|| failed().find(|e| !e.is_stack(stack)))
        .or_else(|| failed().next())
}

/// Follows a stack's events from the operation just started.
pub struct Watch<'a> {
    aws: &'a Aws,
    name: &'a str,
    /// The stack's id where known: it still answers once the stack is deleted.
    target: &'a str,
    /// Events of earlier operations, and those shown already.
    seen: HashSet<String>,
    /// This operation's events, oldest first.
    pub events: Vec<Event>,
    bar: Option<ProgressBar>,
    total: usize,
    done: BTreeSet<String>,
    started: Instant,
}

impl<'a> Watch<'a> {
    /// Remembers the events there are now, so only newer ones are shown.
    /// `total` is the number of resources the operation touches.
    pub async fn start(aws: &'a Aws, name: &'a str, target: &'a str, total: usize) -> Result<Watch<'a>, String> {
        let mut watch = Watch {
            aws,
            name,
            target,
            seen: HashSet::new(),
            events: Vec::new(),
            bar: None,
            total,
            done: BTreeSet::new(),
            started: Instant::now(),
        };
        let earlier = watch.fetch(false).await?;
        watch.seen.extend(earlier.into_iter().map(|e| e.id));
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} resources  {elapsed}  {msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            watch.bar = Some(bar);
        }
        Ok(watch)
    }

    /// New events, oldest first (`DescribeStackEvents` pages newest first,
    /// so paging stops at the first event seen before). Without `all_pages`
    /// only the newest page: what `start` needs to know where "now" is.
    async fn fetch(&self, all_pages: bool) -> Result<Vec<Event>, String> {
        let mut events = Vec::new();
        let mut token = None;
        'pages: loop {
            let output = self
                .aws
                .cloudformation
                .describe_stack_events()
                .stack_name(self.target)
                .set_next_token(token)
                .send()
                .await;
            let output = match output {
                Ok(output) => output,
                Err(error) if is_missing_stack(&error) => break,
                Err(error) => return Err(explain(&format!("read the events of stack `{}`", self.name), &error)),
            };
            for event in output.stack_events() {
                let id = event.event_id().unwrap_or_default().to_owned();
                if self.seen.contains(&id) {
                    break 'pages;
                }
                events.push(Event {
                    id,
                    logical_id: event.logical_resource_id().unwrap_or_default().to_owned(),
                    kind: event.resource_type().unwrap_or_default().to_owned(),
                    status: event.resource_status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
                    reason: event.resource_status_reason().filter(|r| !r.is_empty()).map(str::to_owned),
                    at: event.timestamp().map(|t| t.secs()).unwrap_or_default(),
                    operation: event.operation_id().map(str::to_owned),
                });
            }
            token = output.next_token().map(str::to_owned);
            if token.is_none() || !all_pages {
                break;
            }
        }
        events.reverse();
        Ok(events)
    }

    /// Shows events until the stack is stable again; returns its state.
    pub async fn until_stable(&mut self) -> Result<Deployed, String> {
        let mut delay = Duration::from_millis(250);
        loop {
            let deployed = stack::describe(self.aws, self.target).await?;
            let fresh = self.fetch(true).await?;
            let quiet = fresh.is_empty();
            for event in fresh {
                self.show(&event);
                self.seen.insert(event.id.clone());
                self.events.push(event);
            }
            match deployed {
                Some(deployed) if Condition::of(&deployed.status) == Condition::Busy => {}
                stable => {
                    if let Some(bar) = self.bar.take() {
                        bar.finish_and_clear();
                    }
                    return Ok(stable.unwrap_or_else(|| Deployed {
                        id: self.name.to_owned(),
                        status: "DELETE_COMPLETE".to_owned(),
                        reason: None,
                        parameters: BTreeMap::new(),
                        outputs: Vec::new(),
                    }));
                }
            }
            // Quick while events flow, slower while CloudFormation waits.
            delay = if quiet { (delay * 3 / 2).min(Duration::from_secs(3)) } else { Duration::from_millis(250) };
            tokio::time::sleep(delay).await;
        }
    }

    fn show(&mut self, event: &Event) {
        let finished = event.status.ends_with("_COMPLETE") || event.is_failure() || event.status.ends_with("_SKIPPED");
        if finished && !event.is_stack(self.name) {
            self.done.insert(event.logical_id.clone());
        }
        let reason = event.reason.as_deref().map(|r| format!("  {r}")).unwrap_or_default();
        let line = format!("{}  {:<28} {} ({}){reason}", clock(event.at), event.status, event.logical_id, event.kind);
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.done.len().min(self.total) as u64);
                bar.set_message(format!("{} {}", event.logical_id, event.status));
                bar.println(line);
            }
            None => say!("{line}"),
        }
    }

    /// Seconds since the watch started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Why the operation failed: the root cause, with the Rust item behind
    /// it, from `DescribeEvents`' failed-events filter where the service has
    /// it, else from the stack events seen.
    pub async fn failure(&self, stack: Option<&Stack>, operation: &str) -> String {
        let failed = self.failed_events().await.unwrap_or_else(|| self.events.clone());
        let mut text = format!("error: {operation} of stack `{}` failed", self.name);
        match root_cause(&failed, self.name) {
            Some(cause) => {
                text += &format!(
                    ": {} ({}) is {}: {}",
                    cause.logical_id,
                    cause.kind,
                    cause.status,
                    cause.reason.as_deref().unwrap_or("no reason given")
                );
                if let Some(source) = stack.and_then(|s| s.source(&cause.logical_id)) {
                    text += &format!("\n  <- {source}");
                }
            }
            None => text += " (CloudFormation gave no reason)",
        }
        text
    }

    /// `DescribeEvents` with `FailedEvents` for this operation, if the
    /// service offers it and named the operation.
    async fn failed_events(&self) -> Option<Vec<Event>> {
        let operation = self.events.iter().find_map(|e| e.operation.clone())?;
        let output = self
            .aws
            .cloudformation
            .describe_events()
            .stack_name(self.target)
            .operation_id(&operation)
            .filters(EventFilter::builder().failed_events(true).build())
            .send()
            .await
            .ok()?;
        let mut events: Vec<Event> = output
            .operation_events()
            .iter()
            .map(|e| Event {
                id: e.event_id().unwrap_or_default().to_owned(),
                logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
                kind: e.resource_type().unwrap_or_default().to_owned(),
                status: e.resource_status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
                reason: e.resource_status_reason().map(str::to_owned),
                at: e.timestamp().map(|t| t.secs()).unwrap_or_default(),
                operation: Some(operation.clone()),
            })
            .collect();
        events.sort_by_key(|e| e.at);
        (!events.is_empty()).then_some(events)
    }
}

/// `HH:MM:SS` UTC of seconds since the epoch.
fn clock(seconds: i64) -> String {
    let seconds = seconds.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}
#[cfg(test)]
mod tests {
    use super::*;

    fn event(logical_id: &str, kind: &str, status: &str, reason: &str) -> Event {
        Event {
            id: format!("{logical_id}-{status}"),
            logical_id: logical_id.to_owned(),
            kind: kind.to_owned(),
            status: status.to_owned(),
            reason: Some(reason.to_owned()).filter(|r| !r.is_empty()),
            at: 0,
            operation: None,
        }
    }

    #[test]
    fn the_root_cause_is_the_first_failure_that_was_not_a_cancellation() {
        let events = [
            event("shop", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
            event("OrdersQueue", "AWS::SQS::Queue", "UPDATE_IN_PROGRESS", ""),
            event("FulfilRole", "AWS::IAM::Role", "UPDATE_FAILED", "Resource update cancelled"),
            event("OrdersQueue", "AWS::SQS::Queue", "UPDATE_FAILED", "Invalid value for VisibilityTimeout"),
            event(
                "shop",
                "AWS::CloudFormation::Stack",
                "UPDATE_ROLLBACK_IN_PROGRESS",
                "The following resource(s) failed to update: [OrdersQueue].",
            ),
        ];
        let cause = root_cause(&events, "shop").unwrap();
        assert_eq!(cause.logical_id, "OrdersQueue");
        assert_eq!(cause.reason.as_deref(), Some("Invalid value for VisibilityTimeout"));
        assert_eq!(root_cause(&events[..2], "shop"), None);
    }
}
