//! `#[trigger(sns = topic)]`: a subscription, and SNS's permission to invoke.

use super::{between, invoke_permission, EventSource, Function, Origin, Wiring};
use crate::cfn::{CfnResource, LogicalId, Value};
use crate::handler::messages::Source;
use crate::kinds::Singleton;
use crate::model::{Action, Resource as ModelResource};
use crate::problem::Problem;
use crate::resource::{Delivery, ResourceSpec, Topic};
use crate::{sample, Location};
use wirestack_aws::option::Declaration;
use wirestack_aws::trigger::sns as kinds;

#[derive(Clone, Debug, PartialEq)]
pub struct SnsTrigger {
    pub topic: String,
}

impl SnsTrigger {
    pub(super) fn declared(declaration: &Declaration<'_>) -> SnsTrigger {
        SnsTrigger { topic: declaration.target_text().unwrap_or_default().to_owned() }
    }
}

impl EventSource for SnsTrigger {
    fn name(&self) -> &'static str {
        kinds::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Resource(&self.topic)
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        Some((&self.topic, "topic"))
    }

    fn invokes_asynchronously(&self) -> bool {
        true
    }

    fn takes_every_event(&self) -> bool {
        true
    }

    fn problems(&self, action: &Action, declared_at: Location, target: &ModelResource) -> Vec<Problem> {
        match &target.spec {
            ResourceSpec::Topic(topic) if topic.fifo => vec![between(
                Problem::new(format!(
                    "`{}` subscribes to FIFO topic `{}`, but only SQS FIFO queues can subscribe to a FIFO topic",
                    action.name, target.name
                ))
                .help("subscribe a `Queue<T, Fifo>` to the topic and trigger on that queue, or declare the topic `Topic<T>`"),
                declared_at,
                target,
            )],
            _ => Vec::new(),
        }
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let action = &function.action.name;
        let topic = function.target(&self.topic).arn.expect("a topic has an ARN");
        wiring.fragment.add(
            &LogicalId::new(&[action, &self.topic, "Subscription"]),
            CfnResource::new(
                "AWS::SNS::Subscription",
                Value::map([
                    ("Protocol", Value::from("lambda")),
                    ("Endpoint", Value::get_att(function.id, "Arn")),
                    ("TopicArn", topic.clone()),
                ]),
            ),
        );
        wiring.fragment.add(
            &LogicalId::new(&[action, &self.topic, "Permission"]),
            invoke_permission(function, "sns.amazonaws.com", topic),
        );
    }

    fn sample(&self) -> serde_json::Value {
        sample::sns("{}")
    }
}

/// Where the Lambda-side adapter reads messages from in an SNS event.
pub const MESSAGES: Source = Source::Sns;

/// A resource an `sns` trigger can subscribe to.
#[diagnostic::on_unimplemented(
    message = "an `sns` trigger needs a topic, but this singleton is a `{Self}`",
    label = "not a `Topic<T>`",
    note = "name a `#[singleton]` that returns `Topic<T>`"
)]
pub trait TopicKind {}
impl<T, D: Delivery> TopicKind for Topic<T, D> {}

/// A topic carrying `T` messages.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{T}` messages, but its `sns` trigger names a `{Self}`",
    label = "expected the message type of a `Topic<{T}>` singleton",
    note = "producer and consumer must agree: take the topic's message type, or name a topic of `{T}`"
)]
pub trait TopicOf<T> {}
impl<T, D: Delivery> TopicOf<T> for Topic<T, D> {}

/// `#[trigger(sns = S)]` compiles only when `S` is a topic singleton.
pub fn source<S: Singleton>()
where
    S::Resource: TopicKind,
{
}

/// `#[trigger(sns = S)]` on a handler of `T`: `S` is a `Topic<T>` singleton.
pub fn message_of<S: Singleton, T>()
where
    S::Resource: TopicOf<T>,
{
}
