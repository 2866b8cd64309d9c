//! The App model: plain data, built from the registry (or by hand in tests),
//! validated, then rendered. Nothing here knows about macros or JSON.

mod build;
#[cfg(test)]
pub(crate) mod testing;
mod validate;

use crate::capability::Access;
use crate::resource::ResourceSpec;
use crate::trigger::Trigger;
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
    /// The resource `name`: found by search, as the registry sorts them
    /// (an app built by hand in another order is searched through).
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        match self.resources.binary_search_by(|r| r.name.as_str().cmp(name)) {
            Ok(i) => Some(&self.resources[i]),
            Err(_) => self.resources.iter().find(|r| r.name == name),
        }
    }

    /// The action `name`, likewise.
    pub fn action(&self, name: &str) -> Option<&Action> {
        match self.actions.binary_search_by(|a| a.name.as_str().cmp(name)) {
            Ok(i) => Some(&self.actions[i]),
            Err(_) => self.actions.iter().find(|a| a.name == name),
        }
    }
}
