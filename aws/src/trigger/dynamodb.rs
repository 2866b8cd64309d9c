//! `#[trigger(dynamodb = table, ..)]`: a table's changes, with the options
//! of a Kinesis stream's mapping and an event `filter`.

use super::kinesis::{BATCH_OPTION, RETRIES_OPTION, START, WINDOW};
use super::{no_rules, Delivers, Kind, Target};
use crate::option::{Opt, Shape};
use crate::pattern;

/// The kind's name, as written.
pub const NAME: &str = "dynamodb";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target { shape: Shape::Singleton, optional: false, example: "dynamodb = my_table" },
    options: &[
        START,
        BATCH_OPTION,
        WINDOW,
        RETRIES_OPTION,
        Opt {
            name: "filter",
            shape: Shape::Text { grammar: pattern::filter },
            example: "filter = r#\"{\"eventName\": [\"INSERT\"]}\"#",
        },
    ],
    delivers: Delivers::Records { wrapper: Some("ItemChange") },
    raw_events: &[],
    check: no_rules,
};
