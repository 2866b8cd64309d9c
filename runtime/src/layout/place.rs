//! Which child stack each unit lives in, decided from names alone.
//!
//! The rule, which must never change (CloudFormation replaces whatever moves
//! between stacks): a unit (an action with the resources it owns, or one
//! shared singleton) is hashed by its name with 64-bit FNV-1a, then mixed by
//! MurmurHash3's 64-bit finalizer (FNV alone leaves the top bits of names
//! that differ only at the end nearly equal). The children
//! of each kind are the leaves of a binary trie over the hash's bits, most
//! significant first: a leaf holds every unit whose hash starts with the
//! leaf's prefix, and splits in two on the next bit only when its units
//! overflow one template's budget. So adding or removing a unit changes only
//! the leaf it hashes to. When a leaf splits, the units whose next bit is 0
//! stay where they are, because a leaf is named by its prefix without
//! trailing zeros (`Actions`, `Actions1`, `Actions01`): only the other half
//! moves.

use super::by_name::spelled;
use super::merge::Whole;
use super::{Capacity, Limits};
use crate::cfn::{fnv1a, Home, LogicalId, Reference, Source};
use crate::problem::Problem;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What layout places as one: everything of one [`Home`].
pub(super) struct Unit {
    pub home: Home,
    /// The item of the user's code it comes from (an action's own fn).
    pub source: Source,
    pub resources: Vec<LogicalId>,
    /// The app's outputs it declares (a queue's URL), which its stack outputs.
    pub outputs: Vec<LogicalId>,
    /// References to what other units create and to the app's parameters,
    /// but for those spelled by name: what needs a parameter.
    pub imports: BTreeSet<Reference>,
    /// References that other units make to this one, but for those spelled
    /// by name: what needs an output.
    pub exports: BTreeSet<Reference>,
}

/// The two tries of children: shared singletons, and actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Shared,
    Actions,
}

/// One child stack: a leaf of its kind's trie.
pub(super) struct Group {
    pub kind: Kind,
    /// How many leading bits of the hash the leaf is keyed by.
    pub depth: u32,
    /// Those bits, most significant first, in the low `depth` bits.
    pub prefix: u64,
    pub units: Vec<usize>,
}

/// Where every unit lives.
pub(super) struct Placement {
    /// Units whose home is the root stack.
    pub root: Vec<usize>,
    pub groups: Vec<Group>,
}

/// The units of `whole`, with what each refers to in the others.
pub(super) fn units(whole: &Whole) -> Vec<Unit> {
    let mut by_home: BTreeMap<&Home, Vec<&LogicalId>> = BTreeMap::new();
    for id in whole.template.resources.keys() {
        by_home.entry(&whole.homes[id]).or_default().push(id);
    }
    let mut outputs: BTreeMap<&Home, Vec<LogicalId>> = BTreeMap::new();
    for id in whole.template.outputs.keys() {
        outputs.entry(&whole.homes[id]).or_default().push(id.clone());
    }
    let unit_of: HashMap<&LogicalId, usize> =
        by_home.values().enumerate().flat_map(|(i, ids)| ids.iter().map(move |id| (*id, i))).collect();
    let mut units: Vec<Unit> = by_home
        .into_iter()
        .map(|(home, ids)| {
            let own = |id: &&&LogicalId| match home {
                Home::Action(name) => whole.sources[**id].item == format!("fn {name}"),
                _ => true,
            };
            let source = ids.iter().find(own).or(ids.first()).map(|id| whole.sources[*id].clone());
            Unit {
                home: home.clone(),
                source: source.expect("a unit has a resource"),
                resources: ids.into_iter().cloned().collect(),
                outputs: outputs.remove(home).unwrap_or_default(),
                imports: BTreeSet::new(),
                exports: BTreeSet::new(),
            }
        })
        .collect();
    let mut exports = Vec::new();
    for (i, unit) in units.iter_mut().enumerate() {
        let resources = unit.resources.iter().map(|id| &whole.template.resources[id].properties);
        let outputs = unit.outputs.iter().map(|id| &whole.template.outputs[id].value);
        for value in resources.chain(outputs) {
            value.for_each_reference(&mut |target, attribute| {
                let owner = unit_of.get(target).copied();
                // What is spelled by name needs no parameter or output.
                let by_name = || whole.template.resources.get(target).and_then(|r| spelled(r, attribute)).is_some();
                if owner != Some(i) && !by_name() {
                    let reference = Reference::to(target, attribute);
                    if let Some(owner) = owner {
                        exports.push((owner, reference.clone()));
                    }
                    unit.imports.insert(reference);
                }
            });
        }
    }
    for (owner, reference) in exports {
        units[owner].exports.insert(reference);
    }
    units
}

/// Places every unit: root units in the root, the others in the leaves of
/// their kind's trie, each leaf within the budget unless it is one unit (which
/// must then be within the limits).
pub(super) fn place(units: &[Unit], capacity: &Capacity) -> Result<Placement, Vec<Problem>> {
    let budget = &capacity.budget();
    let mut placement = Placement { root: Vec::new(), groups: Vec::new() };
    let mut shared = Vec::new();
    let mut actions = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        match unit.home {
            Home::Root => placement.root.push(i),
            Home::Shared(_) => shared.push(i),
            Home::Action(_) => actions.push(i),
        }
    }
    for (kind, members) in [(Kind::Shared, shared), (Kind::Actions, actions)] {
        if !members.is_empty() {
            grow(Group { kind, depth: 0, prefix: 0, units: members }, units, budget, &mut placement.groups);
        }
    }
    let problems: Vec<Problem> = placement
        .groups
        .iter()
        .filter(|group| group.units.len() == 1)
        .filter_map(|group| alone_too_big(&units[group.units[0]], &capacity.limits))
        .collect();
    if problems.is_empty() {
        Ok(placement)
    } else {
        Err(problems)
    }
}

impl Placement {
    /// Splits leaf `group` in two, for a template that came out too large.
    pub fn split(&mut self, group: usize, units: &[Unit]) -> Result<(), Vec<Problem>> {
        let leaf = self.groups.remove(group);
        if leaf.units.len() == 1 || leaf.depth == 64 {
            let unit = &units[leaf.units[0]];
            return Err(vec![Problem::new(format!(
                "{} alone makes a template over CloudFormation's 1,000,000 bytes",
                describe(unit)
            ))
            .at(unit.source.at, "declared here")
            .help("split its work over more actions, or shorten what it repeats (long routes, many triggers)")]);
        }
        self.groups.extend(halves(leaf, units));
        Ok(())
    }
}

impl Group {
    /// `Actions`, `Actions1`, `Actions01`: the kind, then the prefix's bits
    /// without trailing zeros, so the 0-half of a split keeps the name.
    pub fn id(&self) -> LogicalId {
        let kind = match self.kind {
            Kind::Shared => "Shared",
            Kind::Actions => "Actions",
        };
        let bits: String =
            (0..self.depth).map(|i| if self.prefix >> (self.depth - 1 - i) & 1 == 1 { '1' } else { '0' }).collect();
        LogicalId::new(&[kind, bits.trim_end_matches('0')])
    }
}

/// The unit's name, hashed: the key of the trie.
fn hash(unit: &Unit) -> u64 {
    match &unit.home {
        Home::Shared(name) | Home::Action(name) => mix(fnv1a(name.as_bytes())),
        Home::Root => 0,
    }
}

/// MurmurHash3's `fmix64`: every input bit reaches every output bit.
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Adds `group` to `leaves`, split as often as its units need.
fn grow(group: Group, units: &[Unit], budget: &Limits, leaves: &mut Vec<Group>) {
    if group.units.len() == 1 || group.depth == 64 || fits(&group, units, budget) {
        leaves.push(group);
        return;
    }
    for half in halves(group, units) {
        grow(half, units, budget, leaves);
    }
}

/// The two halves of a leaf by the next bit of each unit's hash; an empty
/// half is no stack at all.
fn halves(group: Group, units: &[Unit]) -> impl Iterator<Item = Group> {
    let (depth, kind, prefix) = (group.depth, group.kind, group.prefix);
    let (ones, zeros): (Vec<usize>, Vec<usize>) =
        group.units.into_iter().partition(|&u| hash(&units[u]) >> (63 - depth) & 1 == 1);
    [(zeros, 0), (ones, 1)].into_iter().filter(|(members, _)| !members.is_empty()).map(move |(members, bit)| Group {
        kind,
        depth: depth + 1,
        prefix: prefix << 1 | bit,
        units: members,
    })
}

/// Whether the group's template stays within `budget` by count: resources,
/// the parameters its references to other stacks need, and (at most) the
/// outputs other stacks need from it.
fn fits(group: &Group, units: &[Unit], budget: &Limits) -> bool {
    let members = group.units.iter().map(|&u| &units[u]);
    let resources: usize = members.clone().map(|unit| unit.resources.len()).sum();
    if resources > budget.resources {
        return false;
    }
    let defined: HashSet<&LogicalId> = members.clone().flat_map(|unit| &unit.resources).collect();
    let parameters: HashSet<&Reference> =
        members.clone().flat_map(|unit| &unit.imports).filter(|r| !defined.contains(&r.id)).collect();
    let declared: usize = members.clone().map(|unit| unit.outputs.len()).sum();
    let outputs: HashSet<&Reference> = members.flat_map(|unit| &unit.exports).collect();
    parameters.len() <= budget.parameters && declared + outputs.len() <= budget.outputs
}

/// A unit that no layout can hold: its own resources exceed a template.
fn alone_too_big(unit: &Unit, limits: &Limits) -> Option<Problem> {
    let counts = [
        ("resources", unit.resources.len(), limits.resources),
        ("parameters", unit.imports.len(), limits.parameters),
        ("outputs", unit.outputs.len() + unit.exports.len(), limits.outputs),
    ];
    let (what, count, limit) = counts.into_iter().find(|(_, count, limit)| count > limit)?;
    Some(
        Problem::new(format!(
            "{} alone needs {count} {what}; one CloudFormation template allows {limit}",
            describe(unit)
        ))
        .at(unit.source.at, "declared here")
        .help("split its work over more actions (fewer triggers, routes or resources each)"),
    )
}

fn describe(unit: &Unit) -> String {
    match &unit.home {
        Home::Action(name) => format!("action `{name}`"),
        Home::Shared(name) => format!("singleton `{name}`"),
        Home::Root => "the root stack".to_owned(),
    }
}
