//! `#[trigger(iot = "SELECT * FROM 'sensors/+/reading'")]`: an AWS IoT topic
//! rule whose Lambda action invokes the function with each message the SQL
//! selects, decoded as the handler's `T`. IoT invokes asynchronously, so a
//! message whose handling keeps failing ends in the action's failed-events
//! queue, like the other push sources. The SQL was checked at compile time
//! (`wirestack_aws::trigger::iot`).

use super::{invoke_permission, EventSource, Function, Origin, Wiring};
use crate::cfn::{CfnResource, LogicalId, Pseudo, Value};
use wirestack_aws::option::Declaration;
use wirestack_aws::trigger::iot as kinds;

/// The IoT SQL version rules are written in: the current one.
pub const SQL_VERSION: &str = "2016-03-23";

#[derive(Clone, Debug, PartialEq)]
pub struct IotTrigger {
    /// The rule's SQL: `SELECT .. FROM '<topic filter>' [WHERE ..]`.
    pub sql: String,
}

impl IotTrigger {
    pub(super) fn declared(declaration: &Declaration<'_>) -> IotTrigger {
        IotTrigger { sql: declaration.target_text().unwrap_or_default().to_owned() }
    }

    /// The MQTT topic filter the rule reads.
    pub fn topic_filter(&self) -> &str {
        kinds::topic(&self.sql).unwrap_or_default()
    }
}

impl EventSource for IotTrigger {
    fn name(&self) -> &'static str {
        kinds::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Outside { what: "iot topic", name: self.topic_filter() }
    }

    fn invokes_asynchronously(&self) -> bool {
        true
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        // Named by its SQL, so an action's rules keep their ids in any order.
        let rule = LogicalId::new(&[&function.action.name, "Iot", &LogicalId::digest(&self.sql)]);
        let payload = Value::map([
            ("Sql", Value::from(self.sql.clone())),
            ("AwsIotSqlVersion", Value::from(SQL_VERSION)),
            ("RuleDisabled", Value::from(false)),
            (
                "Actions",
                Value::list([Value::map([(
                    "Lambda",
                    Value::map([("FunctionArn", Value::get_att(function.id, "Arn"))]),
                )])]),
            ),
        ]);
        wiring
            .fragment
            .add(&rule, CfnResource::new("AWS::IoT::TopicRule", Value::map([("TopicRulePayload", payload)])));
        let mut permission = invoke_permission(function, "iot.amazonaws.com", Value::get_att(&rule, "Arn"));
        if let Value::Map(properties) = &mut permission.properties {
            properties.insert("SourceAccount".to_owned(), Value::Pseudo(Pseudo::AccountId));
        }
        wiring.fragment.add(&LogicalId::new(&[rule.as_str(), "Permission"]), permission);
    }

    /// A message as the rule hands it over: the selected JSON, here empty.
    fn sample(&self) -> serde_json::Value {
        serde_json::json!({})
    }
}

#[cfg(test)]
mod tests {
    use super::IotTrigger;
    use crate::model::{Action, App, Settings};
    use crate::synth::synthesize;
    use crate::trigger::{Trigger, TriggerKind};
    use crate::wiring::{Graph, NodeId};
    use crate::Location;
    use serde_json::json;

    fn app(sql: &str) -> App {
        let at = Location { file: "src/lib.rs", line: 7, column: 1 };
        let kind = TriggerKind::Iot(IotTrigger { sql: sql.to_owned() });
        let action = Action {
            name: "record".to_owned(),
            rust_path: "app::record".to_owned(),
            defined_at: at,
            settings: Settings::default(),
            triggers: vec![Trigger { declared_at: at, kind }],
            capabilities: Vec::new(),
        };
        App { name: "tradle".to_owned(), actions: vec![action], resources: Vec::new() }
    }

    #[test]
    fn a_topic_rule_invokes_the_function_from_that_rule_only() {
        let sql = "SELECT * FROM 'sensors/+/reading' WHERE temperature > 30";
        let template = synthesize(&app(sql), None).unwrap().stacks.remove(0).template.to_json();
        let resources = template["Resources"].as_object().unwrap();
        let rule_id = resources.keys().find(|id| id.starts_with("RecordIot") && !id.ends_with("Permission")).unwrap();
        let rule = &resources[rule_id];
        assert_eq!(rule["Type"], "AWS::IoT::TopicRule");
        assert_eq!(rule["Properties"]["TopicRulePayload"]["Sql"], sql);
        assert_eq!(
            rule["Properties"]["TopicRulePayload"]["Actions"],
            json!([{"Lambda": {"FunctionArn": {"Fn::GetAtt": ["RecordFunction", "Arn"]}}}])
        );
        let permission = &resources[&format!("{rule_id}Permission")]["Properties"];
        assert_eq!(permission["Principal"], "iot.amazonaws.com");
        assert_eq!(permission["SourceArn"], json!({"Fn::GetAtt": [rule_id, "Arn"]}));
        assert_eq!(permission["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
        // A message that keeps failing is kept, not dropped.
        let function = &resources["RecordFunction"]["Properties"];
        assert_eq!(function["DeadLetterConfig"]["TargetArn"], json!({"Fn::GetAtt": ["RecordFailedEvents", "Arn"]}));
    }

    #[test]
    fn the_rules_id_follows_its_sql_and_the_graph_shows_its_topic() {
        let ids = |sql: &str| {
            let template = synthesize(&app(sql), None).unwrap().stacks.remove(0).template;
            template.resources.keys().map(ToString::to_string).filter(|id| id.contains("Iot")).collect::<Vec<_>>()
        };
        assert_eq!(ids("SELECT * FROM 'a/+'"), ids("SELECT * FROM 'a/+'"));
        assert_ne!(ids("SELECT * FROM 'a/+'"), ids("SELECT * FROM 'b/+'"));
        let graph = Graph::of(&app("SELECT * FROM 'sensors/#'"));
        let source = NodeId::Outside { what: "iot topic", name: "sensors/#".to_owned() };
        assert!(graph.edges_into(&NodeId::Action("record".to_owned())).any(|edge| edge.from == source));
    }
}
