//! A small stand-in for the Lambda Runtime API on 127.0.0.1, so the real
//! Lambda binary can be driven as a process: it hands out queued events on
//! `GET /next` and records what the binary posts back.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;

/// What the binary posted for one invocation.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Response(Value),
    Error(Value),
}

#[derive(Default)]
struct Shared {
    pending: Mutex<VecDeque<(String, String)>>,
    outcomes: Mutex<HashMap<String, Outcome>>,
    first_poll: Mutex<Option<Instant>>,
    changed: Notify,
}

/// A running stand-in; it stops when dropped with its runtime.
pub struct RuntimeApi {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    _runtime: tokio::runtime::Runtime,
}

impl RuntimeApi {
    pub fn start() -> RuntimeApi {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .with_state(shared.clone());
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, app).await });
        RuntimeApi { addr, shared, _runtime: runtime }
    }

    /// Queues an invocation with request id `id`.
    pub fn push(&self, id: &str, event: &Value) {
        self.shared.pending.lock().unwrap().push_back((id.to_owned(), event.to_string()));
        self.shared.changed.notify_waiters();
    }

    /// What the binary posted for `id`, waiting up to `timeout`.
    pub fn outcome(&self, id: &str, timeout: Duration) -> Option<Outcome> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(outcome) = self.shared.outcomes.lock().unwrap().get(id) {
                return Some(outcome.clone());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }

    /// When the binary first asked for an event: the end of its cold init.
    pub fn first_poll(&self, timeout: Duration) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(at) = *self.shared.first_poll.lock().unwrap() {
                return Some(at);
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        None
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> (HeaderMap, String) {
    shared.first_poll.lock().unwrap().get_or_insert_with(Instant::now);
    loop {
        let notified = shared.changed.notified();
        if let Some((id, body)) = shared.pending.lock().unwrap().pop_front() {
            let deadline = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + Duration::from_secs(30);
            let mut headers = HeaderMap::new();
            let header = |v: String| HeaderValue::from_str(&v).unwrap();
            headers.insert("lambda-runtime-aws-request-id", header(id.clone()));
            headers.insert("lambda-runtime-deadline-ms", header(deadline.as_millis().to_string()));
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                header("arn:aws:lambda:us-east-1:123456789012:function:shop".to_owned()),
            );
            headers.insert("lambda-runtime-trace-id", header(format!("Root=1-5759e988-{id}")));
            return (headers, body);
        }
        notified.await;
    }
}

async fn response(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: String) -> StatusCode {
    record(&shared, id, Outcome::Response(parse(&body)));
    StatusCode::ACCEPTED
}

async fn error(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: String) -> StatusCode {
    record(&shared, id, Outcome::Error(parse(&body)));
    StatusCode::ACCEPTED
}

fn record(shared: &Shared, id: String, outcome: Outcome) {
    shared.outcomes.lock().unwrap().insert(id, outcome);
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()))
}

/// The Lambda binary, started as Lambda would start it for `action`.
pub fn start_function(binary: &str, api: &RuntimeApi, action: &str) -> std::process::Child {
    start_function_with(binary, api, action, &[])
}

/// As [`start_function`], with more environment (a capability's variables).
pub fn start_function_with(binary: &str, api: &RuntimeApi, action: &str, env: &[(&str, &str)]) -> std::process::Child {
    std::process::Command::new(binary)
        .envs(env.iter().copied())
        .env("AWS_LAMBDA_RUNTIME_API", api.addr.to_string())
        .env("WIRESTACK_ACTION", action)
        .env("AWS_LAMBDA_FUNCTION_NAME", format!("shop-{action}"))
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/23/[$LATEST]0123456789abcdef")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/shop-{action}"))
        .env_remove("WIRESTACK_QUEUE_ORDERS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the lambda binary starts")
}
