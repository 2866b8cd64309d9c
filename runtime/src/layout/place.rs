//! Which child stack each unit lives in, decided from names alone: each
//! kind of child (shared singletons, actions) is a [`trie`](crate::trie)
//! over the units' names, split where a template's budget is exceeded.

use super::by_name::{fixed_name, spelled};
use super::merge::Whole;
use super::{Capacity, Limits};
use crate::cfn::{json, CfnResource, Home, LogicalId, Reference, Rendered, Source};
use crate::fast_hash::HashSet;
use crate::problem::Problem;
use crate::trie::{self, Leaf};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeSet;

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
    /// The resources its references were spelled from while measuring: its
    /// stack waits for theirs.
    pub waits: Vec<LogicalId>,
    measured: Measured,
}

/// A unit's resources as written.
#[derive(Default)]
struct Measured {
    /// Their share of a template's JSON, in bytes.
    bytes: usize,
    /// Their JSON, one after another in `resources` order, as the template
    /// writer writes them: measured here, reused by `wire`.
    text: String,
    /// Where each resource's JSON ends in `text`.
    ends: Vec<usize>,
    /// What a reference to each may become.
    facts: Vec<Facts>,
    /// Whether each refers to (or depends on) anything outside its unit:
    /// only then may wiring rewrite it.
    refers_outside: Vec<bool>,
}

/// What a reference to one resource may become.
struct Facts {
    kind: Cow<'static, str>,
    /// The physical name it fixes, if any ([`fixed_name`]).
    name: Option<String>,
}

impl Unit {
    /// Its resources' share of a template's JSON, in bytes.
    pub fn bytes(&self) -> usize {
        self.measured.bytes
    }

    /// Each resource's JSON as measured, and whether it refers to anything
    /// outside the unit.
    pub fn written(&self) -> impl Iterator<Item = Written<'_>> {
        let Measured { text, ends, refers_outside, .. } = &self.measured;
        let starts = std::iter::once(0).chain(ends.iter().copied());
        let texts = starts.zip(ends).map(|(start, &end)| &text[start..end]);
        texts.zip(refers_outside).map(|(text, &refers_outside)| Written { refers_outside, text })
    }

    /// The type of resource `at` (of `resources`) and the physical name it
    /// fixes, if any: what a reference to it may be spelled from.
    pub fn kind_and_name(&self, at: usize) -> (&str, Option<&str>) {
        let facts = &self.measured.facts[at];
        (&facts.kind, facts.name.as_deref())
    }
}

/// One resource of a unit, as measured.
pub(super) struct Written<'u> {
    /// Whether it refers to anything outside its unit.
    pub refers_outside: bool,
    /// Its JSON.
    pub text: &'u str,
}

/// The two tries of children: shared singletons, and actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Shared,
    Actions,
}

/// One child stack: a leaf of its kind's trie, holding unit indices.
pub(super) struct Group {
    pub kind: Kind,
    pub leaf: Leaf<usize>,
}

/// Where every unit lives: in a child stack's group, or (units whose home
/// is the root) in none.
pub(super) struct Placement {
    pub groups: Vec<Group>,
}

/// The units of `whole`, with what each refers to in the others; and the
/// ids that references name but nothing in `whole` is (or declares), in
/// order.
///
/// A reference from a child's unit to what is surely in another stack (the
/// root, or a child of the other kind) and can be spelled from its name is
/// spelled here, before measuring: the text measured is then what the
/// child's template holds, and wiring leaves it alone. The unit notes that
/// it waits for the target's stack.
pub(super) fn units(whole: &mut Whole) -> (Vec<Unit>, Vec<LogicalId>) {
    let Whole { homes, outputs, parameters, index, .. } = whole;
    let mut units: Vec<Unit> = homes
        .par_iter()
        .map(|members| Unit {
            home: members.home.clone(),
            source: members.source.clone(),
            resources: members.resources.iter().map(|rendered| rendered.id.clone()).collect(),
            outputs: members.outputs.clone(),
            imports: BTreeSet::new(),
            exports: BTreeSet::new(),
            waits: Vec::new(),
            measured: Measured::default(),
        })
        .collect();
    let index = &*index;
    // Each unit's resources, in id order as its `resources` are.
    let owned: Vec<Vec<(&LogicalId, &mut CfnResource)>> = homes
        .iter_mut()
        .map(|members| members.resources.iter_mut().map(|Rendered { id, resource, .. }| (&*id, resource)).collect())
        .collect();
    // What a reference to each resource may become, read on every core
    // before any is rewritten.
    let facts: Vec<Vec<Facts>> = owned
        .par_iter()
        .map(|resources| {
            let facts = resources.iter().map(|(_, resource)| Facts {
                kind: resource.kind.clone(),
                name: fixed_name(resource).map(str::to_owned),
            });
            facts.collect()
        })
        .collect();
    let kinds: Vec<Option<Kind>> = units.iter().map(|unit| Kind::of(&unit.home)).collect();
    let (outputs, parameters) = (&*outputs, &*parameters);
    // Each unit on its own, on every core: what it refers to in the others,
    // and its JSON.
    let work = units.par_iter().zip(owned).enumerate();
    let measured: Vec<_> = work
        .map(|(i, (unit, mut resources))| {
            let mut imports = BTreeSet::new();
            let mut exports = Vec::new();
            let mut dangling = Vec::new();
            let declared = |id: &LogicalId| index.contains_key(id) || parameters.contains_key(id);
            // A dependency is no reference: wiring moves one on another stack to
            // that stack.
            let mut refers: Vec<bool> = resources
                .iter()
                .map(|(_, resource)| {
                    let mut outside = false;
                    for dependency in &resource.depends_on {
                        match index.get(dependency) {
                            Some(&(owner, _)) if owner == i => {}
                            Some(_) => outside = true,
                            None if declared(dependency) => outside = true,
                            None => dangling.push(dependency.clone()),
                        }
                    }
                    outside
                })
                .collect();
            // In another stack whatever the placement.
            let settled = |owner: usize| kinds[i].is_some() && kinds[owner] != kinds[i];
            // What `target` becomes, if spelled here; `refers_outside` tells
            // whether it is outside this unit, and what that needs is noted.
            let mut outside = |target: &LogicalId, attribute: Option<&str>, refers_outside: &mut bool| {
                let Some(&(owner, at)) = index.get(target) else {
                    *refers_outside = true;
                    if declared(target) {
                        imports.insert(Reference::to(target, attribute));
                    } else {
                        dangling.push(target.clone());
                    }
                    return None;
                };
                if owner == i {
                    return None;
                }
                let Facts { kind, name } = &facts[owner][at];
                // What is spelled by name needs no parameter or output.
                match name.as_deref().and_then(|name| spelled(kind, name, attribute)) {
                    Some(spelling) if settled(owner) => return Some(spelling.into_value()),
                    Some(_) => {}
                    None => {
                        let reference = Reference::to(target, attribute);
                        exports.push((owner, reference.clone()));
                        imports.insert(reference);
                    }
                }
                *refers_outside = true;
                None
            };
            let mut waits = Vec::new();
            for ((_, resource), refers_outside) in resources.iter_mut().zip(&mut refers) {
                resource.properties.rewrite_references(&mut |target, attribute| {
                    let spelled = outside(target, attribute, refers_outside);
                    if spelled.is_some() {
                        waits.push(target.clone());
                    }
                    spelled
                });
            }
            for id in &unit.outputs {
                outputs[id].value.for_each_reference(&mut |target, attribute| {
                    outside(target, attribute, &mut false);
                });
            }
            let mut text = String::with_capacity(768 * resources.len());
            let mut ends = Vec::with_capacity(resources.len());
            let mut bytes = 0;
            for (id, resource) in &resources {
                bytes += json::resource(id, resource, &mut text);
                ends.push(text.len());
            }
            let measured = Measured { bytes, text, ends, facts: Vec::new(), refers_outside: refers };
            (imports, exports, dangling, waits, measured)
        })
        .collect();
    let mut exports = Vec::new();
    let mut dangling = Vec::new();
    for ((unit, facts), (imports, exported, unknown, waits, measured)) in units.iter_mut().zip(facts).zip(measured) {
        (unit.imports, unit.waits) = (imports, waits);
        unit.measured = Measured { facts, ..measured };
        exports.extend(exported);
        dangling.extend(unknown);
    }
    for (owner, reference) in exports {
        units[owner].exports.insert(reference);
    }
    dangling.sort();
    dangling.dedup();
    (units, dangling)
}

/// What a parameter or output takes in a template, at most (a long
/// description and an `Fn::GetAtt` of a long id).
const DECLARATION_BYTES: usize = 400;

/// Places every unit: root units in the root, the others in the leaves of
/// their kind's trie, each leaf within the budget unless it is one unit (which
/// must then be within the limits).
pub(super) fn place(units: &[Unit], capacity: &Capacity) -> Result<Placement, Vec<Problem>> {
    let budget = &capacity.budget();
    let mut placement = Placement { groups: Vec::new() };
    let mut shared = Vec::new();
    let mut actions = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        match unit.home {
            Home::Root => {}
            Home::Shared(_) => shared.push(i),
            Home::Action(_) => actions.push(i),
        }
    }
    // Hashed once: the trie reads each unit's key at every level it splits.
    let keys: Vec<u64> = units.iter().map(hash).collect();
    for (kind, members) in [(Kind::Shared, shared), (Kind::Actions, actions)] {
        if !members.is_empty() {
            let leaves = trie::leaves(members, |&u| keys[u], |members| fits(members, units, budget));
            placement.groups.extend(leaves.into_iter().map(|leaf| Group { kind, leaf }));
        }
    }
    let problems: Vec<Problem> = placement
        .groups
        .iter()
        .filter(|group| group.leaf.items.len() == 1)
        .filter_map(|group| alone_too_big(&units[group.leaf.items[0]], &capacity.limits))
        .collect();
    if problems.is_empty() {
        Ok(placement)
    } else {
        Err(problems)
    }
}

impl Kind {
    /// The kind of child a unit of `home` lives in; `None` for the root.
    fn of(home: &Home) -> Option<Kind> {
        match home {
            Home::Root => None,
            Home::Shared(_) => Some(Kind::Shared),
            Home::Action(_) => Some(Kind::Actions),
        }
    }

    /// What its children's logical ids (and template files) start with.
    pub const NAMES: [&'static str; 2] = ["Shared", "Actions"];

    fn name(self) -> &'static str {
        match self {
            Kind::Shared => Kind::NAMES[0],
            Kind::Actions => Kind::NAMES[1],
        }
    }
}

impl Group {
    /// `Actions`, `Actions1`, `Shared01`: see [`Leaf::name`].
    pub fn id(&self) -> LogicalId {
        self.leaf.name(self.kind.name())
    }

    pub fn units(&self) -> &[usize] {
        &self.leaf.items
    }
}

/// The unit's name, hashed: its key in the trie.
fn hash(unit: &Unit) -> u64 {
    match &unit.home {
        Home::Shared(name) | Home::Action(name) => trie::hash(name),
        Home::Root => 0,
    }
}

/// Whether the template of `members` stays within `budget` by count: resources,
/// the parameters its references to other stacks need, and (at most) the
/// outputs other stacks need from it.
fn fits(members: &[usize], units: &[Unit], budget: &Limits) -> bool {
    let members = members.iter().map(|&u| &units[u]);
    let resources: usize = members.clone().map(|unit| unit.resources.len()).sum();
    if resources > budget.resources {
        return false;
    }
    let defined: HashSet<&LogicalId> = members.clone().flat_map(|unit| &unit.resources).collect();
    let parameters: HashSet<&Reference> =
        members.clone().flat_map(|unit| &unit.imports).filter(|r| !defined.contains(&r.id)).collect();
    let declared: usize = members.clone().map(|unit| unit.outputs.len()).sum();
    let outputs: HashSet<&Reference> = members.clone().flat_map(|unit| &unit.exports).collect();
    let declarations = parameters.len() + declared + outputs.len();
    let bytes: usize = members.map(|unit| unit.bytes()).sum::<usize>() + declarations * DECLARATION_BYTES;
    parameters.len() <= budget.parameters
        && declared + outputs.len() <= budget.outputs
        && bytes <= budget.template_bytes
}

/// A unit that no layout can hold: its own resources exceed a template.
fn alone_too_big(unit: &Unit, limits: &Limits) -> Option<Problem> {
    let counts = [
        ("resources", unit.resources.len(), limits.resources),
        ("parameters", unit.imports.len(), limits.parameters),
        ("outputs", unit.outputs.len() + unit.exports.len(), limits.outputs),
        ("bytes of template", unit.bytes(), limits.template_bytes),
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
