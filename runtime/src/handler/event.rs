//! Handlers that take the whole payload as one value (`SqsEvent`,
//! `ScheduledEvent`, an action's own input type), an EventBridge event's
//! detail, or nothing at all.

use super::{bad_payload, guarded, to_value, BoxFuture, BoxedHandler, Callee, Context, Handler};
use crate::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// `async fn f(event: T) -> Result<R, E>`: the payload decoded as `T`.
pub fn whole<T, R, E>(handler: Callee<(T,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: Serialize + 'static,
    E: Into<Error> + 'static,
{
    Box::new(Whole { handler, decode: decode_whole::<T> })
}

/// `async fn f() -> Result<R, E>`: the payload is not read.
pub fn nullary<R, E>(handler: Callee<(), Result<R, E>>) -> BoxedHandler
where
    R: Serialize + 'static,
    E: Into<Error> + 'static,
{
    Box::new(Nullary(handler))
}

/// `async fn f(detail: T) -> Result<R, E>`: an EventBridge event's
/// `detail` decoded as `T`.
pub fn detail<T, R, E>(handler: Callee<(T,), Result<R, E>>) -> BoxedHandler
where
    T: DeserializeOwned + Send + 'static,
    R: Serialize + 'static,
    E: Into<Error> + 'static,
{
    Box::new(Whole { handler, decode: decode_detail::<T> })
}

fn decode_whole<T: DeserializeOwned>(payload: &str) -> Result<T, Error> {
    serde_json::from_str(payload).map_err(|e| bad_payload(std::any::type_name::<T>(), e))
}

fn decode_detail<T: DeserializeOwned>(payload: &str) -> Result<T, Error> {
    #[derive(serde::Deserialize)]
    struct Event<T> {
        detail: T,
    }
    let event: Event<T> = serde_json::from_str(payload).map_err(|e| {
        bad_payload(&format!("an EventBridge event whose detail is a `{}`", std::any::type_name::<T>()), e)
    })?;
    Ok(event.detail)
}

/// The handler and how its one parameter is read from the payload.
struct Whole<T, R, E> {
    handler: Callee<(T,), Result<R, E>>,
    decode: fn(&str) -> Result<T, Error>,
}

impl<T, R, E> Handler for Whole<T, R, E>
where
    T: DeserializeOwned + Send,
    R: Serialize,
    E: Into<Error>,
{
    fn call<'a>(&'a self, payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let input = (self.decode)(payload)?;
            to_value(guarded(self.handler.call((input,))).await?)
        })
    }
}

struct Nullary<R, E>(Callee<(), Result<R, E>>);

impl<R, E> Handler for Nullary<R, E>
where
    R: Serialize,
    E: Into<Error>,
{
    fn call<'a>(&'a self, _payload: &'a str, _context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move { to_value(guarded(self.0.call(())).await?) })
    }
}
