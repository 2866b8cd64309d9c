//! `Bus`: an EventBridge event bus of the app's own, for `event` triggers
//! (`#[trigger(event = "..", bus = my_bus)]`) that should not see the
//! account's default bus; `Publisher<bus>` puts events on it.

use super::{name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;

const MAX_NAME_LEN: usize = 256;
/// What a `Publisher` needs on the bus.
pub const PUT_EVENTS: [Permission; 1] = [Permission::new("events", "PutEvents")];

/// An event bus, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn orders_bus() -> Bus { Bus::new() }
/// ```
pub struct Bus {
    spec: BusSpec,
}

/// A bus's settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BusSpec {
    /// The name of an existing bus to use instead of creating one.
    pub existing: Option<String>,
}

impl Bus {
    pub fn new() -> Bus {
        Bus { spec: BusSpec::default() }
    }

    /// An existing bus, by name (another team's, or a partner's).
    pub fn existing(name: &str) -> Bus {
        Bus { spec: BusSpec { existing: Some(name.to_owned()) } }
    }
}

impl Default for Bus {
    fn default() -> Bus {
        Bus::new()
    }
}

impl IntoResource for Bus {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Bus(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Bus"])
}

/// The variable holding bus `name`'s name in a function that may publish to it.
pub fn name_env(name: &str) -> String {
    format!("WIRESTACK_BUS_{}", name.to_ascii_uppercase())
}

impl BusSpec {
    /// The bus's name, for rules on it.
    pub fn name(&self, name: &str, naming: &Naming) -> Value {
        match &self.existing {
            Some(existing) => Value::from(existing.clone()),
            None => Value::from(naming.physical(name)),
        }
    }

    /// `arn:PARTITION:events:REGION:ACCOUNT:event-bus/NAME`, from the name.
    fn arn(&self, name: &str, naming: &Naming) -> Value {
        let bus = match &self.existing {
            Some(existing) => existing.clone(),
            None => naming.physical(name),
        };
        Value::arn_in_account("events", [format!("event-bus/{bus}").into()])
    }
}

impl ResourceKind for BusSpec {
    fn handle(&self, name: &str, naming: &Naming) -> Handle {
        let id = self.existing.is_none().then(|| logical_id(name));
        Handle { arn: Some(self.arn(name, naming)), name: Some(self.name(name, naming)), id }
    }

    fn kind(&self) -> &'static str {
        "bus"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let (name, naming) = (scope.resource.name.as_str(), scope.naming);
        match access {
            Access::Publish => Some(Grant::one(
                Statement::allow(&PUT_EVENTS, vec![self.arn(name, naming)]),
                (name_env(name), self.name(name, naming)),
            )),
            Access::Send | Access::Read | Access::Write | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        if self.existing.is_none() {
            let properties = Value::map([("Name", self.name(name, scope.naming))]);
            fragment.add(&logical_id(name), CfnResource::new("AWS::Events::EventBus", properties));
        }
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        match &self.existing {
            Some(existing) if existing.is_empty() || existing.contains(':') => {
                vec![Problem::new(format!("bus `{}` names `{existing}`, which is not a bus name", resource.name))
                    .at(resource.defined_at, "declared here")
                    .help("write the bus's name, not its ARN: `Bus::existing(\"orders\")`")]
            }
            Some(_) => Vec::new(),
            None => name_too_long(scope, &scope.naming.physical(&resource.name), MAX_NAME_LEN, "event bus")
                .into_iter()
                .collect(),
        }
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_bus_publisher_may_put_events_on_exactly_its_bus() {
        use crate::resource::IntoResource as _;
        let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
        let mut payer = action("payer", 10, vec![]);
        payer.capabilities = vec![uses(Access::Publish, "payments"), uses(Access::Publish, "partner")];
        let buses = vec![
            resource("payments", crate::Bus::new().into_spec()),
            resource("partner", crate::Bus::existing("partner-events").into_spec()),
        ];
        let paying = app(vec![payer], buses);
        let statements = role_statements(&paying, "PayerRole");
        let on = |bus: &str| serde_json::json!({"Effect": "Allow", "Action": ["events:PutEvents"], "Resource": [{"Fn::Sub": format!("arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{bus}")}]});
        assert_eq!(statements[1], on("app-payments"));
        assert_eq!(statements[2], on("partner-events"));
    }
}
