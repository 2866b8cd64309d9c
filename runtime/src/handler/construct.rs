//! Building an action's handler at cold start: resolve its capabilities,
//! then wrap its fn. The awaiting is written once here, not as an async
//! block per action: in a big app that block was the largest code the
//! macros generated, recompiled with the app on every edit.

use super::{BoxFuture, BoxedHandler};
use crate::capability::Capability;
use crate::Error;
use std::any::Any;

/// One capability being resolved, its type erased.
pub type Resolving = BoxFuture<'static, Result<Box<dyn Any + Send + Sync>, Error>>;

/// A capability's `resolve()`, erased.
pub fn resolving<C: Send + Sync + 'static>(resolve: BoxFuture<'static, Result<C, Error>>) -> Resolving {
    Box::pin(async move { Ok(Box::new(resolve.await?) as Box<dyn Any + Send + Sync>) })
}

/// Resolves capability `C`: an action registers this per capability
/// parameter (compiled once per capability type, not once per action).
pub fn resolve<C: Capability>() -> Resolving {
    resolving(C::resolve())
}

/// An action's capabilities, resolved at cold start in the order its fn
/// names them; each invocation gets its own clones.
#[derive(Default)]
pub struct Capabilities(Box<[Box<dyn Any + Send + Sync>]>);

impl Capabilities {
    /// The action's `index`th capability, as the type it resolved.
    pub fn get<C: Clone + 'static>(&self, index: usize) -> C {
        let capability = self.0.get(index).expect("one capability per parameter");
        capability.downcast_ref::<C>().expect("capabilities are taken as the types they were resolved as").clone()
    }
}

/// Resolves `capabilities` one after another, then builds the handler.
pub fn construct(
    capabilities: Vec<Resolving>,
    build: fn(Capabilities) -> BoxedHandler,
) -> BoxFuture<'static, Result<BoxedHandler, Error>> {
    Box::pin(async move {
        let mut resolved = Vec::with_capacity(capabilities.len());
        for capability in capabilities {
            resolved.push(capability.await?);
        }
        Ok(build(Capabilities(resolved.into_boxed_slice())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::{Context, Handler};
    use serde_json::Value;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Built from the capabilities, to show what `build` received.
    struct Built(String);

    impl Handler for Built {
        fn call<'a>(&'a self, _: &'a str, _: Context) -> BoxFuture<'a, Result<Value, Error>> {
            Box::pin(std::future::ready(Ok(Value::from(self.0.clone()))))
        }
    }

    static BUILT: AtomicUsize = AtomicUsize::new(0);

    fn build(capabilities: Capabilities) -> BoxedHandler {
        BUILT.fetch_add(1, Ordering::SeqCst);
        let (first, second): (u32, String) = (capabilities.get(0), capabilities.get(1));
        Box::new(Built(format!("{first} {second}")))
    }

    fn ready<C: Send + Sync + 'static>(value: Result<C, Error>) -> Resolving {
        resolving(Box::pin(std::future::ready(value)))
    }

    fn run<T>(future: BoxFuture<'static, T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    #[test]
    fn the_handler_is_built_from_the_capabilities_in_order_or_not_at_all() {
        let handler = run(construct(vec![ready(Ok(7_u32)), ready(Ok("queue".to_owned()))], build)).unwrap();
        let answer = run(Box::pin(async move { handler.call("{}", Context::default()).await }));
        assert_eq!(answer.unwrap(), "7 queue");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
        let failing = vec![ready(Ok(7_u32)), ready::<String>(Err(Error::from("no such queue")))];
        let error = run(construct(failing, build)).err().expect("a capability failed");
        assert!(error.to_string().contains("no such queue"), "{error}");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1, "nothing is built when a capability fails");
    }
}
