//! `Reader<S>` on a `Parameter` singleton: its value, read once at cold
//! start (see `resource::parameter` for why), so invocations make no call.
//! Grants `ssm:GetParameter` on that parameter only.

use super::required_env;
use super::store::{client, Reader};
use crate::kinds::Singleton;
use crate::resource::{parameter, Parameter};
use crate::Error;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The value, as read when the function started.
#[derive(Clone)]
pub struct ParameterClient {
    value: Arc<str>,
    resource: &'static str,
}

impl ParameterClient {
    pub(super) async fn connect(resource: &'static str, capability: &str) -> Result<ParameterClient, Error> {
        let name = required_env(&parameter::name_env(resource), &format!("{capability}<{resource}>"))?;
        let client = aws_sdk_ssm::Client::new(super::aws::config().await);
        let output = client.get_parameter().name(&name).send().await.map_err(|e| {
            Error::from(format!("reading parameter `{resource}` ({name}) failed: {}", e.into_service_error()))
        })?;
        let value = output
            .parameter
            .and_then(|parameter| parameter.value)
            .ok_or_else(|| Error::from(format!("parameter `{resource}` ({name}) has no value")))?;
        Ok(ParameterClient { value: value.into(), resource })
    }
}

impl<S: Singleton<Resource = Parameter>> Reader<S> {
    /// The parameter's value.
    pub fn value(&self) -> &str {
        &client!(&self.store, Parameter).value
    }

    /// The value decoded as JSON `T` (configuration holding several fields).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let parameter = client!(&self.store, Parameter);
        serde_json::from_str(&parameter.value)
            .map_err(|e| Error::from(format!("parameter `{}` is not the JSON expected: {e}", parameter.resource)))
    }
}
