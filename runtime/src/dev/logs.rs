//! Handlers' log lines: printed on the terminal as they come, and kept with
//! the invocation that wrote them, for the page.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

tokio::task_local! {
    /// The invocation the running handler serves (set around each call).
    pub static INVOCATION: u64;
}

/// Log lines by invocation, until the invocation ends and takes them.
#[derive(Default)]
pub struct Capture {
    lines: Mutex<HashMap<u64, Vec<String>>>,
}

impl Capture {
    pub fn take(&self, invocation: u64) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).remove(&invocation).unwrap_or_default()
    }
}

struct Layered(Arc<Capture>);

impl<S: Subscriber> Layer<S> for Layered {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        let Ok(invocation) = INVOCATION.try_with(|id| *id) else { return };
        let mut line = Line(format!("{} ", event.metadata().level()));
        event.record(&mut line);
        self.0.lines.lock().unwrap_or_else(|p| p.into_inner()).entry(invocation).or_default().push(line.0);
    }
}

/// `message` first, then `key=value` for each other field.
struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

/// Terminal output (level from `RUST_LOG`, default `info`) plus the capture.
pub fn init() -> Arc<Capture> {
    let capture = Arc::new(Capture::default());
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let terminal = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_target(false).without_time();
    let _ = tracing_subscriber::registry().with(filter).with(terminal).with(Layered(capture.clone())).try_init();
    capture
}
