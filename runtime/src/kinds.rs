//! The traits behind names in type position, and the compile-time checks
//! that a trigger names a singleton of the right kind. Their
//! `on_unimplemented` messages are what users read when wiring is wrong.

use crate::handler::records::ItemChange;
use crate::resource::{Bucket, Bus, Delivery, Layer, Queue, Resource, Secret, Stream, Table, Topic, UserPool};

/// Implemented by `#[singleton]` for the type named like its fn.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[singleton]`",
    label = "expected the name of a `#[singleton]` fn",
    note = "declare it: `#[singleton] fn orders() -> Queue<Order> {{ Queue::new() }}`"
)]
pub trait Singleton {
    const NAME: &'static str;
    type Resource: Resource;

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

/// A resource an `sqs` trigger can consume.
#[diagnostic::on_unimplemented(
    message = "an `sqs` trigger needs a queue, but this singleton is a `{Self}`",
    label = "not a `Queue<T>`",
    note = "name a `#[singleton]` that returns `Queue<T>`, or write `#[trigger(sqs)]` to give the action a queue of its own"
)]
pub trait QueueKind {}
impl<T, D: Delivery> QueueKind for Queue<T, D> {}

/// A resource an `sns` trigger can subscribe to.
#[diagnostic::on_unimplemented(
    message = "an `sns` trigger needs a topic, but this singleton is a `{Self}`",
    label = "not a `Topic<T>`",
    note = "name a `#[singleton]` that returns `Topic<T>`"
)]
pub trait TopicKind {}
impl<T, D: Delivery> TopicKind for Topic<T, D> {}

/// A resource an `s3` trigger can be notified by.
#[diagnostic::on_unimplemented(
    message = "an `s3` trigger needs a bucket, but this singleton is a `{Self}`",
    label = "not a `Bucket`",
    note = "name a `#[singleton]` that returns `Bucket`"
)]
pub trait BucketKind {}
impl BucketKind for Bucket {}

/// Runs a singleton's fn body and keeps the settings it returns.
pub fn build_singleton<S: Singleton>() -> crate::resource::ResourceSpec {
    crate::resource::Resource::into_spec(S::resource())
}

/// `#[trigger(sqs = S)]` compiles only when `S` is a queue singleton.
pub fn sqs_source<S: Singleton>()
where
    S::Resource: QueueKind,
{
}

/// `#[trigger(sns = S)]` compiles only when `S` is a topic singleton.
pub fn sns_source<S: Singleton>()
where
    S::Resource: TopicKind,
{
}

/// `#[trigger(s3 = S)]` compiles only when `S` is a bucket singleton.
pub fn s3_source<S: Singleton>()
where
    S::Resource: BucketKind,
{
}

/// A resource an `event` trigger's rule can be on.
#[diagnostic::on_unimplemented(
    message = "an `event` trigger's `bus` must be an event bus, but this singleton is a `{Self}`",
    label = "not a `Bus`",
    note = "name a `#[singleton]` that returns `Bus`, or leave `bus` out for the default bus"
)]
pub trait BusKind {}
impl BusKind for Bus {}

/// `#[trigger(event = "..", bus = S)]` compiles only when `S` is a bus singleton.
pub fn bus_source<S: Singleton>()
where
    S::Resource: BusKind,
{
}

/// A resource whose users a route may require.
#[diagnostic::on_unimplemented(
    message = "`auth` names the user pool whose users may call the route, but this singleton is a `{Self}`",
    label = "not a `UserPool`",
    note = "name a `#[singleton]` that returns `UserPool`"
)]
pub trait UserPoolKind {}
impl UserPoolKind for UserPool {}

/// `#[api(.., auth = S)]` compiles only when `S` is a user pool singleton.
pub fn user_pool_source<S: Singleton>()
where
    S::Resource: UserPoolKind,
{
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

/// A resource a `kinesis` trigger can read.
#[diagnostic::on_unimplemented(
    message = "a `kinesis` trigger needs a stream, but this singleton is a `{Self}`",
    label = "not a `Stream<T>`",
    note = "name a `#[singleton]` that returns `Stream<T>`"
)]
pub trait StreamKind {}
impl<T> StreamKind for Stream<T> {}

/// A resource a `dynamodb` trigger can read the changes of.
#[diagnostic::on_unimplemented(
    message = "a `dynamodb` trigger reads a table's changes, but this singleton is a `{Self}`",
    label = "not a `Table<T>`",
    note = "name a `#[singleton]` that returns `Table<T>`"
)]
pub trait TableKind {}
impl<T> TableKind for Table<T> {}

/// `#[trigger(kinesis = S)]` compiles only when `S` is a stream singleton.
pub fn kinesis_source<S: Singleton>()
where
    S::Resource: StreamKind,
{
}

/// `#[trigger(dynamodb = S)]` compiles only when `S` is a table singleton.
pub fn dynamodb_source<S: Singleton>()
where
    S::Resource: TableKind,
{
}

/// A stream of `T` records.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` records, but its `kinesis` trigger names a `{Self}`",
    label = "expected the record type of a `Stream<{T}>` singleton",
    note = "producer and consumer must agree: take the stream's record type, or name a stream of `{T}`"
)]
pub trait StreamOf<T> {}
impl<T> StreamOf<T> for Stream<T> {}

/// `#[trigger(kinesis = S)]` on a handler of `T`: `S` is a `Stream<T>` singleton.
pub fn stream_of<S: Singleton, T>()
where
    S::Resource: StreamOf<T>,
{
}

/// Changes to the items of a table of `T`.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{C}`, but its `dynamodb` trigger names a `{Self}`",
    label = "expected `ItemChange<T>` of this table's item type `T`",
    note = "take `ItemChange<T>` where the table is a `Table<T>`"
)]
pub trait ChangesOf<C> {}
impl<T> ChangesOf<ItemChange<T>> for Table<T> {}

/// `#[trigger(dynamodb = S)]` on a handler of `C`: `C` is `ItemChange<T>` of `S: Table<T>`.
pub fn changes_of<S: Singleton, C>()
where
    S::Resource: ChangesOf<C>,
{
}

/// A queue carrying `T` messages.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` messages, but its `sqs` trigger names a `{Self}`",
    label = "expected the message type of a `Queue<{T}>` singleton",
    note = "producer and consumer must agree: take the queue's message type, or name a queue of `{T}`"
)]
pub trait QueueOf<T> {}
impl<T, D: Delivery> QueueOf<T> for Queue<T, D> {}

/// A topic carrying `T` messages.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` messages, but its `sns` trigger names a `{Self}`",
    label = "expected the message type of a `Topic<{T}>` singleton",
    note = "producer and consumer must agree: take the topic's message type, or name a topic of `{T}`"
)]
pub trait TopicOf<T> {}
impl<T, D: Delivery> TopicOf<T> for Topic<T, D> {}

/// `#[trigger(sqs = S)]` on a handler of `T`: `S` is a `Queue<T>` singleton.
pub fn queue_of<S: Singleton, T>()
where
    S::Resource: QueueOf<T>,
{
}

/// `#[trigger(sns = S)]` on a handler of `T`: `S` is a `Topic<T>` singleton.
pub fn topic_of<S: Singleton, T>()
where
    S::Resource: TopicOf<T>,
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

/// A resource that holds items of one type.
pub trait Items {
    type Item;
}

impl<T> Items for Table<T> {
    type Item = T;
}

/// A resource a `Reader` can read.
#[diagnostic::on_unimplemented(
    message = "`Reader` reads a table or a bucket, but this singleton is a `{Self}`",
    label = "not a `Table<T>` or a `Bucket`",
    note = "name a `#[singleton]` that returns `Table<T>` or `Bucket`"
)]
pub trait ReadTarget {}
impl<T> ReadTarget for Table<T> {}
impl ReadTarget for Bucket {}

/// A resource a `Writer` can write.
#[diagnostic::on_unimplemented(
    message = "`Writer` writes a table, a bucket or a stream, but this singleton is a `{Self}`",
    label = "not a `Table<T>`, a `Bucket` or a `Stream<T>`",
    note = "name a `#[singleton]` that returns `Table<T>`, `Bucket` or `Stream<T>`"
)]
pub trait WriteTarget {}
impl<T> WriteTarget for Table<T> {}
impl WriteTarget for Bucket {}
impl<T> WriteTarget for Stream<T> {}

/// A resource a `SecretValue` can read.
#[diagnostic::on_unimplemented(
    message = "`SecretValue` reads a secret, but this singleton is a `{Self}`",
    label = "not a `Secret`",
    note = "name a `#[singleton]` that returns `Secret`"
)]
pub trait SecretTarget {}
impl SecretTarget for Secret {}
