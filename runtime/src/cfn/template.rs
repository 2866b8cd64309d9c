//! Templates and the fragments they are assembled from.

use super::{LogicalId, Value};
use crate::Location;
use serde_json::{json, Map};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One resource: its CloudFormation type and properties.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub kind: Cow<'static, str>,
    pub properties: Value,
    pub depends_on: Vec<LogicalId>,
}

impl Resource {
    pub fn new(kind: &'static str, properties: Value) -> Resource {
        Resource { kind: Cow::Borrowed(kind), properties, depends_on: Vec::new() }
    }

    /// A resource whose type is only known at synth time (`Raw`).
    pub fn new_owned(kind: String, properties: Value) -> Resource {
        Resource { kind: Cow::Owned(kind), properties, depends_on: Vec::new() }
    }

    /// An explicit dependency, for ordering that no reference implies.
    pub fn depends_on(mut self, id: &LogicalId) -> Resource {
        self.depends_on.push(id.clone());
        self
    }
}

/// A template parameter (always a string in wirestack's templates).
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub description: &'static str,
    pub default: Option<String>,
}

/// A stack output.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub description: String,
    pub value: Value,
}

/// The part of a template that one item of the user's code produces: an
/// action with its triggers, or a singleton. Layout places whole fragments.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    pub origin: Location,
    pub resources: BTreeMap<LogicalId, Resource>,
    pub outputs: BTreeMap<LogicalId, Output>,
    pub parameters: BTreeMap<LogicalId, Parameter>,
}

impl Fragment {
    pub fn new(origin: Location) -> Fragment {
        Fragment { origin, resources: BTreeMap::new(), outputs: BTreeMap::new(), parameters: BTreeMap::new() }
    }

    pub fn add(&mut self, id: &LogicalId, resource: Resource) {
        let previous = self.resources.insert(id.clone(), resource);
        debug_assert!(previous.is_none(), "{id} rendered twice in one fragment");
    }

    pub fn output(&mut self, id: LogicalId, description: String, value: Value) {
        self.outputs.insert(id, Output { description, value });
    }

    pub fn parameter(&mut self, id: LogicalId, description: &'static str, default: Option<String>) {
        self.parameters.insert(id, Parameter { description, default });
    }
}

/// A whole template, ready to be written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub description: String,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    pub resources: BTreeMap<LogicalId, Resource>,
    pub outputs: BTreeMap<LogicalId, Output>,
}

impl Template {
    /// The template as CloudFormation JSON, keys sorted.
    pub fn to_json(&self) -> serde_json::Value {
        let mut root = Map::new();
        root.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        root.insert("Description".into(), json!(self.description));
        if !self.parameters.is_empty() {
            let parameters = self.parameters.iter().map(|(id, p)| {
                let mut parameter = json!({ "Type": "String", "Description": p.description });
                if let Some(default) = &p.default {
                    parameter["Default"] = json!(default);
                }
                (id.to_string(), parameter)
            });
            root.insert("Parameters".into(), parameters.collect::<Map<_, _>>().into());
        }
        let resources = self.resources.iter().map(|(id, r)| {
            let mut body = Map::new();
            body.insert("Type".into(), json!(r.kind));
            body.insert("Properties".into(), to_json(&r.properties));
            if !r.depends_on.is_empty() {
                body.insert("DependsOn".into(), json!(r.depends_on.iter().map(LogicalId::as_str).collect::<Vec<_>>()));
            }
            (id.to_string(), body.into())
        });
        root.insert("Resources".into(), resources.collect::<Map<_, _>>().into());
        if !self.outputs.is_empty() {
            let outputs = self
                .outputs
                .iter()
                .map(|(id, o)| (id.to_string(), json!({ "Description": o.description, "Value": to_json(&o.value) })));
            root.insert("Outputs".into(), outputs.collect::<Map<_, _>>().into());
        }
        root.into()
    }

    /// Pretty JSON with a trailing newline: the bytes written to disk.
    pub fn to_pretty_string(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.to_json()).expect("templates are plain JSON");
        text.push('\n');
        text
    }

    /// Every reference that names neither a resource nor a parameter of this
    /// template (an internal consistency check: it should always be empty).
    pub fn dangling_references(&self) -> Vec<LogicalId> {
        let values = self.resources.values().map(|r| &r.properties).chain(self.outputs.values().map(|o| &o.value));
        let mut dangling: Vec<LogicalId> = values
            .flat_map(Value::references)
            .chain(self.resources.values().flat_map(|r| &r.depends_on))
            .filter(|id| !self.resources.contains_key(id) && !self.parameters.contains_key(id))
            .cloned()
            .collect();
        dangling.sort();
        dangling.dedup();
        dangling
    }
}

fn to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).expect("values are plain JSON")
}
