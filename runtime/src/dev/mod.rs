//! `synth dev`: the whole app in this one process. Every action runs its
//! real handler through the adapter it has on Lambda; the AWS services its
//! capabilities call are stand-ins served here, on an endpoint the SDK
//! clients are pointed at (`AWS_ENDPOINT_URL`), so user code and the Lambda
//! binary are the same as in production; the stand-ins deliver events
//! between the handlers as the services would (queues polled in batches,
//! topics and buckets pushing, streams read in order, schedules firing).
//!
//! The wiring graph says what feeds what; `State` holds what the
//! stand-ins hold, in memory or in `--state DIR`.

mod aws;
mod bucket;
mod bus;
mod clock;
mod control;
mod function;
mod logs;
mod page;
mod pattern;
mod queue;
mod reload;
mod routes;
mod schedule;
mod secret;
mod state;
mod stream;
mod table;
mod token;
mod topic;

use crate::cli::Package;
use crate::dispatch::{ActionTable, Dispatcher};
use crate::handler::Context;
use crate::model::App;
use crate::resource::ResourceSpec;
use crate::wiring::Graph;
use clock::now_ms;
use serde_json::Value;
use state::{Invocation, State};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The account and region the stand-ins' ARNs name.
const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";

#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The port of the app's routes and the dev page (on 127.0.0.1)
    #[arg(long, default_value_t = 3000)]
    port: u16,

    /// Keep the stand-ins' data in this directory, so a restart keeps it
    /// (in memory otherwise; a rebuild keeps it either way)
    #[arg(long, value_name = "DIR")]
    state: Option<PathBuf>,

    /// Do not rebuild and restart when a source file changes
    #[arg(long)]
    no_watch: bool,

    /// Continue a session a rebuild handed over (internal)
    #[arg(long, hide = true, value_name = "FILE")]
    resume: Option<PathBuf>,
}

/// The running dev server: the app, its handlers and the stand-ins' state.
pub struct Dev {
    pub app: App,
    pub graph: Graph,
    state: Mutex<State>,
    /// Each action's handler, or why it could not start (built once the
    /// stand-ins answer, since capabilities connect at cold start).
    handlers: OnceLock<BTreeMap<String, Result<Dispatcher, String>>>,
    logs: Arc<logs::Capture>,
    /// Where `--state` keeps the data, if anywhere.
    state_file: Option<PathBuf>,
    /// Set while handing over to a new build: pollers take no new work.
    stopping: AtomicBool,
    /// Invocations running, and asynchronous ones waiting to retry: a
    /// hand-over waits for none.
    busy: AtomicUsize,
    /// Counts changes: consumers and the page wait for the next one.
    version: watch::Sender<u64>,
    /// The app's routes, for the local HTTP API.
    routes: routes::Routes,
    /// A successful rebuild, which the server stops for and hands over to.
    next_build: Mutex<Option<PathBuf>>,
    rebuilt: tokio::sync::Notify,
    /// The last failed rebuild's compiler output, while it is the latest.
    build_error: Mutex<Option<String>>,
    /// The stand-ins' endpoint (`http://127.0.0.1:PORT`).
    aws_url: String,
    started: Instant,
}

impl Dev {
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks the state changed: consumers look again, the page refreshes,
    /// `--state` saves it.
    pub fn touch(&self) {
        self.version.send_modify(|version| *version += 1);
    }

    pub fn version(&self) -> u64 {
        *self.version.borrow()
    }

    /// Changes from now on: mark what you have seen (`borrow_and_update`)
    /// before looking at the state, then [`next_change`] misses none.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Runs `action`'s handler on `event`, as Lambda would deliver it from
    /// `trigger`, and records the invocation (event, log lines, outcome).
    /// An error is the handler's, or Lambda's for a timeout.
    pub async fn invoke(&self, action: &str, trigger: String, event: Value) -> Result<Value, String> {
        let _busy = self.busy();
        let id = self.state().next_id();
        let started_ms = clock::now_ms_f64();
        let clock = Instant::now();
        let result = self.run(id, action, &event).await;
        let duration_ms = clock.elapsed().as_secs_f64() * 1000.0;
        let failures = match &result {
            Ok(response) => response["batchItemFailures"].as_array().map_or(0, Vec::len),
            Err(_) => 0,
        };
        let outcome = match (&result, failures) {
            (Err(_), _) => "error",
            (Ok(_), 0) => "ok",
            (Ok(_), _) => "partial",
        };
        eprintln!("  {action:<16} <- {trigger:<28} {duration_ms:>8.1} ms  {outcome}");
        if let Err(error) = &result {
            eprintln!("  {:<16}    {error}", "");
        }
        let invocation = Invocation {
            seq: 0,
            id,
            action: action.to_owned(),
            trigger,
            started_ms,
            duration_ms,
            outcome: outcome.to_owned(),
            error: result.as_ref().err().cloned(),
            event,
            logs: self.logs.take(id),
        };
        self.state().record(invocation);
        self.touch();
        result
    }

    /// Counts work a hand-over must wait for, until the guard drops.
    pub fn busy(&self) -> Busy<'_> {
        self.busy.fetch_add(1, Ordering::AcqRel);
        Busy(&self.busy)
    }

    /// Whether pollers should take new work (not while handing over).
    pub fn taking_work(&self) -> bool {
        !self.stopping.load(Ordering::Acquire)
    }

    async fn run(&self, id: u64, action: &str, event: &Value) -> Result<Value, String> {
        let handler = match self.handlers.get().and_then(|handlers| handlers.get(action)) {
            Some(Ok(handler)) => handler,
            Some(Err(error)) => return Err(error.clone()),
            None => return Err(format!("no action named `{action}`")),
        };
        let timeout_s = self.app.action(action).map_or(30, |a| a.settings.timeout_s);
        let mut context = Context::default();
        context.request_id = format!("dev-{id}");
        context.deadline = now_ms() + u64::from(timeout_s) * 1000;
        context.invoked_function_arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{action}");
        let payload = event.to_string();
        let call = logs::INVOCATION.scope(id, handler.invoke(&payload, context));
        match tokio::time::timeout(Duration::from_secs(u64::from(timeout_s)), call).await {
            Ok(result) => result.map_err(|error| error.to_string()),
            Err(_) => Err(format!("Task timed out after {timeout_s}.00 seconds (the action's timeout)")),
        }
    }
}

/// Waits for a change `changes` has not seen, or `timeout`.
pub async fn next_change(changes: &mut watch::Receiver<u64>, timeout: Duration) {
    let _ = tokio::time::timeout(timeout, changes.changed()).await;
}

pub struct Busy<'a>(&'a AtomicUsize);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Runs `synth dev` for `package`.
pub fn run(package: Package, args: Args) -> Result<ExitCode, String> {
    let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
    let graph = Graph::of(&app);
    let listener = reload::listener(args.port)?;
    let aws_listener = reload::aws_listener()?;
    let aws_url = format!("http://{}", aws_listener.local_addr().map_err(|e| format!("error: {e}"))?);
    let address = listener.local_addr().map_err(|e| format!("error: {e}"))?;
    environment(&app, &aws_url);
    let logs = logs::init();

    let state_file = args.state.as_ref().map(|dir| dir.join("state.json"));
    let mut state = match (&args.resume, &state_file) {
        (Some(handed_over), _) => {
            let state = State::load(handed_over)?;
            let _ = std::fs::remove_file(handed_over);
            state
        }
        (None, Some(file)) => State::load(file)?,
        (None, None) => State::default(),
    };
    if state.token_key.is_empty() {
        state.token_key = token::new_key();
    }
    let dev = Arc::new(Dev {
        routes: routes::Routes::of(&app),
        app,
        graph,
        state: Mutex::new(state),
        handlers: OnceLock::new(),
        logs,
        state_file,
        version: watch::Sender::new(0),
        stopping: AtomicBool::new(false),
        busy: AtomicUsize::new(0),
        next_build: Mutex::new(None),
        rebuilt: tokio::sync::Notify::new(),
        build_error: Mutex::new(None),
        aws_url,
        started: Instant::now(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: cannot start the async runtime: {e}"))?;
    runtime.block_on(serve(dev, listener, aws_listener, address, package, args))
}

async fn serve(
    dev: Arc<Dev>,
    listener: std::net::TcpListener,
    aws_listener: std::net::TcpListener,
    address: SocketAddr,
    package: Package,
    args: Args,
) -> Result<ExitCode, String> {
    let fail = |e: std::io::Error| format!("error: the dev server cannot listen: {e}");
    let aws = tokio::net::TcpListener::from_std(aws_listener).map_err(fail)?;
    let stand_ins = axum::serve(aws, aws::router(dev.clone()));
    tokio::spawn(async move { stand_ins.await });

    // Cold start, every action at once: capabilities connect to the
    // stand-ins, which answer now.
    let table = ActionTable::from_registry();
    let mut handlers = BTreeMap::new();
    for action in &dev.app.actions {
        let handler = table.dispatcher(&action.name).await.map_err(|e| e.to_string());
        if let Err(error) = &handler {
            eprintln!("warning: {error}");
        }
        handlers.insert(action.name.clone(), handler);
    }
    let _ = dev.handlers.set(handlers);

    queue::start(&dev);
    stream::start(&dev);
    schedule::start(&dev);
    tokio::spawn(save_when_changed(dev.clone()));

    // A second handle on the socket outlives the server, so a hand-over
    // can pass it on; meanwhile the system queues new connections.
    let socket = listener.try_clone().map_err(fail)?;
    let app = tokio::net::TcpListener::from_std(listener).map_err(fail)?;
    let resumed = args.resume.is_some();
    eprintln!(
        "{} dev server: http://{address}  (page: http://{address}/_dev; stand-ins: {}; {} actions; ready in {} ms)",
        if resumed { "rebuilt;" } else { "wirestack" },
        dev.aws_url,
        dev.app.actions.len(),
        dev.started.elapsed().as_millis()
    );
    if !args.no_watch {
        tokio::spawn(reload::watch(dev.clone(), package));
    }
    let served = axum::serve(app, routes::router(dev.clone())).with_graceful_shutdown(stopped(dev.clone()));
    served.await.map_err(|e| format!("error: the dev server stopped: {e}"))?;
    let next = dev.next_build.lock().unwrap_or_else(|p| p.into_inner()).take();
    match next {
        Some(exe) => reload::hand_over(&dev, &exe, &args, &socket).await,
        None => {
            save(&dev)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Ctrl-C, or a new build to hand over to.
async fn stopped(dev: Arc<Dev>) {
    tokio::select! {
        _ = tokio::signal::ctrl_c() => eprintln!("stopping"),
        _ = dev.rebuilt.notified() => {}
    }
}

/// With `--state`, saves the state a moment after it changes.
async fn save_when_changed(dev: Arc<Dev>) {
    let mut changes = dev.changes();
    while dev.state_file.is_some() && changes.changed().await.is_ok() {
        tokio::time::sleep(Duration::from_millis(250)).await;
        changes.borrow_and_update();
        if let Err(error) = save(&dev) {
            eprintln!("{error}");
        }
    }
}

fn save(dev: &Dev) -> Result<(), String> {
    match &dev.state_file {
        Some(file) => dev.state().save(file),
        None => Ok(()),
    }
}

/// The environment every handler reads, set once before any thread
/// starts: each capability's variable naming its stand-in (as synth names
/// the deployed resource), every action's own `env(..)`, and an AWS
/// configuration that can only reach the stand-ins.
fn environment(app: &App, aws_url: &str) {
    use crate::resource::{bucket, bus, parameter, queue, secret, stream, table, topic};
    let mut vars: Vec<(String, String)> = Vec::new();
    for resource in &app.resources {
        let name = resource.name.as_str();
        vars.push(match &resource.spec {
            ResourceSpec::Queue(_) => (queue::url_env(name), queue_url(aws_url, name)),
            ResourceSpec::Topic(_) => (topic::arn_env(name), arn("sns", name)),
            ResourceSpec::Table(_) => (table::name_env(name), name.to_owned()),
            ResourceSpec::Bucket(_) => (bucket::name_env(name), bucket_name(name)),
            ResourceSpec::Stream(_) => (stream::arn_env(name), arn("kinesis", &format!("stream/{name}"))),
            ResourceSpec::Secret(_) => (secret::arn_env(name), arn("secretsmanager", &format!("secret:{name}"))),
            ResourceSpec::Parameter(_) => (parameter::name_env(name), name.to_owned()),
            ResourceSpec::Bus(_) => (bus::name_env(name), name.to_owned()),
            ResourceSpec::Layer(_) | ResourceSpec::UserPool(_) | ResourceSpec::Raw(_) => continue,
        });
    }
    let mut own: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for action in &app.actions {
        vars.push((crate::render::function_env(&action.name), action.name.clone()));
        for (key, value) in &action.settings.env {
            match own.insert(key, (value, &action.name)) {
                Some((other, by)) if other != value => eprintln!(
                    "warning: `{}` and `{by}` set {key} differently; here, in one process, every action sees `{value}`",
                    action.name
                ),
                _ => {}
            }
            vars.push((key.clone(), value.clone()));
        }
    }
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_ENDPOINT_URL_") || key == "AWS_PROFILE" || key == "AWS_SESSION_TOKEN" {
            std::env::remove_var(key);
        }
    }
    let aws = [
        ("AWS_ENDPOINT_URL", aws_url),
        ("AWS_ACCESS_KEY_ID", "wirestack-dev"),
        ("AWS_SECRET_ACCESS_KEY", "wirestack-dev"),
        ("AWS_REGION", REGION),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        // Plain bodies, so the stand-ins need not read aws-chunked uploads.
        ("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED"),
        ("AWS_RESPONSE_CHECKSUM_VALIDATION", "WHEN_REQUIRED"),
    ];
    vars.extend(aws.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    for (key, value) in vars {
        std::env::set_var(key, value);
    }
}

fn queue_url(aws_url: &str, name: &str) -> String {
    format!("{aws_url}/{ACCOUNT}/{name}")
}

/// The stand-in's name for bucket `name` (S3 names take no `_`).
fn bucket_name(name: &str) -> String {
    name.replace('_', "-")
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}
