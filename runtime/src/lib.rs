//! # wirestack
//!
//! Infrastructure from code for AWS Lambda. Annotate handler functions; run
//! `cargo run --bin synth`; get CloudFormation with least-privilege IAM
//! inferred from how the code is wired.
//!
//! ```ignore
//! use wirestack::prelude::*;
//!
//! #[singleton]
//! fn orders() -> Queue<Order> { Queue::new() }
//!
//! #[trigger(sqs = orders, batch = 10)]
//! async fn fulfil(order: Order) -> Result<(), Error> { Ok(()) }
//! ```
//!
//! Data flows one way: attributes (macros) -> registrations (`inventory`) ->
//! [`model::App`] -> validation -> [`layout`] -> [`cfn::Template`] JSON.

pub mod cfn;
pub mod iam;
pub mod kinds;
pub mod layout;
mod location;
pub mod model;
pub mod naming;
pub mod problem;
pub mod registry;
pub mod render;
pub mod resource;
pub mod synth;
pub mod trigger;

#[cfg(feature = "cli")]
pub mod cli;

pub use location::Location;
pub use resource::{Queue, Topic};
pub use wirestack_macros::{action, api, singleton, synth_main, trigger};

/// What a handler module needs: `use wirestack::prelude::*;`
pub mod prelude {
    pub use crate::resource::{Queue, Topic};
    pub use serde::{Deserialize, Serialize};
    pub use wirestack_macros::{action, api, singleton, trigger};
}

/// Paths the macros expand to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::kinds::{self, build_singleton, ActionName, Singleton};
    pub use crate::registry::{
        ActionRegistration, FunctionSettings, SingletonRegistration, TriggerRegistration, TriggerSpec,
    };
    pub use crate::resource::{Resource, ResourceSpec};
    pub use crate::trigger::HttpMethod;
    pub use crate::Location;
    pub use inventory;
}
