//! `#[singleton] fn orders() -> Queue<Order> { .. }`: a resource declared once.

use crate::attr::Line;
use crate::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{ItemFn, ReturnType};

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::default();
    if !args.is_empty() {
        cx.error_with_help(
            &args,
            "`#[singleton]` takes no options",
            "configure the resource in the fn body: `Queue::new().visibility_timeout(60)`",
        );
    }
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "`#[singleton]` goes on a fn that returns a resource\nhelp: write `#[singleton] fn orders() -> Queue<Order> { Queue::new() }`",
            )
            .to_compile_error();
            return quote!(#error #item);
        }
    };
    check_signature(&cx, &function);
    let type_item = same_named_type(&function);
    match cx.finish() {
        Ok(()) => {
            let registration = register(&function);
            quote!(#function #type_item #registration)
        }
        Err(errors) => quote!(#errors #function #type_item),
    }
}

/// The body runs at synth time to configure the resource, so it is a plain,
/// argument-free fn with a return type.
fn check_signature(cx: &Ctxt, function: &ItemFn) {
    let sig = &function.sig;
    let ident = &sig.ident;
    if let Some(asyncness) = sig.asyncness {
        cx.error_with_help(
            asyncness,
            format_args!("singleton `{ident}` cannot be `async`"),
            "remove `async`: the body runs once, at synth time, to configure the resource",
        );
    }
    if !sig.inputs.is_empty() {
        cx.error_with_help(
            &sig.inputs,
            format_args!("singleton `{ident}` takes no parameters"),
            format_args!("write `fn {ident}() -> Queue<T> {{ .. }}`"),
        );
    }
    if !sig.generics.params.is_empty() {
        cx.error_with_help(
            &sig.generics,
            format_args!("singleton `{ident}` cannot be generic"),
            "name the message type: `Queue<Order>`",
        );
    }
    if matches!(sig.output, ReturnType::Default) {
        cx.error_with_help(
            ident,
            format_args!("singleton `{ident}` must return a resource"),
            format_args!("write `fn {ident}() -> Queue<T> {{ Queue::new() }}`"),
        );
    }
}

/// `struct orders {}` beside `fn orders`, so `Sender<orders>` can name it.
fn same_named_type(function: &ItemFn) -> TokenStream {
    let vis = &function.vis;
    let ident = &function.sig.ident;
    let doc = format!("The `{ident}` singleton, named in type position (for example `Sender<{ident}>`).");
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}
    }
}

fn register(function: &ItemFn) -> TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let ReturnType::Type(_, resource) = &function.sig.output else { unreachable!("checked") };
    let Line { line, column } = Line::of(ident.span());
    let (line, column) = (line as u32, column as u32);
    let private = quote!(::wirestack::__private);
    quote! {
        impl #private::Singleton for #ident {
            const NAME: &'static str = #name;
            type Resource = #resource;

            fn resource() -> Self::Resource {
                #ident()
            }
        }
        const _: () = {
            fn __wirestack_build() -> #private::ResourceSpec {
                #private::build_singleton::<#ident>()
            }
            #private::inventory::submit! {
                #private::SingletonRegistration {
                    name: #name,
                    defined_at: #private::Location { file: ::core::file!(), line: #line, column: #column },
                    build: __wirestack_build,
                }
            }
        };
    }
}
