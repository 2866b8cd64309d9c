//! The App model: plain data, built from the registry (or by hand in tests),
//! validated, then rendered. Nothing here knows about macros or JSON.

mod build;
#[cfg(test)]
pub(crate) mod testing;
mod validate;

use crate::capability::Access;
use crate::resource::{queue, QueueSpec, ResourceSpec};
use crate::trigger::{Trigger, TriggerKind};
use crate::Location;
use std::collections::BTreeMap;

/// A whole app: its actions and resources, each sorted by name.
#[derive(Clone, Debug, PartialEq)]
pub struct App {
    pub name: String,
    pub actions: Vec<Action>,
    pub resources: Vec<Resource>,
}

/// One Lambda function and what triggers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub name: String,
    /// The handler fn's Rust path, for messages.
    pub rust_path: String,
    pub defined_at: Location,
    pub settings: Settings,
    pub triggers: Vec<Trigger>,
    /// The resources its handler's capability parameters name.
    pub capabilities: Vec<UsedCapability>,
}

/// A capability parameter: what it does, to which resource.
#[derive(Clone, Debug, PartialEq)]
pub struct UsedCapability {
    pub access: Access,
    pub resource: String,
}

/// A function's settings with defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub memory_mb: u32,
    pub timeout_s: u32,
    pub reserved_concurrency: Option<u32>,
    pub env: BTreeMap<String, String>,
    /// `Layer` resources, in the order Lambda stacks them.
    pub layers: Vec<String>,
}

impl Settings {
    /// Rust functions are small and start fast; 256 MB buys a faster CPU
    /// share than Lambda's 128 MB floor for little cost.
    pub const DEFAULT_MEMORY_MB: u32 = 256;
    /// Long enough for a few AWS calls; the HTTP API's own limit is 30 s.
    pub const DEFAULT_TIMEOUT_S: u32 = 30;
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            memory_mb: Settings::DEFAULT_MEMORY_MB,
            timeout_s: Settings::DEFAULT_TIMEOUT_S,
            reserved_concurrency: None,
            env: BTreeMap::new(),
            layers: Vec::new(),
        }
    }
}

/// A resource: a singleton, or a queue an action owns.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub name: String,
    pub defined_at: Location,
    /// The action that owns this resource (`#[trigger(sqs)]`), if any.
    pub owner: Option<String>,
    pub spec: ResourceSpec,
}

impl App {
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// Whether some action takes `Invoke<name>`.
    pub fn is_invoked(&self, name: &str) -> bool {
        self.actions.iter().flat_map(|a| &a.capabilities).any(|c| c.access == Access::Invoke && c.resource == name)
    }

    /// The actions that consume queue `name`, with the trigger that does.
    pub fn queue_consumers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a Action, &'a Trigger)> + 'a {
        self.actions.iter().flat_map(move |action| {
            action.triggers.iter().filter_map(move |trigger| match &trigger.kind {
                TriggerKind::Sqs(sqs) if sqs.queue == name => Some((action, trigger)),
                _ => None,
            })
        })
    }

    /// A queue's visibility timeout: as set, or six times its longest
    /// consumer's timeout (SQS's own default of 30 s when nothing consumes it).
    pub fn visibility_timeout_s(&self, name: &str, spec: &QueueSpec) -> u32 {
        spec.visibility_timeout_s.unwrap_or_else(|| {
            self.queue_consumers(name)
                .map(|(action, _)| action.settings.timeout_s * queue::VISIBILITY_PER_TIMEOUT)
                .max()
                .unwrap_or(queue::SQS_DEFAULT_VISIBILITY_S)
        })
    }
}
