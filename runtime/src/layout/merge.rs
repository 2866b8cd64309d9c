//! All fragments as one template, before any split: patches applied, ids
//! checked, and each resource's home remembered.

use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Source, Template};
use crate::problem::Problem;
use std::collections::BTreeMap;

/// The whole app as one template.
pub(super) struct Whole {
    pub template: Template,
    /// The item each resource comes from: exactly the ids of
    /// `template.resources`, so the two are walked side by side.
    pub sources: BTreeMap<LogicalId, Source>,
    /// What the fragments of each home produce, in the homes' order.
    pub homes: BTreeMap<Home, Members>,
}

/// What the fragments of one home produce: the resources and outputs layout
/// keeps together.
pub(super) struct Members {
    pub resources: Vec<LogicalId>,
    pub outputs: Vec<LogicalId>,
    /// The item they come from: an action's own fn rather than the queue it
    /// owns; otherwise the first fragment's.
    pub source: Source,
}

/// Merges the fragments, reporting logical ids that two places produce,
/// patches to nothing and references to nothing.
pub(super) fn merge(description: String, fragments: Vec<Fragment>) -> Result<Whole, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut template = Template { description, ..Template::default() };
    let mut patches = Vec::new();
    let mut homes: BTreeMap<Home, Members> = BTreeMap::new();
    // Every resource with its fragment's source, sorted once below: the maps
    // are then built from sorted entries, without a search per resource.
    let mut resources: Vec<(LogicalId, CfnResource, Source)> =
        Vec::with_capacity(fragments.iter().map(|fragment| fragment.resources.len()).sum());
    for fragment in fragments {
        let at = fragment.source.at;
        let own =
            matches!(&fragment.home, Home::Action(name) if fragment.source.item.strip_prefix("fn ") == Some(name));
        let members = homes.entry(fragment.home).or_insert_with(|| Members {
            resources: Vec::new(),
            outputs: Vec::new(),
            source: fragment.source.clone(),
        });
        if own {
            members.source = fragment.source.clone();
        }
        patches.extend(fragment.patches.into_iter().map(|patch| (at, patch)));
        for (id, resource) in fragment.resources {
            members.resources.push(id.clone());
            resources.push((id, resource, fragment.source.clone()));
        }
        for (id, output) in fragment.outputs {
            members.outputs.push(id.clone());
            template.outputs.insert(id, output);
        }
        template.parameters.extend(fragment.parameters);
    }
    // Stable: of two items producing one id, the later one's resource stays.
    resources.sort_by(|a, b| a.0.cmp(&b.0));
    for pair in resources.windows(2) {
        let [(id, _, first), (next, _, second)] = pair else { unreachable!("windows of two") };
        if id == next {
            problems.push(
                Problem::new(format!("two items of the app both produce the CloudFormation resource `{id}`"))
                    .at(first.at, "first")
                    .at(second.at, "second")
                    .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters"),
            );
        }
    }
    let sources: BTreeMap<LogicalId, Source> =
        resources.iter().map(|(id, _, source)| (id.clone(), source.clone())).collect();
    template.resources = resources.into_iter().map(|(id, resource, _)| (id, resource)).collect();
    for (origin, patch) in patches {
        match template.resources.get_mut(&patch.target) {
            Some(resource) => patch.apply(resource),
            None => problems.push(
                Problem::new(format!("this item wires into `{}`, which no item of the app renders", patch.target))
                    .at(origin, "the item"),
            ),
        }
    }
    for id in template.dangling_references() {
        let mut problem = Problem::new(format!("a reference to `{id}` names no resource of the app"));
        let referrer = template.resources.iter().find(|(_, resource)| resource.properties.references().contains(&&id));
        if let Some(source) = referrer.and_then(|(referrer, _)| sources.get(referrer)) {
            problem = problem.at(source.at, "the reference is made here");
        }
        problems.push(problem.help("refer to singletons with `Raw::reference::<name>()` or `Raw::attribute::<name>(..)`; imported (`existing`) resources have no logical id"));
    }
    if problems.is_empty() {
        Ok(Whole { template, sources, homes })
    } else {
        Err(problems)
    }
}
