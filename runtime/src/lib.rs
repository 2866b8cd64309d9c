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
//! [`model::App`] -> validation -> [`wiring::Graph`]; fragments -> [`layout`]
//! -> [`cfn::Template`] JSON.

pub mod capability;
pub mod cfn;
pub mod code;
pub mod digest;
pub mod dispatch;
mod error;
mod fast_hash;
pub mod handler;
pub mod iam;
pub mod kinds;
pub mod lambda;
pub mod layout;
mod location;
pub mod model;
pub mod naming;
pub mod problem;
pub mod registry;
pub mod render;
pub mod resource;
pub mod sample;
pub mod synth;
pub mod trie;
pub mod trigger;
pub mod wiring;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod dev;

pub use error::Error;
pub use location::Location;
pub use resource::{Bucket, Bus, Fifo, Key, Layer, Parameter, Queue, Raw, Secret, Stream, Table, Topic, UserPool};
pub use wirestack_macros::{action, api, lambda_main, singleton, synth_main, trigger};

/// What a handler module needs: `use wirestack::prelude::*;`
pub mod prelude {
    #[cfg(feature = "invoke")]
    pub use crate::capability::Invoke;
    #[cfg(any(feature = "sns", feature = "eventbridge"))]
    pub use crate::capability::Publisher;
    #[cfg(feature = "secretsmanager")]
    pub use crate::capability::SecretValue;
    #[cfg(feature = "sqs")]
    pub use crate::capability::Sender;
    pub use crate::capability::{Reader, Writer};
    pub use crate::event::{
        object_key, ChangeKind, EventBridgeEvent, ItemChange, KinesisEvent, S3Event, ScheduledEvent, SnsEvent, SqsEvent,
    };
    pub use crate::handler::http::{Claims, Json, Path, Query};
    pub use crate::resource::{
        Bucket, Bus, Fifo, Key, Layer, Parameter, Queue, Raw, Secret, Stream, Table, Topic, UserPool,
    };
    pub use crate::Error;
    pub use axum::http::StatusCode;
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::json;
    pub use wirestack_macros::{action, api, singleton, trigger};
}

/// The events handlers may take whole, from `aws_lambda_events`.
pub mod event {
    pub use crate::handler::objects::object_key;
    pub use crate::handler::records::{ChangeKind, ItemChange};
    pub use aws_lambda_events::event::kinesis::KinesisEvent;
    pub use aws_lambda_events::event::s3::S3Event;
    pub use aws_lambda_events::event::sns::SnsEvent;
    pub use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};

    pub use aws_lambda_events::event::eventbridge::EventBridgeEvent;

    /// The EventBridge event a schedule delivers.
    pub type ScheduledEvent = aws_lambda_events::event::eventbridge::EventBridgeEvent<serde_json::Value>;
}

/// Paths the macros expand to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::capability::{Capability, CapabilityUse};
    pub use crate::handler::{self, BoxFuture, BoxedHandler};
    pub use crate::kinds::{self, build_singleton, ActionName, HandlerResult, Invocable, Singleton};
    pub use crate::registry::{ActionRegistration, FunctionSettings, SingletonRegistration, TriggerRegistration};
    pub use crate::resource::{IntoResource, ResourceSpec, Standard};
    pub use crate::trigger::{self, HttpMethod, Owns};
    pub use crate::Location;
    pub use axum::Extension;
    pub use inventory;
    pub use wirestack_aws::option::{Declaration, Setting};
}
