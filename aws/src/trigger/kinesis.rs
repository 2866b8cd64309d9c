//! `#[trigger(kinesis = stream, start = .., batch = n, window = s, retries = n)]`.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::{Opt, Shape};
use std::ops::RangeInclusive;

/// Lambda's bounds on a stream's event source mapping (Kinesis or DynamoDB).
pub const BATCH: RangeInclusive<u32> = 1..=10_000;
pub const WINDOW_S: RangeInclusive<u32> = 0..=300;
pub const RETRIES: RangeInclusive<u32> = 0..=10_000;
/// Where a new mapping starts reading.
pub const STARTS: &[&str] = &["latest", "trim_horizon"];

/// The options of a stream's event source mapping.
pub const START: Opt = Opt {
    name: "start",
    shape: Shape::Choice { names: STARTS, what: "start position", plural: "positions" },
    example: "start = trim_horizon",
};
pub const BATCH_OPTION: Opt =
    Opt { name: "batch", shape: Shape::Int { range: BATCH, unit: "records" }, example: "batch = 100" };
pub const WINDOW: Opt =
    Opt { name: "window", shape: Shape::Int { range: WINDOW_S, unit: "seconds" }, example: "window = 5" };
pub const RETRIES_OPTION: Opt =
    Opt { name: "retries", shape: Shape::Int { range: RETRIES, unit: "retries" }, example: "retries = 3" };

/// The kind's name, as written.
pub const NAME: &str = "kinesis";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target { shape: Shape::Singleton, optional: false, example: "kinesis = my_stream" },
    options: &[START, BATCH_OPTION, WINDOW, RETRIES_OPTION],
    delivers: Delivers::Records { wrapper: None },
    raw_events: &["KinesisEvent"],
    check: no_rules,
};
