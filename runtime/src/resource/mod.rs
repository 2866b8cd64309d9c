//! Resource kinds. Each kind is one module owning its builder, its settings,
//! its rendering, its ARN and the permissions it can grant.

pub mod arn;
pub mod bucket;
pub mod bus;
pub mod delivery;
pub mod layer;
pub mod queue;
pub mod raw;
pub mod secret;
pub mod stream;
pub mod table;
pub mod topic;
pub mod user_pool;

pub use bucket::{Bucket, BucketSpec};
pub use bus::{Bus, BusSpec};
pub use delivery::{Delivery, Fifo, Standard};
pub use layer::{Layer, LayerSpec};
pub use queue::{Queue, QueueSpec};
pub use raw::{Raw, RawSpec};
pub use secret::{Secret, SecretSpec};
pub use stream::{Stream, StreamSpec};
pub use table::{Key, Table, TableSpec};
pub use topic::{Topic, TopicSpec};
pub use user_pool::{UserPool, UserPoolSpec};

use crate::capability::Access;
use crate::cfn::{Fragment, LogicalId, Value};
use crate::code::Code;
use crate::iam::Statement;
use crate::model::{App, Resource as ModelResource};
use crate::naming::Naming;
use crate::problem::Problem;

/// A resource's settings as the App model holds them.
#[derive(Clone, Debug, PartialEq)]
pub enum ResourceSpec {
    Queue(QueueSpec),
    Bucket(BucketSpec),
    Bus(BusSpec),
    Topic(TopicSpec),
    Table(TableSpec),
    Stream(StreamSpec),
    Secret(SecretSpec),
    Layer(LayerSpec),
    UserPool(UserPoolSpec),
    Raw(RawSpec),
}

/// What a `#[singleton]` fn returns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wirestack resource",
    label = "a `#[singleton]` must return a resource",
    note = "resources are `Queue<T>`, `Topic<T>`, `Table<T>`, `Bucket`, `Stream<T>`, `Bus`, `Secret`, `UserPool`, `Layer` and `Raw`: write `fn orders() -> Queue<Order> {{ Queue::new() }}`"
)]
pub trait Resource {
    fn into_spec(self) -> ResourceSpec;

    /// The logical id of the resource named `name` (for `Raw::reference`).
    fn logical_id(name: &str) -> LogicalId
    where
        Self: Sized;
}

/// What a capability on a resource adds to its function: statements on the
/// resource (one per kind of ARN the actions apply to), and one environment
/// variable naming it.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub statements: Vec<Statement>,
    pub env: (String, Value),
}

impl Grant {
    /// The usual grant: one statement on exact ARNs.
    pub fn one(statement: Statement, env: (String, Value)) -> Grant {
        Grant { statements: vec![statement], env }
    }
}

/// What a resource kind needs to render itself.
pub struct Scope<'a> {
    pub app: &'a App,
    pub resource: &'a ModelResource,
    pub naming: &'a Naming,
    /// Where the packaged code (and layers) will be.
    pub code: &'a Code,
}

impl ResourceSpec {
    /// The kind's name in messages: "queue", "topic".
    pub fn kind(&self) -> &'static str {
        match self {
            ResourceSpec::Queue(_) => "queue",
            ResourceSpec::Bucket(_) => "bucket",
            ResourceSpec::Bus(_) => "bus",
            ResourceSpec::Topic(_) => "topic",
            ResourceSpec::Table(_) => "table",
            ResourceSpec::Stream(_) => "stream",
            ResourceSpec::Secret(_) => "secret",
            ResourceSpec::Layer(_) => "layer",
            ResourceSpec::UserPool(_) => "user pool",
            ResourceSpec::Raw(_) => "raw resource",
        }
    }

    /// Whether it names a resource that exists already, so the stack does
    /// not create (or change) it.
    pub fn is_existing(&self) -> bool {
        match self {
            ResourceSpec::Queue(spec) => spec.existing.is_some(),
            ResourceSpec::Bucket(spec) => spec.existing.is_some(),
            ResourceSpec::Bus(spec) => spec.existing.is_some(),
            ResourceSpec::Topic(spec) => spec.existing.is_some(),
            ResourceSpec::Table(spec) => spec.existing.is_some(),
            ResourceSpec::Stream(spec) => spec.existing.is_some(),
            ResourceSpec::Secret(spec) => matches!(spec, SecretSpec::Existing { .. }),
            ResourceSpec::UserPool(spec) => spec.existing.is_some(),
            ResourceSpec::Layer(spec) => matches!(spec, LayerSpec::Existing(_)),
            ResourceSpec::Raw(_) => false,
        }
    }

    pub fn render(&self, scope: &Scope<'_>) -> Fragment {
        match self {
            ResourceSpec::Queue(spec) => spec.render(scope),
            ResourceSpec::Bucket(spec) => spec.render(scope),
            ResourceSpec::Bus(spec) => spec.render(scope),
            ResourceSpec::Topic(spec) => spec.render(scope),
            ResourceSpec::Table(spec) => spec.render(scope),
            ResourceSpec::Stream(spec) => spec.render(scope),
            ResourceSpec::Secret(spec) => spec.render(scope),
            ResourceSpec::Layer(spec) => spec.render(scope),
            ResourceSpec::UserPool(spec) => spec.render(scope),
            ResourceSpec::Raw(spec) => spec.render(scope),
        }
    }

    /// What `access` grants on the resource in `scope`, if this kind offers it.
    pub fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        match self {
            ResourceSpec::Queue(spec) => spec.grant(name, access),
            ResourceSpec::Bucket(spec) => spec.grant(scope, access),
            ResourceSpec::Bus(spec) => spec.grant(scope, access),
            ResourceSpec::Topic(spec) => spec.grant(name, access),
            ResourceSpec::Table(spec) => spec.grant(name, access),
            ResourceSpec::Stream(spec) => spec.grant(name, access),
            ResourceSpec::Secret(spec) => spec.grant(name, access),
            ResourceSpec::Layer(spec) => spec.grant(name, access),
            ResourceSpec::UserPool(spec) => spec.grant(name, access),
            ResourceSpec::Raw(spec) => spec.grant(name, access),
        }
    }

    /// Settings out of AWS's bounds, and physical names too long.
    pub fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        match self {
            ResourceSpec::Queue(spec) => spec.problems(scope),
            ResourceSpec::Bucket(spec) => spec.problems(scope),
            ResourceSpec::Bus(spec) => spec.problems(scope),
            ResourceSpec::Topic(spec) => spec.problems(scope),
            ResourceSpec::Table(spec) => spec.problems(scope),
            ResourceSpec::Stream(spec) => spec.problems(scope),
            ResourceSpec::Secret(spec) => spec.problems(scope),
            ResourceSpec::Layer(spec) => spec.problems(scope),
            ResourceSpec::UserPool(spec) => spec.problems(scope),
            ResourceSpec::Raw(spec) => spec.problems(scope),
        }
    }
}

/// A physical name over a service's length limit, as a problem.
pub fn name_too_long(scope: &Scope<'_>, physical: &str, limit: usize, what: &str) -> Option<Problem> {
    (physical.len() > limit).then(|| {
        Problem::new(format!("{what} name `{physical}` is {} characters; AWS allows {limit}", physical.len()))
            .at(scope.resource.defined_at, format!("`{}` is declared here", scope.resource.name))
            .help("use a shorter name or a shorter stage")
    })
}
