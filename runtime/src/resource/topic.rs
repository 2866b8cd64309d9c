//! `Topic<T>`: an SNS topic carrying messages of type `T`.

use super::arn;
use super::delivery::{self, Delivery, Standard};
use super::{name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;
use std::marker::PhantomData;

pub const MAX_NAME_LEN: usize = 256;
/// SNS encrypts with the AWS-managed key unless told otherwise.
const AWS_MANAGED_KEY: &str = "alias/aws/sns";

/// An SNS topic of `T` messages, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn shipped() -> Topic<Shipment> { Topic::new() }
/// ```
pub struct Topic<T, D: Delivery = Standard> {
    spec: TopicSpec,
    message: PhantomData<fn() -> (T, D)>,
}

/// A topic's settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopicSpec {
    pub display_name: Option<String>,
    /// The ARN of an existing topic to use instead of creating one.
    pub existing: Option<String>,
    /// A FIFO topic (`Topic<T, Fifo>`): its subscribers are FIFO queues.
    pub fifo: bool,
}

impl<T, D: Delivery> Topic<T, D> {
    /// A new topic; FIFO when the declared type says `Topic<T, Fifo>`.
    pub fn new() -> Topic<T, D> {
        Topic { spec: TopicSpec { fifo: D::FIFO, ..TopicSpec::default() }, message: PhantomData }
    }

    /// An existing topic, by ARN: nothing is created, and its capabilities
    /// and triggers are granted on exactly that ARN.
    pub fn existing(arn: &str) -> Topic<T, D> {
        Topic {
            spec: TopicSpec { existing: Some(arn.to_owned()), fifo: D::FIFO, ..TopicSpec::default() },
            message: PhantomData,
        }
    }

    /// The name shown as the sender of SMS and email deliveries.
    pub fn display_name(mut self, name: impl Into<String>) -> Topic<T, D> {
        self.spec.display_name = Some(name.into());
        self
    }
}

impl<T, D: Delivery> Default for Topic<T, D> {
    fn default() -> Topic<T, D> {
        Topic::new()
    }
}

impl<T, D: Delivery> IntoResource for Topic<T, D> {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Topic(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

/// What a `Publisher` needs on the topic.
pub const PUBLISH: [Permission; 1] = [Permission::new("sns", "Publish")];

/// The variable holding topic `name`'s ARN in a function that may use it.
pub fn arn_env(name: &str) -> String {
    format!("WIRESTACK_TOPIC_{}", name.to_ascii_uppercase())
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Topic"])
}

impl TopicSpec {
    /// The topic's ARN (`Ref` of a created topic is its ARN).
    pub fn arn(&self, name: &str) -> Value {
        match &self.existing {
            Some(arn) => Value::from(arn.clone()),
            None => Value::reference(&logical_id(name)),
        }
    }
}

impl ResourceKind for TopicSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: Some(self.arn(name)), name: None, id: self.existing.is_none().then(|| logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "topic"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        match access {
            Access::Publish => {
                Some(Grant::one(Statement::allow(&PUBLISH, vec![self.arn(name)]), (arn_env(name), self.arn(name))))
            }
            Access::Send | Access::Read | Access::Write | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        if self.existing.is_some() {
            return fragment;
        }
        let mut properties = vec![
            ("TopicName", Value::from(delivery::name(scope.naming.physical(name), self.fifo))),
            ("KmsMasterKeyId", Value::from(AWS_MANAGED_KEY)),
        ];
        if self.fifo {
            properties.push(("FifoTopic", Value::from(true)));
            properties.push(("ContentBasedDeduplication", Value::from(true)));
        }
        if let Some(display) = &self.display_name {
            properties.push(("DisplayName", Value::from(display.clone())));
        }
        let topic = logical_id(name);
        fragment.add(&topic, CfnResource::new("AWS::SNS::Topic", Value::map(properties)));
        fragment.output(LogicalId::new(&[name, "TopicArn"]), format!("ARN of topic `{name}`"), self.arn(name));
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        if let Some(arn) = &self.existing {
            let name = arn::parse(arn, "sns").map(|arn| arn.resource).filter(|name| !name.contains(':'));
            return match name {
                Some(name) if name.ends_with(delivery::FIFO_SUFFIX) == self.fifo => Vec::new(),
                _ => vec![arn::not_an_arn(
                    scope,
                    "topic",
                    arn,
                    "an SNS topic ARN of this delivery (a FIFO topic's name ends in `.fifo` and is declared `Topic<T, Fifo>`)",
                    "Topic::existing(\"arn:aws:sns:REGION:ACCOUNT:NAME\")",
                )],
            };
        }
        let physical = delivery::name(scope.naming.physical(&scope.resource.name), self.fifo);
        let display_too_long = self.display_name.as_ref().filter(|d| d.len() > 100).map(|d| {
            Problem::new(format!(
                "topic `{}` has a display name of {} characters; SNS allows 100",
                scope.resource.name,
                d.len()
            ))
            .at(scope.resource.defined_at, "declared here")
        });
        name_too_long(scope, &physical, MAX_NAME_LEN, "topic").into_iter().chain(display_too_long).collect()
    }
}
