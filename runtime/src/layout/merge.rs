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

/// Merges the fragments, reporting logical ids that two places produce and
/// patches to nothing (and, only then, references to nothing: see
/// [`dangling`]).
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
    // Sorted by id through indices, not by moving the resources: of two
    // items producing one id, the later one's resource stays.
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by(|&a, &b| resources[a].0.cmp(&resources[b].0));
    for pair in order.windows(2) {
        let [(id, _, first), (next, _, second)] = [&resources[pair[0]], &resources[pair[1]]];
        if id == next {
            problems.push(
                Problem::new(format!("two items of the app both produce the CloudFormation resource `{id}`"))
                    .at(first.at, "first")
                    .at(second.at, "second")
                    .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters"),
            );
        }
    }
    let mut resources: Vec<Option<(LogicalId, CfnResource, Source)>> = resources.into_iter().map(Some).collect();
    let mut sorted = Vec::with_capacity(order.len());
    let mut sources = Vec::with_capacity(order.len());
    for i in order {
        let (id, resource, source) = resources[i].take().expect("each index once");
        sources.push((id.clone(), source));
        sorted.push((id, resource));
    }
    let sources: BTreeMap<LogicalId, Source> = sources.into_iter().collect();
    template.resources = sorted.into_iter().collect();
    for (origin, patch) in patches {
        match template.resources.get_mut(&patch.target) {
            Some(resource) => patch.apply(resource),
            None => problems.push(
                Problem::new(format!("this item wires into `{}`, which no item of the app renders", patch.target))
                    .at(origin, "the item"),
            ),
        }
    }
    let whole = Whole { template, sources, homes };
    if problems.is_empty() {
        Ok(whole)
    } else {
        problems.extend(dangling(&whole, whole.template.dangling_references()));
        Err(problems)
    }
}

/// A problem for each reference to `ids`, which name nothing in `whole`
/// (the caller finds them: walking a big app's references once more costs
/// more than the rest of merging).
pub(super) fn dangling(whole: &Whole, ids: Vec<LogicalId>) -> Vec<Problem> {
    let resources = &whole.template.resources;
    let refers = |resource: &CfnResource, id: &LogicalId| {
        resource.properties.references().contains(&id) || resource.depends_on.contains(id)
    };
    ids.into_iter()
        .map(|id| {
            let mut problem = Problem::new(format!("a reference to `{id}` names no resource of the app"));
            let referrer = resources.iter().find(|(_, resource)| refers(resource, &id));
            if let Some(source) = referrer.and_then(|(referrer, _)| whole.sources.get(referrer)) {
                problem = problem.at(source.at, "the reference is made here");
            }
            problem.help("refer to singletons with `Raw::reference::<name>()` or `Raw::attribute::<name>(..)`; imported (`existing`) resources have no logical id")
        })
        .collect()
}
