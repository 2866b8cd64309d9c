//! The wiring graph: a validated app as actions and resources joined by
//! typed edges, each with the place in the user's code it came from.
//!
//! It is what everything after validation asks "what feeds what": the
//! `graph` command draws it, and deploy's change summary, the nested-stack
//! layout and the local dev server read it.

mod draw;

pub use draw::Format;

use crate::capability::Access;
use crate::model::App;
use crate::trigger::api::Apis;
use crate::trigger::{EventSource, Origin};
use crate::Location;

/// Actions and resources, and what joins them; every list sorted, so the
/// same app always gives the same graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub app: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Which HTTP API serves each action's routes.
    pub apis: Apis,
    /// Indices into `edges`, ordered by target: `edges_into` by search.
    by_target: Vec<usize>,
}

/// What a node stands for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeId {
    /// An action (a Lambda function), by name.
    Action(String),
    /// A resource of the app (a singleton, or a queue an action owns).
    Resource(String),
    /// The app's HTTP API (drawn as one, however many serve its routes).
    Api,
    /// A source outside the app (a schedule, the default bus): what it is,
    /// and its name there (the expression), if any.
    Outside { what: &'static str, name: String },
}

/// One action or resource, and where the user's code declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: NodeId,
    /// "action", or the resource's kind ("queue", "table", ..).
    pub kind: &'static str,
    /// The Rust item behind it (`#[singleton] fn orders`), if any.
    pub item: Option<String>,
    pub defined_at: Option<Location>,
}

/// How two nodes are joined.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Events of trigger kind `kind` (`sqs`, `api`, ..) flow into the action;
    /// `label` says which (the route key, the schedule), if more than the kind.
    Trigger { kind: &'static str, label: Option<String> },
    /// The action's handler takes a capability with this access.
    Capability(Access),
    /// The function carries the layer.
    Layer,
    /// A route requires a signed-in user of the pool.
    Auth { route: String },
}

/// A directed edge: events flow from a source into an action; an action
/// reaches the resource its capability names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    pub declared_at: Location,
}

impl Graph {
    /// The graph of `app`, which validation has accepted (every name an
    /// edge uses is an action or resource of the app).
    pub fn of(app: &App) -> Graph {
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for action in &app.actions {
            let me = NodeId::Action(action.name.clone());
            nodes.push(Node {
                id: me.clone(),
                kind: "action",
                item: Some(format!("fn {}", action.rust_path)),
                defined_at: Some(action.defined_at),
            });
            for trigger in &action.triggers {
                let kind = trigger.kind.name();
                let (from, label) = match trigger.kind.origin() {
                    Origin::Resource(name) => (NodeId::Resource(name.to_owned()), None),
                    Origin::Outside { what, name } => (NodeId::Outside { what, name: name.to_owned() }, None),
                    Origin::Api(route) => (NodeId::Api, Some(route)),
                };
                if let (Some(route), Some((pool, _))) = (&label, trigger.kind.target()) {
                    edges.push(Edge {
                        from: NodeId::Resource(pool.to_owned()),
                        to: me.clone(),
                        kind: EdgeKind::Auth { route: route.clone() },
                        declared_at: trigger.declared_at,
                    });
                }
                edges.push(Edge {
                    from,
                    to: me.clone(),
                    kind: EdgeKind::Trigger { kind, label },
                    declared_at: trigger.declared_at,
                });
            }
            for capability in &action.capabilities {
                let to = match capability.access {
                    Access::Invoke => NodeId::Action(capability.resource.clone()),
                    _ => NodeId::Resource(capability.resource.clone()),
                };
                let kind = EdgeKind::Capability(capability.access);
                edges.push(Edge { from: me.clone(), to, kind, declared_at: action.defined_at });
            }
            for layer in &action.settings.layers {
                let from = NodeId::Resource(layer.clone());
                edges.push(Edge { from, to: me.clone(), kind: EdgeKind::Layer, declared_at: action.defined_at });
            }
        }
        for resource in &app.resources {
            let item = match &resource.owner {
                Some(owner) => format!("#[trigger(sqs)] fn {owner}"),
                None => format!("#[singleton] fn {}", resource.name),
            };
            nodes.push(Node {
                id: NodeId::Resource(resource.name.clone()),
                kind: resource.spec.kind(),
                item: Some(item),
                defined_at: Some(resource.defined_at),
            });
        }
        let mut sources: Vec<NodeId> = edges
            .iter()
            .map(|edge| edge.from.clone())
            .filter(|id| matches!(id, NodeId::Api | NodeId::Outside { .. }))
            .collect();
        sources.sort();
        sources.dedup();
        nodes.extend(sources.into_iter().map(|id| {
            let kind = match &id {
                NodeId::Outside { what, .. } => what,
                _ => "http api",
            };
            Node { id, kind, item: None, defined_at: None }
        }));
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        edges.sort();
        edges.dedup();
        let mut by_target: Vec<usize> = (0..edges.len()).collect();
        by_target.sort_by(|&a, &b| edges[a].to.cmp(&edges[b].to));
        Graph { app: app.name.clone(), nodes, edges, apis: Apis::of(app), by_target }
    }

    /// The node `id` (nodes are sorted by id).
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.binary_search_by(|node| node.id.cmp(id)).ok().map(|i| &self.nodes[i])
    }

    /// The edges into `id`.
    pub fn edges_into(&self, id: &NodeId) -> impl Iterator<Item = &Edge> + '_ {
        let start = self.by_target.partition_point(|&i| self.edges[i].to < *id);
        let end = self.by_target.partition_point(|&i| self.edges[i].to <= *id);
        self.by_target[start..end].iter().map(|&i| &self.edges[i])
    }

    /// Whether some action takes `Invoke<action>`.
    pub fn is_invoked(&self, action: &str) -> bool {
        let id = NodeId::Action(action.to_owned());
        self.edges_into(&id).any(|edge| edge.kind == EdgeKind::Capability(Access::Invoke))
    }

    /// The actions that a trigger of kind `kind` on `resource` feeds.
    pub fn fed_by<'g>(&'g self, resource: &str, kind: &'g str) -> impl Iterator<Item = &'g str> + 'g {
        self.edges_from(&NodeId::Resource(resource.to_owned())).filter_map(move |edge| match (&edge.kind, &edge.to) {
            (EdgeKind::Trigger { kind: edge_kind, .. }, NodeId::Action(action)) if *edge_kind == kind => {
                Some(action.as_str())
            }
            _ => None,
        })
    }

    /// The edges out of `id`.
    /// (Edges are sorted by source first.)
    pub fn edges_from(&self, id: &NodeId) -> std::slice::Iter<'_, Edge> {
        let start = self.edges.partition_point(|edge| edge.from < *id);
        let end = self.edges.partition_point(|edge| edge.from <= *id);
        self.edges[start..end].iter()
    }
}

impl EdgeKind {
    /// The edge's label in a drawing: the trigger kind (with its route or
    /// schedule), the capability's verb, `layer` or `auth`.
    pub fn label(&self) -> String {
        match self {
            EdgeKind::Trigger { kind, label: Some(label) } => format!("{kind} {label}"),
            EdgeKind::Trigger { kind, label: None } => (*kind).to_owned(),
            EdgeKind::Capability(access) => access.verb().to_owned(),
            EdgeKind::Layer => "layer".to_owned(),
            EdgeKind::Auth { route } => format!("auth {route}"),
        }
    }
}
