//! `#[api(METHOD "/path")]` and `#[api(METHOD "/path", auth = pool)]`: one
//! route on the app's HTTP API.

use super::{meta_name, parse_metas, singleton_path, unknown_option, Line, Seen};
use crate::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};
use wirestack_aws::path;
use wirestack_aws::suggest;
use wirestack_aws::trigger::api::METHODS;

const OPTIONS: &[&str] = &["auth"];

/// One route: method and path as written, both checked; `auth` names the
/// `UserPool` whose signed-in users may call it.
pub struct RouteAttr {
    pub line: Line,
    pub method: Ident,
    pub path: LitStr,
    pub auth: Option<syn::Path>,
}

impl RouteAttr {
    pub fn parse(cx: &Ctxt, span: Span, tokens: TokenStream) -> Option<RouteAttr> {
        let parser = |input: ParseStream| {
            let method: Ident = input.parse()?;
            let path: LitStr = input.parse()?;
            if input.peek(Token![,]) {
                let _: Token![,] = input.parse()?;
            }
            Ok((method, path, input.parse::<TokenStream>()?))
        };
        let (method, path, options) = match parser.parse2(tokens) {
            Ok(parsed) => parsed,
            Err(e) => {
                cx.error_with_help(
                    quote::quote_spanned!(e.span()=> api),
                    e,
                    "write `#[api(GET \"/orders/{id}\")]`: a method, then the path as a string",
                );
                return None;
            }
        };
        let mut ok = true;
        let text = method.to_string();
        if !METHODS.contains(&text.as_str()) {
            ok = false;
            let help = if METHODS.contains(&text.to_ascii_uppercase().as_str()) {
                format!("methods are upper case: `{}`", text.to_ascii_uppercase())
            } else {
                suggest::help(&text, "methods", METHODS)
            };
            cx.error_with_help(&method, format_args!("unknown HTTP method `{method}`"), help);
        }
        if let Err((message, help)) = path::parse(&path.value()) {
            ok = false;
            cx.error_with_help(&path, message, help);
        }
        let mut auth = None;
        let mut seen = Seen::default();
        for meta in parse_metas(cx, options) {
            let Some(name) = meta_name(cx, &meta) else { continue };
            if OPTIONS.contains(&name.to_string().as_str()) && !seen.first(cx, &name) {
                continue;
            }
            match name.to_string().as_str() {
                "auth" => auth = singleton_path(cx, &meta, "auth = my_user_pool"),
                "cors" => {
                    ok = false;
                    cx.error_with_help(
                        &name,
                        "`cors` is not supported by this version of `#[api]`",
                        "remove it, and answer CORS preflights with an `OPTIONS` route",
                    );
                }
                _ => {
                    ok = false;
                    unknown_option(cx, &name, "api", OPTIONS);
                }
            }
        }
        ok.then_some(RouteAttr { line: Line::of(span), method, path, auth })
    }
}
