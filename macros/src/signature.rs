//! How a handler is invoked, read from its parameters and checked against its
//! triggers: a parameter list that does not fit is a compile error here.

use crate::attr::route::RouteAttr;
use crate::attr::trigger::{TriggerAttr, TriggerKind};
use crate::ctxt::Ctxt;
use syn::{FnArg, GenericArgument, ItemFn, PathArguments, Type};

/// The adapter that turns a Lambda payload into this handler's arguments.
pub enum Dispatch {
    /// An axum handler for the action's routes.
    Http,
    /// No parameter: the payload is not read.
    Nullary,
    /// One parameter decoded from the whole payload (`SqsEvent`,
    /// `ScheduledEvent`, or a plain action's input).
    Whole,
    /// One message at a time from SQS and/or SNS.
    Each { message: Type, sqs: bool, sns: bool },
    /// Every message of an SQS batch at once (`Vec<T>`).
    Batch { message: Type },
    /// An EventBridge event's `detail`, decoded as the one parameter's type.
    Detail,
    /// One stream record at a time, in order: `T` from Kinesis, or
    /// `ItemChange<T>` from a table's stream (`table`).
    Records { message: Type, table: bool },
}

/// Parameter types that are capabilities: resolved at cold start, granted in
/// IAM, never decoded from the payload.
const CAPABILITIES: &[&str] = &["Sender", "Publisher", "Reader", "Writer", "SecretValue", "Invoke"];

/// One handler parameter, in the order the fn declares them.
pub enum Param {
    /// The event or message (at most one).
    Event(Type),
    /// A capability (`Sender<orders>`).
    Capability(Type),
}

impl Param {
    pub fn event(&self) -> Option<&Type> {
        match self {
            Param::Event(ty) => Some(ty),
            Param::Capability(_) => None,
        }
    }

    pub fn capability(&self) -> Option<&Type> {
        match self {
            Param::Capability(ty) => Some(ty),
            Param::Event(_) => None,
        }
    }
}

/// The handler's parameters, each classified.
pub fn params(function: &ItemFn) -> Vec<Param> {
    parameter_types(function)
        .into_iter()
        .map(|ty| match last_segment(ty) {
            Some(name) if CAPABILITIES.contains(&name.as_str()) => Param::Capability(ty.clone()),
            _ => Param::Event(ty.clone()),
        })
        .collect()
}

/// Raw event types, each fitting exactly one trigger kind.
const RAW_EVENTS: &[(&str, &[&str])] = &[
    ("SqsEvent", &["sqs"]),
    ("SnsEvent", &["sns"]),
    ("S3Event", &["s3"]),
    ("KinesisEvent", &["kinesis"]),
    ("ScheduledEvent", &["schedule", "event"]),
    ("EventBridgeEvent", &["schedule", "event"]),
];

pub fn classify(
    cx: &Ctxt,
    function: &ItemFn,
    params: &[Param],
    triggers: &[TriggerAttr],
    routes: &[RouteAttr],
) -> Option<Dispatch> {
    if !routes.is_empty() {
        if let Some(trigger) = triggers.first() {
            cx.error_with_help(
                trigger.name_token(),
                "an `#[api]` handler cannot also have `#[trigger]`s",
                "split it in two fns: HTTP handlers take extractors, event handlers take messages",
            );
            return None;
        }
        return Some(Dispatch::Http);
    }
    let kinds: Vec<&str> = triggers.iter().map(|t| t.kind.name()).collect();
    let (sqs, sns, schedule) = (kinds.contains(&"sqs"), kinds.contains(&"sns"), kinds.contains(&"schedule"));
    let events: Vec<&Type> = params.iter().filter_map(Param::event).collect();
    let ident = &function.sig.ident;
    if let Some(stream) = kinds.iter().find(|k| **k == "kinesis" || **k == "dynamodb") {
        return classify_records(cx, function, &events, &kinds, stream);
    }
    match events[..] {
        [] if sqs || sns => {
            let kind = if sqs { "sqs" } else { "sns" };
            cx.error_with_help(
                ident,
                format_args!("`{ident}` has an `{kind}` trigger, which delivers messages, but takes none"),
                format_args!("take the message: `async fn {ident}(message: T)`"),
            );
            None
        }
        [] => Some(Dispatch::Nullary),
        [ty] => classify_one(cx, ty, &kinds, sqs, sns, schedule),
        [_, extra, ..] => {
            cx.error_with_help(
                extra,
                format_args!("`{ident}` takes more than one event parameter"),
                "a handler takes one message or event (or none), plus capabilities such as `Sender<queue>`; remove this parameter",
            );
            None
        }
    }
}

/// A stream's records come in order, one at a time, from that stream kind only.
fn classify_records(cx: &Ctxt, function: &ItemFn, events: &[&Type], kinds: &[&str], stream: &str) -> Option<Dispatch> {
    let ident = &function.sig.ident;
    if let Some(other) = kinds.iter().find(|k| *k != &stream) {
        cx.error_with_help(
            ident,
            format_args!("`{ident}` reads a `{stream}` stream, so it cannot also have a `{other}` trigger"),
            "split it in two fns: a stream's records are handled in order, one kind at a time",
        );
        return None;
    }
    let example = if stream == "kinesis" { "record: T" } else { "change: ItemChange<T>" };
    match events {
        [ty] if last_segment(ty).as_deref() == Some("KinesisEvent") && stream == "kinesis" => Some(Dispatch::Whole),
        [ty] if stream == "kinesis" => Some(Dispatch::Records { message: (*ty).clone(), table: false }),
        [ty] if last_segment(ty).as_deref() == Some("ItemChange") => {
            Some(Dispatch::Records { message: (*ty).clone(), table: true })
        }
        [ty] => {
            cx.error_with_help(
                ty,
                "a `dynamodb` trigger delivers changes to the table's items, not this type",
                "take `change: ItemChange<T>`, where the table is a `Table<T>`",
            );
            None
        }
        [] => {
            cx.error_with_help(
                ident,
                format_args!("`{ident}` has a `{stream}` trigger, which delivers records, but takes none"),
                format_args!("take the record: `async fn {ident}({example})`"),
            );
            None
        }
        [_, extra, ..] => {
            cx.error_with_help(
                extra,
                format_args!("`{ident}` takes more than one event parameter"),
                "a handler takes one record, plus capabilities such as `Writer<table>`; remove this parameter",
            );
            None
        }
    }
}

/// The types of the fn's parameters, in order (a receiver is not one).
fn parameter_types(function: &ItemFn) -> Vec<&Type> {
    let typed = function.sig.inputs.iter().filter_map(|arg| match arg {
        FnArg::Typed(typed) => Some(&*typed.ty),
        FnArg::Receiver(_) => None,
    });
    typed.collect()
}

fn classify_one(cx: &Ctxt, ty: &Type, kinds: &[&str], sqs: bool, sns: bool, schedule: bool) -> Option<Dispatch> {
    let name = last_segment(ty);
    if let Some((raw, fits)) = RAW_EVENTS.iter().find(|(raw, _)| Some(*raw) == name.as_deref()) {
        if kinds.iter().any(|k| !fits.contains(k)) || kinds.is_empty() {
            let fits = fits.join("` or `");
            cx.error_with_help(
                ty,
                format_args!(
                    "`{raw}` is the event of a `{fits}` trigger, but this handler's triggers are {}",
                    listed(kinds)
                ),
                format_args!("take `{raw}` only with `#[trigger({fits} ..)]` triggers, or take the message type `T`"),
            );
            return None;
        }
        return Some(Dispatch::Whole);
    }
    if schedule {
        cx.error_with_help(
            ty,
            "a schedule delivers no message, so this handler cannot take one",
            "remove the parameter, or take `ScheduledEvent` to read the event",
        );
        return None;
    }
    if kinds.contains(&"event") {
        if let Some(other) = kinds.iter().find(|k| **k != "event") {
            cx.error_with_help(
                ty,
                format_args!(
                    "this handler takes an `event` trigger's detail, which its `{other}` trigger does not deliver"
                ),
                "split it in two fns, or take `EventBridgeEvent<serde_json::Value>` to read any event",
            );
            return None;
        }
        return Some(Dispatch::Detail);
    }
    if kinds.contains(&"s3") {
        cx.error_with_help(
            ty,
            "an `s3` trigger delivers an `S3Event`, so this handler cannot take another type",
            "take `event: S3Event` (its records name each bucket and key), or nothing",
        );
        return None;
    }
    if !(sqs || sns) {
        // A plain action: its input is whatever invokes it.
        return Some(Dispatch::Whole);
    }
    if let Some(element) = vec_element(ty) {
        if sns {
            cx.error_with_help(
                ty,
                "SNS delivers one message per invocation, not a `Vec`",
                "take the message type itself",
            );
            return None;
        }
        return Some(Dispatch::Batch { message: element });
    }
    Some(Dispatch::Each { message: ty.clone(), sqs, sns })
}

fn listed(kinds: &[&str]) -> String {
    if kinds.is_empty() {
        return "none".to_owned();
    }
    kinds.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

pub fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn vec_element(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        }),
        _ => None,
    }
}

impl TriggerKind {
    pub fn name(&self) -> &'static str {
        match self {
            TriggerKind::Sqs { .. } => "sqs",
            TriggerKind::Sns { .. } => "sns",
            TriggerKind::S3 { .. } => "s3",
            TriggerKind::Stream { table: false, .. } => "kinesis",
            TriggerKind::Stream { table: true, .. } => "dynamodb",
            TriggerKind::Event { .. } => "event",
            TriggerKind::Schedule { .. } => "schedule",
        }
    }
}
