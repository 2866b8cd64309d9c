//! `#[trigger(sns = topic)]`.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::Shape;

/// The kind's name, as written.
pub const NAME: &str = "sns";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target { shape: Shape::Singleton, optional: false, example: "sns = my_topic" },
    options: &[],
    delivers: Delivers::Messages { batches: false },
    raw_events: &["SnsEvent"],
    check: no_rules,
};
