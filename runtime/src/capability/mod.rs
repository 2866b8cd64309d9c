//! Capabilities: handler parameters that are three things at once, so code
//! and permissions cannot drift:
//!
//! - the typed client the handler uses (`Sender<orders>::send(&order)`);
//! - the IAM statement its function gets, on exactly that resource's ARN;
//! - the environment variable the function finds the resource by.
//!
//! A resource's module says which IAM actions each [`Access`] takes on it
//! and names the variable; the client reads the same name.

#[cfg(feature = "sdk")]
mod aws;
#[cfg(feature = "s3")]
mod bucket;
#[cfg(feature = "eventbridge")]
mod bus;
#[cfg(feature = "invoke")]
mod invoke;
#[cfg(feature = "ssm")]
mod parameter;
#[cfg(any(feature = "sns", feature = "eventbridge"))]
mod publisher;
#[cfg(feature = "secretsmanager")]
mod secret;
#[cfg(feature = "sqs")]
mod sender;
mod store;
#[cfg(feature = "kinesis")]
mod stream;
#[cfg(feature = "dynamodb")]
mod table;
#[cfg(feature = "sns")]
mod topic;

#[cfg(feature = "invoke")]
pub use invoke::Invoke;
#[cfg(any(feature = "sns", feature = "eventbridge"))]
pub use publisher::Publisher;
#[cfg(feature = "secretsmanager")]
pub use secret::SecretValue;
#[cfg(feature = "sqs")]
pub use sender::Sender;
pub use store::{Readable, Reader, Writable, Writer};

use crate::handler::BoxFuture;
use crate::resource::ResourceSpec;
use crate::Error;
use std::fmt;

/// What a capability does with its resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// Send messages to a queue (`Sender`).
    Send,
    /// Publish messages to a topic (`Publisher`).
    Publish,
    /// Read items (`Reader`).
    Read,
    /// Write and delete items (`Writer`).
    Write,
    /// Read a secret's value (`SecretValue`).
    ReadSecret,
    /// Invoke another action's function (`Invoke`).
    Invoke,
}

impl Access {
    /// What it does, as a verb: the label of its edge in the wiring graph.
    pub fn verb(self) -> &'static str {
        match self {
            Access::Send => "send",
            Access::Publish => "publish",
            Access::Read => "read",
            Access::Write => "write",
            Access::ReadSecret => "secret",
            Access::Invoke => "invoke",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Access::Send => "Sender",
            Access::Publish => "Publisher",
            Access::Read => "Reader",
            Access::Write => "Writer",
            Access::ReadSecret => "SecretValue",
            Access::Invoke => "Invoke",
        })
    }
}

/// One capability parameter of a handler: the access, and the name of the
/// resource (or, for `Invoke`, the action) it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapabilityUse {
    pub access: Access,
    pub resource: &'static str,
}

/// Implemented by each capability type; the macros register `USE`, and the
/// runtime connects the client and puts it in its shell once, at cold start.
pub trait Capability: Clone + Send + Sync + Sized + 'static {
    const USE: CapabilityUse;

    /// What the typed shell holds: one client type per kind of resource, so
    /// connecting is compiled once per kind, not once per resource a handler
    /// names.
    type Client: Send + Sync + 'static;

    /// Builds the client from the function's environment (the variables
    /// synth put on it, and the AWS configuration, which honours
    /// `AWS_ENDPOINT_URL`). Fails when the function was not deployed from
    /// the template that grants this capability.
    fn connect() -> BoxFuture<'static, Result<Self::Client, Error>>;

    /// The capability around its connected client.
    fn shell(client: Self::Client) -> Self;

    /// The capability, connected: for code that holds one outside a
    /// handler's parameters (tests, tools). Handlers' capabilities are
    /// connected by the runtime, which compiles no future per capability type.
    fn resolve() -> BoxFuture<'static, Result<Self, Error>> {
        let connecting = Self::connect();
        Box::pin(async move { Ok(Self::shell(connecting.await?)) })
    }
}

/// The cargo feature of wirestack that compiles the `Publisher` client for a
/// resource of this kind, if it is off in this build. (The synth binary is
/// built with the app's features, so it can tell before anything deploys;
/// `Reader` and `Writer` of a kind whose feature is off do not compile.)
pub fn missing_feature(spec: &ResourceSpec) -> Option<&'static str> {
    match spec {
        ResourceSpec::Topic(_) if !cfg!(feature = "sns") => Some("sns"),
        ResourceSpec::Bus(_) if !cfg!(feature = "eventbridge") => Some("eventbridge"),
        _ => None,
    }
}

/// The value of an environment variable synth puts on the function.
#[cfg(feature = "sdk")]
fn required_env(name: &str, capability: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| {
        Error::from(format!(
            "{capability} needs the environment variable {name}; deploy the function from the template synth \
             wrote, or set it for a local run"
        ))
    })
}
