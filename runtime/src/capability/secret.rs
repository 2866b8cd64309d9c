//! `SecretValue<S>`: reads secret `S` (a `Secret` singleton). Grants
//! `secretsmanager:GetSecretValue` on that secret only. The value is fetched
//! at cold start and kept in memory, so invocations make no call for it.

use super::{required_env, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{SecretTarget, Singleton};
use crate::resource::secret;
use crate::Error;
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// The value of secret `S`.
pub struct SecretValue<S> {
    value: Arc<str>,
    secret: PhantomData<fn() -> S>,
}

impl<S> Clone for SecretValue<S> {
    fn clone(&self) -> Self {
        SecretValue { value: self.value.clone(), secret: PhantomData }
    }
}

/// Never prints the value.
impl<S> fmt::Debug for SecretValue<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(..)")
    }
}

impl<S: Singleton + 'static> Capability for SecretValue<S>
where
    S::Resource: SecretTarget,
{
    const USE: CapabilityUse = CapabilityUse { access: Access::ReadSecret, resource: S::NAME };

    type Client = Arc<str>;

    fn connect() -> BoxFuture<'static, Result<Arc<str>, Error>> {
        fetch(S::NAME)
    }

    fn shell(value: Arc<str>) -> Self {
        SecretValue { value, secret: PhantomData }
    }
}

/// The value of secret `name`: compiled once, not once per secret.
fn fetch(name: &'static str) -> BoxFuture<'static, Result<Arc<str>, Error>> {
    Box::pin(async move {
        let arn = required_env(&secret::arn_env(name), &format!("SecretValue<{name}>"))?;
        let client = aws_sdk_secretsmanager::Client::new(super::aws::config().await);
        let output = client
            .get_secret_value()
            .secret_id(&arn)
            .send()
            .await
            .map_err(|e| Error::from(format!("reading secret `{name}` failed: {}", e.into_service_error())))?;
        let value = output
            .secret_string
            .ok_or_else(|| Error::from(format!("secret `{name}` holds binary data, not a string")))?;
        Ok(value.into())
    })
}

impl<S: Singleton> SecretValue<S> {
    /// The secret string.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The secret string decoded as JSON `T` (secrets holding several fields).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_str(&self.value)
            .map_err(|e| Error::from(format!("secret `{}` is not the JSON expected: {e}", S::NAME)))
    }
}
