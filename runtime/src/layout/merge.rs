//! All fragments as one template, before any split: patches applied, ids
//! checked, and each resource's home remembered.

use crate::cfn::{Fragment, Home, LogicalId, Source, Template};
use crate::problem::Problem;
use std::collections::BTreeMap;

/// The whole app as one template.
pub(super) struct Whole {
    pub template: Template,
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
    let mut sources: BTreeMap<LogicalId, Source> = BTreeMap::new();
    let mut homes: BTreeMap<Home, Members> = BTreeMap::new();
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
            if let Some(first) = sources.insert(id.clone(), fragment.source.clone()) {
                problems.push(
                    Problem::new(format!("two items of the app both produce the CloudFormation resource `{id}`"))
                        .at(first.at, "first")
                        .at(at, "second")
                        .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters"),
                );
            }
            members.resources.push(id.clone());
            template.resources.insert(id, resource);
        }
        for (id, output) in fragment.outputs {
            members.outputs.push(id.clone());
            template.outputs.insert(id, output);
        }
        template.parameters.extend(fragment.parameters);
    }
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
