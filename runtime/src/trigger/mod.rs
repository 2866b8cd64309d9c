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
pub mod kinesis;
pub mod s3;
pub mod schedule;
pub mod sns;
pub mod sqs;
pub mod stream;

pub use api::{HttpMethod, HttpRoute};
pub use event::EventTrigger;
pub use s3::{ObjectEvent, S3Trigger};
pub use schedule::ScheduleTrigger;
pub use sns::SnsTrigger;
pub use sqs::SqsTrigger;
pub use stream::{StartPosition, StreamSource, StreamTrigger};

use crate::cfn::{Fragment, LogicalId, Resource, Value};
use crate::iam::Statement;
use crate::model::{Action, App};
use crate::naming::Naming;
use crate::resource::ResourceSpec;
use crate::Location;
use wirestack_aws::option::Declaration;
use wirestack_aws::trigger as kinds;

/// One event source of an action, where it was declared.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub declared_at: Location,
    pub kind: TriggerKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerKind {
    Sqs(SqsTrigger),
    Sns(SnsTrigger),
    S3(S3Trigger),
    Stream(StreamTrigger),
    Event(EventTrigger),
    Schedule(ScheduleTrigger),
    Http(HttpRoute),
}

/// Where a trigger's events come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source<'a> {
    /// A resource of the app: a queue, topic, bucket, stream, table or bus.
    Resource(&'a str),
    /// The account's default EventBridge bus.
    DefaultBus,
    /// A schedule expression.
    Clock(&'a str),
    /// The app's HTTP API, by route key (`GET /orders/{id}`).
    Api(String),
}

/// What a trigger renders against: its action's function.
pub struct Scope<'a> {
    pub app: &'a App,
    pub action: &'a Action,
    pub function: &'a LogicalId,
    pub naming: &'a Naming,
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
    type Resource: crate::resource::Resource;

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

    pub fn render(&self, scope: &Scope<'_>, wiring: &mut Wiring<'_>) {
        match self {
            TriggerKind::Sqs(t) => t.render(scope, wiring),
            TriggerKind::Sns(t) => t.render(scope, wiring),
            TriggerKind::S3(t) => t.render(scope, wiring),
            TriggerKind::Stream(t) => t.render(scope, wiring),
            TriggerKind::Event(t) => t.render(scope, wiring),
            TriggerKind::Schedule(t) => t.render(scope, wiring),
            TriggerKind::Http(t) => t.render(scope, wiring),
        }
    }

    /// Whether Lambda invokes the function asynchronously for this source,
    /// so an event that keeps failing is dropped unless the function has a
    /// dead-letter queue. (SQS is polled and has its own; HTTP is synchronous; S3, SNS and
    /// EventBridge invoke asynchronously.)
    pub fn invokes_asynchronously(&self) -> bool {
        matches!(self, TriggerKind::Sns(_) | TriggerKind::S3(_) | TriggerKind::Event(_) | TriggerKind::Schedule(_))
    }

    /// The singleton this trigger names, and the kind of resource it must be.
    pub fn target(&self) -> Option<(&str, &'static str)> {
        match self {
            TriggerKind::Sqs(sqs) => Some((&sqs.queue, "queue")),
            TriggerKind::Sns(sns) => Some((&sns.topic, "topic")),
            TriggerKind::S3(s3) => Some((&s3.bucket, "bucket")),
            TriggerKind::Stream(StreamTrigger { source: StreamSource::Kinesis { stream }, .. }) => {
                Some((stream, "stream"))
            }
            TriggerKind::Stream(StreamTrigger { source: StreamSource::DynamoDb { table }, .. }) => {
                Some((table, "table"))
            }
            TriggerKind::Event(EventTrigger { bus, .. }) => bus.as_deref().map(|bus| (bus, "bus")),
            TriggerKind::Http(HttpRoute { auth, .. }) => auth.as_deref().map(|pool| (pool, "user pool")),
            TriggerKind::Schedule(_) => None,
        }
    }

    /// Where this trigger's events come from, for the wiring graph.
    pub fn source(&self) -> Source<'_> {
        match self {
            TriggerKind::Sqs(sqs) => Source::Resource(&sqs.queue),
            TriggerKind::Sns(sns) => Source::Resource(&sns.topic),
            TriggerKind::S3(s3) => Source::Resource(&s3.bucket),
            TriggerKind::Stream(stream) => Source::Resource(stream.source.resource()),
            TriggerKind::Event(EventTrigger { bus: Some(bus), .. }) => Source::Resource(bus),
            TriggerKind::Event(EventTrigger { bus: None, .. }) => Source::DefaultBus,
            TriggerKind::Schedule(schedule) => Source::Clock(&schedule.expression),
            TriggerKind::Http(route) => Source::Api(route.route_key()),
        }
    }

    /// Whether a second such trigger of one action on the same source would
    /// deliver every event twice. (Rules on one bus, routes behind one pool
    /// and notifications of one bucket each select their own events.)
    pub fn takes_every_event(&self) -> bool {
        matches!(self, TriggerKind::Sqs(_) | TriggerKind::Sns(_) | TriggerKind::Stream(_))
    }

    /// For triggers wired into their resource (a bucket's notifications, a
    /// table's stream): the trigger as a message names it, and how to fix
    /// one on an existing resource, which the stack cannot change.
    pub fn wired_into_resource(&self) -> Option<(&'static str, &'static str)> {
        match self {
            TriggerKind::S3(_) => Some((
                "an `s3` trigger",
                "S3 notifications are a property of the bucket: declare it with `Bucket::new()`, or configure the existing bucket's notifications where it is defined",
            )),
            TriggerKind::Stream(StreamTrigger { source: StreamSource::DynamoDb { .. }, .. }) => Some((
                "a `dynamodb` trigger",
                "its stream's ARN is not known here: declare the table with `Table::new()`, or wire the existing stream with a `Raw` event source mapping",
            )),
            _ => None,
        }
    }

    /// The kind's name, as written in `#[trigger(..)]`.
    pub fn name(&self) -> &'static str {
        match self {
            TriggerKind::Sqs(_) => kinds::sqs::NAME,
            TriggerKind::Sns(_) => kinds::sns::NAME,
            TriggerKind::S3(_) => kinds::s3::NAME,
            TriggerKind::Stream(StreamTrigger { source: StreamSource::Kinesis { .. }, .. }) => kinds::kinesis::NAME,
            TriggerKind::Stream(StreamTrigger { source: StreamSource::DynamoDb { .. }, .. }) => kinds::dynamodb::NAME,
            TriggerKind::Event(_) => kinds::event::NAME,
            TriggerKind::Schedule(_) => kinds::schedule::NAME,
            TriggerKind::Http(_) => kinds::api::NAME,
        }
    }
}

/// `lambda:InvokeFunction` for a push source, scoped to that one source.
pub fn invoke_permission(scope: &Scope<'_>, principal: &str, source_arn: Value) -> Resource {
    Resource::new(
        "AWS::Lambda::Permission",
        Value::map([
            ("Action", Value::from("lambda:InvokeFunction")),
            ("FunctionName", Value::get_att(scope.function, "Arn")),
            ("Principal", Value::from(principal)),
            ("SourceArn", source_arn),
        ]),
    )
}
