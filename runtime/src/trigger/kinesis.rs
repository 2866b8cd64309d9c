//! `#[trigger(kinesis = stream)]`: a Kinesis stream's records, in order. The
//! mapping itself is a stream trigger (`super::stream`), shared with
//! `dynamodb`.

use super::stream::{StreamSource, StreamTrigger};
use crate::kinds::Singleton;
use crate::resource::Stream;
use wirestack_aws::option::Declaration;

pub use crate::handler::records::kinesis as records;

pub(super) fn declared(declaration: &Declaration<'_>) -> StreamTrigger {
    let stream = declaration.target_text().unwrap_or_default().to_owned();
    StreamTrigger::declared(StreamSource::Kinesis { stream }, declaration)
}

/// A resource a `kinesis` trigger can read.
#[diagnostic::on_unimplemented(
    message = "a `kinesis` trigger needs a stream, but this singleton is a `{Self}`",
    label = "not a `Stream<T>`",
    note = "name a `#[singleton]` that returns `Stream<T>`"
)]
pub trait StreamKind {}
impl<T> StreamKind for Stream<T> {}

/// A stream of `T` records.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` records, but its `kinesis` trigger names a `{Self}`",
    label = "expected the record type of a `Stream<{T}>` singleton",
    note = "producer and consumer must agree: take the stream's record type, or name a stream of `{T}`"
)]
pub trait StreamOf<T> {}
impl<T> StreamOf<T> for Stream<T> {}

/// `#[trigger(kinesis = S)]` compiles only when `S` is a stream singleton.
pub fn source<S: Singleton>()
where
    S::Resource: StreamKind,
{
}

/// `#[trigger(kinesis = S)]` on a handler of `T`: `S` is a `Stream<T>` singleton.
pub fn message_of<S: Singleton, T>()
where
    S::Resource: StreamOf<T>,
{
}
