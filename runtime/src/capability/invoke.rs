//! `Invoke<A>`: calls action `A`'s function with `A`'s own input type and
//! decodes its output type. Grants `lambda:InvokeFunction` on that function
//! only. The function's name and ARN are built from synth-time names, so two
//! actions may invoke each other without a dependency cycle.

use super::{required_env, Access, Capability, CapabilityUse};
use crate::handler::BoxFuture;
use crate::kinds::{ActionName, Invocable};
use crate::render::function_env;
use crate::Error;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use std::sync::Arc;

/// A client that may invoke action `A`'s function and no other.
pub struct Invoke<A> {
    client: aws_sdk_lambda::Client,
    function: Arc<str>,
    action: PhantomData<fn() -> A>,
}

impl<A> Clone for Invoke<A> {
    fn clone(&self) -> Self {
        Invoke { client: self.client.clone(), function: self.function.clone(), action: PhantomData }
    }
}

impl<A: Invocable + ActionName + 'static> Capability for Invoke<A> {
    const USE: CapabilityUse = CapabilityUse { access: Access::Invoke, resource: A::NAME };

    type Client = (aws_sdk_lambda::Client, Arc<str>);

    fn connect() -> BoxFuture<'static, Result<Self::Client, Error>> {
        connect(A::NAME)
    }

    fn shell((client, function): Self::Client) -> Self {
        Invoke { client, function, action: PhantomData }
    }
}

/// The client and function name for invoking action `name`: compiled once,
/// not once per action invoked.
fn connect(name: &'static str) -> BoxFuture<'static, Result<(aws_sdk_lambda::Client, Arc<str>), Error>> {
    Box::pin(async move {
        let function = required_env(&function_env(name), &format!("Invoke<{name}>"))?;
        Ok((aws_sdk_lambda::Client::new(super::aws::config().await), function.into()))
    })
}

impl<A: Invocable + ActionName> Invoke<A>
where
    A::Input: Serialize,
{
    /// Runs the action and waits for its output. A handler error comes back
    /// as an `Err` carrying the action's error message.
    pub async fn call(&self, input: &A::Input) -> Result<A::Output, Error>
    where
        A::Output: DeserializeOwned,
    {
        let output = self.invoke(input, InvocationType::RequestResponse).await?;
        let payload = output.payload.map(Blob::into_inner).unwrap_or_default();
        if let Some(kind) = output.function_error {
            let message = serde_json::from_slice::<serde_json::Value>(&payload)
                .ok()
                .and_then(|error| error["errorMessage"].as_str().map(str::to_owned))
                .unwrap_or_else(|| String::from_utf8_lossy(&payload).into_owned());
            return Err(Error::from(format!("action `{}` failed ({kind}): {message}", A::NAME)));
        }
        serde_json::from_slice(&payload).map_err(|e| {
            Error::from(format!("action `{}` answered with something other than its output type: {e}", A::NAME))
        })
    }

    /// Queues the input for the action and returns at once: Lambda runs it,
    /// retries it on failure, and keeps what still fails in the action's
    /// failed-events queue.
    pub async fn send_event(&self, input: &A::Input) -> Result<(), Error> {
        self.invoke(input, InvocationType::Event).await.map(|_| ())
    }

    async fn invoke(
        &self,
        input: &A::Input,
        kind: InvocationType,
    ) -> Result<aws_sdk_lambda::operation::invoke::InvokeOutput, Error> {
        let payload = serde_json::to_vec(input)?;
        self.client
            .invoke()
            .function_name(&*self.function)
            .invocation_type(kind)
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(|e| Error::from(format!("invoking action `{}` failed: {}", A::NAME, e.into_service_error())))
    }
}
