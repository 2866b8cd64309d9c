//! Handlers as the Lambda binary sees them: one type-erased [`Handler`] per
//! action, built once at init by the adapter the macros chose for the
//! handler's signature, then called once per invocation.

mod catch;
pub mod construct;
pub mod event;
pub mod http;
pub mod messages;
pub mod objects;
pub mod records;

pub use catch::panic_message;
pub use construct::Capabilities;

use crate::Error;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

pub use lambda_runtime::Context;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One action's invocation logic: decode the payload into what the handler
/// asks for, call it, and encode what Lambda expects back.
pub trait Handler: Send + Sync {
    fn call<'a>(&'a self, payload: &'a str, context: Context) -> BoxFuture<'a, Result<Value, Error>>;
}

pub type BoxedHandler = Box<dyn Handler>;

/// An action's fn as its adapter calls it: a plain fn that the macros
/// generate per action, taking the handler's arguments as one tuple `A`
/// beside its resolved capabilities and returning its future boxed. The
/// adapters are generic over what a fn takes and returns, never over the fn
/// itself: an app's many handlers of a few shapes instantiate each adapter a
/// few times, and an edit to one handler's body recompiles that one small fn
/// and nothing generic (it decides a big app's rebuild time).
pub struct Callee<A, O> {
    call: fn(&Capabilities, A) -> BoxFuture<'static, O>,
    capabilities: Capabilities,
}

impl<A, O> Callee<A, O> {
    pub fn new(call: fn(&Capabilities, A) -> BoxFuture<'static, O>, capabilities: Capabilities) -> Callee<A, O> {
        Callee { call, capabilities }
    }

    pub(crate) fn call(&self, args: A) -> BoxFuture<'static, O> {
        (self.call)(&self.capabilities, args)
    }
}

/// Awaits a handler's future; a panic inside it becomes that invocation's
/// error instead of taking the process down.
pub(crate) async fn guarded<R, E: Into<Error>>(future: impl Future<Output = Result<R, E>>) -> Result<R, Error> {
    match catch::catch_unwind(future).await {
        Ok(result) => result.map_err(Into::into),
        Err(panic) => Err(Error::from(format!("handler panicked: {panic}"))),
    }
}

/// A payload that is not the event the handler expects.
pub(crate) fn bad_payload(what: &str, error: serde_json::Error) -> Error {
    Error::from(format!("the payload is not {what}: {error}"))
}

pub(crate) fn to_value<R: serde::Serialize>(response: R) -> Result<Value, Error> {
    serde_json::to_value(response).map_err(|e| Error::from(format!("the handler's result is not JSON: {e}")))
}
