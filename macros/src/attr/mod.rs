//! The wirestack attributes as plain structs: each `parse` knows only syntax,
//! each `check` knows the rules. Nothing here emits code.

pub mod action;
pub mod route;
pub mod trigger;

use crate::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Ident, Lit, LitStr, Meta, Token};
use wirestack_aws::suggest;

/// A source position, taken from the user's token, for synth-time messages.
#[derive(Clone, Copy)]
pub struct Line {
    pub line: usize,
    pub column: usize,
}

impl Line {
    pub fn of(span: Span) -> Line {
        let start = span.start();
        Line { line: start.line, column: start.column + 1 }
    }
}

/// `key = value, flag, list(..)` as `syn::Meta`s, reporting a parse error.
pub fn parse_metas(cx: &Ctxt, tokens: TokenStream) -> Vec<Meta> {
    match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(metas) => metas.into_iter().collect(),
        Err(e) => {
            cx.syn_error(e);
            Vec::new()
        }
    }
}

/// The single-identifier name of an option (`memory` in `memory = 512`).
pub fn meta_name(cx: &Ctxt, meta: &Meta) -> Option<Ident> {
    let ident = meta.path().get_ident().cloned();
    if ident.is_none() {
        cx.error_at(meta.path(), "expected an option name such as `memory`, not a path");
    }
    ident
}

/// Options seen so far in one attribute, to reject `memory = 1, memory = 2`.
#[derive(Default)]
pub struct Seen(BTreeMap<String, Span>);

impl Seen {
    /// Returns false (and reports) when `name` was already given.
    pub fn first(&mut self, cx: &Ctxt, name: &Ident) -> bool {
        if self.0.insert(name.to_string(), name.span()).is_some() {
            cx.error_with_help(name, format_args!("`{name}` is given twice"), "keep one of them");
            return false;
        }
        true
    }
}

/// Reports an unknown option with the nearest known one.
pub fn unknown_option(cx: &Ctxt, name: &Ident, attribute: &str, known: &[&str]) {
    cx.error_with_help(
        name,
        format_args!("unknown option `{name}` in `#[{attribute}]`"),
        suggest::help(&name.to_string(), "options", known),
    );
}

/// The value of `name = value`, reporting a flag or list form.
pub fn value_of<'m>(cx: &Ctxt, meta: &'m Meta, example: &str) -> Option<&'m Expr> {
    match meta {
        Meta::NameValue(nv) => Some(&nv.value),
        _ => {
            cx.error_with_help(meta, "this option takes a value", format_args!("write `{example}`"));
            None
        }
    }
}

/// An integer literal within `range`, with `unit` used in the message.
pub fn int_in(cx: &Ctxt, meta: &Meta, range: RangeInclusive<u32>, unit: &str) -> Option<u32> {
    let name = meta.path().get_ident().map(ToString::to_string).unwrap_or_default();
    let example = format!("{name} = {}", range.start());
    let value = value_of(cx, meta, &example)?;
    let Expr::Lit(ExprLit { lit: Lit::Int(lit), .. }) = value else {
        cx.error_with_help(
            value,
            format_args!("`{name}` takes a whole number of {unit}"),
            format_args!("write `{example}`"),
        );
        return None;
    };
    match lit.base10_parse::<u32>().ok() {
        Some(n) if range.contains(&n) => Some(n),
        _ => {
            cx.error_with_help(
                lit,
                format_args!("`{name}` must be between {} and {} {unit}", range.start(), range.end()),
                format_args!("use a value from {} to {}", range.start(), range.end()),
            );
            None
        }
    }
}

/// A string literal value.
pub fn string(cx: &Ctxt, meta: &Meta, example: &str) -> Option<LitStr> {
    let value = value_of(cx, meta, example)?;
    match value {
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s.clone()),
        other => {
            cx.error_with_help(other, "expected a string literal", format_args!("write `{example}`"));
            None
        }
    }
}

/// A path value naming a singleton (`sqs = orders`).
pub fn singleton_path(cx: &Ctxt, meta: &Meta, example: &str) -> Option<syn::Path> {
    let value = value_of(cx, meta, example)?;
    match value {
        Expr::Path(p) if p.qself.is_none() => Some(p.path.clone()),
        other => {
            cx.error_with_help(
                other,
                "expected the name of a `#[singleton]`",
                format_args!("write `{example}`, where the name is a `#[singleton]` fn"),
            );
            None
        }
    }
}
