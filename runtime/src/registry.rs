//! What the macros register, collected at link time with `inventory`.
//!
//! Everything here is `'static` data built in constant expressions; the App
//! model (`crate::model`) is built from it at synth time.

use crate::capability::CapabilityUse;
use crate::handler::construct::{construct, Resolver};
use crate::handler::{BoxFuture, BoxedHandler, Capabilities};
use crate::resource::ResourceSpec;
use crate::Error;
use crate::Location;
use wirestack_aws::option::Declaration;

/// `#[action(..)]` settings as written; `None` means the default.
#[derive(Debug)]
pub struct FunctionSettings {
    pub memory_mb: Option<u32>,
    pub timeout_s: Option<u32>,
    pub reserved_concurrency: Option<u32>,
    pub env: &'static [(&'static str, &'static str)],
    /// `Layer` singletons, in order.
    pub layers: &'static [&'static str],
}

/// One `#[trigger(..)]` or `#[api(..)]` as written: the kind's own module
/// (`crate::trigger`) reads the declaration into the model.
#[derive(Debug)]
pub struct TriggerRegistration {
    pub declared_at: Location,
    pub declaration: Declaration<'static>,
}

/// One annotated handler fn.
pub struct ActionRegistration {
    pub name: &'static str,
    pub rust_path: &'static str,
    pub defined_at: Location,
    pub settings: FunctionSettings,
    pub triggers: &'static [TriggerRegistration],
    /// The capability parameters of the handler.
    pub capabilities: &'static [CapabilityUse],
    /// Resolves each capability, in the order of `capabilities`.
    pub resolvers: &'static [Resolver],
    /// Builds the handler's adapter from its resolved capabilities.
    pub adapt: fn(Capabilities) -> BoxedHandler,
}

impl ActionRegistration {
    /// Builds the handler the Lambda binary runs for this action, resolving
    /// its capabilities; runs once, at cold start. Data in the registration
    /// rather than a constructor per action: a big app compiles no code per
    /// action for it.
    pub fn handler(&self) -> BoxFuture<'static, Result<BoxedHandler, Error>> {
        construct(self.resolvers, self.adapt)
    }
}

/// One `#[singleton]` fn; `build` runs its body.
#[derive(Debug)]
pub struct SingletonRegistration {
    pub name: &'static str,
    pub defined_at: Location,
    pub build: fn() -> ResourceSpec,
}

inventory::collect!(ActionRegistration);
inventory::collect!(SingletonRegistration);

/// Every registered action, in link order.
pub fn actions() -> impl Iterator<Item = &'static ActionRegistration> {
    inventory::iter::<ActionRegistration>.into_iter()
}

/// Every registered singleton, in link order.
pub fn singletons() -> impl Iterator<Item = &'static SingletonRegistration> {
    inventory::iter::<SingletonRegistration>.into_iter()
}
