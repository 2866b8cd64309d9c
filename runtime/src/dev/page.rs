//! The dev page: server-rendered HTML with the wiring diagram drawn as SVG
//! from the graph, and a little JavaScript that follows `/_dev/api/state`
//! (invocations, queues, tables, buckets, the last build's error) and
//! drives the buttons. Nothing to build or fetch: one response.

use super::aws::escape;
use super::Dev;
use crate::trigger::TriggerKind;
use crate::wiring::{EdgeKind, Graph, NodeId};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const TEMPLATE: &str = include_str!("page.html");

pub fn render(dev: &Dev) -> String {
    let actions: Vec<_> = dev
        .app
        .actions
        .iter()
        .map(|action| {
            let schedules = action.triggers.iter().any(|t| matches!(t.kind, TriggerKind::Schedule(_)));
            let triggers: Vec<String> = dev
                .graph
                .edges_into(&NodeId::Action(action.name.clone()))
                .filter(|e| matches!(e.kind, EdgeKind::Trigger { .. }))
                .map(|e| e.kind.label())
                .collect();
            json!({ "name": action.name, "schedule": schedules, "triggers": triggers,
                    "at": action.defined_at.to_string() })
        })
        .collect();
    let pools: Vec<&str> =
        dev.app.resources.iter().filter(|r| r.spec.kind() == "user pool").map(|r| r.name.as_str()).collect();
    let config = json!({ "actions": actions, "pools": pools });
    TEMPLATE
        .replace("{{app}}", &escape(&dev.app.name))
        .replace("{{diagram}}", &diagram(&dev.graph))
        .replace("{{config}}", &config.to_string().replace("</", "<\\/"))
}

const WIDTH: usize = 168;
const HEIGHT: usize = 40;
const COLUMN: usize = 220;
const ROW: usize = 58;
const MARGIN: usize = 16;

/// The graph left to right: each node in the column of the longest chain
/// of edges leading to it (edges that close a cycle aside).
pub fn diagram(graph: &Graph) -> String {
    let shown: Vec<&NodeId> = graph.nodes.iter().map(|n| &n.id).filter(|id| drawn(graph, id)).collect();
    let index: BTreeMap<&NodeId, usize> = shown.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<(usize, usize, String)> = graph
        .edges
        .iter()
        .filter(|e| matches!(e.kind, EdgeKind::Trigger { .. } | EdgeKind::Capability(_)))
        .filter_map(|e| Some((*index.get(&e.from)?, *index.get(&e.to)?, e.kind.label())))
        .collect();
    let rank = ranks(shown.len(), &edges);
    let mut rows = vec![0; rank.iter().max().map_or(0, |r| r + 1)];
    let mut at = Vec::with_capacity(shown.len());
    for r in &rank {
        at.push((MARGIN + r * COLUMN, MARGIN + rows[*r] * ROW));
        rows[*r] += 1;
    }
    let width = MARGIN * 2 + rows.len().saturating_sub(1) * COLUMN + WIDTH;
    let height = MARGIN * 2 + rows.iter().max().copied().unwrap_or(0) * ROW;
    let mut svg = format!(
        "<svg id=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a94a6\"/></marker></defs>"
    );
    for (from, to, label) in &edges {
        let (x1, y1) = (at[*from].0 + WIDTH, at[*from].1 + HEIGHT / 2);
        let (x2, y2) = (at[*to].0, at[*to].1 + HEIGHT / 2);
        let bend = if x2 > x1 { (x2 - x1) / 2 } else { COLUMN / 2 };
        let _ = write!(
            svg,
            "<path class=\"edge\" d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"><title>{}</title></path>",
            x1 + bend,
            x2.saturating_sub(bend),
            escape(label)
        );
    }
    for (i, id) in shown.iter().enumerate() {
        let node = graph.node(id).expect("shown nodes are the graph's");
        let (x, y) = at[i];
        let (name, kind) = match id {
            NodeId::Action(name) | NodeId::Resource(name) => (name.clone(), node.kind.to_owned()),
            NodeId::Api => ("HTTP API".to_owned(), "routes".to_owned()),
            NodeId::Outside { what, name } => (name.clone(), (*what).to_owned()),
        };
        let class = if node.kind == "action" { "action" } else { "resource" };
        let _ = write!(
            svg,
            "<g class=\"node {class}\" data-node=\"{}\" data-kind=\"{}\" transform=\"translate({x},{y})\"><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" rx=\"6\"/><text x=\"10\" y=\"17\">{}</text><text class=\"kind\" x=\"10\" y=\"32\">{}</text><title>{}</title></g>",
            escape(&name),
            escape(node.kind),
            escape(&shorten(&name, 22)),
            escape(&kind),
            escape(node.item.as_deref().unwrap_or(&name))
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Nodes that carry events: not layers, not user pools.
fn drawn(graph: &Graph, id: &NodeId) -> bool {
    !matches!(graph.node(id).map(|n| n.kind), Some("layer" | "user pool"))
}

/// Each node's column: the longest path to it over the edges that a
/// depth-first walk does not find closing a cycle.
fn ranks(count: usize, edges: &[(usize, usize, String)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut indegree = vec![0; count];
    for (from, to, _) in edges {
        out[*from].push(*to);
    }
    for (_, to, _) in edges {
        indegree[*to] += 1;
    }
    // Drop back edges, walking from the sources first (so an event's path
    // reads left to right): colour 1 = on the walk's stack.
    let mut starts: Vec<usize> = (0..count).collect();
    starts.sort_by_key(|n| indegree[*n] > 0);
    indegree.fill(0);
    let mut colour = vec![0u8; count];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); count];
    for start in starts {
        if colour[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0)];
        colour[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&to) = out[node].get(next) {
                stack.push((node, next + 1));
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        forward[node].push(to);
                        stack.push((to, 0));
                    }
                    1 => {}
                    _ => forward[node].push(to),
                }
            } else {
                colour[node] = 2;
            }
        }
    }
    for targets in &forward {
        for to in targets {
            indegree[*to] += 1;
        }
    }
    let mut rank = vec![0; count];
    let mut ready: Vec<usize> = (0..count).filter(|n| indegree[*n] == 0).collect();
    while let Some(node) = ready.pop() {
        for &to in &forward[node] {
            rank[to] = rank[to].max(rank[node] + 1);
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    rank
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
