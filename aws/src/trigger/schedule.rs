//! `#[trigger(schedule = "rate(..)" | "cron(..)")]`.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::Shape;

/// The kind's name, as written.
pub const NAME: &str = "schedule";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target {
        shape: Shape::Text { grammar: crate::schedule::check },
        optional: false,
        example: "schedule = \"rate(5 minutes)\"",
    },
    options: &[],
    delivers: Delivers::Nothing,
    raw_events: &["ScheduledEvent", "EventBridgeEvent"],
    check: no_rules,
};
