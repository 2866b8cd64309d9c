//! Building an action's handler at cold start: resolve its capabilities,
//! then wrap its fn. The awaiting is written once here, not as an async
//! block per action: in a big app that block was the largest code the
//! macros generated, recompiled with the app on every edit.

use super::{BoxFuture, BoxedHandler};
use crate::Error;
use std::any::Any;

/// One capability being resolved, its type erased.
pub type Resolving = BoxFuture<'static, Result<Box<dyn Any + Send>, Error>>;

/// A capability's `resolve()`, erased (compiled once per capability type).
pub fn resolving<C: Send + 'static>(resolve: BoxFuture<'static, Result<C, Error>>) -> Resolving {
    Box::pin(async move { Ok(Box::new(resolve.await?) as Box<dyn Any + Send>) })
}

/// An action's capabilities, resolved in the order they were asked for.
pub struct Resolved(std::vec::IntoIter<Box<dyn Any + Send>>);

impl Resolved {
    /// The next capability: the constructor takes them in the order it gave
    /// them to [`construct`], each as the type it resolved.
    pub fn take<C: 'static>(&mut self) -> C {
        let next = self.0.next().expect("one capability per parameter");
        *next.downcast().expect("capabilities are taken as the types they were resolved as")
    }
}

/// Resolves `capabilities` one after another, then builds the handler.
pub fn construct(
    capabilities: Vec<Resolving>,
    build: fn(Resolved) -> BoxedHandler,
) -> BoxFuture<'static, Result<BoxedHandler, Error>> {
    Box::pin(async move {
        let mut resolved = Vec::with_capacity(capabilities.len());
        for capability in capabilities {
            resolved.push(capability.await?);
        }
        Ok(build(Resolved(resolved.into_iter())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_come_out_in_the_order_they_went_in() {
        let erased = |value: u32| -> Box<dyn Any + Send> { Box::new(value) };
        let mut resolved = Resolved(vec![erased(1), Box::new("two") as Box<dyn Any + Send>].into_iter());
        assert_eq!(resolved.take::<u32>(), 1);
        assert_eq!(resolved.take::<&str>(), "two");
    }
}
