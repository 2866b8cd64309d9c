//! All fragments as one sorted list of resources, before any split: patches
//! applied, ids checked, and each resource's home remembered.

use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Output, Parameter, Source, Template};
use crate::problem::Problem;
use std::collections::BTreeMap;

/// The whole app, before it is laid out. Its resources stay a sorted list:
/// a split app never needs them in one map, and a map of thousands costs
/// more to build than the list.
pub(super) struct Whole {
    pub description: String,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    pub outputs: BTreeMap<LogicalId, Output>,
    /// Sorted by id, each id once.
    pub resources: Vec<Rendered>,
    /// What the fragments of each home produce, in the homes' order.
    pub homes: BTreeMap<Home, Members>,
}

/// One resource and the item of the user's code it comes from.
pub(super) struct Rendered {
    pub id: LogicalId,
    pub resource: CfnResource,
    pub source: Source,
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

impl Whole {
    /// The place of resource `id` in `resources`.
    pub fn find(&self, id: &LogicalId) -> Option<usize> {
        self.resources.binary_search_by(|rendered| rendered.id.cmp(id)).ok()
    }

    /// Every id a reference names that is neither a resource nor a
    /// parameter of the app, in order.
    pub fn dangling_references(&self) -> Vec<LogicalId> {
        let mut dangling = Vec::new();
        let mut check = |id: &LogicalId, _| {
            if self.find(id).is_none() && !self.parameters.contains_key(id) {
                dangling.push(id.clone());
            }
        };
        for Rendered { resource, .. } in &self.resources {
            resource.properties.for_each_reference(&mut check);
            resource.depends_on.iter().for_each(|id| check(id, None));
        }
        self.outputs.values().for_each(|output| output.value.for_each_reference(&mut check));
        dangling.sort();
        dangling.dedup();
        dangling
    }

    /// The app as one template, with the item each resource comes from; its
    /// resources are taken (see [`Whole::restore`]).
    pub fn take_template(&mut self) -> (Template, BTreeMap<LogicalId, Source>) {
        let mut sources = Vec::with_capacity(self.resources.len());
        let resources = std::mem::take(&mut self.resources)
            .into_iter()
            .map(|Rendered { id, resource, source }| {
                sources.push((id.clone(), source));
                (id, resource)
            })
            .collect();
        let template = Template {
            description: self.description.clone(),
            parameters: self.parameters.clone(),
            resources,
            outputs: self.outputs.clone(),
        };
        (template, sources.into_iter().collect())
    }

    /// Puts back the resources [`Whole::take_template`] took.
    pub fn restore(&mut self, template: Template, sources: BTreeMap<LogicalId, Source>) {
        self.resources = template
            .resources
            .into_iter()
            .zip(sources)
            .map(|((id, resource), (_, source))| Rendered { id, resource, source })
            .collect();
    }
}

/// Merges the fragments, reporting logical ids that two places produce and
/// patches to nothing (and, only then, references to nothing: see
/// [`dangling`]).
pub(super) fn merge(description: String, fragments: Vec<Fragment>) -> Result<Whole, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut parameters = BTreeMap::new();
    let mut outputs = BTreeMap::new();
    let mut patches = Vec::new();
    let mut homes: BTreeMap<Home, Members> = BTreeMap::new();
    let mut resources: Vec<Rendered> =
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
            resources.push(Rendered { id, resource, source: fragment.source.clone() });
        }
        for (id, output) in fragment.outputs {
            members.outputs.push(id.clone());
            outputs.insert(id, output);
        }
        parameters.extend(fragment.parameters);
    }
    // Sorted by id through indices, not by moving the resources: of two
    // items producing one id, the later one's resource stays.
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by(|&a, &b| resources[a].id.cmp(&resources[b].id));
    let mut kept = Vec::with_capacity(order.len());
    for (n, &i) in order.iter().enumerate() {
        match order.get(n + 1) {
            Some(&next) if resources[next].id == resources[i].id => {
                let (first, second) = (&resources[i], &resources[next]);
                problems.push(
                    Problem::new(format!(
                        "two items of the app both produce the CloudFormation resource `{}`",
                        first.id
                    ))
                    .at(first.source.at, "first")
                    .at(second.source.at, "second")
                    .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters"),
                );
            }
            _ => kept.push(i),
        }
    }
    let mut taken: Vec<Option<Rendered>> = resources.into_iter().map(Some).collect();
    let resources = kept.into_iter().map(|i| taken[i].take().expect("each index once")).collect();
    let mut whole = Whole { description, parameters, outputs, resources, homes };
    for (origin, patch) in patches {
        match whole.find(&patch.target) {
            Some(i) => patch.apply(&mut whole.resources[i].resource),
            None => problems.push(
                Problem::new(format!("this item wires into `{}`, which no item of the app renders", patch.target))
                    .at(origin, "the item"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(whole)
    } else {
        problems.extend(dangling(&whole, whole.dangling_references()));
        Err(problems)
    }
}

/// A problem for each reference to `ids`, which name nothing in `whole`
/// (the caller finds them: walking a big app's references once more costs
/// more than the rest of merging).
pub(super) fn dangling(whole: &Whole, ids: Vec<LogicalId>) -> Vec<Problem> {
    let refers = |resource: &CfnResource, id: &LogicalId| {
        resource.properties.references().contains(&id) || resource.depends_on.contains(id)
    };
    ids.into_iter()
        .map(|id| {
            let mut problem = Problem::new(format!("a reference to `{id}` names no resource of the app"));
            if let Some(referrer) = whole.resources.iter().find(|rendered| refers(&rendered.resource, &id)) {
                problem = problem.at(referrer.source.at, "the reference is made here");
            }
            problem.help("refer to singletons with `Raw::reference::<name>()` or `Raw::attribute::<name>(..)`; imported (`existing`) resources have no logical id")
        })
        .collect()
}
