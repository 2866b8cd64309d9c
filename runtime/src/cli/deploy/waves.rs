//! Deploying a tree of nested stacks in waves. One CloudFormation operation
//! on a root and its nested stacks may create, update or delete at most
//! 2,500 resources; a first deploy of a bigger app (or an update touching
//! more) goes out as several updates of the root, each bringing in more
//! children, the last being the root synth wrote.
//!
//! A wave is the new root with the children it does not bring in yet (and
//! the root's own resources that need them) as they are deployed: their
//! deployed definition, their parameters pinned to the deployed values, or
//! absent when they are new.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What one operation on a tree of nested stacks may change.
pub const RESOURCES_PER_OPERATION: usize = 2_500;

/// The root templates to deploy in turn; one when everything fits in one
/// operation. `root` is the new root template, `children` each nested
/// stack's logical id with its number of resources, `deployed` the root
/// template as deployed (`{}` for none) and `deployed_parameters` the values
/// its parameters were deployed with.
pub fn plan(
    root: &Value,
    children: &BTreeMap<String, usize>,
    deployed: &Value,
    deployed_parameters: &BTreeMap<String, String>,
    limit: usize,
) -> Vec<Value> {
    let new = resources(root);
    let old = resources(deployed);
    let changed = |id: &str| old.get(id) != new.get(id);
    // What changing each resource may touch: a whole child for a nested stack.
    let weight = |id: &str| children.get(id).copied().unwrap_or(1);
    let total: usize = new.keys().filter(|id| changed(id)).map(|id| weight(id)).sum();
    if total <= limit {
        return vec![root.clone()];
    }
    // Children in the order they can come: shared ones (which action stacks
    // wait for) first, then by name.
    let mut order: Vec<&String> = children.keys().filter(|id| changed(id)).collect();
    order.sort_by_key(|id| (!id.starts_with("Shared"), id.as_str()));
    let mut waves = Vec::new();
    let mut brought: BTreeSet<&str> = children.keys().filter(|id| !changed(id)).map(String::as_str).collect();
    let mut next = order.into_iter().peekable();
    while next.peek().is_some() {
        let mut room = limit;
        while let Some(id) = next.peek() {
            if weight(id) > room && room < limit {
                break;
            }
            room = room.saturating_sub(weight(id));
            brought.insert(next.next().unwrap());
        }
        if next.peek().is_none() {
            break;
        }
        waves.push(wave(root, deployed, deployed_parameters, children, &brought));
    }
    waves.push(root.clone());
    waves
}

/// The root with only the children in `brought` (and the root's resources
/// that need no other child) as synth wrote them; the rest as deployed.
fn wave(
    root: &Value,
    deployed: &Value,
    deployed_parameters: &BTreeMap<String, String>,
    children: &BTreeMap<String, usize>,
    brought: &BTreeSet<&str>,
) -> Value {
    let new = resources(root);
    let old = resources(deployed);
    let ready = |resource: &Value| {
        let mut needs = BTreeSet::new();
        mentions(resource, &mut needs);
        needs.iter().all(|id| !children.contains_key(id) || brought.contains(id.as_str()))
    };
    let mut chosen = Map::new();
    for (id, resource) in &new {
        let take_new = match children.contains_key(id.as_str()) {
            true => brought.contains(id.as_str()),
            false => ready(resource),
        };
        if take_new {
            chosen.insert(id.clone(), resource.clone());
        } else if let Some(before) = old.get(id) {
            let mut before = before.clone();
            if children.contains_key(id.as_str()) {
                pin(&mut before["Properties"]["Parameters"], deployed_parameters);
            }
            chosen.insert(id.clone(), before);
        }
    }
    let mut wave = root.clone();
    let outputs: Map<String, Value> = root["Outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, output)| {
            let mut needs = BTreeSet::new();
            mentions(output, &mut needs);
            needs.iter().all(|id| chosen.contains_key(id) || !new.contains_key(id))
        })
        .map(|(id, output)| (id.clone(), output.clone()))
        .collect();
    wave["Resources"] = Value::Object(chosen);
    match outputs.is_empty() {
        true => drop(wave.as_object_mut().and_then(|w| w.remove("Outputs"))),
        false => wave["Outputs"] = Value::Object(outputs),
    }
    wave
}

fn resources(template: &Value) -> BTreeMap<String, Value> {
    template["Resources"].as_object().map(|r| r.clone().into_iter().collect()).unwrap_or_default()
}

/// Every logical id `value` refers to or depends on.
fn mentions(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref" | "DependsOn", Value::String(id)) => drop(out.insert(id.clone())),
                    ("DependsOn", Value::Array(ids)) => {
                        out.extend(ids.iter().filter_map(|id| id.as_str().map(str::to_owned)))
                    }
                    ("Fn::GetAtt", Value::Array(pair)) => {
                        out.extend(pair.first().and_then(Value::as_str).map(str::to_owned));
                    }
                    ("Fn::Sub", Value::String(text)) => {
                        for variable in text.split("${").skip(1).filter(|v| !v.starts_with('!')) {
                            let variable = variable.split('}').next().unwrap_or_default();
                            out.insert(variable.split('.').next().unwrap_or_default().to_owned());
                        }
                    }
                    _ => mentions(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| mentions(item, out)),
        _ => {}
    }
}

/// Replaces `Ref` of a root parameter by the value it was deployed with, so
/// a child left as deployed gets exactly what it had.
fn pin(parameters: &mut Value, deployed: &BTreeMap<String, String>) {
    if let Value::Object(parameters) = parameters {
        for value in parameters.values_mut() {
            if let Some(name) = value.get("Ref").and_then(Value::as_str) {
                if let Some(before) = deployed.get(name) {
                    *value = Value::String(before.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn child(url: &str) -> Value {
        json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url, "Parameters": {"CodeKey": {"Ref": "CodeKey"}}}})
    }

    #[test]
    fn a_first_deploy_over_the_limit_brings_children_in_waves_shared_first() {
        let root = json!({"Resources": {
            "Shared": child("s"), "ActionsA": child("a"), "ActionsB": child("b"),
            "Bucket": {"Type": "AWS::S3::Bucket", "DependsOn": ["ActionsB"], "Properties": {}},
        }, "Outputs": {"Url": {"Value": {"Ref": "Bucket"}}}});
        let sizes: BTreeMap<String, usize> = [("Shared", 40), ("ActionsA", 50), ("ActionsB", 50)]
            .into_iter()
            .map(|(id, n)| (id.to_owned(), n))
            .collect();
        let waves = plan(&root, &sizes, &json!({}), &BTreeMap::new(), 100);
        assert_eq!(waves.len(), 2, "{waves:#?}");
        let first = waves[0]["Resources"].as_object().unwrap();
        assert_eq!(first.keys().collect::<Vec<_>>(), ["ActionsA", "Shared"]);
        assert!(waves[0].get("Outputs").is_none(), "the bucket waits for ActionsB, and its output for it");
        assert_eq!(waves[1], root);
        assert_eq!(plan(&root, &sizes, &json!({}), &BTreeMap::new(), 200), vec![root.clone()]);
    }

    #[test]
    fn children_left_for_later_keep_what_they_were_deployed_with() {
        let deployed = json!({"Resources": {"ActionsA": child("a1"), "ActionsB": child("b1")}});
        let root = json!({"Resources": {"ActionsA": child("a2"), "ActionsB": child("b2")}});
        let sizes: BTreeMap<String, usize> =
            [("ActionsA", 80), ("ActionsB", 80)].into_iter().map(|(id, n)| (id.to_owned(), n)).collect();
        let parameters = BTreeMap::from([("CodeKey".to_owned(), "old.zip".to_owned())]);
        let waves = plan(&root, &sizes, &deployed, &parameters, 100);
        assert_eq!(waves.len(), 2);
        assert_eq!(waves[0]["Resources"]["ActionsA"], child("a2"));
        assert_eq!(waves[0]["Resources"]["ActionsB"]["Properties"]["TemplateURL"], "b1");
        assert_eq!(waves[0]["Resources"]["ActionsB"]["Properties"]["Parameters"]["CodeKey"], "old.zip");
    }
}
