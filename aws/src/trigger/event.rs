//! `#[trigger(event = r#"{..}"#, bus = my_bus)]`: an EventBridge rule.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::{Opt, Shape};
use crate::pattern;

/// The kind's name, as written.
pub const NAME: &str = "event";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target {
        shape: Shape::Text { grammar: pattern::event },
        optional: false,
        example: r##"event = r#"{"source": ["shop.orders"]}"#"##,
    },
    options: &[Opt { name: "bus", shape: Shape::Singleton, example: "bus = my_bus" }],
    delivers: Delivers::Detail,
    raw_events: &["EventBridgeEvent", "ScheduledEvent"],
    check: no_rules,
};
