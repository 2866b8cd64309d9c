//! `#[trigger(sqs)]`, `#[trigger(sqs = q, batch = .., window = ..)]`,
//! `#[trigger(sns = t)]`, `#[trigger(s3 = b, events = [..], prefix = "..", suffix = "..")]`,
//! `#[trigger(schedule = "rate(..)" | "cron(..)")]`.

use super::{int_in, meta_name, parse_metas, singleton_path, string, unknown_option, value_of, Line, Seen};
use crate::check::schedule;
use crate::ctxt::Ctxt;
use crate::suggest;
use proc_macro2::{Span, TokenStream};
use syn::{Ident, LitStr, Meta, Path};

/// Kinds this version wires, and kinds the design names for later versions.
const KINDS: &[&str] = &["sqs", "sns", "s3", "kinesis", "dynamodb", "event", "schedule"];
const EVENT_OPTIONS: &[&str] = &["bus"];
const STREAM_OPTIONS: &[&str] = &["start", "batch", "window", "retries"];
const DYNAMODB_OPTIONS: &[&str] = &["start", "batch", "window", "retries", "filter"];
const STREAM_STARTS: &[&str] = &["latest", "trim_horizon"];
/// Lambda's bounds on a stream's event source mapping.
const STREAM_BATCH: std::ops::RangeInclusive<u32> = 1..=10_000;
const STREAM_RETRIES: std::ops::RangeInclusive<u32> = 0..=10_000;
const SQS_OPTIONS: &[&str] = &["batch", "window", "fifo"];
const S3_OPTIONS: &[&str] = &["events", "prefix", "suffix"];
/// `events = [..]` names, each with the runtime's `ObjectEvent` variant.
const S3_EVENTS: &[(&str, &str)] = &[
    ("created", "Created"),
    ("put", "Put"),
    ("post", "Post"),
    ("copy", "Copy"),
    ("multipart_upload", "CompletedMultipartUpload"),
    ("removed", "Removed"),
    ("deleted", "Deleted"),
    ("delete_marker", "DeleteMarkerCreated"),
    ("restored", "Restored"),
];

/// SQS's bounds on a standard queue's event source mapping.
const SQS_BATCH: std::ops::RangeInclusive<u32> = 1..=10_000;
const SQS_WINDOW_S: std::ops::RangeInclusive<u32> = 0..=300;

/// One `#[trigger(..)]` attribute.
pub struct TriggerAttr {
    pub line: Line,
    /// The kind's name as written (`sqs`), for errors about the whole trigger.
    pub kind_name: Ident,
    pub kind: TriggerKind,
}

pub enum TriggerKind {
    /// `queue: None` means the action owns a queue of its own.
    /// `fifo` (only with an owned queue) makes that queue FIFO.
    Sqs {
        queue: Option<Path>,
        batch: Option<u32>,
        window: Option<u32>,
        fifo: bool,
    },
    Sns {
        topic: Path,
    },
    /// `kinesis = stream` or `dynamodb = table` (`table`); `start` is a
    /// `STREAM_STARTS` name, checked.
    Stream {
        resource: Path,
        table: bool,
        start: Option<Ident>,
        batch: Option<u32>,
        window: Option<u32>,
        retries: Option<u32>,
        filter: Option<LitStr>,
    },
    /// `events` are the runtime's `ObjectEvent` variants, from checked
    /// `S3_EVENTS` names; empty means `Created`.
    S3 {
        bucket: Path,
        events: Vec<Ident>,
        prefix: Option<LitStr>,
        suffix: Option<LitStr>,
    },
    /// `event = "<pattern>"`, checked; `bus` names a `Bus` singleton.
    Event {
        pattern: LitStr,
        bus: Option<Path>,
    },
    Schedule {
        expression: LitStr,
    },
}

impl TriggerAttr {
    pub fn name_token(&self) -> &Ident {
        &self.kind_name
    }

    /// `span` is the attribute's, for errors about the attribute as a whole.
    pub fn parse(cx: &Ctxt, span: Span, tokens: TokenStream) -> Option<TriggerAttr> {
        let line = Line::of(span);
        let mut metas = parse_metas(cx, tokens).into_iter();
        let Some(first) = metas.next() else {
            cx.error_with_help(
                quote::quote_spanned!(span=> trigger),
                "`#[trigger]` needs a kind",
                "write `#[trigger(sqs)]`, `#[trigger(sqs = queue)]`, `#[trigger(sns = topic)]` or `#[trigger(schedule = \"rate(1 hour)\")]`",
            );
            return None;
        };
        let kind_name = meta_name(cx, &first)?;
        let rest: Vec<Meta> = metas.collect();
        let kind = match kind_name.to_string().as_str() {
            "sqs" => parse_sqs(cx, &first, &rest),
            "sns" => {
                let topic = singleton_path(cx, &first, "sns = my_topic");
                no_options(cx, &rest, "sns");
                Some(TriggerKind::Sns { topic: topic? })
            }
            "s3" => parse_s3(cx, &first, &rest),
            "kinesis" => parse_stream(cx, &first, &rest, false),
            "dynamodb" => parse_stream(cx, &first, &rest, true),
            "event" => parse_event(cx, &first, &rest),
            "schedule" => {
                let example = "schedule = \"rate(5 minutes)\"";
                let expression = string(cx, &first, example).filter(|e| schedule::check(cx, e));
                no_options(cx, &rest, "schedule");
                Some(TriggerKind::Schedule { expression: expression? })
            }
            other => {
                cx.error_with_help(
                    &kind_name,
                    format_args!("unknown trigger kind `{other}`"),
                    suggest::help(other, "kinds", KINDS),
                );
                None
            }
        }?;
        Some(TriggerAttr { line, kind_name, kind })
    }
}

fn parse_sqs(cx: &Ctxt, first: &Meta, rest: &[Meta]) -> Option<TriggerKind> {
    let queue = match first {
        Meta::Path(_) => None,
        _ => Some(singleton_path(cx, first, "sqs = my_queue")?),
    };
    let (mut batch, mut window, mut fifo) = (None, None, false);
    let mut seen = Seen::default();
    let mut batch_name: Option<Ident> = None;
    for meta in rest {
        let Some(name) = meta_name(cx, meta) else { continue };
        if SQS_OPTIONS.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
            continue;
        }
        match name.to_string().as_str() {
            "batch" => {
                batch = int_in(cx, meta, SQS_BATCH, "messages");
                batch_name = Some(name);
            }
            "window" => window = int_in(cx, meta, SQS_WINDOW_S, "seconds"),
            "fifo" => fifo = fifo_flag(cx, meta, queue.is_some()),
            _ => unknown_option(cx, &name, "trigger(sqs)", SQS_OPTIONS),
        }
    }
    if fifo {
        if let Some(name) = batch_name.as_ref().filter(|_| batch.is_some_and(|b| b > 10)) {
            cx.error_with_help(name, "a FIFO queue delivers at most 10 messages per batch", "lower `batch` to 10");
        }
        if let (Some(_), Some(meta)) = (window, rest.iter().find(|m| m.path().is_ident("window"))) {
            cx.error_with_help(meta, "a FIFO queue's mapping takes no batching window", "remove `window`");
        }
        return Some(TriggerKind::Sqs { queue, batch, window, fifo });
    }
    if let (Some(size), Some(name)) = (batch, &batch_name) {
        if size > 10 && window.unwrap_or(0) == 0 {
            cx.error_with_help(
                name,
                format_args!("an SQS batch of more than 10 messages needs a batching window"),
                "add `window = 1` (seconds, up to 300) or lower `batch` to 10",
            );
        }
    }
    Some(TriggerKind::Sqs { queue, batch, window, fifo })
}

/// `fifo`: a flag, and only for the action's own queue (a shared queue is
/// FIFO when its singleton says `Queue<T, Fifo>`).
fn fifo_flag(cx: &Ctxt, meta: &Meta, shared: bool) -> bool {
    if !matches!(meta, Meta::Path(_)) {
        cx.error_with_help(meta, "`fifo` is a flag", "write `#[trigger(sqs, fifo)]`");
        return false;
    }
    if shared {
        cx.error_with_help(
            meta,
            "`fifo` applies to the action's own queue",
            "declare the shared queue `Queue<T, Fifo>` instead, and remove `fifo`",
        );
        return false;
    }
    true
}

fn parse_stream(cx: &Ctxt, first: &Meta, rest: &[Meta], table: bool) -> Option<TriggerKind> {
    let (kind, example, known) = if table {
        ("dynamodb", "dynamodb = my_table", DYNAMODB_OPTIONS)
    } else {
        ("kinesis", "kinesis = my_stream", STREAM_OPTIONS)
    };
    let resource = singleton_path(cx, first, example);
    let (mut start, mut batch, mut window, mut retries, mut filter) = (None, None, None, None, None);
    let mut seen = Seen::default();
    for meta in rest {
        let Some(name) = meta_name(cx, meta) else { continue };
        if known.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
            continue;
        }
        match name.to_string().as_str() {
            "start" => start = stream_start(cx, meta),
            "batch" => batch = int_in(cx, meta, STREAM_BATCH, "records"),
            "window" => window = int_in(cx, meta, SQS_WINDOW_S, "seconds"),
            "retries" => retries = int_in(cx, meta, STREAM_RETRIES, "retries"),
            "filter" if table => filter = filter_pattern(cx, meta),
            _ => unknown_option(cx, &name, &format!("trigger({kind})"), known),
        }
    }
    Some(TriggerKind::Stream { resource: resource?, table, start, batch, window, retries, filter })
}

/// `start = latest` or `start = trim_horizon`.
fn stream_start(cx: &Ctxt, meta: &Meta) -> Option<Ident> {
    let value = value_of(cx, meta, "start = trim_horizon")?;
    let ident = match value {
        syn::Expr::Path(path) => path.path.get_ident().cloned(),
        _ => None,
    };
    match ident {
        Some(ident) if STREAM_STARTS.contains(&ident.to_string().as_str()) => Some(ident),
        _ => {
            let text = quote::quote!(#value).to_string();
            cx.error_with_help(
                value,
                format_args!("unknown start position `{text}`"),
                suggest::help(&text, "positions", STREAM_STARTS),
            );
            None
        }
    }
}

/// `filter = r#"{"eventName": ["INSERT"]}"#`: an event filter pattern, which
/// must be a JSON object.
fn filter_pattern(cx: &Ctxt, meta: &Meta) -> Option<LitStr> {
    let example = "filter = r#\"{\"eventName\": [\"INSERT\"]}\"#";
    let pattern = string(cx, meta, example)?;
    match serde_json::from_str::<serde_json::Value>(&pattern.value()) {
        Ok(serde_json::Value::Object(_)) => Some(pattern),
        Ok(_) => {
            cx.error_with_help(&pattern, "a filter pattern is a JSON object", "write `{\"eventName\": [\"INSERT\"]}`");
            None
        }
        Err(e) => {
            cx.error_with_help(
                &pattern,
                format_args!("the filter pattern is not JSON: {e}"),
                "write `{\"eventName\": [\"INSERT\"]}`",
            );
            None
        }
    }
}

fn parse_event(cx: &Ctxt, first: &Meta, rest: &[Meta]) -> Option<TriggerKind> {
    let example = r##"event = r#"{"source": ["shop.orders"]}"#"##;
    let pattern = string(cx, first, example).filter(|pattern| event_pattern(cx, pattern));
    let mut bus = None;
    let mut seen = Seen::default();
    for meta in rest {
        let Some(name) = meta_name(cx, meta) else { continue };
        if EVENT_OPTIONS.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
            continue;
        }
        match name.to_string().as_str() {
            "bus" => bus = singleton_path(cx, meta, "bus = my_bus"),
            _ => unknown_option(cx, &name, "trigger(event)", EVENT_OPTIONS),
        }
    }
    Some(TriggerKind::Event { pattern: pattern?, bus })
}

/// An EventBridge pattern: a JSON object whose fields are lists of values
/// to match, or objects of such fields. Reports where it is not.
fn event_pattern(cx: &Ctxt, pattern: &LitStr) -> bool {
    fn check(fields: &serde_json::Map<String, serde_json::Value>, path: &str) -> Result<(), String> {
        if fields.is_empty() {
            return Err(format!(
                "{} is empty; a pattern matches on at least one field",
                if path.is_empty() { "the pattern" } else { path }
            ));
        }
        for (field, value) in fields {
            let here = if path.is_empty() { format!("`{field}`") } else { format!("{path}.`{field}`") };
            match value {
                serde_json::Value::Array(values) if values.is_empty() => {
                    return Err(format!("{here} is an empty list, which matches nothing"));
                }
                serde_json::Value::Array(_) => {}
                serde_json::Value::Object(inner) => check(inner, &here)?,
                other => return Err(format!("{here} must be a list of values to match: write `[{other}]`")),
            }
        }
        Ok(())
    }
    let help = r#"write `{"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}`"#;
    match serde_json::from_str::<serde_json::Value>(&pattern.value()) {
        Ok(serde_json::Value::Object(fields)) => match check(&fields, "") {
            Ok(()) => true,
            Err(problem) => {
                cx.error_with_help(pattern, format_args!("this event pattern will not match: {problem}"), help);
                false
            }
        },
        Ok(_) => {
            cx.error_with_help(pattern, "an event pattern is a JSON object", help);
            false
        }
        Err(e) => {
            cx.error_with_help(pattern, format_args!("the event pattern is not JSON: {e}"), help);
            false
        }
    }
}

fn parse_s3(cx: &Ctxt, first: &Meta, rest: &[Meta]) -> Option<TriggerKind> {
    let bucket = singleton_path(cx, first, "s3 = my_bucket");
    let (mut events, mut prefix, mut suffix) = (Vec::new(), None, None);
    let mut seen = Seen::default();
    for meta in rest {
        let Some(name) = meta_name(cx, meta) else { continue };
        if S3_OPTIONS.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
            continue;
        }
        match name.to_string().as_str() {
            "events" => events = s3_events(cx, meta),
            "prefix" => prefix = key_filter(cx, meta, "prefix = \"incoming/\""),
            "suffix" => suffix = key_filter(cx, meta, "suffix = \".csv\""),
            _ => unknown_option(cx, &name, "trigger(s3)", S3_OPTIONS),
        }
    }
    Some(TriggerKind::S3 { bucket: bucket?, events, prefix, suffix })
}

/// `events = [created, removed]`: known names, each once, read as the
/// `ObjectEvent` variants they stand for (spanned on the name).
fn s3_events(cx: &Ctxt, meta: &Meta) -> Vec<Ident> {
    let example = "events = [created, removed]";
    let Some(value) = value_of(cx, meta, example) else { return Vec::new() };
    let syn::Expr::Array(array) = value else {
        cx.error_with_help(value, "`events` takes a list of event names", format_args!("write `{example}`"));
        return Vec::new();
    };
    let names: Vec<&str> = S3_EVENTS.iter().map(|(name, _)| *name).collect();
    let mut events: Vec<Ident> = Vec::new();
    for element in &array.elems {
        let ident = match element {
            syn::Expr::Path(path) => path.path.get_ident().cloned(),
            _ => None,
        };
        let Some(ident) = ident else {
            cx.error_with_help(element, "expected an event name", suggest::help("", "events", &names));
            continue;
        };
        let text = ident.to_string();
        match S3_EVENTS.iter().find(|(name, _)| *name == text) {
            None => cx.error_with_help(
                &ident,
                format_args!("unknown S3 event `{text}`"),
                suggest::help(&text, "events", &names),
            ),
            Some((_, variant)) => {
                let variant = Ident::new(variant, ident.span());
                if events.contains(&variant) {
                    cx.error_with_help(&ident, format_args!("`{text}` is listed twice"), "keep one of them");
                } else {
                    events.push(variant);
                }
            }
        }
    }
    if array.elems.is_empty() {
        cx.error_with_help(array, "`events` is empty", "list at least one event, or remove `events` for `created`");
    }
    events
}

/// A key prefix or suffix: non-empty, at most S3's 1,024 bytes.
fn key_filter(cx: &Ctxt, meta: &Meta, example: &str) -> Option<LitStr> {
    let value = string(cx, meta, example)?;
    let length = value.value().len();
    if length == 0 || length > 1024 {
        cx.error_with_help(&value, "a key filter is 1 to 1024 bytes", format_args!("write `{example}`, or remove it"));
        return None;
    }
    Some(value)
}

fn no_options(cx: &Ctxt, rest: &[Meta], kind: &str) {
    for meta in rest {
        if let Some(name) = meta_name(cx, meta) {
            cx.error_with_help(
                &name,
                format_args!("`{kind}` triggers take no option `{name}`"),
                format_args!("remove `{name}`"),
            );
        }
    }
}
