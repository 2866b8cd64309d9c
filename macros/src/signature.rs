//! How a handler is invoked, read from its parameters and checked against its
//! triggers: a parameter list that does not fit is a compile error here.

use crate::attr::route::RouteAttr;
use crate::attr::trigger::TriggerAttr;
use crate::ctxt::Ctxt;
use syn::{FnArg, GenericArgument, ItemFn, PathArguments, Type};
use wirestack_aws::trigger::{Delivers, Kind, KINDS};

/// The adapter that turns a Lambda payload into this handler's arguments.
pub enum Dispatch {
    /// An axum handler for the action's routes.
    Http,
    /// No parameter: the payload is not read.
    Nullary,
    /// One parameter decoded from the whole payload (a raw event such as
    /// `SqsEvent`, or the input of a plain action or of a payload kind).
    Whole,
    /// One message at a time from the message kinds in `sources` (`sqs`, `sns`).
    Each { message: Type, sources: Vec<&'static str> },
    /// Every message of a batch at once (`Vec<T>`).
    Batch { message: Type },
    /// An EventBridge event's `detail`, decoded as the one parameter's type.
    Detail,
    /// One stream record at a time, in order, from trigger kind `kind`:
    /// `message` is `T` or the kind's wrapper (`ItemChange<T>`).
    Records { message: Type, kind: &'static str },
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
    let kinds: Vec<&'static Kind> = triggers.iter().map(|t| t.kind).collect();
    let events: Vec<&Type> = params.iter().filter_map(Param::event).collect();
    let ident = &function.sig.ident;
    if let Some(stream) = kinds.iter().find(|k| matches!(k.delivers, Delivers::Records { .. })) {
        return classify_records(cx, function, &events, &kinds, stream);
    }
    let messages = kinds.iter().find(|k| matches!(k.delivers, Delivers::Messages { .. }));
    match events[..] {
        [] => match messages {
            Some(kind) => {
                cx.error_with_help(
                    ident,
                    format_args!("`{ident}` has an `{}` trigger, which delivers messages, but takes none", kind.name),
                    format_args!("take the message: `async fn {ident}(message: T)`"),
                );
                None
            }
            None => Some(Dispatch::Nullary),
        },
        [ty] => classify_one(cx, ty, &kinds),
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
fn classify_records(
    cx: &Ctxt,
    function: &ItemFn,
    events: &[&Type],
    kinds: &[&'static Kind],
    stream: &'static Kind,
) -> Option<Dispatch> {
    let ident = &function.sig.ident;
    let name = stream.name;
    if let Some(other) = kinds.iter().find(|k| k.name != name) {
        cx.error_with_help(
            ident,
            format_args!("`{ident}` reads a `{name}` stream, so it cannot also have a `{}` trigger", other.name),
            "split it in two fns: a stream's records are handled in order, one kind at a time",
        );
        return None;
    }
    let Delivers::Records { wrapper } = stream.delivers else { unreachable!("a stream kind delivers records") };
    let example = match wrapper {
        Some(wrapper) => format!("change: {wrapper}<T>"),
        None => "record: T".to_owned(),
    };
    match events {
        [ty] if stream.raw_events.contains(&last_segment(ty).unwrap_or_default().as_str()) => Some(Dispatch::Whole),
        [ty] if wrapper.is_none() || last_segment(ty).as_deref() == wrapper => {
            Some(Dispatch::Records { message: (*ty).clone(), kind: name })
        }
        [ty] => {
            cx.error_with_help(
                ty,
                format_args!("a `{name}` trigger delivers changes to the table's items, not this type"),
                format_args!("take `{example}`, where the table is a `Table<T>`"),
            );
            None
        }
        [] => {
            cx.error_with_help(
                ident,
                format_args!("`{ident}` has a `{name}` trigger, which delivers records, but takes none"),
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

fn classify_one(cx: &Ctxt, ty: &Type, kinds: &[&'static Kind]) -> Option<Dispatch> {
    let name = last_segment(ty).unwrap_or_default();
    let fits: Vec<&str> = KINDS.iter().filter(|k| k.raw_events.contains(&name.as_str())).map(|k| k.name).collect();
    if !fits.is_empty() {
        if kinds.is_empty() || kinds.iter().any(|k| !fits.contains(&k.name)) {
            let fits = fits.join("` or `");
            cx.error_with_help(
                ty,
                format_args!(
                    "`{name}` is the event of a `{fits}` trigger, but this handler's triggers are {}",
                    listed(kinds)
                ),
                format_args!("take `{name}` only with `#[trigger({fits} ..)]` triggers, or take the message type `T`"),
            );
            return None;
        }
        return Some(Dispatch::Whole);
    }
    if let Some(kind) = kinds.iter().find(|k| k.delivers == Delivers::Nothing) {
        cx.error_with_help(
            ty,
            format_args!("a `{}` trigger delivers no message, so this handler cannot take one", kind.name),
            format_args!("remove the parameter, or take `{}` to read the event", kind.raw_events[0]),
        );
        return None;
    }
    let Some(first) = kinds.first() else {
        // A plain action: its input is whatever invokes it.
        return Some(Dispatch::Whole);
    };
    if let Some(other) = kinds.iter().find(|k| !same_delivery(k.delivers, first.delivers)) {
        cx.error_with_help(
            ty,
            format_args!(
                "this handler's `{}` and `{}` triggers deliver different events, so one parameter cannot take both",
                first.name, other.name
            ),
            "split it in two fns, one per kind of event",
        );
        return None;
    }
    match first.delivers {
        Delivers::Notification => {
            let raw = first.raw_events[0];
            cx.error_with_help(
                ty,
                format_args!(
                    "an `{}` trigger delivers an `{raw}`, so this handler cannot take another type",
                    first.name
                ),
                format_args!("take `event: {raw}`, or nothing"),
            );
            None
        }
        Delivers::Detail => Some(Dispatch::Detail),
        Delivers::Messages { .. } => {
            let mut sources: Vec<&'static str> = Vec::new();
            for kind in kinds {
                if !sources.contains(&kind.name) {
                    sources.push(kind.name);
                }
            }
            let Some(element) = vec_element(ty) else {
                return Some(Dispatch::Each { message: ty.clone(), sources });
            };
            if let Some(single) = kinds.iter().find(|k| k.delivers == (Delivers::Messages { batches: false })) {
                cx.error_with_help(
                    ty,
                    format_args!("`{}` delivers one message per invocation, not a `Vec`", single.name),
                    "take the message type itself",
                );
                return None;
            }
            Some(Dispatch::Batch { message: element })
        }
        Delivers::Payload | Delivers::Request | Delivers::Nothing | Delivers::Records { .. } => Some(Dispatch::Whole),
    }
}

/// Whether two kinds hand the handler the same kind of event: message kinds
/// mix (a handler may take `sqs` and `sns` messages alike).
fn same_delivery(a: Delivers, b: Delivers) -> bool {
    matches!((a, b), (Delivers::Messages { .. }, Delivers::Messages { .. })) || a == b
}

fn listed(kinds: &[&'static Kind]) -> String {
    if kinds.is_empty() {
        return "none".to_owned();
    }
    kinds.iter().map(|k| format!("`{}`", k.name)).collect::<Vec<_>>().join(", ")
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
