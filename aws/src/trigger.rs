//! Trigger kinds as the macros see them: what follows `#[trigger(kind = ..)]`,
//! the options and their bounds, the rules between options, and what the
//! handler receives. One module per kind; [`KINDS`] lists them.
//!
//! The runtime's module of the same name (`wirestack::trigger::sqs`) owns
//! the rest of the kind: its model, validation, rendering, grants, sample
//! event and Lambda-side adapter.

pub mod api;
pub mod dynamodb;
pub mod event;
pub mod iot;
pub mod kinesis;
pub mod s3;
pub mod schedule;
pub mod sns;
pub mod sqs;

use crate::option::{Declaration, Issue, Opt, Shape};

/// Every kind `#[trigger(..)]` accepts, in the order messages list them.
/// (`api` is written `#[api(..)]`, and is a trigger kind of its own.)
pub const KINDS: &[&Kind] =
    &[&sqs::KIND, &sns::KIND, &s3::KIND, &kinesis::KIND, &dynamodb::KIND, &event::KIND, &schedule::KIND, &iot::KIND];

/// One kind of trigger.
#[derive(Debug)]
pub struct Kind {
    /// As written: `#[trigger(sqs ..)]`. Also the name of the runtime module
    /// that owns the kind, which the macros' expansion names.
    pub name: &'static str,
    /// What follows `name =`.
    pub target: Target,
    pub options: &'static [Opt],
    /// What the handler receives.
    pub delivers: Delivers,
    /// Raw event types a handler may take whole (`SqsEvent`).
    pub raw_events: &'static [&'static str],
    /// Rules between options; each option's own value was checked already.
    pub check: fn(&Declaration<'_>) -> Vec<Issue>,
}

/// What follows `kind =`.
#[derive(Debug)]
pub struct Target {
    pub shape: Shape,
    /// Whether `kind` may stand alone (`#[trigger(sqs)]`).
    pub optional: bool,
    /// How it is written: `sqs = my_queue`.
    pub example: &'static str,
}

/// What a trigger kind hands the handler, which decides the parameter list
/// it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivers {
    /// Messages of one type `T`, one call each; `batches`: also `Vec<T>`
    /// for the whole batch at once.
    Messages { batches: bool },
    /// A stream's records, in order, one call each: `T`, or `wrapper<T>`
    /// when the kind wraps each record (`ItemChange<T>`).
    Records { wrapper: Option<&'static str> },
    /// A notification to take whole (its raw event) or not at all.
    Notification,
    /// An EventBridge event's `detail`, decoded as `T`.
    Detail,
    /// Nothing worth decoding: the handler takes nothing (or the raw event).
    Nothing,
    /// The whole payload decoded as `T`.
    Payload,
    /// An HTTP request, which axum extractors take apart.
    Request,
}

impl Kind {
    /// The kind called `name` in `#[trigger(..)]`.
    pub fn named(name: &str) -> Option<&'static Kind> {
        KINDS.iter().copied().find(|kind| kind.name == name)
    }

    pub fn option(&self, name: &str) -> Option<&'static Opt> {
        self.options.iter().find(|option| option.name == name)
    }

    pub fn option_names(&self) -> Vec<&'static str> {
        self.options.iter().map(|option| option.name).collect()
    }
}

/// No rules between options.
pub(crate) fn no_rules(_: &Declaration<'_>) -> Vec<Issue> {
    Vec::new()
}
