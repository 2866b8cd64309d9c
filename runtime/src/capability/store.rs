//! `Reader<S>` and `Writer<S>`: the two capabilities on resources that hold
//! data: tables, buckets and (writing only) streams. Each kind brings its own
//! client and methods (`table.rs`, `bucket.rs`, `stream.rs`); the split is the
//! same for all: a `Reader` never writes and a `Writer` never reads, and each
//! grants only that.

#[cfg(feature = "s3")]
use super::bucket::BucketClient;
#[cfg(feature = "kinesis")]
use super::stream::StreamClient;
#[cfg(feature = "dynamodb")]
use super::table::TableClient;
use super::{missing_feature, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{build_singleton, ReadTarget, Singleton, WriteTarget};
use crate::resource::ResourceSpec;
use crate::Error;
use std::marker::PhantomData;

/// Reads resource `S` (a `Table<T>` or a `Bucket` singleton).
pub struct Reader<S> {
    pub(super) store: Store,
    resource: PhantomData<fn() -> S>,
}

/// Writes resource `S` (a `Table<T>`, a `Bucket` or a `Stream<T>` singleton).
pub struct Writer<S> {
    pub(super) store: Store,
    resource: PhantomData<fn() -> S>,
}

impl<S> Clone for Reader<S> {
    fn clone(&self) -> Self {
        Reader { store: self.store.clone(), resource: PhantomData }
    }
}

impl<S> Clone for Writer<S> {
    fn clone(&self) -> Self {
        Writer { store: self.store.clone(), resource: PhantomData }
    }
}

/// The client behind a `Reader` or `Writer`, one variant per kind.
#[derive(Clone)]
pub enum Store {
    #[cfg(feature = "dynamodb")]
    Table(super::table::TableClient),
    #[cfg(feature = "s3")]
    Bucket(super::bucket::BucketClient),
    #[cfg(feature = "kinesis")]
    Stream(super::stream::StreamClient),
}

impl Store {
    /// The client for singleton `S`'s kind. Which kinds have one depends on
    /// wirestack's features; synth reports a missing one before deploy
    /// (`missing_feature`), so this error is for apps built without synth.
    async fn connect<S: Singleton>(capability: &'static str) -> Result<Store, Error> {
        match build_singleton::<S>() {
            #[cfg(feature = "dynamodb")]
            ResourceSpec::Table(spec) => Ok(Store::Table(TableClient::connect(S::NAME, &spec, capability).await?)),
            #[cfg(feature = "s3")]
            ResourceSpec::Bucket(_) => Ok(Store::Bucket(BucketClient::connect(S::NAME, capability).await?)),
            #[cfg(feature = "kinesis")]
            ResourceSpec::Stream(_) => Ok(Store::Stream(StreamClient::connect(S::NAME, capability).await?)),
            spec => Err(Error::from(format!(
                "{capability}<{}> needs wirestack's `{}` feature",
                S::NAME,
                missing_feature(&spec).unwrap_or("?")
            ))),
        }
    }
}

impl<S: Singleton + 'static> Capability for Reader<S>
where
    S::Resource: ReadTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Read, resource: S::NAME };

    fn resolve() -> BoxFuture<'static, Result<Self, Error>> {
        Box::pin(async { Ok(Reader { store: Store::connect::<S>("Reader").await?, resource: PhantomData }) })
    }
}

impl<S: Singleton + 'static> Capability for Writer<S>
where
    S::Resource: WriteTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Write, resource: S::NAME };

    fn resolve() -> BoxFuture<'static, Result<Self, Error>> {
        Box::pin(async { Ok(Writer { store: Store::connect::<S>("Writer").await?, resource: PhantomData }) })
    }
}

/// The one variant a capability's kind connects, by construction.
macro_rules! client {
    ($store:expr, $variant:ident) => {
        match $store {
            $crate::capability::store::Store::$variant(client) => client,
            #[allow(unreachable_patterns)]
            _ => unreachable!(concat!("a ", stringify!($variant), " capability connects a ", stringify!($variant))),
        }
    };
}
pub(super) use client;
