//! Trigger kinds. Each module is named like its kind (`#[trigger(sqs ..)]` is
//! `trigger::sqs`) and owns the kind's runtime side: reading its declaration
//! into the model, the compile-time checks the macros call (`source`,
//! `message_of`), its Lambda-side adapter, the resources that wire it to the
//! function and the permissions it needs (lookback on the one queue it
//! reads, or a `Lambda::Permission` scoped to the one source that pushes).
//! What the macros check it against is the kind's table in
//! `wirestack_aws::trigger`. [`TriggerKind`] is the one place that lists them.

pub mod api;
pub mod dynamodb;
pub mod event;
pub mod iot;
pub mod kinesis;
pub mod s3;
pub mod schedule;
pub mod sns;
pub mod sqs;
pub mod stream;

pub use api::{HttpMethod, HttpRoute};
pub use event::EventTrigger;
pub use iot::IotTrigger;
pub use s3::{ObjectEvent, S3Trigger};
pub use schedule::ScheduleTrigger;
pub use sns::SnsTrigger;
pub use sqs::SqsTrigger;
pub use stream::{StartPosition, StreamSource, StreamTrigger};

use crate::cfn::{CfnResource, Fragment, LogicalId, Value};
use crate::iam::Statement;
use crate::model::{Action, App, Resource as ModelResource};
use crate::naming::Naming;
use crate::problem::Problem;
use crate::resource::{Handle, ResourceSpec};
use crate::wiring::Graph;
use crate::Location;
use wirestack_aws::option::Declaration;
use wirestack_aws::trigger as kinds;

/// One event source of an action, where it was declared.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub declared_at: Location,
    pub kind: TriggerKind,
}

/// One trigger in the model, as its kind's module reads it: the one list of
/// the kinds, with `TriggerKind::declared` and `event_source` beside it.
#[derive(Clone, Debug, PartialEq)]
pub enum TriggerKind {
    Sqs(SqsTrigger),
    Sns(SnsTrigger),
    S3(S3Trigger),
    Stream(StreamTrigger),
    Event(EventTrigger),
    Schedule(ScheduleTrigger),
    Http(HttpRoute),
    Iot(IotTrigger),
}

/// Where a trigger's events come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin<'a> {
    /// A resource of the app: a queue, topic, bucket, stream, table or bus.
    Resource(&'a str),
    /// Something outside the app: `what` it is ("schedule", "default bus")
    /// and its `name` there (the expression, the topic filter), if any.
    Outside { what: &'static str, name: &'a str },
    /// The app's HTTP API, by route key (`GET /orders/{id}`).
    Api(String),
}

/// The function a trigger wires into: its action, its logical id, and the
/// app and naming it renders in.
pub struct Function<'a> {
    pub app: &'a App,
    pub graph: &'a Graph,
    pub action: &'a Action,
    pub id: &'a LogicalId,
    pub naming: &'a Naming,
}

impl Function<'_> {
    /// How the trigger refers to the resource it names: by what the
    /// resource's kind says of itself, never by its settings.
    pub fn target(&self, name: &str) -> Handle {
        let resource = self.app.resource(name).expect("validation checked the trigger's target");
        resource.spec.handle(name, self.naming)
    }
}

/// Where a trigger's output goes: resources into the action's fragment,
/// statements into the action's role.
pub struct Wiring<'a> {
    pub fragment: &'a mut Fragment,
    pub statements: &'a mut Vec<Statement>,
}

/// What a kind that may stand without a target (`#[trigger(sqs)]`) gives
/// its action: the type behind the action's name in type position, for a
/// handler of `M` messages.
pub trait Owns<M> {
    type Resource: crate::resource::IntoResource;

    fn resource() -> Self::Resource;
}

impl TriggerKind {
    /// The trigger `action` declares, read by its kind's module; `None` for
    /// a kind this runtime does not know (macros of another version).
    pub fn declared(declaration: &Declaration<'_>, action: &str) -> Option<TriggerKind> {
        Some(match declaration.kind {
            kinds::sqs::NAME => TriggerKind::Sqs(SqsTrigger::declared(declaration, action)),
            kinds::sns::NAME => TriggerKind::Sns(SnsTrigger::declared(declaration)),
            kinds::s3::NAME => TriggerKind::S3(S3Trigger::declared(declaration)),
            kinds::kinesis::NAME => TriggerKind::Stream(kinesis::declared(declaration)),
            kinds::dynamodb::NAME => TriggerKind::Stream(dynamodb::declared(declaration)),
            kinds::event::NAME => TriggerKind::Event(EventTrigger::declared(declaration)),
            kinds::schedule::NAME => TriggerKind::Schedule(ScheduleTrigger::declared(declaration)),
            kinds::api::NAME => TriggerKind::Http(HttpRoute::declared(declaration)),
            kinds::iot::NAME => TriggerKind::Iot(IotTrigger::declared(declaration)),
            _ => return None,
        })
    }

    /// The resource a declaration gives its action, if its kind gives one.
    pub fn owned(declaration: &Declaration<'_>) -> Option<ResourceSpec> {
        match declaration.kind {
            kinds::sqs::NAME => sqs::owned(declaration),
            _ => None,
        }
    }

    /// The kind's own model, which answers for it: the one `match` over
    /// the kinds (beside [`TriggerKind::declared`]).
    fn event_source(&self) -> &dyn EventSource {
        match self {
            TriggerKind::Sqs(t) => t,
            TriggerKind::Sns(t) => t,
            TriggerKind::S3(t) => t,
            TriggerKind::Stream(t) => t,
            TriggerKind::Event(t) => t,
            TriggerKind::Schedule(t) => t,
            TriggerKind::Http(t) => t,
            TriggerKind::Iot(t) => t,
        }
    }
}

/// What only all the triggers of one kind together show: the one list of
/// the kinds that have such rules.
pub fn app_problems(app: &App, graph: &Graph) -> Vec<Problem> {
    let mut problems = api::duplicate_routes(app);
    problems.extend(api::over_quota(graph));
    problems.extend(s3::overlapping_notifications(app));
    problems
}

/// What a trigger of each kind says of itself at synth time. Each kind's
/// module implements it for its model; the defaults say what most kinds do.
pub trait EventSource {
    /// The kind's name, as written in `#[trigger(..)]`.
    fn name(&self) -> &'static str;

    /// Where its events come from: an edge of the wiring graph.
    fn origin(&self) -> Origin<'_>;

    /// The trigger in a message: "a `sqs` trigger".
    fn as_written(&self) -> String {
        format!("a `{}` trigger", self.name())
    }

    /// The singleton it names, and the kind of resource that must be.
    fn target(&self) -> Option<(&str, &'static str)> {
        None
    }

    /// Whether Lambda invokes the function asynchronously for this source,
    /// so an event that keeps failing is dropped unless the function has a
    /// dead-letter queue. (SQS is polled and has its own; HTTP is
    /// synchronous; S3, SNS and EventBridge invoke asynchronously.)
    fn invokes_asynchronously(&self) -> bool {
        false
    }

    /// Whether Lambda sends what it gives up on (a polled stream's records)
    /// to the action's failed-events queue.
    fn keeps_what_fails(&self) -> bool {
        false
    }

    /// Whether a second such trigger of one action on the same source would
    /// deliver every event twice. (Rules on one bus, routes behind one pool
    /// and notifications of one bucket each select their own events.)
    fn takes_every_event(&self) -> bool {
        false
    }

    /// For triggers wired into their resource (a bucket's notifications, a
    /// table's stream): the trigger as a message names it, and how to fix
    /// one on an existing resource, which the stack cannot change.
    fn wired_into_resource(&self) -> Option<(&'static str, &'static str)> {
        None
    }

    /// What the resource it names (of the right kind) refuses of it, or of
    /// `action` (a FIFO queue's batching window, a consumer slower than the
    /// queue's visibility timeout).
    fn problems(&self, _action: &Action, _declared_at: Location, _target: &ModelResource) -> Vec<Problem> {
        Vec::new()
    }

    /// The resources that wire it to its function, and the statements the
    /// function's role needs for it.
    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>);

    /// A realistic event it delivers, for `invoke --sample` to print.
    fn sample(&self) -> serde_json::Value;
}

/// Each question goes to the trigger's own kind.
impl EventSource for TriggerKind {
    fn name(&self) -> &'static str {
        self.event_source().name()
    }

    fn origin(&self) -> Origin<'_> {
        self.event_source().origin()
    }

    fn as_written(&self) -> String {
        self.event_source().as_written()
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        self.event_source().target()
    }

    fn invokes_asynchronously(&self) -> bool {
        self.event_source().invokes_asynchronously()
    }

    fn keeps_what_fails(&self) -> bool {
        self.event_source().keeps_what_fails()
    }

    fn takes_every_event(&self) -> bool {
        self.event_source().takes_every_event()
    }

    fn wired_into_resource(&self) -> Option<(&'static str, &'static str)> {
        self.event_source().wired_into_resource()
    }

    fn problems(&self, action: &Action, declared_at: Location, target: &ModelResource) -> Vec<Problem> {
        self.event_source().problems(action, declared_at, target)
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        self.event_source().render(function, wiring)
    }

    fn sample(&self) -> serde_json::Value {
        self.event_source().sample()
    }
}

/// A problem between a trigger and the resource it names, at both places.
pub fn between(problem: Problem, declared_at: Location, target: &ModelResource) -> Problem {
    problem.at(declared_at, "the trigger").at(target.defined_at, format!("`{}` is declared here", target.name))
}

/// `lambda:InvokeFunction` for a push source, scoped to that one source.
pub fn invoke_permission(function: &Function<'_>, principal: &'static str, source_arn: Value) -> CfnResource {
    CfnResource::new(
        "AWS::Lambda::Permission",
        Value::map([
            ("Action", Value::from("lambda:InvokeFunction")),
            ("FunctionName", Value::get_att(function.id, "Arn")),
            ("Principal", Value::from(principal)),
            ("SourceArn", source_arn),
        ]),
    )
}
