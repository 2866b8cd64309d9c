//! `Reader<S>` and `Writer<S>`: the two capabilities on resources that hold
//! data. The split is the same for every kind: a `Reader` never writes and a
//! `Writer` never reads, and each grants only that. Each kind brings its own
//! client and methods in its module (`table.rs`, `bucket.rs`, `stream.rs`),
//! by implementing [`Readable`] or [`Writable`] for its resource type behind
//! the kind's cargo feature: a new kind adds its module, not a line here.

use super::{Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{build_singleton, Singleton};
use crate::resource::{IntoResource, ResourceSpec};
use crate::Error;
use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

/// A resource a `Reader` can read; its kind brings the client.
#[diagnostic::on_unimplemented(
    message = "`Reader` cannot read this singleton, a `{Self}`",
    label = "not a readable resource, or its wirestack feature is off",
    note = "`Reader` reads the kinds that implement `Readable`, each when its wirestack feature is on (README's table of capabilities lists them)"
)]
pub trait Readable: IntoResource {
    type Client: Send + Sync + 'static;

    /// The client for the resource called `name`, declared as `spec`, from
    /// the function's environment; once, at cold start.
    fn connect(name: &'static str, spec: ResourceSpec) -> BoxFuture<'static, Result<Self::Client, Error>>;
}

/// A resource a `Writer` can write; its kind brings the client.
#[diagnostic::on_unimplemented(
    message = "`Writer` cannot write this singleton, a `{Self}`",
    label = "not a writable resource, or its wirestack feature is off",
    note = "`Writer` writes the kinds that implement `Writable`, each when its wirestack feature is on (README's table of capabilities lists them)"
)]
pub trait Writable: IntoResource {
    type Client: Send + Sync + 'static;

    /// As [`Readable::connect`].
    fn connect(name: &'static str, spec: ResourceSpec) -> BoxFuture<'static, Result<Self::Client, Error>>;
}

/// Reads resource `S`: a singleton whose kind is [`Readable`].
pub struct Reader<S> {
    client: Client,
    resource: PhantomData<fn() -> S>,
}

/// Writes resource `S`: a singleton whose kind is [`Writable`].
pub struct Writer<S> {
    client: Client,
    resource: PhantomData<fn() -> S>,
}

/// The client a kind connected, held without naming its type so that a
/// `Reader` of the wrong kind is one error (at its `Capability` bound), not
/// one per place the type appears.
type Client = Arc<dyn Any + Send + Sync>;

impl<S> Clone for Reader<S> {
    fn clone(&self) -> Self {
        Reader { client: self.client.clone(), resource: PhantomData }
    }
}

impl<S> Clone for Writer<S> {
    fn clone(&self) -> Self {
        Writer { client: self.client.clone(), resource: PhantomData }
    }
}

impl<S: Singleton> Reader<S>
where
    S::Resource: Readable,
{
    /// The client of `S`'s kind, which `resolve` connected. (Unused in a
    /// build whose features turn no readable kind on.)
    #[allow(dead_code)]
    pub(super) fn client(&self) -> &<S::Resource as Readable>::Client {
        self.client.downcast_ref().expect("a Reader holds the client its kind connects")
    }
}

impl<S: Singleton> Writer<S>
where
    S::Resource: Writable,
{
    /// The client of `S`'s kind, which `resolve` connected. (Unused in a
    /// build whose features turn no writable kind on.)
    #[allow(dead_code)]
    pub(super) fn client(&self) -> &<S::Resource as Writable>::Client {
        self.client.downcast_ref().expect("a Writer holds the client its kind connects")
    }
}

impl<S: Singleton + 'static> Capability for Reader<S>
where
    S::Resource: Readable,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Read, resource: S::NAME };

    type Client = <S::Resource as Readable>::Client;

    fn connect() -> BoxFuture<'static, Result<Self::Client, Error>> {
        <S::Resource as Readable>::connect(S::NAME, build_singleton::<S>())
    }

    fn shell(client: Self::Client) -> Self {
        Reader { client: Arc::new(client), resource: PhantomData }
    }
}

impl<S: Singleton + 'static> Capability for Writer<S>
where
    S::Resource: Writable,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Write, resource: S::NAME };

    type Client = <S::Resource as Writable>::Client;

    fn connect() -> BoxFuture<'static, Result<Self::Client, Error>> {
        <S::Resource as Writable>::connect(S::NAME, build_singleton::<S>())
    }

    fn shell(client: Self::Client) -> Self {
        Writer { client: Arc::new(client), resource: PhantomData }
    }
}
