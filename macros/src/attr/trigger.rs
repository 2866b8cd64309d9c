//! `#[trigger(sqs)]`, `#[trigger(sqs = q, batch = .., window = ..)]`,
//! `#[trigger(sns = t)]`, `#[trigger(schedule = "rate(..)" | "cron(..)")]`.

use super::{int_in, meta_name, parse_metas, singleton_path, string, unknown_option, Line, Seen};
use crate::check::schedule;
use crate::ctxt::Ctxt;
use crate::suggest;
use proc_macro2::{Span, TokenStream};
use syn::{Ident, LitStr, Meta, Path};

/// Kinds this version wires, and kinds the design names for later versions.
const KINDS: &[&str] = &["sqs", "sns", "schedule"];
const PLANNED_KINDS: &[&str] = &["s3", "dynamodb", "kinesis", "event"];
const SQS_OPTIONS: &[&str] = &["batch", "window"];

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
    Sqs {
        queue: Option<Path>,
        batch: Option<u32>,
        window: Option<u32>,
    },
    Sns {
        topic: Path,
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
            "schedule" => {
                let example = "schedule = \"rate(5 minutes)\"";
                let expression = string(cx, &first, example).filter(|e| schedule::check(cx, e));
                no_options(cx, &rest, "schedule");
                Some(TriggerKind::Schedule { expression: expression? })
            }
            planned if PLANNED_KINDS.contains(&planned) => {
                cx.error_with_help(
                    &kind_name,
                    format_args!("`{planned}` triggers are not supported by this version of wirestack"),
                    "use `sqs`, `sns` or `schedule`, or a `Raw` resource for now",
                );
                None
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
    let (mut batch, mut window) = (None, None);
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
            _ => unknown_option(cx, &name, "trigger(sqs)", SQS_OPTIONS),
        }
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
    Some(TriggerKind::Sqs { queue, batch, window })
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
