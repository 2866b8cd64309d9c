//! `#[trigger(event = r#"{"source": ["shop"]}"#)]`: an EventBridge rule on
//! the default bus (or `bus = my_bus`, a `Bus` singleton) whose pattern the
//! macro checked, invoking the function with each matching event.

use super::{invoke_permission, EventSource, Function, Origin, Wiring};
use crate::cfn::{CfnResource, LogicalId, Value};
use crate::kinds::Singleton;
use crate::resource::Bus;
use crate::sample;
use wirestack_aws::option::Declaration;

#[derive(Clone, Debug, PartialEq)]
pub struct EventTrigger {
    /// The event pattern, as JSON.
    pub pattern: String,
    /// A `Bus` singleton; `None` is the account's default bus.
    pub bus: Option<String>,
}

impl EventTrigger {
    pub(super) fn declared(declaration: &Declaration<'_>) -> EventTrigger {
        EventTrigger {
            pattern: declaration.target_text().unwrap_or_default().to_owned(),
            bus: declaration.text("bus").map(str::to_owned),
        }
    }
}

impl EventSource for EventTrigger {
    fn name(&self) -> &'static str {
        wirestack_aws::trigger::event::NAME
    }

    fn origin(&self) -> Origin<'_> {
        match &self.bus {
            Some(bus) => Origin::Resource(bus),
            None => Origin::Outside { what: "default bus", name: "" },
        }
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        self.bus.as_deref().map(|bus| (bus, "bus"))
    }

    fn invokes_asynchronously(&self) -> bool {
        true
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let action = &function.action.name;
        let pattern: serde_json::Value = serde_json::from_str(&self.pattern).expect("the macro checked the pattern");
        let pattern = Value::from(pattern);
        // Named by its pattern (and bus), keys sorted, so neither reordering
        // an action's rules nor reformatting a pattern changes an id.
        let canonical = serde_json::to_string(&(&pattern, &self.bus)).expect("patterns are plain JSON");
        let rule = LogicalId::new(&[action, "Events", &LogicalId::digest(&canonical)]);
        let mut properties = vec![
            ("Description", Value::from(format!("events for action `{action}`"))),
            ("EventPattern", pattern),
            ("State", Value::from("ENABLED")),
            (
                "Targets",
                Value::list([Value::map([
                    ("Arn", Value::get_att(function.id, "Arn")),
                    ("Id", Value::from("Function")),
                ])]),
            ),
        ];
        if let Some(bus) = &self.bus {
            properties.push(("EventBusName", function.target(bus).name.expect("a bus has a name")));
        }
        wiring.fragment.add(&rule, CfnResource::new("AWS::Events::Rule", Value::map(properties)));
        wiring.fragment.add(
            &LogicalId::new(&[rule.as_str(), "Permission"]),
            invoke_permission(function, "events.amazonaws.com", Value::get_att(&rule, "Arn")),
        );
    }

    fn sample(&self) -> serde_json::Value {
        sample::event(serde_json::json!({}))
    }
}

/// A resource an `event` trigger's rule can be on.
#[diagnostic::on_unimplemented(
    message = "an `event` trigger's `bus` must be an event bus, but this singleton is a `{Self}`",
    label = "not a `Bus`",
    note = "name a `#[singleton]` that returns `Bus`, or leave `bus` out for the default bus"
)]
pub trait BusKind {}
impl BusKind for Bus {}

/// `#[trigger(event = "..", bus = S)]` compiles only when `S` is a bus singleton.
pub fn bus<S: Singleton>()
where
    S::Resource: BusKind,
{
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn an_event_rule_matches_its_pattern_on_its_bus_and_keeps_failed_events() {
        use crate::resource::IntoResource as _;
        let bus = Resource {
            name: "payments".to_owned(),
            defined_at: at(1),
            owner: None,
            spec: crate::Bus::new().into_spec(),
        };
        let pattern = r#"{"source": ["shop"], "detail": {"cents": [{"numeric": [">", 0.5]}]}}"#;
        let on_bus = TriggerKind::Event(crate::trigger::EventTrigger {
            pattern: pattern.to_owned(),
            bus: Some("payments".to_owned()),
        });
        let on_default = TriggerKind::Event(crate::trigger::EventTrigger {
            pattern: r#"{"source": ["aws.s3"]}"#.to_owned(),
            bus: None,
        });
        let app = app(vec![action("refund", 10, vec![on_bus, on_default])], vec![bus]);
        let template = synthesize(&app, Some("dev")).unwrap().stacks.remove(0).template.to_json();
        let resources = &template["Resources"];
        let rules: Vec<&str> = resources
            .as_object()
            .unwrap()
            .keys()
            .filter(|id| id.starts_with("RefundEvents") && !id.ends_with("Permission"))
            .map(String::as_str)
            .collect();
        assert_eq!(rules.len(), 2, "{rules:?}");
        let (on_bus, on_default): (Vec<&str>, Vec<&str>) =
            rules.into_iter().partition(|id| resources[*id]["Properties"].get("EventBusName").is_some());
        let rule = &resources[on_bus[0]]["Properties"];
        assert_eq!(rule["EventPattern"], serde_json::from_str::<serde_json::Value>(pattern).unwrap());
        assert_eq!(rule["EventBusName"], "dev-app-payments");
        assert_eq!(
            resources[format!("{}Permission", on_default[0])]["Properties"]["Principal"],
            "events.amazonaws.com"
        );
        assert_eq!(resources["PaymentsBus"]["Properties"]["Name"], "dev-app-payments");
        assert!(resources["RefundFunction"]["Properties"].get("DeadLetterConfig").is_some());
    }
}
