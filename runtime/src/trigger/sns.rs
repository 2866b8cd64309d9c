//! `#[trigger(sns = topic)]`: a subscription, and SNS's permission to invoke.

use super::{invoke_permission, Scope, Wiring};
use crate::cfn::{LogicalId, Resource, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct SnsTrigger {
    pub topic: String,
}

impl SnsTrigger {
    pub(super) fn render(&self, scope: &Scope<'_>, wiring: &mut Wiring<'_>) {
        let action = &scope.action.name;
        let topic = scope.app.topic(&self.topic).expect("validation checked the trigger's topic").arn(&self.topic);
        wiring.fragment.add(
            &LogicalId::new(&[action, &self.topic, "Subscription"]),
            Resource::new(
                "AWS::SNS::Subscription",
                Value::map([
                    ("Protocol", Value::from("lambda")),
                    ("Endpoint", Value::get_att(scope.function, "Arn")),
                    ("TopicArn", topic.clone()),
                ]),
            ),
        );
        wiring.fragment.add(
            &LogicalId::new(&[action, &self.topic, "Permission"]),
            invoke_permission(scope, "sns.amazonaws.com", topic),
        );
    }
}
