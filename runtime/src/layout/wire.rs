//! The root and child templates of a placement, wired together.
//!
//! A reference to what another stack creates is spelled from the resource's
//! name where wirestack fixed one (`by_name`), and the referring stack waits
//! for the one creating it (`DependsOn`). Measuring spells most such
//! references already (those into the root or the other kind of child,
//! `place::units`); wiring spells the rest. Any other reference goes through a
//! parameter: `Ref X` through a parameter named `X` (so the reference reads
//! the same), `Fn::GetAtt [X, Attr]` through one named `XAttr`. The root
//! passes each parameter: its own resources and parameters directly, another
//! child's as `Fn::GetAtt [Child, Outputs.XAttr]`, which that child outputs.
//! The root reads children's resources the same way.

use super::by_name::spelled;
use super::merge::{Members, Whole};
use super::place::{Placement, Unit};
use super::{Capacity, Limits, Stack};
use crate::cfn::{
    CfnResource, LogicalId, Output, Parameter, Part, Pseudo, Reference, Rendered, Source, Template, Value,
};
use crate::fast_hash::HashMap;
use crate::problem::Problem;
use crate::render::code_parameters;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The description of the outputs a child passes other stacks (deploy
/// leaves them out of what it shows).
pub const PASSED: &str = "Read by other stacks of the app";

/// Where a resource lives, and what a reference to it may be spelled from.
#[derive(Clone, Copy)]
struct Target<'u> {
    place: Place,
    kind: &'u str,
    name: Option<&'u str>,
}

impl Target<'_> {
    fn spelled(&self, attribute: Option<&str>) -> Option<Value> {
        Some(spelled(self.kind, self.name?, attribute)?.into_value())
    }
}

/// Each resource's target, read through the app's index from its unit.
struct Targets<'u> {
    index: &'u HashMap<LogicalId, (usize, usize)>,
    units: &'u [Unit],
    /// Each unit's place.
    places: Vec<Place>,
}

impl<'u> Targets<'u> {
    fn get(&self, id: &LogicalId) -> Option<Target<'u>> {
        let &(u, at) = self.index.get(id)?;
        let (kind, name) = self.units[u].kind_and_name(at);
        Some(Target { place: self.places[u], kind, name })
    }

    /// Where `id` lives, read without its unit.
    fn place(&self, id: &LogicalId) -> Option<Place> {
        self.index.get(id).map(|&(u, _)| self.places[u])
    }
}

/// Where a resource lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Root,
    Child(usize),
}

/// A child stack being built.
struct Child<'u> {
    id: LogicalId,
    template: Template,
    sources: BTreeMap<LogicalId, Source>,
    /// What it refers to in other stacks.
    imports: BTreeSet<Reference>,
    /// What other stacks refer to in it.
    exports: BTreeSet<Reference>,
    /// Root resources and children it must be created after.
    after: BTreeSet<LogicalId>,
    /// Each resource's JSON as measured, in id order, or `None` where
    /// wiring rewrote its references or dependencies.
    written: Vec<Option<&'u str>>,
}

impl Child<'_> {
    /// Declares an output for each value other stacks read from this one.
    fn output_exports(&mut self) -> Result<(), Vec<Problem>> {
        for reference in &self.exports {
            let value = reference.clone().into_value();
            let id = parameter_id(&reference.id, reference.attribute.as_deref());
            match self.template.outputs.get(&id) {
                Some(output) if output.value != value => {
                    return Err(vec![Problem::new(format!(
                        "output `{id}` of stack `{}` would stand for two values",
                        self.id
                    ))
                    .help("rename the singleton or action whose output it is")]);
                }
                Some(_) => {}
                None => {
                    let description = PASSED.to_owned();
                    self.template.outputs.insert(id, Output { description, value });
                }
            }
        }
        Ok(())
    }
}

/// What one stack holds, before its references are rewritten.
#[derive(Default)]
struct Held<'u> {
    /// Its homes, each with its unit (what measuring wrote of it).
    homes: Vec<(Members, &'u Unit)>,
    outputs: Vec<(LogicalId, Output)>,
}

/// The item each resource of a stack comes from.
type Sources = BTreeMap<LogicalId, Source>;

/// A resource in its stack, with what measuring found of it.
struct Moved<'u> {
    id: LogicalId,
    resource: CfnResource,
    /// Its JSON as measured; `None` once wiring rewrites it.
    written: Option<&'u str>,
    /// Whether it refers to anything outside its unit: only then may wiring
    /// rewrite it.
    refers_outside: bool,
}

/// The resources of `homes` in id order, as a template holds them, and
/// their sources. Each home's vector is moved in whole up to here, so the
/// resources are moved once, into a vector of exactly their number.
fn sorted(homes: Vec<(Members, &Unit)>) -> (Vec<Moved<'_>>, Sources) {
    let count = homes.iter().map(|(members, _)| members.resources.len()).sum();
    let mut resources = Vec::with_capacity(count);
    let mut sources = Vec::with_capacity(count);
    for (members, unit) in homes {
        for (Rendered { id, resource, source }, written) in members.resources.into_iter().zip(unit.written()) {
            sources.push((id.clone(), source));
            resources.push(Moved { id, resource, written: Some(written.text), refers_outside: written.refers_outside });
        }
    }
    resources.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    (resources, sources.into_iter().collect())
}

/// The stacks of `placement`, built from `whole`'s resources (moved, not
/// copied: at 5,000 handlers they are most of synth's memory).
pub(super) fn wire(
    name: &str,
    mut whole: Whole,
    units: &[Unit],
    placement: &Placement,
    capacity: &Capacity,
    lap: &mut dyn FnMut(&'static str),
) -> Result<Vec<Stack>, Vec<Problem>> {
    let mut unit_places = vec![Place::Root; units.len()];
    for (g, group) in placement.groups.iter().enumerate() {
        for &u in group.units() {
            unit_places[u] = Place::Child(g);
        }
    }
    let targets = Targets { index: &whole.index, units, places: unit_places };
    let place = |id: &LogicalId| targets.place(id);
    let description = std::mem::take(&mut whole.description);
    let child_ids: Vec<LogicalId> = placement.groups.iter().map(|group| group.id()).collect();

    // Everything goes to its stack in one pass: slot `g` is child `g`'s, the
    // last the root's.
    let root_slot = child_ids.len();
    let mut held: Vec<Held> = (0..=root_slot).map(|_| Held::default()).collect();
    for ((members, unit), &place) in std::mem::take(&mut whole.homes).into_iter().zip(units).zip(&targets.places) {
        let held = &mut held[match place {
            Place::Child(g) => g,
            Place::Root => root_slot,
        }];
        // Units are made from resources: an output of a fragment that
        // creates nothing would have no stack (no kind renders one today).
        let outputs = members.outputs.iter().map(|id| whole.outputs.remove_entry(id).expect("each output once"));
        held.outputs.extend(outputs);
        held.homes.push((members, unit));
    }
    let root_held = held.pop().expect("the root's slot");

    // Each child's resources and outputs, reading other stacks' resources by
    // name or through parameters: every child on its own, on every core.
    // Each also waits for the stacks whose resources measuring spelled its
    // units' references from.
    let waits: Vec<Vec<&LogicalId>> =
        placement.groups.iter().map(|group| group.units().iter().flat_map(|&u| &units[u].waits).collect()).collect();
    let work = held.into_par_iter().zip(waits).enumerate();
    let mut children: Vec<Child> = work
        .map(|(g, (held, waits))| {
            let id = child_ids[g].clone();
            let description = format!("{description}: nested stack {id}");
            child(g, id, description, held, waits, &targets, &child_ids)
        })
        .collect();

    // The root's, reading children's resources by name or through their
    // outputs.
    let mut root = Template {
        description,
        parameters: std::mem::take(&mut whole.parameters),
        outputs: BTreeMap::new(),
        resources: BTreeMap::new(),
    };
    // Children the root's resource being rewritten must wait for.
    let waits = std::cell::RefCell::new(Vec::new());
    let mut from_children = |target: &LogicalId, attribute: Option<&str>| {
        let found = targets.get(target)?;
        let Place::Child(g) = found.place else { return None };
        if let Some(value) = found.spelled(attribute) {
            waits.borrow_mut().push(child_ids[g].clone());
            return Some(value);
        }
        let reference = Reference::to(target, attribute);
        let output = child_output(&child_ids[g], &reference);
        children[g].exports.insert(reference);
        Some(output.into_value())
    };
    let (resources, root_sources) = sorted(root_held.homes);
    for Moved { id, mut resource, .. } in resources {
        resource.properties.rewrite_references(&mut from_children);
        for dependency in &mut resource.depends_on {
            if let Some(Place::Child(g)) = place(dependency) {
                *dependency = child_ids[g].clone();
            }
        }
        resource.depends_on.append(&mut waits.borrow_mut());
        drop_implied_dependencies(&mut resource);
        root.resources.insert(id, resource);
    }
    for (id, mut output) in root_held.outputs {
        output.value.rewrite_references(&mut from_children);
        waits.borrow_mut().clear();
        root.outputs.insert(id, output);
    }

    let passed = pass_parameters(&mut children, &root, &child_ids, place);

    let budget = capacity.budget();
    let mut stacks = vec![];
    let mut problems = Vec::new();
    let code_bucket = code_parameters()[0].0.clone();
    for child in &mut children {
        child.output_exports()?;
    }
    lap("wire stacks");
    // Serializing and hashing the children is most of a big app's synth,
    // and each child is its own: on every core. Resources wiring left
    // alone are copied in as `place` wrote them to measure them.
    let built: Vec<_> = children
        .into_par_iter()
        .map(|child| {
            let id = Some(child.id.clone());
            let stack = Stack::new(format!("{name}-{}", child.id), id, child.template, child.sources, &child.written);
            let key = stack.key(name);
            (stack, key, child.after)
        })
        .collect();
    for ((stack, key, after), parameters) in built.into_iter().zip(passed) {
        problems.extend(over(&stack, &capacity.limits));
        let mut properties = vec![("TemplateURL", template_url(&code_bucket, &key))];
        if !parameters.is_empty() {
            properties.push(("Parameters", Value::Map(parameters.into_iter().collect())));
        }
        let mut nested = CfnResource::new("AWS::CloudFormation::Stack", Value::map(properties));
        nested.depends_on = after.into_iter().collect();
        drop_implied_dependencies(&mut nested);
        root.resources.insert(stack.nested_as.clone().expect("a child"), nested);
        stacks.push(stack);
    }
    root.parameters
        .entry(code_bucket)
        .or_insert_with(|| Parameter { description: Cow::Borrowed(code_parameters()[0].1), default: None });
    let unwritten = vec![None; root.resources.len()];
    let root = Stack::new(name.to_owned(), None, root, root_sources, &unwritten);
    problems.extend(over(&root, &budget));
    problems.extend(cycle(&root.template));
    if !problems.is_empty() {
        return Err(problems);
    }
    stacks.insert(0, root);
    Ok(stacks)
}

/// Child `g`'s template: its resources and outputs, each reference to
/// another stack spelled by name (the child then waits for that stack) or
/// read through a parameter the root passes. It waits for the stacks of
/// `waits`, which measuring spelled by name already.
fn child<'u>(
    g: usize,
    id: LogicalId,
    description: String,
    held: Held<'u>,
    waits: Vec<&LogicalId>,
    targets: &Targets<'u>,
    child_ids: &[LogicalId],
) -> Child<'u> {
    let mut after: BTreeSet<LogicalId> = waits
        .into_iter()
        .map(|target| match targets.place(target) {
            Some(Place::Child(other)) => child_ids[other].clone(),
            _ => target.clone(),
        })
        .collect();
    let mut imports = BTreeSet::new();
    let mut localize = |target: &LogicalId, attribute: Option<&str>| {
        let found = targets.get(target);
        if found.is_some_and(|t| t.place == Place::Child(g)) {
            return None;
        }
        if let Some(value) = found.and_then(|t| t.spelled(attribute)) {
            after.insert(match found.map(|t| t.place) {
                Some(Place::Child(other)) => child_ids[other].clone(),
                _ => target.clone(),
            });
            return Some(value);
        }
        imports.insert(Reference::to(target, attribute));
        attribute.map(|_| Value::Ref(parameter_id(target, attribute)))
    };
    let mut outputs = held.outputs;
    for (_, output) in &mut outputs {
        output.value.rewrite_references(&mut localize);
    }
    let (mut resources, sources) = sorted(held.homes);
    // Only what refers outside its unit can change (and most does not).
    let mut rewritable: Vec<_> = resources.iter_mut().filter(|moved| moved.refers_outside).collect();
    for Moved { resource, written, .. } in &mut rewritable {
        let mut changed = false;
        resource.properties.rewrite_references(&mut |target, attribute| {
            let to = localize(target, attribute);
            changed |= to.is_some();
            to
        });
        if changed {
            *written = None;
        }
    }
    // A dependency on another stack's resource becomes the child's own on
    // that stack.
    for Moved { resource, written, .. } in &mut rewritable {
        let depends_on = resource.depends_on.len();
        resource.depends_on.retain(|dependency| match targets.place(dependency) {
            Some(Place::Child(other)) if other == g => true,
            Some(Place::Child(other)) => {
                after.insert(child_ids[other].clone());
                false
            }
            _ => {
                after.insert(dependency.clone());
                false
            }
        });
        if resource.depends_on.len() != depends_on {
            *written = None;
        }
    }
    // Held in id order, so each map is built without a search per entry,
    // and `written` follows the same order.
    let written = resources.iter().map(|moved| moved.written).collect();
    let template = Template {
        description,
        parameters: BTreeMap::new(),
        outputs: outputs.into_iter().collect(),
        resources: resources.into_iter().map(|moved| (moved.id, moved.resource)).collect(),
    };
    Child { id, template, sources, imports, exports: BTreeSet::new(), after, written }
}

/// What the root passes each child: a value for each parameter the child
/// declares for what it refers to in other stacks (another child's value
/// through that child's output).
fn pass_parameters(
    children: &mut [Child],
    root: &Template,
    child_ids: &[LogicalId],
    place: impl Fn(&LogicalId) -> Option<Place>,
) -> Vec<BTreeMap<String, Value>> {
    let mut passed = Vec::with_capacity(children.len());
    for g in 0..children.len() {
        let mut parameters = BTreeMap::new();
        for reference in std::mem::take(&mut children[g].imports) {
            let parameter = parameter_id(&reference.id, reference.attribute.as_deref());
            let description = match (root.parameters.get(&reference.id), &reference.attribute) {
                (Some(declared), None) => declared.description.clone(),
                (_, Some(attribute)) => {
                    Cow::Owned(format!("`{}`'s {attribute}, from the stack creating it", reference.id))
                }
                (None, None) => Cow::Owned(format!("`{}`, from the stack creating it", reference.id)),
            };
            children[g].template.parameters.insert(parameter.clone(), Parameter { description, default: None });
            let value = match place(&reference.id) {
                Some(Place::Child(other)) => {
                    let value = child_output(&child_ids[other], &reference).into_value();
                    children[other].exports.insert(reference);
                    value
                }
                Some(Place::Root) | None => reference.into_value(),
            };
            parameters.insert(parameter.to_string(), value);
        }
        passed.push(parameters);
    }
    passed
}

/// The parameter (and output) standing for `Ref id` (`id` itself) or
/// `Fn::GetAtt [id, attribute]` (`idAttribute`).
fn parameter_id(id: &LogicalId, attribute: Option<&str>) -> LogicalId {
    match attribute {
        None => id.clone(),
        Some(attribute) => LogicalId::new(&[id.as_str(), attribute]),
    }
}

/// `Fn::GetAtt [child, Outputs.P]`: how the root reads what a child outputs.
fn child_output(child: &LogicalId, reference: &Reference) -> Reference {
    let output = parameter_id(&reference.id, reference.attribute.as_deref());
    Reference { id: child.clone(), attribute: Some(Cow::Owned(format!("Outputs.{output}"))) }
}

/// Where deploy puts the child's template: in the code bucket, by content.
fn template_url(code_bucket: &LogicalId, key: &str) -> Value {
    Value::Sub(vec![
        "https://".into(),
        Part::Ref(code_bucket.clone()),
        ".s3.".into(),
        Pseudo::Region.into(),
        ".".into(),
        Pseudo::UrlSuffix.into(),
        format!("/{key}").into(),
    ])
}

/// Drops `DependsOn` entries a reference already implies (cfn-lint W3005),
/// and duplicates (two resources of one child stand for the same stack).
fn drop_implied_dependencies(resource: &mut CfnResource) {
    let mut referenced = BTreeSet::new();
    resource.properties.for_each_reference(&mut |id, _| {
        referenced.insert(id.clone());
    });
    let mut seen = BTreeSet::new();
    resource.depends_on.retain(|id| !referenced.contains(id) && seen.insert(id.clone()));
}

/// The first limit `stack` exceeds, as a problem.
fn over(stack: &Stack, limits: &Limits) -> Option<Problem> {
    let template = &stack.template;
    let counts = [
        ("resources", template.resources.len(), limits.resources),
        ("parameters", template.parameters.len(), limits.parameters),
        ("outputs", template.outputs.len(), limits.outputs),
        ("bytes", stack.body.len(), limits.template_bytes),
    ];
    let (what, count, limit) = counts.into_iter().find(|(_, count, limit)| count > limit)?;
    let help = match stack.nested_as {
        None => "the root holds the HTTP API, buckets, `Raw` resources and one resource per nested stack: move some of them into another app, or lower `headroom` in `[package.metadata.wirestack]`",
        Some(_) => "lower `headroom` in `[package.metadata.wirestack]`, or report this: layout should have split the stack",
    };
    Some(Problem::new(format!("stack `{}` needs {count} {what}; the layout allows {limit}", stack.name)).help(help))
}

/// A cycle among the root's resources (nested stacks included), which
/// CloudFormation would refuse, as a problem naming its members.
fn cycle(template: &Template) -> Option<Problem> {
    let edges: BTreeMap<&LogicalId, Vec<&LogicalId>> = template
        .resources
        .iter()
        .map(|(id, resource)| {
            let mut targets: Vec<&LogicalId> = resource.depends_on.iter().collect();
            resource.properties.for_each_reference(&mut |target, _| {
                if template.resources.contains_key(target) {
                    targets.push(target);
                }
            });
            (id, targets)
        })
        .collect();
    // Depth-first, colouring: 1 = on the current path, 2 = done.
    let mut colour: HashMap<&LogicalId, u8> = HashMap::default();
    let mut path = Vec::new();
    fn visit<'a>(
        id: &'a LogicalId,
        edges: &BTreeMap<&'a LogicalId, Vec<&'a LogicalId>>,
        colour: &mut HashMap<&'a LogicalId, u8>,
        path: &mut Vec<&'a LogicalId>,
    ) -> Option<Vec<&'a LogicalId>> {
        match colour.get(id) {
            Some(2) => return None,
            Some(_) => return Some(path[path.iter().position(|p| *p == id)?..].to_vec()),
            None => {}
        }
        colour.insert(id, 1);
        path.push(id);
        for target in edges.get(id).into_iter().flatten() {
            if let Some(found) = visit(target, edges, colour, path) {
                return Some(found);
            }
        }
        path.pop();
        colour.insert(id, 2);
        None
    }
    let found = edges.keys().find_map(|id| visit(id, &edges, &mut colour, &mut path))?;
    let names: Vec<&str> = found.iter().map(|id| id.as_str()).collect();
    Some(
        Problem::new(format!("the nested stacks wait for each other: {} -> {}", names.join(" -> "), names[0]))
            .help("report this: layout keeps what refers to functions in the root so that this cannot happen"),
    )
}
