//! The wiring graph of the example, checked against its App model, and its
//! drawings.

use wirestack::capability::Access;
use wirestack::synth::validate;
use wirestack::wiring::{EdgeKind, Format, Graph, NodeId};
use wirestack_tests::shop;

fn graph() -> Graph {
    validate(&shop(), None, &Default::default()).expect("the example is valid")
}

fn action(name: &str) -> NodeId {
    NodeId::Action(name.to_owned())
}

fn resource(name: &str) -> NodeId {
    NodeId::Resource(name.to_owned())
}

#[test]
fn edges_follow_the_model() {
    let graph = graph();
    let fulfil: Vec<_> = graph.edges_from(&action("fulfil")).map(|e| (e.to.clone(), e.kind.clone())).collect();
    assert!(fulfil.contains(&(resource("order_book"), EdgeKind::Capability(Access::Write))), "{fulfil:?}");
    let into_fulfil: Vec<_> = graph.edges_into(&action("fulfil")).map(|e| (e.from.clone(), e.kind.label())).collect();
    assert_eq!(into_fulfil, [(resource("orders"), "sqs".to_owned())]);

    let app = shop();
    for model in &app.actions {
        let me = action(&model.name);
        let node = graph.node(&me).expect("every action is a node");
        assert_eq!(node.defined_at, Some(model.defined_at));
        let triggers = graph.edges_into(&me).filter(|e| matches!(e.kind, EdgeKind::Trigger { .. })).count();
        assert_eq!(triggers, model.triggers.len(), "{}'s triggers", model.name);
        let capabilities: Vec<_> = graph
            .edges_from(&me)
            .filter_map(|e| match (&e.kind, &e.to) {
                (EdgeKind::Capability(access), NodeId::Resource(to) | NodeId::Action(to)) => {
                    Some((*access, to.clone()))
                }
                _ => None,
            })
            .collect();
        let mut expected: Vec<_> = model.capabilities.iter().map(|c| (c.access, c.resource.clone())).collect();
        expected.sort();
        let mut capabilities = capabilities;
        capabilities.sort();
        assert_eq!(capabilities, expected, "{}'s capabilities", model.name);
    }
    for model in &app.resources {
        let node = graph.node(&resource(&model.name)).expect("every resource is a node");
        assert_eq!(node.kind, model.spec.kind());
        assert_eq!(node.defined_at, Some(model.defined_at));
    }
    // Every edge joins two nodes of the graph.
    for edge in &graph.edges {
        assert!(graph.node(&edge.from).is_some() && graph.node(&edge.to).is_some(), "{edge:?}");
    }
    // The route guarded by the user pool, and the layer.
    assert!(graph
        .edges_into(&action("me"))
        .any(|e| e.from == resource("customers") && e.kind.label() == "auth GET /me"));
    assert!(graph.edges_into(&action("announce")).any(|e| e.from == resource("carriers") && e.kind == EdgeKind::Layer));
}

#[test]
fn drawings_name_every_node_and_are_deterministic() {
    let graph = graph();
    let mermaid = graph.draw(Format::Mermaid);
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    for node in &graph.nodes {
        if let NodeId::Action(name) | NodeId::Resource(name) = &node.id {
            assert!(mermaid.contains(&format!("[\"{name}")) || mermaid.contains(&format!("(\"{name}")), "{name}");
        }
    }
    assert!(mermaid.contains("  resource_orders -->|\"sqs\"| action_fulfil\n"), "{mermaid}");
    assert!(mermaid.contains("  action_fulfil -->|\"write\"| resource_order_book\n"), "{mermaid}");
    assert!(mermaid.contains("  http_api -->|\"api POST /orders\"| action_place_order\n"), "{mermaid}");
    assert_eq!(mermaid, self::graph().draw(Format::Mermaid));

    let dot = graph.draw(Format::Dot);
    assert!(dot.starts_with("digraph \"shop\" {\n"), "{dot}");
    assert!(dot.contains("  \"resource:orders\" -> \"action:fulfil\" [label=\"sqs\"];\n"), "{dot}");
    assert!(dot.ends_with("}\n"));
    assert_eq!(dot.matches(" -> ").count(), graph.edges.len());
}

#[test]
fn readme_shows_the_examples_diagram_as_synth_draws_it() {
    let readme = std::fs::read_to_string(wirestack_tests::workspace().join("README.md")).unwrap();
    let start = readme.find("```mermaid\n").expect("README has a Mermaid diagram") + "```mermaid\n".len();
    let end = start + readme[start..].find("```").unwrap();
    assert_eq!(
        &readme[start..end],
        graph().draw(Format::Mermaid),
        "README's diagram is stale: paste the output of `cargo run -p shop --bin synth -- graph`"
    );
}
