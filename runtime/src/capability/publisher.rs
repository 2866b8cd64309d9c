//! `Publisher<T>`: publishes to `T`, a `Topic<M>` singleton (grants
//! `sns:Publish` on that topic) or a `Bus` singleton (grants
//! `events:PutEvents` on that bus; see `bus.rs`).

use super::{missing_feature, required_env, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{build_singleton, PublishTarget, Singleton};
use crate::resource::ResourceSpec;
use crate::Error;
use std::marker::PhantomData;

/// A client that may publish to `T` and nowhere else.
pub struct Publisher<T> {
    pub(super) outlet: Outlet,
    target: PhantomData<fn() -> T>,
}

impl<T> Clone for Publisher<T> {
    fn clone(&self) -> Self {
        Publisher { outlet: self.outlet.clone(), target: PhantomData }
    }
}

/// The client behind a `Publisher`, one variant per kind.
#[derive(Clone)]
pub enum Outlet {
    #[cfg(feature = "sns")]
    Topic { client: aws_sdk_sns::Client, arn: std::sync::Arc<str> },
    #[cfg(feature = "eventbridge")]
    Bus { client: aws_sdk_eventbridge::Client, name: std::sync::Arc<str> },
}

impl<T: Singleton + 'static> Capability for Publisher<T>
where
    T::Resource: PublishTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::Publish, resource: T::NAME };

    type Client = Outlet;

    fn connect() -> BoxFuture<'static, Result<Outlet, Error>> {
        Outlet::resolve(T::NAME, build_singleton::<T>())
    }

    fn shell(outlet: Outlet) -> Self {
        Publisher { outlet, target: PhantomData }
    }
}

impl Outlet {
    /// The client for singleton `name`, built as `spec`; compiled once,
    /// not once per singleton an app publishes to.
    fn resolve(name: &'static str, spec: ResourceSpec) -> BoxFuture<'static, Result<Outlet, Error>> {
        Box::pin(async move {
            let capability = format!("Publisher<{name}>");
            Ok(match spec {
                #[cfg(feature = "sns")]
                ResourceSpec::Topic(_) => Outlet::Topic {
                    arn: required_env(&crate::resource::topic::arn_env(name), &capability)?.into(),
                    client: aws_sdk_sns::Client::new(super::aws::config().await),
                },
                #[cfg(feature = "eventbridge")]
                ResourceSpec::Bus(_) => Outlet::Bus {
                    name: required_env(&crate::resource::bus::name_env(name), &capability)?.into(),
                    client: aws_sdk_eventbridge::Client::new(super::aws::config().await),
                },
                spec => {
                    let feature = missing_feature(&spec).unwrap_or("?");
                    return Err(Error::from(format!("{capability} needs wirestack's `{feature}` feature")));
                }
            })
        })
    }
}

/// The one variant a publisher's kind connects, by construction.
macro_rules! outlet {
    ($outlet:expr, $variant:ident { $($field:ident),* }) => {
        match $outlet {
            $crate::capability::publisher::Outlet::$variant { $($field),* } => ($($field),*),
            #[allow(unreachable_patterns)]
            _ => unreachable!(concat!("a publisher of a ", stringify!($variant), " holds its client")),
        }
    };
}
pub(super) use outlet;
