//! `#[trigger(schedule = "rate(..)" | "cron(..)")]`: an EventBridge rule.

use super::{invoke_permission, EventSource, Function, Origin, Wiring};
use crate::cfn::{CfnResource, LogicalId, Value};
use crate::sample;
use wirestack_aws::option::Declaration;

#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleTrigger {
    pub expression: String,
}

impl ScheduleTrigger {
    pub(super) fn declared(declaration: &Declaration<'_>) -> ScheduleTrigger {
        ScheduleTrigger { expression: declaration.target_text().unwrap_or_default().to_owned() }
    }
}

impl EventSource for ScheduleTrigger {
    fn name(&self) -> &'static str {
        wirestack_aws::trigger::schedule::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Outside { what: "schedule", name: &self.expression }
    }

    fn invokes_asynchronously(&self) -> bool {
        true
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let action = &function.action.name;
        // Named by its expression, so reordering an action's schedules
        // changes no id: `AuditSchedule1A2B3C4D`.
        let rule = LogicalId::new(&[action, "Schedule", &LogicalId::digest(&self.expression)]);
        wiring.fragment.add(
            &rule,
            CfnResource::new(
                "AWS::Events::Rule",
                Value::map([
                    ("Description", Value::from(format!("{} for action `{action}`", self.expression))),
                    ("ScheduleExpression", Value::from(self.expression.clone())),
                    ("State", Value::from("ENABLED")),
                    (
                        "Targets",
                        Value::list([Value::map([
                            ("Arn", Value::get_att(function.id, "Arn")),
                            ("Id", Value::from("Function")),
                        ])]),
                    ),
                ]),
            ),
        );
        wiring.fragment.add(
            &LogicalId::new(&[rule.as_str(), "Permission"]),
            invoke_permission(function, "events.amazonaws.com", Value::get_att(&rule, "Arn")),
        );
    }

    fn sample(&self) -> serde_json::Value {
        sample::schedule()
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn swapping_two_schedules_or_two_rules_changes_no_byte() {
        let schedule = |expression: &str| TriggerKind::Schedule(ScheduleTrigger { expression: expression.to_owned() });
        let rule = |source: &str| {
            TriggerKind::Event(crate::trigger::EventTrigger {
                pattern: format!(r#"{{"source": ["{source}"]}}"#),
                bus: None,
            })
        };
        let written = |triggers: Vec<TriggerKind>| {
            let app = app(vec![action("audit", 1, triggers)], vec![]);
            synthesize(&app, None).unwrap().stacks.remove(0).template.to_pretty_string()
        };
        let before = written(vec![schedule("rate(1 hour)"), schedule("cron(0 6 ? * MON-FRI *)"), rule("a"), rule("b")]);
        let after = written(vec![rule("b"), schedule("cron(0 6 ? * MON-FRI *)"), rule("a"), schedule("rate(1 hour)")]);
        assert_eq!(before, after);
    }
}
