//! `#[trigger(sqs)]` and `#[trigger(sqs = queue)]`: an event source mapping
//! that reports partial batch failures, so only failed messages are retried.

use super::{between, EventSource, Function, Origin, Owns, Wiring};
use crate::cfn::{CfnResource, LogicalId, Value};
use crate::handler::messages::Source;
use crate::iam::{Permission, Statement};
use crate::kinds::Singleton;
use crate::model::{Action, Resource as ModelResource};
use crate::problem::Problem;
use crate::resource::{queue, Delivery, Fifo, Queue, QueueSpec, ResourceSpec, Standard};
use crate::{sample, Location};
use wirestack_aws::option::Declaration;
use wirestack_aws::trigger::sqs as kinds;

/// What Lambda's poller needs on the queue it consumes.
pub const CONSUME: [Permission; 3] = [
    Permission::new("sqs", "ReceiveMessage"),
    Permission::new("sqs", "DeleteMessage"),
    Permission::new("sqs", "GetQueueAttributes"),
];

/// Lambda's default batch size for SQS.
pub const DEFAULT_BATCH: u32 = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct SqsTrigger {
    /// The queue's resource name: a singleton's, or the action's own.
    pub queue: String,
    pub batch_size: Option<u32>,
    pub window_s: Option<u32>,
}

impl SqsTrigger {
    /// The trigger `action` declares: on the queue it names, or on the
    /// action's own queue (named like the action).
    pub(super) fn declared(declaration: &Declaration<'_>, action: &str) -> SqsTrigger {
        SqsTrigger {
            queue: declaration.target_text().unwrap_or(action).to_owned(),
            batch_size: declaration.int("batch"),
            window_s: declaration.int("window"),
        }
    }
}

impl EventSource for SqsTrigger {
    fn name(&self) -> &'static str {
        kinds::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Resource(&self.queue)
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        Some((&self.queue, "queue"))
    }

    fn takes_every_event(&self) -> bool {
        true
    }

    /// What a FIFO queue refuses (a batching window, batches over ten), and
    /// a queue whose messages reappear before its consumer is done.
    fn problems(&self, action: &Action, declared_at: Location, target: &ModelResource) -> Vec<Problem> {
        let ResourceSpec::Queue(queue) = &target.spec else { return Vec::new() };
        let (name, mut problems) = (&target.name, Vec::new());
        if queue.fifo && self.window_s.is_some() {
            problems.push(between(
                Problem::new(format!(
                    "`{}` sets a batching window on FIFO queue `{name}`; Lambda allows none on FIFO queues",
                    action.name
                ))
                .help("remove `window`"),
                declared_at,
                target,
            ));
        }
        if let Some(batch) = self.batch_size.filter(|batch| queue.fifo && *batch > kinds::MAX_UNWINDOWED_BATCH) {
            let most = kinds::MAX_UNWINDOWED_BATCH;
            problems.push(between(
                Problem::new(format!(
                    "`{}` asks for batches of {batch} from FIFO queue `{name}`; Lambda allows at most {most}",
                    action.name
                ))
                .help(format!("use `batch = {most}` or less")),
                declared_at,
                target,
            ));
        }
        let timeout = action.settings.timeout_s;
        if let Some(visibility) = queue.visibility_timeout_s.filter(|visibility| *visibility < timeout) {
            let recommended = queue::VISIBILITY_PER_TIMEOUT;
            problems.push(
                Problem::new(format!(
                    "queue `{name}` has a visibility timeout of {visibility} s, below the {timeout} s timeout of its consumer `{}`; AWS rejects this at deploy",
                    action.name
                ))
                .at(target.defined_at, format!("`{name}` is declared here"))
                .at(action.defined_at, format!("`{}` is declared here", action.name))
                .help(format!(
                    "raise the queue's visibility timeout to at least {timeout} ({recommended} times, {}, is recommended) or lower the action's timeout",
                    timeout * recommended
                )),
            );
        }
        problems
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let queue = function.target(&self.queue).arn.expect("a queue has an ARN");
        let mut properties = vec![
            ("EventSourceArn", queue.clone()),
            ("FunctionName", Value::reference(function.id)),
            ("BatchSize", Value::from(self.batch_size.unwrap_or(DEFAULT_BATCH))),
            ("FunctionResponseTypes", Value::list([Value::from("ReportBatchItemFailures")])),
            ("Enabled", Value::from(true)),
        ];
        if let Some(window) = self.window_s {
            properties.push(("MaximumBatchingWindowInSeconds", Value::from(window)));
        }
        let id = LogicalId::new(&[&function.action.name, &self.queue, "Mapping"]);
        wiring.fragment.add(&id, CfnResource::new("AWS::Lambda::EventSourceMapping", Value::map(properties)));
        wiring.statements.push(Statement::allow(&CONSUME, vec![queue]));
    }

    fn sample(&self) -> serde_json::Value {
        sample::sqs(&["{}"])
    }
}

/// The queue `#[trigger(sqs)]` gives its action, FIFO with `fifo`.
pub(super) fn owned(declaration: &Declaration<'_>) -> Option<ResourceSpec> {
    let fifo = declaration.flag("fifo");
    declaration.target.is_none().then(|| ResourceSpec::Queue(QueueSpec { fifo, ..QueueSpec::default() }))
}

/// The type of that queue, by its `fifo` flag: the action's name in type
/// position is its singleton (`Sender<notify>`).
pub struct Own<const FIFO: bool>;

impl<M> Owns<M> for Own<false> {
    type Resource = Queue<M, Standard>;

    fn resource() -> Queue<M, Standard> {
        Queue::new()
    }
}

impl<M> Owns<M> for Own<true> {
    type Resource = Queue<M, Fifo>;

    fn resource() -> Queue<M, Fifo> {
        Queue::new()
    }
}

/// Where the Lambda-side adapter reads messages from in an SQS event.
pub const MESSAGES: Source = Source::Sqs;

/// A resource an `sqs` trigger can consume.
#[diagnostic::on_unimplemented(
    message = "an `sqs` trigger needs a queue, but this singleton is a `{Self}`",
    label = "not a `Queue<T>`",
    note = "name a `#[singleton]` that returns `Queue<T>`, or write `#[trigger(sqs)]` to give the action a queue of its own"
)]
pub trait QueueKind {}
impl<T, D: Delivery> QueueKind for Queue<T, D> {}

/// A queue carrying `T` messages.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` messages, but its `sqs` trigger names a `{Self}`",
    label = "expected the message type of a `Queue<{T}>` singleton",
    note = "producer and consumer must agree: take the queue's message type, or name a queue of `{T}`"
)]
pub trait QueueOf<T> {}
impl<T, D: Delivery> QueueOf<T> for Queue<T, D> {}

/// `#[trigger(sqs = S)]` compiles only when `S` is a queue singleton.
pub fn source<S: Singleton>()
where
    S::Resource: QueueKind,
{
}

/// `#[trigger(sqs = S)]` on a handler of `T`: `S` is a `Queue<T>` singleton.
pub fn message_of<S: Singleton, T>()
where
    S::Resource: QueueOf<T>,
{
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_visibility_timeout_below_a_consumers_timeout_names_both() {
        let mut slow = action("slow", 5, vec![sqs("jobs")]);
        slow.settings.timeout_s = 120;
        let app = app(vec![slow], vec![queue("jobs", 9, Some(60))]);
        let problems = problems(&app);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("visibility timeout of 60 s, below the 120 s timeout of its consumer `slow`"));
        assert!(problems[0].contains("src/lib.rs:9:1") && problems[0].contains("src/lib.rs:5:1"));
    }

    #[test]
    fn what_fifo_sources_refuse_is_reported() {
        use crate::resource::IntoResource as _;
        let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
        let resources = vec![
            resource("payments", crate::Queue::<u32, crate::Fifo>::new().into_spec()),
            resource("ledger", crate::Topic::<u32, crate::Fifo>::new().into_spec()),
            resource("old", crate::Queue::<u32>::existing("arn:aws:sqs:us-east-1:123456789012:old.fifo").into_spec()),
        ];
        let windowed =
            TriggerKind::Sqs(SqsTrigger { queue: "payments".to_owned(), batch_size: Some(100), window_s: Some(5) });
        let subscriber = TriggerKind::Sns(SnsTrigger { topic: "ledger".to_owned() });
        let problems =
            problems(&app(vec![action("pay", 10, vec![windowed]), action("log", 20, vec![subscriber])], resources));
        let expected = [
            "`pay` sets a batching window on FIFO queue `payments`",
            "`pay` asks for batches of 100 from FIFO queue `payments`; Lambda allows at most 10",
            "`log` subscribes to FIFO topic `ledger`, but only SQS FIFO queues can subscribe to a FIFO topic",
            "queue `old` is declared a standard `Queue<T>`, but `arn:aws:sqs:us-east-1:123456789012:old.fifo` names a FIFO queue",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for expected in expected {
            assert!(problems.iter().any(|p| p.contains(expected)), "no `{expected}` in {problems:#?}");
        }
    }
}
