//! `Bus`: an EventBridge event bus of the app's own, for `event` triggers
//! (`#[trigger(event = "..", bus = my_bus)]`) that should not see the
//! account's default bus.

use super::{name_too_long, Grant, Resource, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{Fragment, LogicalId, Resource as CfnResource, Value};
use crate::naming::Naming;
use crate::problem::Problem;

const MAX_NAME_LEN: usize = 256;

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

impl Resource for Bus {
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

impl BusSpec {
    /// The bus's name, for rules on it.
    pub fn name(&self, name: &str, naming: &Naming) -> Value {
        match &self.existing {
            Some(existing) => Value::from(existing.as_str()),
            None => Value::from(naming.physical(name)),
        }
    }

    /// No capability puts events on a bus in this version.
    pub(super) fn grant(&self, _name: &str, _access: Access) -> Option<Grant> {
        None
    }

    pub(super) fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = Fragment::new(scope.resource.defined_at);
        if self.existing.is_none() {
            let properties = Value::map([("Name", self.name(name, scope.naming))]);
            fragment.add(&logical_id(name), CfnResource::new("AWS::Events::EventBus", properties));
        }
        fragment
    }

    pub(super) fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
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
