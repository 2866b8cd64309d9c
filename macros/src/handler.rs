//! `#[action]`, `#[trigger]` and `#[api]` on one handler fn.
//!
//! The first of these attributes to expand takes all its siblings off the fn,
//! so the handler is parsed, checked and registered once, whatever the order
//! the attributes are written in.

use crate::attr::action::ActionAttr;
use crate::attr::route::RouteAttr;
use crate::attr::trigger::{singleton_name, TriggerAttr, Value};
use crate::attr::Line;
use crate::ctxt::Ctxt;
use crate::signature::{self, Dispatch, Param};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, Ident, ItemFn, Meta};
use wirestack_aws::option::Shape;
use wirestack_aws::trigger::Delivers;

/// Which wirestack attribute a handler attribute is.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Action,
    Trigger,
    Api,
}

impl Kind {
    fn of(attr: &Attribute) -> Option<Kind> {
        let path = attr.path();
        let last = path.segments.last()?.ident.to_string();
        let ours = path.segments.len() == 1 || (path.segments.len() == 2 && path.segments[0].ident == "wirestack");
        match last.as_str() {
            "action" if ours => Some(Kind::Action),
            "trigger" if ours => Some(Kind::Trigger),
            "api" if ours => Some(Kind::Api),
            _ => None,
        }
    }
}

/// Everything the attributes on one fn say, checked.
struct Handler {
    function: ItemFn,
    params: Vec<Param>,
    dispatch: Option<Dispatch>,
    action: ActionAttr,
    action_line: Line,
    triggers: Vec<TriggerAttr>,
    routes: Vec<RouteAttr>,
}

/// Entry point shared by the three handler attributes.
pub fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "wirestack handler attributes go on an `async fn`\nhelp: write `async fn handler(..) -> Result<.., Error> { .. }`",
            );
            let error = error.to_compile_error();
            return quote!(#error #item);
        }
    };
    let cx = Ctxt::default();
    let handler = parse(&cx, kind, args, function);
    // A method cannot have a type beside it (the impl block would reject the
    // struct); its one error is the one `check_signature` reports.
    let type_item = if is_method(&handler.function) { TokenStream::new() } else { same_named_type(&handler.function) };
    let function = &handler.function;
    let name = action_name(&handler);
    // The traits behind the name are implemented from what did parse, even
    // beside an error, so `Sender<notify>` elsewhere in the crate still
    // compiles and one mistake is one error (thiserror's fallback).
    let impls =
        |complete| if type_item.is_empty() { TokenStream::new() } else { name_impls(&handler, &name, complete) };
    match cx.finish() {
        Ok(()) => {
            let (impls, registration) = (impls(true), register(&handler, &name));
            quote! { #function #type_item #impls #registration }
        }
        Err(errors) => {
            let impls = impls(false);
            quote! { #errors #function #type_item #impls }
        }
    }
}

/// The action's name: `#[action(name = "..")]`, or the fn's.
fn action_name(handler: &Handler) -> String {
    match &handler.action.name {
        Some(name) => name.value(),
        None => handler.function.sig.ident.to_string(),
    }
}

/// What the action's type stands for in type position: an action, the
/// singleton of its own queue, a target of `Invoke`. Beside an error
/// (`complete` false) an attribute may be missing, so `Invocable` is
/// implemented only where it cannot add an error of its own: for a fn that
/// visibly returns a `Result`.
fn name_impls(handler: &Handler, name: &str, complete: bool) -> TokenStream {
    let ident = &handler.function.sig.ident;
    let owned_queue = owned_queue(handler, name);
    let returns_result = match &handler.function.sig.output {
        syn::ReturnType::Type(_, ty) => signature::last_segment(ty).as_deref() == Some("Result"),
        syn::ReturnType::Default => false,
    };
    let invocable = if complete || returns_result { invocable(handler) } else { TokenStream::new() };
    quote! {
        impl ::wirestack::__private::ActionName for #ident {
            const NAME: &'static str = #name;
        }
        #owned_queue
        #invocable
    }
}

fn parse(cx: &Ctxt, kind: Kind, args: TokenStream, mut function: ItemFn) -> Handler {
    let mut handler_attrs = vec![(kind, Span::call_site(), args)];
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut function.attrs) {
        match Kind::of(&attr) {
            Some(kind) => {
                let tokens = match &attr.meta {
                    Meta::List(list) => list.tokens.clone(),
                    _ => TokenStream::new(),
                };
                handler_attrs.push((kind, attr.path().span(), tokens));
            }
            None => kept.push(attr),
        }
    }
    function.attrs = kept;

    let mut action = None;
    let mut action_line = Line::of(Span::call_site());
    let mut triggers = Vec::new();
    let mut routes = Vec::new();
    for (kind, span, tokens) in handler_attrs {
        match kind {
            Kind::Action if action.is_some() => cx.error_with_help(
                quote_spanned!(span=> action),
                "`#[action]` is given twice",
                "merge the settings into one `#[action(..)]`",
            ),
            Kind::Action => {
                action = Some(ActionAttr::parse(cx, tokens));
                action_line = Line::of(span);
            }
            Kind::Trigger => triggers.extend(TriggerAttr::parse(cx, span, tokens)),
            Kind::Api => routes.extend(RouteAttr::parse(cx, span, tokens)),
        }
    }
    check_signature(cx, &function);
    let params = signature::params(&function);
    let dispatch = signature::classify(cx, &function, &params, &triggers, &routes);
    Handler { function, params, dispatch, action: action.unwrap_or_default(), action_line, triggers, routes }
}

/// A handler is a free, non-generic `async fn`: one binary dispatches to it
/// by name, so there is one concrete function per action.
fn check_signature(cx: &Ctxt, function: &ItemFn) {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        cx.error_with_help(
            sig.fn_token,
            format_args!("handler `{}` must be an `async fn`", sig.ident),
            format_args!("write `async fn {}(..)`", sig.ident),
        );
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_with_help(
            &sig.generics,
            format_args!("handler `{}` cannot be generic", sig.ident),
            "name concrete types: one Lambda function runs one concrete handler",
        );
    }
    if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
        cx.error_with_help(
            receiver,
            format_args!("handler `{}` cannot be a method", sig.ident),
            "move it out of the `impl` block into a free `async fn`; pass state as a capability or a static",
        );
    }
    if let Some(abi) = &sig.abi {
        cx.error_with_help(abi, "a handler cannot have an `extern` ABI", "remove it");
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_with_help(unsafety, "a handler cannot be `unsafe`", "remove `unsafe`");
    }
}

fn is_method(function: &ItemFn) -> bool {
    matches!(function.sig.inputs.first(), Some(FnArg::Receiver(_)))
}

/// `struct place_order {}`: the action's name in type position
/// (`Invoke<place_order>`), beside the fn of the same name.
fn same_named_type(function: &ItemFn) -> TokenStream {
    let vis = &function.vis;
    let ident = &function.sig.ident;
    let doc = format!("The `{ident}` action, named in type position (for example `Invoke<{ident}>`).");
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}
    }
}

fn register(handler: &Handler, name: &str) -> TokenStream {
    let at = location(handler.action_line);
    let settings = settings(&handler.action);
    let triggers = handler.triggers.iter().map(trigger);
    let routes = handler.routes.iter().map(route);
    let checks = handler.triggers.iter().map(|t| kind_check(t, handler.dispatch.as_ref()));
    let auth_checks = handler
        .routes
        .iter()
        .filter_map(|route| route.auth.as_ref())
        .map(|pool| quote_spanned!(pool.span()=> ::wirestack::__private::trigger::api::auth::<#pool>();));
    let layer_checks = handler
        .action
        .layers
        .iter()
        .map(|layer| quote_spanned!(layer.span()=> ::wirestack::__private::kinds::layer_source::<#layer>();));
    let http_checks = http_checks(handler);
    let adapt = adapt(handler);
    let capability_uses = handler
        .params
        .iter()
        .filter_map(Param::capability)
        .map(|ty| quote_spanned!(ty.span()=> <#ty as ::wirestack::__private::Capability>::USE));
    // The runtime resolves each capability at cold start, through one fn per
    // capability type; the action compiles no constructor of its own.
    let resolvers = handler
        .params
        .iter()
        .filter_map(Param::capability)
        .map(|ty| quote_spanned!(ty.span()=> ::wirestack::__private::handler::construct::Resolver::of::<#ty>()));
    let private = quote!(::wirestack::__private);
    let ident = &handler.function.sig.ident;
    quote! {
        const _: () = {
            #[allow(dead_code)]
            fn __wirestack_kind_checks() { #(#checks)* #(#auth_checks)* #(#layer_checks)* #http_checks }
            #adapt
            #private::inventory::submit! {
                #private::ActionRegistration {
                    name: #name,
                    rust_path: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                    defined_at: #at,
                    settings: #settings,
                    triggers: &[#(#triggers,)* #(#routes,)*],
                    capabilities: &[#(#capability_uses),*],
                    resolvers: &[#(#resolvers),*],
                    adapt: __wirestack_adapt,
                }
            }
        };
    }
}

fn location(line: Line) -> TokenStream {
    let (line, column) = (line.line as u32, line.column as u32);
    quote!(::wirestack::__private::Location { file: ::core::file!(), line: #line, column: #column })
}

fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn settings(action: &ActionAttr) -> TokenStream {
    let memory = option(action.memory_mb);
    let timeout = option(action.timeout_s);
    let reserved = option(action.reserved_concurrency);
    let env = action.env.iter().map(|(key, value)| {
        let key = key.to_string();
        quote!((#key, #value))
    });
    let layers = action.layers.iter().map(singleton_name);
    quote! {
        ::wirestack::__private::FunctionSettings {
            memory_mb: #memory,
            timeout_s: #timeout,
            reserved_concurrency: #reserved,
            env: &[#(#env),*],
            layers: &[#(#layers),*],
        }
    }
}

/// The trigger as written, for the runtime's kind module to read: its
/// kind's name, its target and its options, each a `Setting`.
fn trigger(attr: &TriggerAttr) -> TokenStream {
    let target = option(attr.target.as_ref().map(setting));
    let options = attr.options.iter().map(|(name, value)| {
        let (name, value) = (name.to_string(), setting(value));
        quote!((#name, #value))
    });
    registration(attr.line, attr.kind.name, target, options.collect())
}

/// A route is a trigger of kind `api`: its path the target, its method and
/// `auth` options.
fn route(attr: &RouteAttr) -> TokenStream {
    let path = &attr.path;
    let setting = quote!(::wirestack::__private::Setting);
    let method = attr.method.to_string();
    let mut options = vec![quote!(("method", #setting::Name(#method)))];
    if let Some(pool) = &attr.auth {
        let pool = singleton_name(pool);
        options.push(quote!(("auth", #setting::Singleton(#pool))));
    }
    let kind = wirestack_aws::trigger::api::KIND.name;
    registration(attr.line, kind, quote!(::core::option::Option::Some(#setting::Text(#path))), options)
}

fn registration(line: Line, kind: &str, target: TokenStream, options: Vec<TokenStream>) -> TokenStream {
    let at = location(line);
    let private = quote!(::wirestack::__private);
    quote! {
        #private::TriggerRegistration {
            declared_at: #at,
            declaration: #private::Declaration { kind: #kind, target: #target, options: &[#(#options),*] },
        }
    }
}

fn setting(value: &Value) -> TokenStream {
    let setting = quote!(::wirestack::__private::Setting);
    let texts = value.texts();
    match value {
        Value::Int(n) => quote!(#setting::Int(#n)),
        Value::Flag => quote!(#setting::Flag),
        Value::Name(_) => quote!(#setting::Name(#(#texts)*)),
        Value::Names(_) => quote!(#setting::Names(&[#(#texts),*])),
        Value::Text(text) => quote!(#setting::Text(#text)),
        Value::Singleton(_) => quote!(#setting::Singleton(#(#texts)*)),
    }
}

/// Trait bounds, spanned on the user's tokens, that each singleton a
/// trigger names is of the kind it needs (and carries the handler's message
/// type): rustc reports the `on_unimplemented` message. Each check is a fn
/// of the kind's runtime module: `source` (or `message_of`) for the target,
/// and one named like each singleton option (`bus`).
fn kind_check(attr: &TriggerAttr, dispatch: Option<&Dispatch>) -> TokenStream {
    // Every token of a check is spanned on the user's, so rustc's error
    // points there.
    let module = |span| Ident::new(attr.kind.name, span);
    let message = match dispatch {
        Some(Dispatch::Each { message, .. } | Dispatch::Batch { message } | Dispatch::Records { message, .. }) => {
            Some(message)
        }
        _ => None,
    };
    let target = attr.target_singleton().map(|path| {
        let module = module(path.span());
        match message {
            Some(message) => quote_spanned! {path.span()=>
                ::wirestack::__private::trigger::#module::message_of::<#path, #message>();
            },
            None => quote_spanned!(path.span()=> ::wirestack::__private::trigger::#module::source::<#path>();),
        }
    });
    let options = attr.options.iter().filter_map(|(name, value)| match value {
        Value::Singleton(path) => {
            let module = module(path.span());
            Some(quote_spanned!(path.span()=> ::wirestack::__private::trigger::#module::#name::<#path>();))
        }
        _ => None,
    });
    quote! { #target #(#options)* }
}

/// The fns that make this action's handler: `__wirestack_adapt` wraps
/// `__wirestack_call` (the user's fn) in the adapter from a Lambda payload
/// to its arguments, once the runtime resolved the capabilities. Spanned on
/// the fn name, so a handler that does not fit (a non-`Send` future, an
/// error that does not convert) is reported there.
fn adapt(handler: &Handler) -> TokenStream {
    let private = quote!(::wirestack::__private);
    let call = call(handler);
    let adapter = adapter(handler);
    quote! {
        #call
        fn __wirestack_adapt(__wirestack_capabilities: #private::handler::Capabilities) -> #private::BoxedHandler {
            #adapter
        }
    }
}

/// The one fn per action that calls the user's fn: its decoded arguments as
/// one tuple, each capability a clone of the one resolved at cold start, its
/// future boxed. Everything generic around it is shared by the actions of
/// the same signature (see the runtime's `Callee`).
fn call(handler: &Handler) -> TokenStream {
    let ident = &handler.function.sig.ident;
    let private = quote!(::wirestack::__private);
    let mut inputs = Vec::new();
    let mut types = Vec::new();
    let mut capabilities = 0_usize;
    let args: Vec<TokenStream> = handler
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Param::Event(ty) => {
                let name = format_ident!("__wirestack_input_{}", i);
                inputs.push(name.clone());
                types.push(ty);
                quote!(#name)
            }
            Param::Capability(_) => {
                let index = capabilities;
                capabilities += 1;
                quote!(__wirestack_capabilities.get(#index))
            }
        })
        .collect();
    let output = match &handler.function.sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => quote!(#ty),
    };
    quote_spanned! {ident.span()=>
        fn __wirestack_call(
            __wirestack_capabilities: &#private::handler::Capabilities,
            (#(#inputs,)*): (#(#types,)*),
        ) -> #private::BoxFuture<'static, #output> {
            ::std::boxed::Box::pin(#ident(#(#args),*))
        }
    }
}

/// The adapter around the action's `__wirestack_call`.
fn adapter(handler: &Handler) -> TokenStream {
    let ident = &handler.function.sig.ident;
    let private = quote!(::wirestack::__private);
    let Some(dispatch) = &handler.dispatch else { return quote!(::core::unreachable!()) };
    let call = quote_spanned!(ident.span()=> ::wirestack::__private::handler::Callee::new(__wirestack_call, __wirestack_capabilities));
    match dispatch {
        Dispatch::Http => {
            let routes = handler.routes.iter().map(|route| {
                let method = method_variant(&route.method);
                let path = &route.path;
                quote!((#private::HttpMethod::#method, #path))
            });
            quote_spanned! {ident.span()=>
                #private::handler::http::routes(&[#(#routes),*], #call)
            }
        }
        Dispatch::Nullary => quote_spanned!(ident.span()=> #private::handler::event::nullary(#call)),
        Dispatch::Whole => quote_spanned!(ident.span()=> #private::handler::event::whole(#call)),
        Dispatch::Detail => quote_spanned!(ident.span()=> #private::handler::event::detail(#call)),
        Dispatch::Each { sources, .. } => {
            let sources = sources.iter().map(|kind| {
                let module = format_ident!("{}", kind);
                quote!(#private::trigger::#module::MESSAGES)
            });
            quote_spanned!(ident.span()=> #private::handler::messages::each(&[#(#sources),*], #call))
        }
        Dispatch::Batch { .. } => quote_spanned!(ident.span()=> #private::handler::messages::batch(#call)),
        Dispatch::Records { kind, .. } => {
            let module = format_ident!("{}", kind);
            quote_spanned!(ident.span()=> #private::trigger::#module::records(#call))
        }
    }
}

/// `Sender<notify>` for an action that owns its queue: a trigger whose
/// kind's target may be left out (`#[trigger(sqs)]`) gives the action a
/// resource of its own, and the action's type is also that resource's
/// singleton, carrying the handler's message type. The kind's module says
/// which resource through `Own<flags..>`, one `bool` per flag option.
fn owned_queue(handler: &Handler, name: &str) -> TokenStream {
    let Some(owner) = handler.triggers.iter().find(|t| t.target.is_none() && t.kind.target.optional) else {
        return TokenStream::new();
    };
    let message = match &handler.dispatch {
        Some(Dispatch::Each { message, .. } | Dispatch::Batch { message }) => message,
        _ => return TokenStream::new(),
    };
    let flags = owner.kind.options.iter().filter(|option| matches!(option.shape, Shape::Flag)).map(|option| {
        let on = owner.option(option.name).is_some();
        quote!(#on)
    });
    let module = format_ident!("{}", owner.kind.name);
    let private = quote!(::wirestack::__private);
    let owned = quote!(<#private::trigger::#module::Own<#(#flags),*> as #private::Owns<#message>>);
    let ident = &handler.function.sig.ident;
    quote! {
        impl #private::Singleton for #ident {
            const NAME: &'static str = #name;
            type Resource = #owned::Resource;

            fn resource() -> Self::Resource {
                #owned::resource()
            }
        }
    }
}

/// `Invoke<name>` for an action that takes its input directly: no queue,
/// topic, bucket or route feeds it (a schedule may). Its input is the one
/// event parameter (or `()`), its output what its `Result` holds.
fn invocable(handler: &Handler) -> TokenStream {
    let fed = handler.triggers.iter().any(|t| t.kind.delivers != Delivers::Nothing);
    let input = match &handler.dispatch {
        Some(Dispatch::Nullary) => quote!(()),
        Some(Dispatch::Whole) if handler.triggers.is_empty() => {
            let event = handler.params.iter().find_map(Param::event).expect("a whole-payload handler takes one event");
            quote!(#event)
        }
        _ => return TokenStream::new(),
    };
    let syn::ReturnType::Type(_, output) = &handler.function.sig.output else { return TokenStream::new() };
    if fed || !nameable(output) {
        return TokenStream::new();
    }
    let ident = &handler.function.sig.ident;
    let private = quote!(::wirestack::__private);
    quote! {
        impl #private::Invocable for #ident {
            type Input = #input;
            type Output = <#output as #private::HandlerResult>::Ok;
        }
    }
}

/// Whether a return type can be named in an associated type: no `impl
/// Trait` and no reference without a lifetime.
fn nameable(ty: &syn::Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                proc_macro2::TokenTree::Ident(ident) if ident == "impl" || ident == "_" => return false,
                proc_macro2::TokenTree::Punct(punct)
                    if punct.as_char() == '&'
                        && !matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '\'') =>
                {
                    return false;
                }
                proc_macro2::TokenTree::Group(group) if !walk(group.stream()) => return false,
                _ => {}
            }
        }
        true
    }
    walk(quote!(#ty))
}

/// Like axum's `debug_handler`: each parameter of an HTTP handler that is not
/// a capability must be an extractor, the last one possibly of the body,
/// checked on its own type so the error points at it.
fn http_checks(handler: &Handler) -> TokenStream {
    if !matches!(handler.dispatch, Some(Dispatch::Http)) {
        return TokenStream::new();
    }
    let types: Vec<_> = handler.params.iter().filter_map(Param::event).collect();
    let Some((last, parts)) = types.split_last() else { return TokenStream::new() };
    let parts =
        parts.iter().map(|ty| quote_spanned!(ty.span()=> ::wirestack::__private::kinds::request_part::<#ty>();));
    let last_check = quote_spanned!(last.span()=> ::wirestack::__private::kinds::request::<#last, _>(););
    quote! {
        #(#parts)*
        #last_check
    }
}

fn method_variant(method: &syn::Ident) -> syn::Ident {
    let text = method.to_string();
    format_ident!("{}{}", &text[..1], text[1..].to_ascii_lowercase(), span = method.span())
}
