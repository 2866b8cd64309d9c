//! `#[trigger(kind = target, option = value, ..)]`, read against the kind's
//! table in `wirestack_aws::trigger`: the macro knows no kind by name, only
//! the shapes options take.

use super::{int_in, meta_name, parse_metas, singleton_path, string, unknown_option, value_of, Line, Seen};
use crate::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream};
use syn::{Expr, Ident, LitStr, Meta, Path};
use wirestack_aws::option::{Declaration, Setting, Shape};
use wirestack_aws::suggest;
use wirestack_aws::trigger::{Kind, KINDS};

/// One `#[trigger(..)]` attribute, every value checked.
pub struct TriggerAttr {
    pub line: Line,
    /// The kind's name as written (`sqs`), for errors about the whole trigger.
    pub kind_name: Ident,
    pub kind: &'static Kind,
    /// What follows `kind =`, if anything.
    pub target: Option<Value>,
    pub options: Vec<(Ident, Value)>,
}

/// An option's value, with the user's tokens for spans.
pub enum Value {
    Int(u32),
    Flag,
    Name(Ident),
    Names(Vec<Ident>),
    Text(LitStr),
    Singleton(Path),
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
        let kind = match Kind::named(&kind_name.to_string()) {
            Some(kind) => kind,
            None => {
                let names: Vec<&str> = KINDS.iter().map(|kind| kind.name).collect();
                let text = kind_name.to_string();
                cx.error_with_help(
                    &kind_name,
                    format_args!("unknown trigger kind `{text}`"),
                    suggest::help(&text, "kinds", &names),
                );
                // Read on as the kind the user most likely meant, so the
                // action's type keeps what that kind gives it (the queue of
                // `#[trigger(sqss)]`) and this stays the only error; nothing
                // is registered beside an error.
                // Its own mistakes, if any, are not reported: the kind is.
                let meant = suggest::closest(&text, &names).and_then(Kind::named)?;
                let unheard = Ctxt::default();
                let attr = TriggerAttr::parse_as(&unheard, line, kind_name, meant, &first, metas.collect());
                let _ = unheard.finish();
                return attr;
            }
        };
        TriggerAttr::parse_as(cx, line, kind_name, kind, &first, metas.collect())
    }

    fn parse_as(
        cx: &Ctxt,
        line: Line,
        kind_name: Ident,
        kind: &'static Kind,
        first: &Meta,
        metas: Vec<Meta>,
    ) -> Option<TriggerAttr> {
        let target = match first {
            Meta::Path(_) if kind.target.optional => None,
            _ => Some(value(cx, first, &kind.target.shape, kind.target.example)),
        };
        let mut options = Vec::new();
        let mut seen = Seen::default();
        let mut complete = !matches!(target, Some(None));
        for meta in metas {
            let Some(name) = meta_name(cx, &meta) else { continue };
            let Some(option) = kind.option(&name.to_string()) else {
                complete = false;
                if kind.options.is_empty() {
                    cx.error_with_help(
                        &name,
                        format_args!("`{}` triggers take no option `{name}`", kind.name),
                        format_args!("remove `{name}`"),
                    );
                } else {
                    unknown_option(cx, &name, &format!("trigger({})", kind.name), &kind.option_names());
                }
                continue;
            };
            if !seen.first(cx, &name) {
                continue;
            }
            match value(cx, &meta, &option.shape, option.example) {
                Some(value) => options.push((name, value)),
                None => complete = false,
            }
        }
        // A target that does not parse was reported; the options were read
        // for their own mistakes.
        let target = match target {
            Some(None) => return None,
            Some(value) => value,
            None => None,
        };
        let attr = TriggerAttr { line, kind_name, kind, target, options };
        // The rules between options hold only between valid values.
        if complete {
            attr.check_rules(cx);
        }
        Some(attr)
    }

    /// Reports what the kind's rules between options refuse, each on the
    /// option that breaks it.
    fn check_rules(&self, cx: &Ctxt) {
        let names: Vec<String> = self.options.iter().map(|(name, _)| name.to_string()).collect();
        let texts: Vec<Vec<String>> = self.options.iter().map(|(_, value)| value.texts()).collect();
        let lists: Vec<Vec<&str>> = texts.iter().map(|texts| texts.iter().map(String::as_str).collect()).collect();
        let options: Vec<(&str, Setting<'_>)> = (self.options.iter().zip(&names).zip(&lists))
            .map(|(((_, value), name), list)| (name.as_str(), value.setting(list)))
            .collect();
        let target_texts = self.target.as_ref().map(Value::texts).unwrap_or_default();
        let target_list: Vec<&str> = target_texts.iter().map(String::as_str).collect();
        let target = self.target.as_ref().map(|value| value.setting(&target_list));
        let declaration = Declaration { kind: self.kind.name, target, options: &options };
        for issue in (self.kind.check)(&declaration) {
            let (message, help) = &issue.mistake;
            let token = issue
                .option
                .and_then(|option| self.options.iter().find(|(name, _)| name == option))
                .map_or(&self.kind_name, |(name, _)| name);
            cx.error_with_help(token, message, help);
        }
    }

    /// The value of option `name`, if given.
    pub fn option(&self, name: &str) -> Option<&Value> {
        self.options.iter().find(|(option, _)| option == name).map(|(_, value)| value)
    }

    /// The singleton the target names, if it is one.
    pub fn target_singleton(&self) -> Option<&Path> {
        match &self.target {
            Some(Value::Singleton(path)) => Some(path),
            _ => None,
        }
    }
}

impl Value {
    /// The words of its text: one for a name, text or singleton, each name
    /// of a list, none for a number or flag.
    pub fn texts(&self) -> Vec<String> {
        match self {
            Value::Int(_) | Value::Flag => Vec::new(),
            Value::Name(name) => vec![name.to_string()],
            Value::Names(names) => names.iter().map(ToString::to_string).collect(),
            Value::Text(text) => vec![text.value()],
            Value::Singleton(path) => vec![singleton_name(path)],
        }
    }

    /// The value as a setting over `texts`, which are its [`Value::texts`].
    fn setting<'a>(&self, texts: &'a [&'a str]) -> Setting<'a> {
        match self {
            Value::Int(n) => Setting::Int(*n),
            Value::Flag => Setting::Flag,
            Value::Name(_) => Setting::Name(texts[0]),
            Value::Names(_) => Setting::Names(texts),
            Value::Text(_) => Setting::Text(texts[0]),
            Value::Singleton(_) => Setting::Singleton(texts[0]),
        }
    }
}

/// The singleton a path refers to: its last segment.
pub fn singleton_name(path: &Path) -> String {
    path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

/// Reads and checks one option's value against its shape.
fn value(cx: &Ctxt, meta: &Meta, shape: &Shape, example: &str) -> Option<Value> {
    match shape {
        Shape::Int { range, unit } => int_in(cx, meta, range.clone(), unit).map(Value::Int),
        Shape::Flag => match meta {
            Meta::Path(_) => Some(Value::Flag),
            _ => {
                let name = meta.path().get_ident().map(ToString::to_string).unwrap_or_default();
                cx.error_with_help(meta, format_args!("`{name}` is a flag"), format_args!("write `{example}` alone"));
                None
            }
        },
        Shape::Choice { names, what, plural } => {
            let value = value_of(cx, meta, example)?;
            match ident(value) {
                Some(ident) if names.contains(&ident.to_string().as_str()) => Some(Value::Name(ident)),
                _ => {
                    let text = quote::quote!(#value).to_string();
                    cx.error_with_help(
                        value,
                        format_args!("unknown {what} `{text}`"),
                        suggest::help(&text, plural, names),
                    );
                    None
                }
            }
        }
        Shape::Names { names, what, plural } => names_value(cx, meta, names, what, plural, example),
        Shape::Text { grammar } => {
            let text = string(cx, meta, example)?;
            match grammar(&text.value()) {
                Ok(()) => Some(Value::Text(text)),
                Err((message, help)) => {
                    cx.error_with_help(&text, message, help);
                    None
                }
            }
        }
        Shape::Singleton => singleton_path(cx, meta, example).map(Value::Singleton),
    }
}

fn ident(value: &Expr) -> Option<Ident> {
    match value {
        Expr::Path(path) => path.path.get_ident().cloned(),
        _ => None,
    }
}

/// `events = [created, removed]`: known names, each once.
fn names_value(cx: &Ctxt, meta: &Meta, known: &[&str], what: &str, plural: &str, example: &str) -> Option<Value> {
    let value = value_of(cx, meta, example)?;
    let Expr::Array(array) = value else {
        let name = meta.path().get_ident().map(ToString::to_string).unwrap_or_default();
        cx.error_with_help(value, format_args!("`{name}` takes a list of {plural}"), format_args!("write `{example}`"));
        return None;
    };
    let mut names: Vec<Ident> = Vec::new();
    let mut ok = true;
    for element in &array.elems {
        let Some(name) = ident(element) else {
            ok = false;
            cx.error_with_help(
                element,
                format_args!("expected {} name", article(what)),
                suggest::help("", plural, known),
            );
            continue;
        };
        let text = name.to_string();
        if !known.contains(&text.as_str()) {
            ok = false;
            cx.error_with_help(&name, format_args!("unknown {what} `{text}`"), suggest::help(&text, plural, known));
        } else if names.contains(&name) {
            ok = false;
            cx.error_with_help(&name, format_args!("`{text}` is listed twice"), "keep one of them");
        } else {
            names.push(name);
        }
    }
    if array.elems.is_empty() {
        let name = meta.path().get_ident().map(ToString::to_string).unwrap_or_default();
        cx.error_with_help(
            array,
            format_args!("`{name}` is empty"),
            format_args!("list at least one, or remove `{name}`"),
        );
        return None;
    }
    ok.then_some(Value::Names(names))
}

fn article(what: &str) -> String {
    let vowel = what.starts_with(|c: char| "aeiouAEIOU".contains(c));
    format!("{} {what}", if vowel { "an" } else { "a" })
}
