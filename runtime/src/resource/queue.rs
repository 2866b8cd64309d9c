//! `Queue<T>`: an SQS queue carrying messages of type `T`, with a dead-letter
//! queue that failed messages end in.

use super::arn::{self, Arn};
use super::delivery::{self, Delivery, Standard};
use super::{name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Pseudo, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::model::App;
use crate::naming::Naming;
use crate::problem::Problem;
use crate::wiring::Graph;
use std::marker::PhantomData;

/// What a `Sender` needs on the queue.
pub const SEND: [Permission; 1] = [Permission::new("sqs", "SendMessage")];

/// SQS's limits.
pub const MAX_NAME_LEN: usize = 80;
const VISIBILITY_S: std::ops::RangeInclusive<u32> = 0..=43_200;
const RETENTION_S: std::ops::RangeInclusive<u32> = 60..=1_209_600;
const MAX_RECEIVE_COUNT: std::ops::RangeInclusive<u32> = 1..=1_000;
/// A visibility timeout of six times the consumer's timeout leaves room for
/// retries inside one batch, as AWS recommends.
pub const VISIBILITY_PER_TIMEOUT: u32 = 6;
/// SQS's own default, for a queue nothing here consumes.
pub const SQS_DEFAULT_VISIBILITY_S: u32 = 30;
const DEFAULT_MAX_RECEIVE_COUNT: u32 = 5;
/// What makes CloudFormation replace a queue (a new queue, its messages
/// left in the old one).
const REPLACED_BY: [&str; 2] = ["QueueName", "FifoQueue"];

/// An SQS queue of `T` messages, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn orders() -> Queue<Order> { Queue::new().visibility_timeout(60) }
///
/// #[singleton]
/// fn payments() -> Queue<Payment, Fifo> { Queue::new() }
/// ```
pub struct Queue<T, D: Delivery = Standard> {
    spec: QueueSpec,
    message: PhantomData<fn() -> (T, D)>,
}

/// A queue's settings; `None` means wirestack's default.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueSpec {
    pub visibility_timeout_s: Option<u32>,
    pub retention_s: Option<u32>,
    pub max_receive_count: u32,
    /// The ARN of an existing queue to use instead of creating one.
    pub existing: Option<String>,
    /// A FIFO queue (`Queue<T, Fifo>`).
    pub fifo: bool,
    /// Kept when the stack goes (the default), or deleted with it.
    pub removal: Removal,
}

impl Default for QueueSpec {
    fn default() -> QueueSpec {
        QueueSpec {
            visibility_timeout_s: None,
            retention_s: None,
            max_receive_count: DEFAULT_MAX_RECEIVE_COUNT,
            existing: None,
            fifo: false,
            removal: Removal::Retain,
        }
    }
}

impl<T, D: Delivery> Queue<T, D> {
    /// A new queue; FIFO when the declared type says `Queue<T, Fifo>`.
    pub fn new() -> Queue<T, D> {
        Queue { spec: QueueSpec { fifo: D::FIFO, ..QueueSpec::default() }, message: PhantomData }
    }

    /// An existing queue, by ARN: nothing is created, and its capabilities
    /// and triggers are granted on exactly that ARN. (Its settings are its
    /// own: the builder methods below do not apply to it. A FIFO queue's
    /// must have content-based deduplication on for `send_to_group`.)
    pub fn existing(arn: &str) -> Queue<T, D> {
        Queue {
            spec: QueueSpec { existing: Some(arn.to_owned()), fifo: D::FIFO, ..QueueSpec::default() },
            message: PhantomData,
        }
    }

    /// Seconds a received message stays hidden from other consumers. Must be
    /// at least each consumer's timeout; by default six times the longest.
    pub fn visibility_timeout(mut self, seconds: u32) -> Queue<T, D> {
        self.spec.visibility_timeout_s = Some(seconds);
        self
    }

    /// Seconds a message is kept before SQS drops it (60 to 1,209,600).
    pub fn retention(mut self, seconds: u32) -> Queue<T, D> {
        self.spec.retention_s = Some(seconds);
        self
    }

    /// Receives before a message moves to the dead-letter queue (default 5).
    pub fn max_receive_count(mut self, count: u32) -> Queue<T, D> {
        self.spec.max_receive_count = count;
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Queue<T, D> {
        self.spec.removal = Removal::Delete;
        self
    }
}

impl<T, D: Delivery> Default for Queue<T, D> {
    fn default() -> Queue<T, D> {
        Queue::new()
    }
}

impl<T, D: Delivery> IntoResource for Queue<T, D> {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Queue(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Queue"])
}

/// What a queue's dead-letter queue adds to its name.
pub const DEAD_LETTER_SUFFIX: &str = "-dlq";

fn dead_letter_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "DeadLetterQueue"])
}

/// A queue that keeps what failed for as long as SQS allows (14 days), for
/// someone to inspect and redrive. A FIFO queue's must be FIFO too.
///
/// Its `RedriveAllowPolicy` names exactly the queues that may use it as
/// their dead-letter queue (`sources`, physical names), or none at all for
/// a function's failed-events queue, which only Lambda writes to.
pub fn dead_letter_queue(physical_name: String, fifo: bool, sources: &[String], removal: Removal) -> CfnResource {
    let allow = match sources {
        [] => Value::map([("redrivePermission", Value::from("denyAll"))]),
        sources => Value::map([
            ("redrivePermission", Value::from("byQueue")),
            ("sourceQueueArns", Value::list(sources.iter().map(|source| arn_of(source)))),
        ]),
    };
    let mut properties = vec![
        ("QueueName", Value::from(delivery::name(physical_name, fifo))),
        ("MessageRetentionPeriod", Value::from(*RETENTION_S.end())),
        ("SqsManagedSseEnabled", Value::from(true)),
        ("RedriveAllowPolicy", allow),
    ];
    if fifo {
        properties.push(("FifoQueue", Value::from(true)));
    }
    CfnResource::new("AWS::SQS::Queue", Value::map(properties)).holding_data(&REPLACED_BY, removal)
}

/// The ARN of the queue this stack creates as `physical` (its full name),
/// built from the name: the source queue refers to its dead-letter queue, so
/// a reference back would be a cycle.
fn arn_of(physical: &str) -> Value {
    Value::arn_in_account("sqs", [physical.to_owned().into()])
}

/// The variable holding queue `name`'s URL in a function that may use it.
pub fn url_env(name: &str) -> String {
    format!("WIRESTACK_QUEUE_{}", name.to_ascii_uppercase())
}

impl QueueSpec {
    /// The queue's ARN, for grants and event source mappings.
    pub fn arn(&self, name: &str) -> Value {
        match &self.existing {
            Some(arn) => Value::from(arn.clone()),
            None => Value::get_att(&logical_id(name), "Arn"),
        }
    }

    /// Its visibility timeout: as set, or six times its slowest consumer's
    /// timeout (SQS's own default of 30 s when nothing consumes it).
    pub fn visibility_timeout_s(&self, scope: &Scope<'_>) -> u32 {
        self.visibility_timeout_in(scope.app, scope.graph, &scope.resource.name)
    }

    /// As [`QueueSpec::visibility_timeout_s`], for the queue `name` of `app`.
    pub fn visibility_timeout_in(&self, app: &App, graph: &Graph, name: &str) -> u32 {
        self.visibility_timeout_s.unwrap_or_else(|| {
            let consumers = graph.fed_by(name, wirestack_aws::trigger::sqs::NAME);
            consumers
                .filter_map(|action| app.action(action))
                .map(|action| action.settings.timeout_s * VISIBILITY_PER_TIMEOUT)
                .max()
                .unwrap_or(SQS_DEFAULT_VISIBILITY_S)
        })
    }

    /// The queue's URL: `Ref` of a created queue, or built from an existing
    /// queue's ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`).
    fn url(&self, name: &str) -> Value {
        match self.existing.as_deref().and_then(parse_arn) {
            Some(Arn { region, account, resource: queue }) => Value::Sub(vec![
                format!("https://sqs.{region}.").into(),
                Pseudo::UrlSuffix.into(),
                format!("/{account}/{queue}").into(),
            ]),
            None => Value::reference(&logical_id(name)),
        }
    }
}

impl ResourceKind for QueueSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: Some(self.arn(name)), name: None, id: self.existing.is_none().then(|| logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "queue"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        match access {
            Access::Send => {
                Some(Grant::one(Statement::allow(&SEND, vec![self.arn(name)]), (url_env(name), self.url(name))))
            }
            Access::Publish | Access::Read | Access::Write | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let physical = scope.naming.physical(name);
        let mut fragment = scope.fragment();
        if self.existing.is_some() {
            return fragment;
        }
        let dead_letter = dead_letter_id(name);
        let queue_name = delivery::name(physical.clone(), self.fifo);
        fragment.add(
            &dead_letter,
            dead_letter_queue(
                format!("{physical}{DEAD_LETTER_SUFFIX}"),
                self.fifo,
                std::slice::from_ref(&queue_name),
                self.removal,
            ),
        );
        let mut properties = vec![
            ("QueueName", Value::from(queue_name)),
            ("VisibilityTimeout", Value::from(self.visibility_timeout_s(scope))),
            ("SqsManagedSseEnabled", Value::from(true)),
            (
                "RedrivePolicy",
                Value::map([
                    ("deadLetterTargetArn", Value::get_att(&dead_letter, "Arn")),
                    ("maxReceiveCount", Value::from(self.max_receive_count)),
                ]),
            ),
        ];
        if let Some(retention) = self.retention_s {
            properties.push(("MessageRetentionPeriod", Value::from(retention)));
        }
        if self.fifo {
            properties.push(("FifoQueue", Value::from(true)));
            properties.push(("ContentBasedDeduplication", Value::from(true)));
        }
        let queue = logical_id(name);
        fragment.add(
            &queue,
            CfnResource::new("AWS::SQS::Queue", Value::map(properties)).holding_data(&REPLACED_BY, self.removal),
        );
        fragment.output(
            LogicalId::new(&[name, "QueueUrl"]),
            format!("URL of queue `{name}`"),
            Value::reference(&queue),
        );
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        if let Some(arn) = &self.existing {
            return match parse_arn(arn) {
                Some(Arn { resource: name, .. }) if name.ends_with(delivery::FIFO_SUFFIX) != self.fifo => {
                    let (declared, named) = if self.fifo {
                        ("`Queue<T, Fifo>`", "a standard")
                    } else {
                        ("a standard `Queue<T>`", "a FIFO")
                    };
                    vec![Problem::new(format!(
                        "queue `{}` is declared {declared}, but `{arn}` names {named} queue",
                        resource.name
                    ))
                    .at(resource.defined_at, "declared here")
                    .help("FIFO queue names end in `.fifo`: declare the type the queue has")]
                }
                Some(_) => Vec::new(),
                None => vec![arn::not_an_arn(
                    scope,
                    "queue",
                    arn,
                    "an SQS queue ARN",
                    "Queue::existing(\"arn:aws:sqs:REGION:ACCOUNT:NAME\")",
                )],
            };
        }
        let out_of = |what: &str, value: u32, range: &std::ops::RangeInclusive<u32>| {
            (!range.contains(&value)).then(|| {
                Problem::new(format!(
                    "queue `{}` has {what} {value}; SQS allows {} to {}",
                    resource.name,
                    range.start(),
                    range.end()
                ))
                .at(resource.defined_at, "declared here")
            })
        };
        let physical = scope.naming.physical(&resource.name);
        [
            self.visibility_timeout_s.and_then(|v| out_of("a visibility timeout of", v, &VISIBILITY_S)),
            self.retention_s.and_then(|v| out_of("a retention of", v, &RETENTION_S)),
            out_of("a max receive count of", self.max_receive_count, &MAX_RECEIVE_COUNT),
            name_too_long(
                scope,
                &delivery::name(format!("{physical}{DEAD_LETTER_SUFFIX}"), self.fifo),
                MAX_NAME_LEN,
                "dead-letter queue",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// An existing queue's ARN: `arn:PARTITION:sqs:REGION:ACCOUNT:NAME`.
fn parse_arn(arn: &str) -> Option<Arn<'_>> {
    arn::parse(arn, "sqs").filter(|arn| !arn.resource.contains(':'))
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_queue_and_its_dead_letter_queue_are_retained_unless_deleted_with_the_stack() {
        let policies = |queue: Resource| {
            let json = synthesize(&app(vec![], vec![queue]), None).unwrap().stacks.remove(0).template.to_json();
            ["JobsQueue", "JobsDeadLetterQueue"].map(|id| {
                (json["Resources"][id]["DeletionPolicy"].clone(), json["Resources"][id]["UpdateReplacePolicy"].clone())
            })
        };
        assert_eq!(
            policies(queue("jobs", 1, None)),
            [("Retain".into(), "Retain".into()), ("Retain".into(), "Retain".into())]
        );
        let mut deleted = queue("jobs", 1, None);
        let ResourceSpec::Queue(spec) = &mut deleted.spec else { unreachable!() };
        spec.removal = crate::cfn::Removal::Delete;
        let none = (serde_json::Value::Null, serde_json::Value::Null);
        assert_eq!(policies(deleted), [none.clone(), none]);
    }

    #[test]
    fn an_unset_visibility_timeout_follows_the_slowest_consumer() {
        let mut slow = action("slow", 1, vec![sqs("jobs")]);
        slow.settings.timeout_s = 100;
        let app = app(vec![slow, action("quick", 2, vec![sqs("jobs")])], vec![queue("jobs", 3, None)]);
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
        let queue = &template.resources[&LogicalId::new(&["JobsQueue"])];
        assert_eq!(serde_json::to_value(&queue.properties).unwrap()["VisibilityTimeout"], 600);
    }

    #[test]
    fn a_fifo_queue_renders_fifo_with_a_fifo_dead_letter_queue() {
        use crate::resource::IntoResource as _;
        let payments = Resource {
            name: "payments".to_owned(),
            defined_at: at(1),
            owner: None,
            spec: crate::Queue::<u32, crate::Fifo>::new().into_spec(),
        };
        let app = app(vec![action("pay", 10, vec![sqs("payments")])], vec![payments]);
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
        let queue = &template["Resources"]["PaymentsQueue"]["Properties"];
        assert_eq!(queue["QueueName"], "app-payments.fifo");
        assert_eq!((&queue["FifoQueue"], &queue["ContentBasedDeduplication"]), (&true.into(), &true.into()));
        let dead_letter = &template["Resources"]["PaymentsDeadLetterQueue"]["Properties"];
        assert_eq!(
            (&dead_letter["QueueName"], &dead_letter["FifoQueue"]),
            (&"app-payments-dlq.fifo".into(), &true.into())
        );
    }

    #[test]
    fn an_existing_queue_or_topic_is_used_by_arn_and_not_created() {
        let queue_arn = "arn:aws:sqs:eu-west-1:123456789012:legacy-jobs";
        let topic_arn = "arn:aws:sns:eu-west-1:123456789012:legacy-news";
        let mut worker =
            action("worker", 1, vec![sqs("jobs"), TriggerKind::Sns(SnsTrigger { topic: "news".to_owned() })]);
        worker.capabilities = vec![uses(Access::Send, "jobs"), uses(Access::Publish, "news")];
        let app = app(vec![worker], vec![existing_queue("jobs", queue_arn), existing_topic("news", topic_arn)]);
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
        let kinds: Vec<&str> = template.resources.values().map(|r| r.kind.as_ref()).collect();
        assert!(!kinds.contains(&"AWS::SNS::Topic"), "{kinds:?}");
        // The only queue created is the function's own dead-letter queue.
        assert_eq!(kinds.iter().filter(|k| **k == "AWS::SQS::Queue").count(), 1, "{kinds:?}");
        assert!(template.dangling_references().is_empty());
        let json = template.to_json();
        let resources = &json["Resources"];
        assert_eq!(resources["WorkerJobsMapping"]["Properties"]["EventSourceArn"], queue_arn);
        assert_eq!(resources["WorkerNewsSubscription"]["Properties"]["TopicArn"], topic_arn);
        assert_eq!(resources["WorkerNewsPermission"]["Properties"]["SourceArn"], topic_arn);
        let env = &resources["WorkerFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(
            env["WIRESTACK_QUEUE_JOBS"],
            serde_json::json!({"Fn::Sub": "https://sqs.eu-west-1.${AWS::URLSuffix}/123456789012/legacy-jobs"})
        );
        assert_eq!(env["WIRESTACK_TOPIC_NEWS"], topic_arn);
        let statements =
            resources["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].to_string();
        assert!(statements.contains(queue_arn) && statements.contains(topic_arn), "{statements}");
    }

    #[test]
    fn an_existing_resource_needs_a_real_arn() {
        let app = app(vec![], vec![existing_queue("jobs", "legacy-jobs"), existing_topic("news", "arn:aws:sqs:x:1:y")]);
        let problems = problems(&app).join("\n");
        assert!(problems.contains("queue `jobs` names `legacy-jobs`, which is not an SQS queue ARN"), "{problems}");
        assert!(
            problems.contains("topic `news` names `arn:aws:sqs:x:1:y`, which is not an SNS topic ARN"),
            "{problems}"
        );
    }
}
