//! Building an action's handler at cold start: resolve its capabilities,
//! then wrap its fn. The awaiting is written once here, not as an async
//! block per action: in a big app that block was the largest code the
//! macros generated, recompiled with the app on every edit.

use super::{BoxFuture, BoxedHandler};
use crate::capability::Capability;
use crate::Error;
use std::any::Any;

/// One capability being resolved, its type erased.
type Resolving = BoxFuture<'static, Result<Box<dyn Any + Send + Sync>, Error>>;

/// How the runtime resolves one capability parameter: its kind's client,
/// connected by code compiled once per client type, then put in the
/// parameter's typed shell by a plain fn. No future is compiled per
/// capability type, nor any code per action.
pub struct Resolver {
    connect: fn() -> Resolving,
    shell: fn(Box<dyn Any + Send + Sync>) -> Box<dyn Any + Send + Sync>,
}

impl Resolver {
    /// An action registers one per capability parameter.
    pub const fn of<C: Capability>() -> Resolver {
        Resolver { connect: connect::<C>, shell: shell::<C> }
    }
}

fn connect<C: Capability>() -> Resolving {
    erased(C::connect())
}

fn shell<C: Capability>(client: Box<dyn Any + Send + Sync>) -> Box<dyn Any + Send + Sync> {
    let client = client.downcast::<C::Client>().expect("a capability's client is the type its kind connects");
    Box::new(C::shell(*client))
}

/// A client being connected, its type erased (one future per client type).
fn erased<T: Send + Sync + 'static>(connecting: BoxFuture<'static, Result<T, Error>>) -> Resolving {
    Box::pin(async move { Ok(Box::new(connecting.await?) as Box<dyn Any + Send + Sync>) })
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

/// Resolves each capability, one after another, then builds the handler.
pub(crate) fn construct(
    resolvers: &'static [Resolver],
    build: fn(Capabilities) -> BoxedHandler,
) -> BoxFuture<'static, Result<BoxedHandler, Error>> {
    Box::pin(async move {
        let mut resolved = Vec::with_capacity(resolvers.len());
        for resolver in resolvers {
            resolved.push((resolver.shell)((resolver.connect)().await?));
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

    fn seven() -> Resolving {
        erased(Box::pin(std::future::ready(Ok(7_u32))))
    }

    fn queue() -> Resolving {
        erased(Box::pin(std::future::ready(Ok("queue".to_owned()))))
    }

    fn missing() -> Resolving {
        erased::<String>(Box::pin(std::future::ready(Err(Error::from("no such queue")))))
    }

    /// A shell that shows it ran: the capability is twice its client.
    fn doubled(client: Box<dyn Any + Send + Sync>) -> Box<dyn Any + Send + Sync> {
        Box::new(*client.downcast::<u32>().unwrap() * 2)
    }

    fn same(client: Box<dyn Any + Send + Sync>) -> Box<dyn Any + Send + Sync> {
        client
    }

    static RESOLVERS: [Resolver; 2] =
        [Resolver { connect: seven, shell: doubled }, Resolver { connect: queue, shell: same }];
    static FAILING: [Resolver; 2] =
        [Resolver { connect: seven, shell: doubled }, Resolver { connect: missing, shell: same }];

    fn run<T>(future: BoxFuture<'static, T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    #[test]
    fn the_handler_is_built_from_the_capabilities_in_order_or_not_at_all() {
        let handler = run(construct(&RESOLVERS, build)).unwrap();
        let answer = run(Box::pin(async move { handler.call("{}", Context::default()).await }));
        assert_eq!(answer.unwrap(), "14 queue", "each client connected, then put in its shell");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
        let error = run(construct(&FAILING, build)).err().expect("a capability failed");
        assert!(error.to_string().contains("no such queue"), "{error}");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1, "nothing is built when a capability fails");
    }
}
