//! The wiring graph as text a diagram tool draws: Mermaid (GitHub renders
//! it in Markdown) or Graphviz DOT. Deterministic: the graph is sorted.

use super::{Graph, Node, NodeId};
use std::fmt::Write as _;

/// A drawing's notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

impl Graph {
    /// The graph in `format`, ending in a newline.
    pub fn draw(&self, format: Format) -> String {
        match format {
            Format::Mermaid => self.mermaid(),
            Format::Dot => self.dot(),
        }
    }

    fn mermaid(&self) -> String {
        let mut out = format!("flowchart LR\n  %% wirestack app `{}`\n", self.app);
        for node in &self.nodes {
            let id = self.mermaid_id(&node.id);
            let text = mermaid_text(&caption(node));
            let shape = match (&node.id, node.kind) {
                (NodeId::Action(_), _) => format!("([\"{text}\"])"),
                (NodeId::Api, _) => format!("{{{{\"{text}\"}}}}"),
                (NodeId::Outside { .. }, _) => format!(">\"{text}\"]"),
                (_, "queue" | "table" | "bucket" | "stream") => format!("[(\"{text}\")]"),
                _ => format!("[\"{text}\"]"),
            };
            let _ = writeln!(out, "  {id}{shape}");
        }
        for edge in &self.edges {
            let (from, to) = (self.mermaid_id(&edge.from), self.mermaid_id(&edge.to));
            let _ = writeln!(out, "  {from} -->|\"{}\"| {to}", mermaid_text(&edge.kind.label()));
        }
        out
    }

    /// Action and resource names are Rust identifiers; prefixes keep them
    /// apart from each other and from Mermaid's keywords (`end`).
    fn mermaid_id(&self, id: &NodeId) -> String {
        match id {
            NodeId::Action(name) => format!("action_{name}"),
            NodeId::Resource(name) => format!("resource_{name}"),
            NodeId::Api => "http_api".to_owned(),
            NodeId::Outside { what, .. } => {
                let same =
                    self.nodes.iter().filter(|node| matches!(&node.id, NodeId::Outside { what: w, .. } if w == what));
                let index = same.take_while(|node| &node.id != id).count();
                format!("{}_{index}", what.replace(' ', "_"))
            }
        }
    }

    fn dot(&self) -> String {
        let mut out = format!("digraph {} {{\n  rankdir=LR;\n", dot_text(&self.app));
        for node in &self.nodes {
            let shape = match (&node.id, node.kind) {
                (NodeId::Action(_), _) => "box, style=rounded",
                (NodeId::Api, _) => "hexagon",
                (NodeId::Outside { .. }, _) => "cds",
                (_, "queue" | "table" | "bucket" | "stream") => "cylinder",
                _ => "box",
            };
            let _ = writeln!(out, "  {} [label={}, shape={shape}];", dot_id(&node.id), dot_text(&caption(node)));
        }
        for edge in &self.edges {
            let label = dot_text(&edge.kind.label());
            let _ = writeln!(out, "  {} -> {} [label={label}];", dot_id(&edge.from), dot_id(&edge.to));
        }
        out.push_str("}\n");
        out
    }
}

/// What a node says: its name, and its kind unless it is an action.
fn caption(node: &Node) -> String {
    match &node.id {
        NodeId::Action(name) => name.clone(),
        NodeId::Resource(name) => format!("{name}\n{}", node.kind),
        NodeId::Api => "HTTP API".to_owned(),
        NodeId::Outside { what, name } if name.is_empty() => (*what).to_owned(),
        NodeId::Outside { name, .. } => name.clone(),
    }
}

/// Text inside a quoted Mermaid label: quotes as entities, lines as `<br/>`.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;").replace('\n', "<br/>")
}

fn dot_id(id: &NodeId) -> String {
    dot_text(&match id {
        NodeId::Action(name) => format!("action:{name}"),
        NodeId::Resource(name) => format!("resource:{name}"),
        NodeId::Api => "http-api".to_owned(),
        NodeId::Outside { what, name } => format!("{what}:{name}"),
    })
}

/// A quoted DOT string.
fn dot_text(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}
