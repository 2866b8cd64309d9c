//! The action table and the dispatcher: how the one binary finds and runs
//! the action each function is.

use crate::handler::{BoxedHandler, Context};
use crate::registry::{self, ActionRegistration};
use crate::Error;
use serde_json::Value;
use std::fmt;

/// Every action linked into this binary, sorted by name: built once at init
/// and searched by binary search, never scanned per event.
pub struct ActionTable {
    actions: Vec<&'static ActionRegistration>,
}

impl ActionTable {
    pub fn from_registry() -> ActionTable {
        let mut actions: Vec<_> = registry::actions().collect();
        actions.sort_by_key(|a| a.name);
        ActionTable { actions }
    }

    pub fn get(&self, name: &str) -> Option<&'static ActionRegistration> {
        self.actions.binary_search_by_key(&name, |a| a.name).ok().map(|i| self.actions[i])
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.actions.iter().map(|a| a.name)
    }

    /// The registration of `name`, or an error listing the known actions.
    pub fn find(&self, name: &str) -> Result<&'static ActionRegistration, UnknownAction> {
        self.get(name)
            .ok_or_else(|| UnknownAction { name: name.to_owned(), known: self.names().map(str::to_owned).collect() })
    }

    /// The dispatcher for `name`: its handler built, its capabilities
    /// resolved. Fails for an unknown name (listing the known ones) or a
    /// capability whose resource the environment does not name.
    pub async fn dispatcher(&self, name: &str) -> Result<Dispatcher, Error> {
        let registration = self.find(name)?;
        let handler = registration
            .handler()
            .await
            .map_err(|error| Error::from(format!("action `{name}` cannot start: {error}")))?;
        Ok(Dispatcher { registration, handler })
    }
}

/// An action name that is not in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownAction {
    pub name: String,
    pub known: Vec<String>,
}

impl fmt::Display for UnknownAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            write!(f, "no action named")?;
        } else {
            write!(f, "no action named `{}`", self.name)?;
        }
        write!(f, "; this binary has: {}", self.known.join(", "))
    }
}

impl std::error::Error for UnknownAction {}

/// One action, ready to handle invocations.
pub struct Dispatcher {
    registration: &'static ActionRegistration,
    handler: BoxedHandler,
}

impl Dispatcher {
    pub fn action(&self) -> &'static str {
        self.registration.name
    }

    /// Handles one payload (JSON text) as Lambda would deliver it.
    pub async fn invoke(&self, payload: &str, context: Context) -> Result<Value, Error> {
        self.handler.call(payload, context).await
    }
}
