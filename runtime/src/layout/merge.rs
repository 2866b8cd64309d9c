//! All fragments as one template, before any split: patches applied, ids
//! checked, and each resource's home remembered.

use crate::cfn::{Fragment, Home, LogicalId, Source, Template};
use crate::problem::Problem;
use std::collections::{BTreeMap, HashMap};

/// The whole app as one template.
pub(super) struct Whole {
    pub template: Template,
    pub sources: BTreeMap<LogicalId, Source>,
    /// The home of the fragment each resource comes from.
    pub homes: HashMap<LogicalId, Home>,
    /// The home of the fragment each output comes from (outputs and
    /// resources name themselves apart).
    pub output_homes: HashMap<LogicalId, Home>,
}

/// Merges the fragments, reporting logical ids that two places produce,
/// patches to nothing and references to nothing.
pub(super) fn merge(description: String, fragments: Vec<Fragment>) -> Result<Whole, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut template = Template { description, ..Template::default() };
    let mut patches = Vec::new();
    let mut sources: BTreeMap<LogicalId, Source> = BTreeMap::new();
    let mut homes = HashMap::new();
    let mut output_homes = HashMap::new();
    for fragment in fragments {
        let at = fragment.source.at;
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
            homes.insert(id.clone(), fragment.home.clone());
            template.resources.insert(id, resource);
        }
        for (id, output) in fragment.outputs {
            output_homes.insert(id.clone(), fragment.home.clone());
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
        Ok(Whole { template, sources, homes, output_homes })
    } else {
        Err(problems)
    }
}
