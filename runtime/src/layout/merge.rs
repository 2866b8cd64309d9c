//! All fragments of the app, grouped by home, before any split: patches
//! applied, ids checked.
//!
//! Resources stay with their home (the unit layout places) from render to
//! the template that holds them: a split app never needs them in one map,
//! and each move of thousands of resources costs fresh memory.

use crate::cfn::{
    dangling_references, CfnResource, Fragment, Home, LogicalId, Output, Parameter, Rendered, Source, Template,
};
use crate::fast_hash::HashMap;
use crate::problem::Problem;
use std::collections::BTreeMap;

/// The whole app, before it is laid out.
pub(super) struct Whole {
    pub description: String,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    pub outputs: BTreeMap<LogicalId, Output>,
    /// What each home's fragments produce, in the homes' order.
    pub homes: Vec<Members>,
    /// Where each resource is: its home's index and its place there.
    pub index: HashMap<LogicalId, (usize, usize)>,
}

/// What the fragments of one home produce: what layout keeps together.
pub(super) struct Members {
    pub home: Home,
    /// Sorted by id.
    pub resources: Vec<Rendered>,
    pub outputs: Vec<LogicalId>,
    /// The item they come from: an action's own fn rather than the queue it
    /// owns; otherwise the first fragment's.
    pub source: Source,
}

impl Whole {
    /// The resource `id`, if the app renders it.
    pub fn find(&self, id: &LogicalId) -> Option<&Rendered> {
        self.index.get(id).map(|&(home, at)| &self.homes[home].resources[at])
    }

    /// Every resource, home by home.
    pub fn resources(&self) -> impl Iterator<Item = &Rendered> {
        self.homes.iter().flat_map(|members| &members.resources)
    }

    /// Every resource, in id order (as a template holds them).
    pub fn sorted(&self) -> Vec<&Rendered> {
        let mut sorted: Vec<&Rendered> = self.resources().collect();
        sorted.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        sorted
    }

    /// Every id a reference names that is neither a resource nor a
    /// parameter of the app, in order.
    pub fn dangling_references(&self) -> Vec<LogicalId> {
        let resources = self.resources().map(|rendered| &rendered.resource);
        dangling_references(resources, self.outputs.values(), |id| {
            self.index.contains_key(id) || self.parameters.contains_key(id)
        })
    }

    /// The app as one template, with the item each resource comes from.
    pub fn into_template(self) -> (Template, BTreeMap<LogicalId, Source>) {
        let mut resources = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for Rendered { id, resource, source } in self.homes.into_iter().flat_map(|members| members.resources) {
            sources.insert(id.clone(), source);
            resources.insert(id, resource);
        }
        let Whole { description, parameters, outputs, .. } = self;
        (Template { description, parameters, resources, outputs }, sources)
    }
}

/// Merges the fragments, reporting logical ids that two places produce and
/// patches to nothing (and, only then, references to nothing: see
/// [`dangling`]).
pub(super) fn merge(description: String, fragments: Vec<Fragment>) -> Result<Whole, Vec<Problem>> {
    let mut parameters = BTreeMap::new();
    let mut outputs = BTreeMap::new();
    let mut patches = Vec::new();
    let mut homes: BTreeMap<Home, Members> = BTreeMap::new();
    let count = fragments.iter().map(|fragment| fragment.resources.len()).sum();
    for fragment in fragments {
        let Fragment { source, home, resources, outputs: declared, parameters: needed, patches: patched } = fragment;
        let own = matches!(&home, Home::Action(name) if source.item.strip_prefix("fn ") == Some(name));
        let members = homes.entry(home).or_insert_with_key(|home| Members {
            home: home.clone(),
            resources: Vec::new(),
            outputs: Vec::new(),
            source: source.clone(),
        });
        if own {
            members.source = source.clone();
        }
        patches.extend(patched.into_iter().map(|patch| (source.at, patch)));
        // Most homes have one fragment, whose vector becomes the home's.
        if members.resources.is_empty() {
            members.resources = resources;
        } else {
            members.resources.extend(resources);
        }
        for (id, output) in declared {
            members.outputs.push(id.clone());
            outputs.insert(id, output);
        }
        parameters.extend(needed);
    }
    let mut homes: Vec<Members> = homes.into_values().collect();
    let mut index = HashMap::with_capacity_and_hasher(count, Default::default());
    let mut duplicates = Vec::new();
    for (h, members) in homes.iter_mut().enumerate() {
        members.resources.sort_by(|a, b| a.id.cmp(&b.id));
        for (at, rendered) in members.resources.iter().enumerate() {
            if let Some(first) = index.insert(rendered.id.clone(), (h, at)) {
                duplicates.push((first, (h, at)));
            }
        }
    }
    let mut problems: Vec<Problem> = duplicates
        .into_iter()
        .map(|(first, second)| {
            let first = &homes[first.0].resources[first.1];
            let second = &homes[second.0].resources[second.1];
            Problem::new(format!("two items of the app both produce the CloudFormation resource `{}`", first.id))
                .at(first.source.at, "first")
                .at(second.source.at, "second")
                .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters")
        })
        .collect();
    for (origin, patch) in patches {
        match index.get(&patch.target) {
            Some(&(home, at)) => patch.apply(&mut homes[home].resources[at].resource),
            None => problems.push(
                Problem::new(format!("this item wires into `{}`, which no item of the app renders", patch.target))
                    .at(origin, "the item"),
            ),
        }
    }
    let whole = Whole { description, parameters, outputs, homes, index };
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
            if let Some(referrer) = whole.resources().find(|rendered| refers(&rendered.resource, &id)) {
                problem = problem.at(referrer.source.at, "the reference is made here");
            }
            problem.help("refer to singletons with `Raw::reference::<name>()` or `Raw::attribute::<name>(..)`; imported (`existing`) resources have no logical id")
        })
        .collect()
}
