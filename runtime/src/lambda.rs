//! The Lambda binary: the whole of the user's `src/bin/lambda.rs` is
//! `wirestack::lambda_main!();`, which calls [`run`].
//!
//! At cold start it reads `WIRESTACK_ACTION` (synth puts it on each
//! function), builds that action's handler once, and serves invocations on
//! the official `lambda_runtime`. Logs are JSON, each line carrying the
//! action's name and the invocation's request id.

use crate::dispatch::{ActionTable, Dispatcher};
use crate::render::ACTION_ENV;
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::value::RawValue;
use std::process::ExitCode;
use tracing::Instrument;

/// Runs this process as the Lambda function for the action named in
/// `WIRESTACK_ACTION`.
pub fn run() -> ExitCode {
    init_logging();
    let table = ActionTable::from_registry();
    let name = std::env::var(ACTION_ENV).unwrap_or_default();
    if let Err(unknown) = table.find(&name) {
        tracing::error!("cannot start: {unknown} (set {ACTION_ENV} to one of them)");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let dispatcher = match runtime.block_on(table.dispatcher(&name)) {
        Ok(dispatcher) => dispatcher,
        Err(error) => {
            tracing::error!("cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let span = tracing::info_span!("action", action = dispatcher.action());
    match runtime.block_on(serve(&dispatcher).instrument(span)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("the Lambda runtime stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(dispatcher: &Dispatcher) -> Result<(), lambda_runtime::Error> {
    let handler = service_fn(|event: LambdaEvent<Box<RawValue>>| async move {
        let LambdaEvent { payload, context } = event;
        dispatcher.invoke(payload.get(), context).await.map_err(|error| {
            tracing::error!(error = %error, "invocation failed");
            Diagnostic { error_type: "HandlerError".to_owned(), error_message: error.to_string() }
        })
    });
    lambda_runtime::run(handler).await
}

/// JSON lines on stdout (CloudWatch reads them), level from `RUST_LOG`
/// (default `info`); panics are logged as errors too.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(true)
        .with_target(false)
        .without_time()
        .init();
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(panic = %info, "panicked");
    }));
}
