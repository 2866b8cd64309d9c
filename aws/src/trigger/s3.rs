//! `#[trigger(s3 = bucket, events = [..], prefix = "..", suffix = "..")]`.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::{Opt, Shape};
use crate::s3::{key_filter, OBJECT_EVENT_NAMES};

/// The kind's name, as written.
pub const NAME: &str = "s3";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target { shape: Shape::Singleton, optional: false, example: "s3 = my_bucket" },
    options: &[
        Opt {
            name: "events",
            shape: Shape::Names { names: &OBJECT_EVENT_NAMES, what: "S3 event", plural: "events" },
            example: "events = [created, removed]",
        },
        Opt { name: "prefix", shape: Shape::Text { grammar: key_filter }, example: "prefix = \"incoming/\"" },
        Opt { name: "suffix", shape: Shape::Text { grammar: key_filter }, example: "suffix = \".csv\"" },
    ],
    delivers: Delivers::Notification,
    raw_events: &["S3Event"],
    check: no_rules,
};
