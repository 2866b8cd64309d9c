//! Attribute macros of wirestack. Each parses its attribute into a plain
//! struct (`attr`), checking it against the rules `wirestack_aws` keeps for
//! the macros and the runtime alike, and expands to registrations that point
//! at runtime types. This crate knows syntax, never CloudFormation.
//!
//! Use them through the `wirestack` crate, which re-exports them.

mod attr;
mod ctxt;
mod entry;
mod handler;
mod signature;
mod singleton;

use proc_macro::TokenStream;

/// A Lambda function: `#[action(memory = 512, timeout = 60, reserved_concurrency = 5, env(KEY = "v"), name = "..")]`.
#[proc_macro_attribute]
pub fn action(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::expand(handler::Kind::Action, args.into(), item.into()).into()
}

/// An event source: `#[trigger(sqs)]`, `#[trigger(sqs = q, batch = 10)]`, `#[trigger(sns = t)]`, `#[trigger(schedule = "rate(1 hour)")]`.
#[proc_macro_attribute]
pub fn trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::expand(handler::Kind::Trigger, args.into(), item.into()).into()
}

/// An HTTP route on the app's HTTP API: `#[api(GET "/orders/{id}")]`.
#[proc_macro_attribute]
pub fn api(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::expand(handler::Kind::Api, args.into(), item.into()).into()
}

/// A resource declared once and shared by name: `#[singleton] fn orders() -> Queue<Order> { Queue::new() }`.
#[proc_macro_attribute]
pub fn singleton(args: TokenStream, item: TokenStream) -> TokenStream {
    singleton::expand(args.into(), item.into()).into()
}

/// The whole of `src/bin/synth.rs`: `wirestack::synth_main!();`
#[proc_macro]
pub fn synth_main(args: TokenStream) -> TokenStream {
    entry::synth_main(args.into()).into()
}

/// The whole of the Lambda binary (`src/bin/lambda.rs`): `wirestack::lambda_main!();`
#[proc_macro]
pub fn lambda_main(args: TokenStream) -> TokenStream {
    entry::lambda_main(args.into()).into()
}
