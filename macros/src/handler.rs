//! `#[action]`, `#[trigger]` and `#[api]` on one handler fn.
//!
//! The first of these attributes to expand takes all its siblings off the fn,
//! so the handler is parsed, checked and registered once, whatever the order
//! the attributes are written in.

use crate::attr::action::ActionAttr;
use crate::attr::route::RouteAttr;
use crate::attr::trigger::{TriggerAttr, TriggerKind};
use crate::attr::Line;
use crate::ctxt::Ctxt;
use crate::signature::{self, Dispatch, Param};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, ItemFn, Meta};

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
        .map(|pool| quote_spanned!(pool.span()=> ::wirestack::__private::kinds::user_pool_source::<#pool>();));
    let layer_checks = handler
        .action
        .layers
        .iter()
        .map(|layer| quote_spanned!(layer.span()=> ::wirestack::__private::kinds::layer_source::<#layer>();));
    let http_checks = http_checks(handler);
    let constructor = handler_constructor(handler);
    let capability_uses = handler
        .params
        .iter()
        .filter_map(Param::capability)
        .map(|ty| quote_spanned!(ty.span()=> <#ty as ::wirestack::__private::Capability>::USE));
    let private = quote!(::wirestack::__private);
    let ident = &handler.function.sig.ident;
    quote! {
        const _: () = {
            #[allow(dead_code)]
            fn __wirestack_kind_checks() { #(#checks)* #(#auth_checks)* #(#layer_checks)* #http_checks }
            #constructor
            #private::inventory::submit! {
                #private::ActionRegistration {
                    name: #name,
                    rust_path: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                    defined_at: #at,
                    settings: #settings,
                    triggers: &[#(#triggers,)* #(#routes,)*],
                    capabilities: &[#(#capability_uses),*],
                    handler: __wirestack_handler,
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

/// The singleton name a trigger refers to: the last segment of its path.
fn singleton_name(path: &syn::Path) -> String {
    path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

fn trigger(attr: &TriggerAttr) -> TokenStream {
    let at = location(attr.line);
    let private = quote!(::wirestack::__private);
    let spec = match &attr.kind {
        TriggerKind::Sqs { queue, batch, window, fifo } => {
            let queue = option(queue.as_ref().map(singleton_name));
            let batch = option(*batch);
            let window = option(*window);
            quote!(#private::TriggerSpec::Sqs { queue: #queue, batch_size: #batch, window_s: #window, fifo: #fifo })
        }
        TriggerKind::Sns { topic } => {
            let topic = singleton_name(topic);
            quote!(#private::TriggerSpec::Sns { topic: #topic })
        }
        TriggerKind::Stream { resource, table, start, batch, window, retries, filter } => {
            let resource = singleton_name(resource);
            let start = match start.as_ref().map(ToString::to_string).as_deref() {
                Some("trim_horizon") => quote!(TrimHorizon),
                _ => quote!(Latest),
            };
            let (batch, window, retries, filter) =
                (option(*batch), option(*window), option(*retries), option(filter.as_ref()));
            quote! {
                #private::TriggerSpec::Stream {
                    resource: #resource,
                    table: #table,
                    start: #private::StartPosition::#start,
                    batch_size: #batch,
                    window_s: #window,
                    retries: #retries,
                    filter: #filter,
                }
            }
        }
        TriggerKind::S3 { bucket, events, prefix, suffix } => {
            let bucket = singleton_name(bucket);
            let events = events.iter().map(|variant| quote!(#private::ObjectEvent::#variant));
            let events =
                if events.len() == 0 { vec![quote!(#private::ObjectEvent::Created)] } else { events.collect() };
            let (prefix, suffix) = (option(prefix.as_ref()), option(suffix.as_ref()));
            quote!(#private::TriggerSpec::S3 { bucket: #bucket, events: &[#(#events),*], prefix: #prefix, suffix: #suffix })
        }
        TriggerKind::Event { pattern, bus } => {
            let bus = option(bus.as_ref().map(singleton_name));
            quote!(#private::TriggerSpec::Event { pattern: #pattern, bus: #bus })
        }
        TriggerKind::Schedule { expression } => quote!(#private::TriggerSpec::Schedule { expression: #expression }),
    };
    quote!(#private::TriggerRegistration { declared_at: #at, spec: #spec })
}

fn route(attr: &RouteAttr) -> TokenStream {
    let at = location(attr.line);
    let method = method_variant(&attr.method);
    let path = &attr.path;
    let auth = option(attr.auth.as_ref().map(singleton_name));
    let private = quote!(::wirestack::__private);
    quote! {
        #private::TriggerRegistration {
            declared_at: #at,
            spec: #private::TriggerSpec::Http { method: #private::HttpMethod::#method, path: #path, auth: #auth },
        }
    }
}

/// A trait bound, spanned on the user's token, that the named singleton is of
/// the kind the trigger needs and carries the handler's message type: rustc
/// reports the `on_unimplemented` message.
fn kind_check(attr: &TriggerAttr, dispatch: Option<&Dispatch>) -> TokenStream {
    let message = match dispatch {
        Some(Dispatch::Each { message, .. } | Dispatch::Batch { message } | Dispatch::Records { message, .. }) => {
            Some(message)
        }
        _ => None,
    };
    let (path, kind_only, of_message) = match &attr.kind {
        TriggerKind::Sqs { queue: Some(path), .. } => (path, quote!(sqs_source), quote!(queue_of)),
        TriggerKind::Sns { topic } => (topic, quote!(sns_source), quote!(topic_of)),
        TriggerKind::S3 { bucket, .. } => {
            return quote_spanned!(bucket.span()=> ::wirestack::__private::kinds::s3_source::<#bucket>();)
        }
        TriggerKind::Event { bus: Some(bus), .. } => {
            return quote_spanned!(bus.span()=> ::wirestack::__private::kinds::bus_source::<#bus>();)
        }
        TriggerKind::Stream { resource, table: false, .. } => (resource, quote!(kinesis_source), quote!(stream_of)),
        TriggerKind::Stream { resource, table: true, .. } => (resource, quote!(dynamodb_source), quote!(changes_of)),
        _ => return TokenStream::new(),
    };
    match message {
        Some(message) => {
            quote_spanned!(path.span()=> ::wirestack::__private::kinds::#of_message::<#path, #message>();)
        }
        None => quote_spanned!(path.span()=> ::wirestack::__private::kinds::#kind_only::<#path>();),
    }
}

/// The fn that builds this action's handler at cold start: it resolves each
/// capability once, then wraps the user's fn in the adapter from a Lambda
/// payload to its arguments. Spanned on the fn name, so a handler that does
/// not fit (a non-`Send` future, an error that does not convert) is
/// reported there.
fn handler_constructor(handler: &Handler) -> TokenStream {
    let private = quote!(::wirestack::__private);
    let capabilities: Vec<(syn::Ident, &syn::Type)> = handler
        .params
        .iter()
        .filter_map(Param::capability)
        .enumerate()
        .map(|(i, ty)| (format_ident!("__wirestack_capability_{}", i), ty))
        .collect();
    let resolve = capabilities
        .iter()
        .map(|(name, ty)| quote_spanned!(ty.span()=> let #name = <#ty as #private::Capability>::resolve().await?;));
    let adapter = adapter(handler, &capabilities);
    quote! {
        fn __wirestack_handler() -> #private::BoxFuture<'static, ::core::result::Result<#private::BoxedHandler, ::wirestack::Error>> {
            ::std::boxed::Box::pin(async move {
                #(#resolve)*
                ::core::result::Result::Ok(#adapter)
            })
        }
    }
}

/// The adapter call around the user's fn.
fn adapter(handler: &Handler, capabilities: &[(syn::Ident, &syn::Type)]) -> TokenStream {
    let ident = &handler.function.sig.ident;
    let private = quote!(::wirestack::__private);
    let Some(dispatch) = &handler.dispatch else { return quote!(::core::unreachable!()) };
    let params = &handler.params;
    // With capabilities, a closure takes the decoded parameters alone, in
    // their order, and passes a clone of each capability where the fn wants
    // it. For HTTP that makes the axum handler the extractors only, so a body
    // extractor stays last wherever the fn puts its capabilities.
    let call = if capabilities.is_empty() {
        quote!(#ident)
    } else {
        let mut capability_names = capabilities.iter().map(|(name, _)| name);
        let mut inputs = Vec::new();
        let args: Vec<TokenStream> = params
            .iter()
            .enumerate()
            .map(|(i, p)| match p {
                Param::Event(ty) => {
                    let name = format_ident!("__wirestack_input_{}", i);
                    inputs.push(quote!(#name: #ty));
                    quote!(#name)
                }
                Param::Capability(_) => {
                    let name = capability_names.next().expect("one name per capability");
                    quote!(::core::clone::Clone::clone(&#name))
                }
            })
            .collect();
        quote!(move |#(#inputs),*| #ident(#(#args),*))
    };
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
        Dispatch::Each { sqs, sns, .. } => {
            let sources = [(*sqs, quote!(Sqs)), (*sns, quote!(Sns))]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, source)| quote!(#private::handler::messages::Source::#source));
            quote_spanned!(ident.span()=> #private::handler::messages::each(&[#(#sources),*], #call))
        }
        Dispatch::Batch { .. } => quote_spanned!(ident.span()=> #private::handler::messages::batch(#call)),
        Dispatch::Records { table: false, .. } => {
            quote_spanned!(ident.span()=> #private::handler::records::kinesis(#call))
        }
        Dispatch::Records { table: true, .. } => {
            quote_spanned!(ident.span()=> #private::handler::records::table_changes(#call))
        }
    }
}

/// `Sender<notify>` for an action that owns its queue: the action's type is
/// also the singleton of that queue, carrying the handler's message type.
fn owned_queue(handler: &Handler, name: &str) -> TokenStream {
    let owned = handler.triggers.iter().find_map(|t| match t.kind {
        TriggerKind::Sqs { queue: None, fifo, .. } => Some(fifo),
        _ => None,
    });
    let owns = owned.is_some();
    let delivery = match owned {
        Some(true) => quote!(::wirestack::Fifo),
        _ => quote!(::wirestack::__private::Standard),
    };
    let message = match &handler.dispatch {
        Some(Dispatch::Each { message, .. } | Dispatch::Batch { message }) if owns => message,
        _ => return TokenStream::new(),
    };
    let ident = &handler.function.sig.ident;
    quote! {
        impl ::wirestack::__private::Singleton for #ident {
            const NAME: &'static str = #name;
            type Resource = ::wirestack::Queue<#message, #delivery>;

            fn resource() -> Self::Resource {
                ::wirestack::Queue::new()
            }
        }
    }
}

/// `Invoke<name>` for an action that takes its input directly: no queue,
/// topic, bucket or route feeds it (a schedule may). Its input is the one
/// event parameter (or `()`), its output what its `Result` holds.
fn invocable(handler: &Handler) -> TokenStream {
    let fed = handler.triggers.iter().any(|t| !matches!(t.kind, TriggerKind::Schedule { .. }));
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
