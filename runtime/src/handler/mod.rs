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

/// A handler fn behind one pointer, called with its arguments as one tuple
/// `A`, its future boxed. The adapters hold this, so they are generic over
/// what a fn takes and returns, never over the fn itself: an app's many
/// handlers of a few shapes instantiate each adapter a few times, and an
/// edit to one handler's body leaves every adapter's compiled code as it was
/// (it decides a big app's rebuild time). A trait of its own rather than
/// `dyn Fn`, whose vtable would add two shims per handler.
pub(crate) trait Call<A, O>: Send + Sync {
    fn call(&self, args: A) -> BoxFuture<'static, O>;
}

pub(crate) type Erased<A, O> = Box<dyn Call<A, O>>;

/// A fn of separate arguments as a [`Call`] of their tuple.
pub(crate) struct Spread<F>(pub F);

/// The user's fn `f`, erased as an adapter holds it.
pub(crate) fn erase<F, A, O>(f: F) -> Erased<A, O>
where
    Spread<F>: Call<A, O> + 'static,
{
    Box::new(Spread(f))
}

macro_rules! spread {
    ($($arg:ident),*) => {
        impl<F, Fut, $($arg),*> Call<($($arg,)*), Fut::Output> for Spread<F>
        where
            F: Fn($($arg),*) -> Fut + Send + Sync,
            Fut: Future + Send + 'static,
        {
            #[allow(non_snake_case)]
            fn call(&self, ($($arg,)*): ($($arg,)*)) -> BoxFuture<'static, Fut::Output> {
                Box::pin((self.0)($($arg),*))
            }
        }
    };
}

spread!();
spread!(T1);
spread!(T1, T2);
spread!(T1, T2, T3);
spread!(T1, T2, T3, T4);
spread!(T1, T2, T3, T4, T5);
spread!(T1, T2, T3, T4, T5, T6);
spread!(T1, T2, T3, T4, T5, T6, T7);
spread!(T1, T2, T3, T4, T5, T6, T7, T8);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15);
spread!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16);

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
