//! `#[action(memory = .., timeout = .., reserved_concurrency = .., env(..), name = "..", layers = [..])]`

use super::{int_in, meta_name, parse_metas, string, unknown_option, value_of, Seen};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use syn::{Ident, LitStr, Meta};
use wirestack_aws::lambda::{ACTION_OPTIONS, MAX_FUNCTION_NAME_LEN, MAX_LAYERS, RESERVED_ENV};
use wirestack_aws::option::Shape;

const OPTIONS: &[&str] = &["memory", "timeout", "reserved_concurrency", "env", "name", "layers"];
/// The function settings of one action; `None` means the runtime's default.
#[derive(Default)]
pub struct ActionAttr {
    pub memory_mb: Option<u32>,
    pub timeout_s: Option<u32>,
    pub reserved_concurrency: Option<u32>,
    pub env: Vec<(Ident, LitStr)>,
    pub name: Option<LitStr>,
    /// `Layer` singletons, in the order Lambda stacks them.
    pub layers: Vec<syn::Path>,
}

impl ActionAttr {
    pub fn parse(cx: &Ctxt, tokens: TokenStream) -> ActionAttr {
        let mut attr = ActionAttr::default();
        let mut seen = Seen::default();
        for meta in parse_metas(cx, tokens) {
            let Some(name) = meta_name(cx, &meta) else { continue };
            if OPTIONS.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
                continue;
            }
            match name.to_string().as_str() {
                "memory" => attr.memory_mb = bounded(cx, &meta, "memory"),
                "timeout" => attr.timeout_s = bounded(cx, &meta, "timeout"),
                "reserved_concurrency" => attr.reserved_concurrency = bounded(cx, &meta, "reserved_concurrency"),
                "env" => attr.env = parse_env(cx, &meta),
                "name" => attr.name = string(cx, &meta, "name = \"checkout\"").filter(|n| check_name(cx, n)),
                "layers" => attr.layers = parse_layers(cx, &meta),
                _ => unknown_option(cx, &name, "action", OPTIONS),
            }
        }
        attr
    }
}

/// A whole-number option, within the bounds `ACTION_OPTIONS` gives it (the
/// table README's is held to).
fn bounded(cx: &Ctxt, meta: &Meta, name: &str) -> Option<u32> {
    let option = ACTION_OPTIONS.iter().find(|option| option.name == name).expect("a whole-number option of the table");
    let Shape::Int { range, unit } = &option.shape else { unreachable!("`{name}` is a whole number") };
    int_in(cx, meta, range.clone(), unit)
}

/// `layers = [fonts, tools]`: at most five, each once.
fn parse_layers(cx: &Ctxt, meta: &Meta) -> Vec<syn::Path> {
    let example = "layers = [fonts, tools]";
    let Some(value) = value_of(cx, meta, example) else { return Vec::new() };
    let syn::Expr::Array(array) = value else {
        cx.error_with_help(value, "`layers` takes a list of `Layer` singletons", format_args!("write `{example}`"));
        return Vec::new();
    };
    let mut layers: Vec<syn::Path> = Vec::new();
    for element in &array.elems {
        match element {
            syn::Expr::Path(path) if path.qself.is_none() => {
                // The singleton is named by its last segment (as in every trigger).
                let name = |path: &syn::Path| path.segments.last().map(|segment| segment.ident.clone());
                if layers.iter().any(|layer| name(layer) == name(&path.path)) {
                    cx.error_with_help(path, "this layer is listed twice", "keep one of them");
                } else {
                    layers.push(path.path.clone());
                }
            }
            other => {
                cx.error_with_help(other, "expected the name of a `Layer` singleton", format_args!("write `{example}`"))
            }
        }
    }
    if layers.len() > MAX_LAYERS {
        cx.error_with_help(
            array,
            format_args!("{} layers; Lambda attaches at most {MAX_LAYERS}", layers.len()),
            "merge some of them",
        );
    }
    layers
}

/// `env(KEY = "value", ..)`.
fn parse_env(cx: &Ctxt, meta: &Meta) -> Vec<(Ident, LitStr)> {
    let Meta::List(list) = meta else {
        cx.error_with_help(meta, "`env` takes a list", "write `env(KEY = \"value\", OTHER = \"value\")`");
        return Vec::new();
    };
    let mut seen = Seen::default();
    let mut vars = Vec::new();
    for var in parse_metas(cx, list.tokens.clone()) {
        let Some(key) = meta_name(cx, &var) else { continue };
        let Some(value) = string(cx, &var, &format!("{key} = \"value\"")) else { continue };
        let text = key.to_string();
        if RESERVED_ENV.contains(&text.as_str()) || text.starts_with("WIRESTACK_") {
            cx.error_with_help(
                &key,
                format_args!("`{key}` is reserved: Lambda or wirestack sets it"),
                "choose another name for this variable",
            );
        } else if seen.first(cx, &key) {
            vars.push((key, value));
        }
    }
    vars
}

/// An action name becomes part of a Lambda function name: letters, digits,
/// `-` and `_`, at most 64 characters.
fn check_name(cx: &Ctxt, name: &LitStr) -> bool {
    let value = name.value();
    let valid = !value.is_empty()
        && value.len() <= MAX_FUNCTION_NAME_LEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        cx.error_with_help(
            name,
            format_args!("`{value}` cannot name an action"),
            "use 1 to 64 letters, digits, `-` or `_`",
        );
    }
    valid
}
