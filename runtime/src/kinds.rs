//! The traits behind names in type position, and the compile-time checks of
//! capabilities and layers. (Each trigger kind's checks are in its module,
//! `crate::trigger::<kind>`.) Their `on_unimplemented` messages are what
//! users read when wiring is wrong.

use crate::resource::{Bus, Delivery, IntoResource, Layer, Queue, Secret, Topic};

/// Implemented by `#[singleton]` for the type named like its fn.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[singleton]`",
    label = "expected the name of a `#[singleton]` fn",
    note = "declare it: `#[singleton] fn orders() -> Queue<Order> {{ Queue::new() }}`"
)]
pub trait Singleton {
    const NAME: &'static str;
    type Resource: IntoResource;

    /// Runs the singleton's fn body: the resource as declared.
    fn resource() -> Self::Resource;
}

/// Implemented by `#[action]`, `#[trigger]` and `#[api]` for the type named
/// like the handler fn.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action",
    label = "expected the name of a handler fn",
    note = "annotate the fn with `#[action]`, `#[trigger(..)]` or `#[api(..)]`"
)]
pub trait ActionName {
    const NAME: &'static str;
}

/// Implemented by the macros for an action that can be invoked directly:
/// one whose handler takes one input (or none) and that no queue, topic or
/// bucket feeds. `Invoke<A>` sends `Input` and decodes `Output`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be invoked with `Invoke`",
    label = "not an action that takes its input directly",
    note = "`Invoke` calls an `#[action]` whose handler takes one input (or none) and has no `sqs`, `sns` or `s3` trigger; to reach a queue consumer, use `Sender<queue>`"
)]
pub trait Invocable {
    type Input;
    type Output;
}

/// What a handler returns: `Result<T, E>`; `Ok` names `T`, the action's
/// output type for `Invoke`.
pub trait HandlerResult {
    type Ok;
}

impl<T, E> HandlerResult for Result<T, E> {
    type Ok = T;
}

/// Runs a singleton's fn body and keeps the settings it returns.
pub fn build_singleton<S: Singleton>() -> crate::resource::ResourceSpec {
    crate::resource::IntoResource::into_spec(S::resource())
}

/// A resource a function can carry as a layer.
#[diagnostic::on_unimplemented(
    message = "`layers` lists `Layer` singletons, but this singleton is a `{Self}`",
    label = "not a `Layer`",
    note = "name a `#[singleton]` that returns `Layer`"
)]
pub trait LayerKind {}
impl LayerKind for Layer {}

/// `#[action(layers = [S])]` compiles only when `S` is a layer singleton.
pub fn layer_source<S: Singleton>()
where
    S::Resource: LayerKind,
{
}

/// An HTTP handler's parameter before the last: read from the request's parts.
pub fn request_part<T: axum::extract::FromRequestParts<()>>() {}

/// An HTTP handler's last parameter: may also read the body.
pub fn request<T: axum::extract::FromRequest<(), M>, M>() {}

/// A resource that carries messages of one type, delivered in `Delivery`
/// (`Standard` or `Fifo`) order.
pub trait Carries {
    type Message;
    type Delivery: Delivery;
}
impl<T, D: Delivery> Carries for Queue<T, D> {
    type Message = T;
    type Delivery = D;
}
impl<T, D: Delivery> Carries for Topic<T, D> {
    type Message = T;
    type Delivery = D;
}

/// A value that may be sent on resource `R`: exactly its message type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the message type of this resource, a `{R}`",
    label = "this resource carries other messages",
    note = "send what the queue or topic was declared with, or declare it with `{Self}`"
)]
pub trait MessageOf<R> {}
impl<T, D: Delivery> MessageOf<Queue<T, D>> for T {}
impl<T, D: Delivery> MessageOf<Topic<T, D>> for T {}

/// A resource a `Sender` can send to.
#[diagnostic::on_unimplemented(
    message = "`Sender` sends to a queue, but this singleton is a `{Self}`",
    label = "not a `Queue<T>`",
    note = "name a `#[singleton]` that returns `Queue<T>`, or an action with `#[trigger(sqs)]`"
)]
pub trait SendTarget {}
impl<T, D: Delivery> SendTarget for Queue<T, D> {}

/// A resource a `Publisher` can publish to.
#[diagnostic::on_unimplemented(
    message = "`Publisher` publishes to a topic or an event bus, but this singleton is a `{Self}`",
    label = "not a `Topic<T>` or a `Bus`",
    note = "name a `#[singleton]` that returns `Topic<T>` or `Bus`"
)]
pub trait PublishTarget {}
impl<T, D: Delivery> PublishTarget for Topic<T, D> {}
impl PublishTarget for Bus {}

/// A resource a `SecretValue` can read.
#[diagnostic::on_unimplemented(
    message = "`SecretValue` reads a secret, but this singleton is a `{Self}`",
    label = "not a `Secret`",
    note = "name a `#[singleton]` that returns `Secret`"
)]
pub trait SecretTarget {}
impl SecretTarget for Secret {}
