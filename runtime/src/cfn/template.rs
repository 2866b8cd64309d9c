//! Templates and the fragments they are assembled from.

use super::{LogicalId, Map, Value};
use crate::fast_hash::HashSet;
use crate::Location;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// One resource: its CloudFormation type and properties.
#[derive(Clone, Debug, PartialEq)]
pub struct CfnResource {
    pub kind: Cow<'static, str>,
    pub properties: Value,
    pub depends_on: Vec<LogicalId>,
    /// Set on resources that hold their users' data (messages, items,
    /// objects, records, secrets, users, values).
    pub data: Option<Data>,
}

/// What a resource holding data declares, so that neither deleting the
/// stack nor replacing the resource loses that data unnoticed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Data {
    /// The properties whose change makes CloudFormation replace the
    /// resource with a new, empty one (from each type's documentation).
    pub replaced_by: &'static [&'static str],
    pub removal: Removal,
}

/// What happens to a resource holding data when its stack is deleted or
/// CloudFormation replaces it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Removal {
    /// Left in the account (`DeletionPolicy` and `UpdateReplacePolicy`
    /// `Retain`): the default, so no deploy loses data.
    #[default]
    Retain,
    /// Deleted with the stack, or when replaced: chosen in code with
    /// `.delete_with_stack()`, for data nobody needs to keep.
    Delete,
}

impl CfnResource {
    pub fn new(kind: &'static str, properties: Value) -> CfnResource {
        CfnResource { kind: Cow::Borrowed(kind), properties, depends_on: Vec::new(), data: None }
    }

    /// A resource whose type is only known at synth time (`Raw`).
    pub fn new_owned(kind: String, properties: Value) -> CfnResource {
        CfnResource { kind: Cow::Owned(kind), properties, depends_on: Vec::new(), data: None }
    }

    /// Marks the resource as holding data, replaced when any of
    /// `replaced_by` changes, and kept or deleted as `removal` says.
    pub fn holding_data(mut self, replaced_by: &'static [&'static str], removal: Removal) -> CfnResource {
        self.data = Some(Data { replaced_by, removal });
        self
    }

    /// Whether CloudFormation leaves the resource behind when its stack goes.
    pub fn is_retained(&self) -> bool {
        self.data.is_some_and(|data| data.removal == Removal::Retain)
    }

    /// An explicit dependency, for ordering that no reference implies.
    pub fn depends_on(mut self, id: &LogicalId) -> CfnResource {
        self.depends_on.push(id.clone());
        self
    }
}

/// A template parameter (always a string in wirestack's templates).
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub description: Cow<'static, str>,
    pub default: Option<String>,
}

/// A stack output.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub description: String,
    pub value: Value,
}

/// The item of the user's code a fragment comes from, so a deploy can trace
/// each resource it changes back to a Rust line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// How the user wrote it: `#[singleton] fn orders`, `fn fulfil`
    /// (shared: every resource of the item carries it).
    pub item: Arc<str>,
    pub at: Location,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  {}:{}", self.item, self.at.file, self.at.line)
    }
}

/// Which stack a fragment may live in when an app is laid out over nested
/// stacks. Fragments with the same home always share a stack.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Home {
    /// The root stack: the HTTP API, and resources whose properties may name
    /// functions or anything else (buckets' notifications, `Raw`), which in a
    /// child could make two children wait for each other.
    Root,
    /// A child holding shared singletons, chosen by the singleton's name.
    Shared(String),
    /// A child holding actions, chosen by the action's name; the resources
    /// an action owns (its own queue) come along.
    Action(String),
}

/// One resource and the item of the user's code it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub id: LogicalId,
    pub resource: CfnResource,
    pub source: Source,
}

/// The part of a template that one item of the user's code produces: an
/// action with its triggers, or a singleton. Layout places whole fragments.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    pub source: Source,
    pub home: Home,
    /// In the order rendered (layout sorts them; it also reports an id two
    /// items, or one item twice, produce). Each carries the fragment's
    /// source, so that layout moves a fragment's resources in one piece.
    pub resources: Vec<Rendered>,
    pub outputs: BTreeMap<LogicalId, Output>,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    /// Changes to resources other items render, applied in order when the
    /// template is assembled.
    pub patches: Vec<Patch>,
}

/// A change one item makes to a resource that another item renders: how a
/// trigger wires itself into its resource (a bucket's notifications, a
/// table's stream) without that resource reading the trigger.
#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    pub target: LogicalId,
    /// The property, by its path from `Properties`.
    pub path: &'static [&'static str],
    pub change: Change,
    /// Resources the target must be created after.
    pub depends_on: Vec<LogicalId>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Appends to the list at the path, which is created if missing.
    Append(Value),
    /// Sets the property unless it is set already.
    Default(Value),
}

impl Patch {
    /// Applies the patch to `resource`.
    pub fn apply(&self, resource: &mut CfnResource) {
        let (last, parents) = self.path.split_last().expect("a patch names a property");
        let mut here = &mut resource.properties;
        for key in parents {
            here = entry(here, key, || Value::Map(Map::new()));
        }
        match &self.change {
            Change::Append(item) => {
                if let Value::List(items) = entry(here, last, || Value::List(Vec::new())) {
                    items.push(item.clone());
                }
            }
            Change::Default(value) => {
                entry(here, last, || value.clone());
            }
        }
        for id in &self.depends_on {
            if !resource.depends_on.contains(id) {
                resource.depends_on.push(id.clone());
            }
        }
    }
}

/// The value at `key` of a map, inserted by `missing` if absent.
fn entry<'v>(map: &'v mut Value, key: &str, missing: impl FnOnce() -> Value) -> &'v mut Value {
    if !matches!(map, Value::Map(_)) {
        *map = Value::Map(Map::new());
    }
    let Value::Map(entries) = map else { unreachable!("made a map above") };
    entries.entry_or_insert_with(key, missing)
}

impl Fragment {
    pub fn new(item: String, at: Location, home: Home) -> Fragment {
        Fragment {
            source: Source { item: item.into(), at },
            home,
            resources: Vec::new(),
            outputs: BTreeMap::new(),
            parameters: BTreeMap::new(),
            patches: Vec::new(),
        }
    }

    /// Changes `target`, which another item renders.
    pub fn patch(&mut self, patch: Patch) {
        self.patches.push(patch);
    }

    pub fn add(&mut self, id: &LogicalId, resource: CfnResource) {
        self.resources.push(Rendered { id: id.clone(), resource, source: self.source.clone() });
    }

    /// Whether it renders resource `id` already.
    pub fn has(&self, id: &LogicalId) -> bool {
        self.resources.iter().any(|rendered| rendered.id == *id)
    }

    pub fn output(&mut self, id: LogicalId, description: String, value: Value) {
        self.outputs.insert(id, Output { description, value });
    }

    pub fn parameter(&mut self, id: LogicalId, description: &'static str, default: Option<String>) {
        self.parameters.insert(id, Parameter { description: Cow::Borrowed(description), default });
    }
}

/// A whole template, ready to be written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub description: String,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    pub resources: BTreeMap<LogicalId, CfnResource>,
    pub outputs: BTreeMap<LogicalId, Output>,
}

impl Template {
    /// The template as a JSON value (for tests and tools that inspect it),
    /// read back from the bytes written to disk.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.to_pretty_string()).expect("the template writer writes JSON")
    }

    /// Pretty JSON with a trailing newline: the bytes written to disk.
    pub fn to_pretty_string(&self) -> String {
        super::json::template(self)
    }

    /// Every reference that names neither a resource nor a parameter of this
    /// template (an internal consistency check: it should always be empty).
    pub fn dangling_references(&self) -> Vec<LogicalId> {
        let known: HashSet<&str> = self.resources.keys().chain(self.parameters.keys()).map(LogicalId::as_str).collect();
        dangling_references(self.resources.values(), self.outputs.values(), |id| known.contains(id.as_str()))
    }
}

/// The ids that references and dependencies of `resources` and `outputs`
/// name but `known` does not know, in order.
pub(crate) fn dangling_references<'a>(
    resources: impl Iterator<Item = &'a CfnResource>,
    outputs: impl Iterator<Item = &'a Output>,
    known: impl Fn(&LogicalId) -> bool,
) -> Vec<LogicalId> {
    let mut dangling = Vec::new();
    let mut check = |id: &LogicalId, _| {
        if !known(id) {
            dangling.push(id.clone());
        }
    };
    for resource in resources {
        resource.properties.for_each_reference(&mut check);
        resource.depends_on.iter().for_each(|id| check(id, None));
    }
    outputs.for_each(|output| output.value.for_each_reference(&mut check));
    dangling.sort();
    dangling.dedup();
    dangling
}

#[cfg(test)]
mod tests {
    use super::{CfnResource, Change, LogicalId, Patch, Value};

    #[test]
    fn patches_append_to_lists_they_create_set_only_what_is_unset_and_add_each_dependency_once() {
        let mut bucket = CfnResource::new("AWS::S3::Bucket", Value::map([("Stays", Value::from(1))]));
        let (target, permission) = (LogicalId::new(&["Bucket"]), LogicalId::new(&["Permission"]));
        let append = |n: u32| Patch {
            target: target.clone(),
            path: &["Notification", "Lambdas"],
            change: Change::Append(Value::from(n)),
            depends_on: vec![permission.clone()],
        };
        append(1).apply(&mut bucket);
        append(2).apply(&mut bucket);
        let set = |n: u32| Patch {
            target: target.clone(),
            path: &["Stays"],
            change: Change::Default(Value::from(n)),
            depends_on: Vec::new(),
        };
        set(2).apply(&mut bucket);
        assert_eq!(
            serde_json::to_value(&bucket.properties).unwrap(),
            serde_json::json!({"Notification": {"Lambdas": [1, 2]}, "Stays": 1})
        );
        assert_eq!(bucket.depends_on, [permission]);
    }
}
