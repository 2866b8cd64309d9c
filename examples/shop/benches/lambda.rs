//! What the Lambda binary costs per invocation and at cold start.
//!
//! - `dispatch/*`: one invocation through the dispatcher the binary uses
//!   (type-erased handler call, panic guard, result encoding), with the
//!   example's real handlers (those without capabilities, so no AWS call is
//!   timed); the `nullary` case reads no payload, so it is the dispatch
//!   overhead alone; the others add decoding the AWS event.
//! - `table/lookup`: finding an action by name (done once, at init).
//! - `cold_init/*`: spawning the release `lambda` binary until it first asks
//!   the local Runtime API stand-in for an event, for an action without
//!   capabilities and one that resolves a `Writer` and a `Publisher`.
//!
//! Run: `cargo bench -p shop --bench lambda`

#[path = "../tests/support/runtime_api.rs"]
#[allow(dead_code)]
mod runtime_api;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::future::Future;
use std::time::{Duration, Instant};
use wirestack::dispatch::ActionTable;
use wirestack::handler::Context;
use wirestack::sample;

extern crate shop as _;

/// Polls a future that never waits on I/O (these handlers do not).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// What a function deployed from the template finds in its environment, for
/// the capabilities of `get_order` and `fulfil`. Resolving them builds SDK
/// clients but calls no AWS API.
const CAPABILITY_ENV: [(&str, &str); 6] = [
    ("WIRESTACK_TABLE_ORDER_BOOK", "shop-order-book"),
    ("WIRESTACK_BUCKET_RECEIPTS", "shop-receipts-123456789012-us-east-1"),
    ("WIRESTACK_TOPIC_SHIPPED", "arn:aws:sns:us-east-1:123456789012:shop-shipped"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
];

fn dispatch(c: &mut Criterion) {
    for (key, value) in CAPABILITY_ENV {
        std::env::set_var(key, value);
    }
    let table = ActionTable::from_registry();
    // No AWS call is timed: `audit` and `notify` take no capability, and
    // `get_order` answers `x-1` (not an order id) without reading its table.
    let mail = json!({"to": "ada@example.com", "subject": "hi"}).to_string();
    let cases = [
        ("nullary", "audit", sample::schedule().to_string()),
        ("sqs_1_record", "notify", sample::sqs(&[&mail]).to_string()),
        ("http_get", "get_order", sample::http("GET", "/orders/x-1", None).to_string()),
    ];
    let mut group = c.benchmark_group("dispatch");
    for (name, action, payload) in &cases {
        let dispatcher = block_on(table.dispatcher(action)).unwrap();
        group.bench_function(*name, |b| {
            b.iter(|| block_on(dispatcher.invoke(black_box(payload), Context::default())).unwrap())
        });
    }
    group.finish();
    c.bench_function("table/lookup", |b| b.iter(|| table.get(black_box("place_order")).is_some()));
}

fn cold_init(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold_init");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    // `notify` takes no capability; `fulfil` resolves two `Writer`s and a
    // `Publisher` (AWS configuration; DynamoDB, S3 and SNS clients).
    let no_env: &[(&str, &str)] = &[];
    let cases = [("no_capability", "notify", no_env), ("with_capabilities", "fulfil", &CAPABILITY_ENV)];
    for (name, action, env) in cases {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let api = runtime_api::RuntimeApi::start();
                    let started = Instant::now();
                    let mut child = runtime_api::start_function_with(env!("CARGO_BIN_EXE_lambda"), &api, action, env);
                    let polled = api.first_poll(Duration::from_secs(10)).expect("the binary polls");
                    total += polled - started;
                    child.kill().ok();
                    child.wait().ok();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, dispatch, cold_init);
criterion_main!(benches);
