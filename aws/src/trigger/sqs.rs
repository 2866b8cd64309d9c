//! `#[trigger(sqs)]` and `#[trigger(sqs = queue, batch = n, window = s)]`.

use super::{Delivers, Kind, Target};
use crate::option::{Declaration, Issue, Opt, Shape};
use std::ops::RangeInclusive;

/// Lambda's bounds on a standard queue's event source mapping.
pub const BATCH: RangeInclusive<u32> = 1..=10_000;
pub const WINDOW_S: RangeInclusive<u32> = 0..=300;
/// A batch larger than this needs a batching window; a FIFO queue's batch
/// can be no larger.
pub const MAX_UNWINDOWED_BATCH: u32 = 10;

/// The kind's name, as written.
pub const NAME: &str = "sqs";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target { shape: Shape::Singleton, optional: true, example: "sqs = my_queue" },
    options: &[
        Opt { name: "batch", shape: Shape::Int { range: BATCH, unit: "messages" }, example: "batch = 10" },
        Opt { name: "window", shape: Shape::Int { range: WINDOW_S, unit: "seconds" }, example: "window = 5" },
        Opt { name: "fifo", shape: Shape::Flag, example: "fifo" },
    ],
    delivers: Delivers::Messages { batches: true },
    raw_events: &["SqsEvent"],
    check,
};

fn check(trigger: &Declaration<'_>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let batch = trigger.int("batch").unwrap_or(MAX_UNWINDOWED_BATCH);
    let window = trigger.int("window");
    if trigger.flag("fifo") {
        if trigger.target.is_some() {
            issues.push(Issue::on(
                "fifo",
                "`fifo` applies to the action's own queue",
                "declare the shared queue `Queue<T, Fifo>` instead, and remove `fifo`",
            ));
            return issues;
        }
        if batch > MAX_UNWINDOWED_BATCH {
            issues.push(Issue::on(
                "batch",
                "a FIFO queue delivers at most 10 messages per batch",
                "lower `batch` to 10",
            ));
        }
        if window.is_some() {
            issues.push(Issue::on("window", "a FIFO queue's mapping takes no batching window", "remove `window`"));
        }
    } else if batch > MAX_UNWINDOWED_BATCH && window.unwrap_or(0) == 0 {
        issues.push(Issue::on(
            "batch",
            "an SQS batch of more than 10 messages needs a batching window",
            "add `window = 1` (seconds, up to 300) or lower `batch` to 10",
        ));
    }
    issues
}
