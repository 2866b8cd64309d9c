//! `Reader<S>` on a `Parameter` singleton: its value, read once at cold
//! start (see `resource::parameter` for why), so invocations make no call.
//! Grants `ssm:GetParameter` on that parameter only.

use super::required_env;
use super::store::{Readable, Reader};
use crate::handler::BoxFuture;
use crate::kinds::Singleton;
use crate::resource::{parameter, Parameter, ResourceSpec};
use crate::Error;
use serde::de::DeserializeOwned;

/// The value, as read when the function started.
pub struct ParameterValue {
    value: String,
    resource: &'static str,
}

impl Readable for Parameter {
    type Client = ParameterValue;

    fn connect(resource: &'static str, _spec: ResourceSpec) -> BoxFuture<'static, Result<ParameterValue, Error>> {
        Box::pin(async move {
            let name = required_env(&parameter::name_env(resource), &format!("Reader<{resource}>"))?;
            let client = aws_sdk_ssm::Client::new(super::aws::config().await);
            let output = client.get_parameter().name(&name).send().await.map_err(|e| {
                Error::from(format!("reading parameter `{resource}` ({name}) failed: {}", e.into_service_error()))
            })?;
            let value = output
                .parameter
                .and_then(|parameter| parameter.value)
                .ok_or_else(|| Error::from(format!("parameter `{resource}` ({name}) has no value")))?;
            Ok(ParameterValue { value, resource })
        })
    }
}

impl<S: Singleton<Resource = Parameter>> Reader<S> {
    /// The parameter's value.
    pub fn value(&self) -> &str {
        &self.client().value
    }

    /// The value decoded as JSON `T` (configuration holding several fields).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let parameter = self.client();
        serde_json::from_str(&parameter.value)
            .map_err(|e| Error::from(format!("parameter `{}` is not the JSON expected: {e}", parameter.resource)))
    }
}
