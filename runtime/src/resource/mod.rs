//! Resource kinds. Each kind is one module owning its builder, its settings,
//! its rendering, its ARN and the permissions it can grant.

pub mod arn;
pub mod bucket;
pub mod bus;
pub mod delivery;
pub mod layer;
pub mod parameter;
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
pub use parameter::{Parameter, ParameterSpec};
pub use queue::{Queue, QueueSpec};
pub use raw::{Raw, RawSpec};
pub use secret::{Secret, SecretSpec};
pub use stream::{Stream, StreamSpec};
pub use table::{Key, Table, TableSpec};
pub use topic::{Topic, TopicSpec};
pub use user_pool::{UserPool, UserPoolSpec};

use crate::capability::Access;
use crate::cfn::{Fragment, Home, LogicalId, Value};
use crate::code::Code;
use crate::iam::Statement;
use crate::model::{App, Resource as ModelResource};
use crate::naming::Naming;
use crate::problem::Problem;
use crate::wiring::Graph;

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
    Parameter(ParameterSpec),
    Raw(RawSpec),
}

/// What a `#[singleton]` fn returns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wirestack resource",
    label = "a `#[singleton]` must return a resource",
    note = "resources are `Queue<T>`, `Topic<T>`, `Table<T>`, `Bucket`, `Stream<T>`, `Bus`, `Secret`, `Parameter`, `UserPool`, `Layer` and `Raw`: write `fn orders() -> Queue<Order> {{ Queue::new() }}`"
)]
pub trait IntoResource {
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
    /// Who is wired to whom: what the resource asks about its users.
    pub graph: &'a Graph,
    pub resource: &'a ModelResource,
    pub naming: &'a Naming,
    /// Where the packaged code (and layers) will be.
    pub code: &'a Code,
}

impl Scope<'_> {
    /// An empty fragment traced to the resource's declaration.
    pub fn fragment(&self) -> Fragment {
        let resource = self.resource;
        let (item, home) = match &resource.owner {
            Some(action) => (format!("#[trigger] fn {action}"), Home::Action(action.clone())),
            None => {
                let home = match resource.spec.as_kind().lives_in_root() {
                    true => Home::Root,
                    false => Home::Shared(resource.name.clone()),
                };
                (format!("#[singleton] fn {}", resource.name), home)
            }
        };
        Fragment::new(item, resource.defined_at, home)
    }
}

impl ResourceSpec {
    /// The kind's own model, which answers for it: the one `match` over the
    /// resource kinds.
    pub fn as_kind(&self) -> &dyn ResourceKind {
        match self {
            ResourceSpec::Queue(spec) => spec,
            ResourceSpec::Bucket(spec) => spec,
            ResourceSpec::Bus(spec) => spec,
            ResourceSpec::Topic(spec) => spec,
            ResourceSpec::Table(spec) => spec,
            ResourceSpec::Stream(spec) => spec,
            ResourceSpec::Secret(spec) => spec,
            ResourceSpec::Layer(spec) => spec,
            ResourceSpec::UserPool(spec) => spec,
            ResourceSpec::Parameter(spec) => spec,
            ResourceSpec::Raw(spec) => spec,
        }
    }

    /// The kind's name in messages: "queue", "topic".
    pub fn kind(&self) -> &'static str {
        self.as_kind().kind()
    }

    /// Whether it names a resource that exists already, so the stack does
    /// not create (or change) it.
    pub fn is_existing(&self) -> bool {
        self.as_kind().is_existing()
    }

    pub fn render(&self, scope: &Scope<'_>) -> Fragment {
        self.as_kind().render(scope)
    }

    /// What `access` grants on the resource in `scope`, if this kind offers it.
    pub fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        self.as_kind().grant(scope, access)
    }

    /// Settings out of AWS's bounds, and physical names too long.
    pub fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        self.as_kind().problems(scope)
    }

    /// How others refer to the resource called `name`.
    pub fn handle(&self, name: &str, naming: &Naming) -> Handle {
        self.as_kind().handle(name, naming)
    }
}

/// Where a resource is, in the values other kinds refer to it by: how a
/// trigger or a function names a resource without reading its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Handle {
    /// Its ARN, for the statements and event sources that name it.
    pub arn: Option<Value>,
    /// Its physical name, where a property takes a name (a rule's bus).
    pub name: Option<Value>,
    /// The logical id of a resource the stack creates, for `Fn::GetAtt`.
    pub id: Option<LogicalId>,
}

/// What each resource kind's settings say of themselves at synth time; each
/// kind's module implements it.
pub trait ResourceKind {
    /// The kind's name in messages: "queue", "topic".
    fn kind(&self) -> &'static str;

    /// Whether it names a resource that exists already, so the stack does
    /// not create (or change) it.
    fn is_existing(&self) -> bool;

    /// How others refer to the resource called `name`.
    fn handle(&self, name: &str, naming: &Naming) -> Handle;

    /// What `access` grants on the resource in `scope`, if this kind offers it.
    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant>;

    /// The resource's template fragment.
    fn render(&self, scope: &Scope<'_>) -> Fragment;

    /// Settings out of AWS's bounds, and physical names too long.
    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem>;

    /// Whether, in an app laid out over nested stacks, it lives in the root
    /// stack rather than in a child of shared resources: kinds whose
    /// properties name functions (a bucket's notifications) or anything at
    /// all (`Raw`), which from a child could close a cycle between stacks.
    fn lives_in_root(&self) -> bool {
        false
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
