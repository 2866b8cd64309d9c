//! Placing fragments into stacks within CloudFormation's limits.
//!
//! An app whose template fits one stack (less the headroom) is one stack.
//! A bigger app is a root stack with nested children: `place` decides
//! which child each fragment lives in, from names alone, and `wire` turns
//! every reference that crosses a stack into an output of one stack and a
//! parameter of another, passed by the root.

mod by_name;
mod merge;
mod place;
mod quotas;
mod wire;

pub use wire::PASSED;

use crate::cfn::json::{self, Entry};
use crate::cfn::{Fragment, LogicalId, Source, Template};
use crate::problem::Problem;
use std::collections::BTreeMap;

/// CloudFormation's per-template limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub resources: usize,
    pub parameters: usize,
    pub outputs: usize,
    /// A template body uploaded through S3 (the inline limit is 51,200).
    pub template_bytes: usize,
}

impl Limits {
    pub const CLOUDFORMATION: Limits =
        Limits { resources: 500, parameters: 200, outputs: 200, template_bytes: 1_000_000 };

    /// The limits less `percent` of each.
    fn less(&self, percent: u8) -> Limits {
        let keep = |limit: usize| limit * usize::from(100 - percent.min(90)) / 100;
        Limits {
            resources: keep(self.resources),
            parameters: keep(self.parameters),
            outputs: keep(self.outputs),
            template_bytes: keep(self.template_bytes),
        }
    }
}

/// How full layout may fill a template: CloudFormation's limits less a
/// headroom, so a stack can take a few more resources before it splits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Capacity {
    pub limits: Limits,
    /// Percent of each limit left free (`[package.metadata.wirestack]
    /// headroom` in the app's Cargo.toml; at most 90).
    pub headroom_percent: u8,
}

impl Capacity {
    pub const DEFAULT_HEADROOM_PERCENT: u8 = 10;

    /// What one template may hold.
    pub fn budget(&self) -> Limits {
        self.limits.less(self.headroom_percent)
    }
}

impl Default for Capacity {
    fn default() -> Capacity {
        Capacity { limits: Limits::CLOUDFORMATION, headroom_percent: Capacity::DEFAULT_HEADROOM_PERCENT }
    }
}

/// What the logical ids of nested stacks start with: a child's template
/// file is `<root>-<id>.template.json`.
pub const NESTED_KINDS: [&str; 2] = place::Kind::NAMES;

/// One stack and the template that describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    /// The app's stack name (`dev-shop`) for the root; `dev-shop-Actions1`
    /// for a nested child (its file's name: CloudFormation names the child).
    pub name: String,
    /// A child's logical id in the root template; `None` for the root.
    pub nested_as: Option<LogicalId>,
    pub template: Template,
    /// The template's JSON: what is written to disk and uploaded.
    pub body: String,
    /// The item of the user's code each resource comes from.
    pub sources: BTreeMap<LogicalId, Source>,
}

impl Stack {
    /// The item of the user's code that resource `logical_id` comes from.
    pub fn source(&self, logical_id: &str) -> Option<&Source> {
        self.sources.get(logical_id)
    }

    /// Where deploy uploads this template in the artifact bucket: addressed
    /// by content, so the root's URL of a child changes exactly when the
    /// child does.
    pub fn key(&self, root: &str) -> String {
        template_key(root, &self.body)
    }

    /// The stack of `template`, copying each resource's JSON from
    /// `written` (in id order) where it has one.
    fn new(
        name: String,
        nested_as: Option<LogicalId>,
        template: Template,
        sources: BTreeMap<LogicalId, Source>,
        written: &[Option<&str>],
    ) -> Stack {
        let body = json::template_reusing(&template, written);
        Stack { name, nested_as, template, body, sources }
    }
}

/// The artifact-bucket key of template `body` of root stack `root`: its
/// BLAKE3 digest, which hashes a big app's megabytes of templates faster
/// than SHA-256 (3.7 MB: 0.57 against 2.04 ms in release, 0.96 in debug).
pub fn template_key(root: &str, body: &str) -> String {
    format!("{root}/templates/{}.json", blake3::hash(body.as_bytes()).to_hex())
}

/// Lays the app's fragments out as stacks named after `name`: the root (or
/// only) stack first. Reports logical ids two items produce, references to
/// nothing, and an item too big for any layout. Calls `lap` after each step
/// (`synth --timings`).
pub fn lay_out(
    name: &str,
    description: String,
    fragments: Vec<Fragment>,
    capacity: &Capacity,
    lap: &mut dyn FnMut(&'static str),
) -> Result<Vec<Stack>, Vec<Problem>> {
    let mut whole = merge::merge(description, fragments)?;
    lap("merge fragments");
    let problems = quotas::problems(&whole);
    lap("check quotas");
    if !problems.is_empty() {
        return Err(problems);
    }
    let budget = capacity.budget();
    let fits = whole.index.len() <= budget.resources
        && whole.parameters.len() <= budget.parameters
        && whole.outputs.len() <= budget.outputs;
    if fits {
        let dangling = whole.dangling_references();
        if !dangling.is_empty() {
            return Err(merge::dangling(&whole, dangling));
        }
        let resources = whole.sorted().into_iter().map(|rendered| (&rendered.id, Entry::Resource(&rendered.resource)));
        let body = json::template_of(&whole.description, &whole.parameters, &whole.outputs, resources);
        if body.len() <= budget.template_bytes {
            let (template, sources) = whole.into_template();
            return Ok(vec![Stack { name: name.to_owned(), nested_as: None, template, body, sources }]);
        }
    }
    let (units, dangling) = place::units(&mut whole);
    if !dangling.is_empty() {
        return Err(merge::dangling(&whole, dangling));
    }
    lap("measure units");
    let placement = place::place(&units, capacity)?;
    lap("place units");
    wire::wire(name, whole, &units, &placement, capacity, lap)
}

#[cfg(test)]
mod model_tests {
    use crate::layout::Stack;
    use crate::model::testing::*;
    use crate::synth::Synthesis;
    use serde_json::Value as Json;
    use std::collections::BTreeMap;

    /// Templates of at most `resources` resources, no headroom.
    fn capacity(resources: usize) -> Capacity {
        Capacity { limits: Limits { resources, ..Limits::CLOUDFORMATION }, headroom_percent: 0 }
    }

    /// `n` actions: consumers of shared queues publishing to shared topics,
    /// and every tenth notified by the one bucket.
    fn big(n: u32) -> App {
        let groups = n.div_ceil(5);
        let mut resources: Vec<Resource> = (0..groups)
            .flat_map(|g| [queue(&format!("jobs_{g}"), 1000 + g, None), topic(&format!("news_{g}"), 2000 + g)])
            .collect();
        resources.push(bucket("uploads", 3000, crate::Bucket::new()));
        let actions = (0..n)
            .map(|i| {
                let mut triggers = vec![sqs(&format!("jobs_{}", i / 5))];
                if i % 10 == 0 {
                    triggers.push(s3("uploads", &[ObjectEvent::Created], Some(&format!("in/{i}/")), None));
                }
                let mut worker = action(&format!("worker_{i}"), 10 + i, triggers);
                worker.capabilities = vec![uses(Access::Publish, &format!("news_{}", i / 5))];
                worker
            })
            .collect();
        app(actions, resources)
    }

    fn json(stack: &Stack) -> Json {
        serde_json::from_str(&stack.body).unwrap()
    }

    /// Every reference of a template names a resource or parameter of its
    /// own, and every `Outputs.X` the root reads is an output of that child.
    fn assert_wired(synthesis: &Synthesis, limits: &Limits) {
        let root = json(&synthesis.stacks[0]);
        let children: BTreeMap<&str, Json> = synthesis.stacks[1..]
            .iter()
            .map(|stack| (stack.nested_as.as_ref().unwrap().as_str(), json(stack)))
            .collect();
        for stack in &synthesis.stacks {
            // Text reused from measuring is what writing the wired template
            // afresh gives: no rewritten resource kept its old JSON.
            assert_eq!(stack.body, stack.template.to_pretty_string(), "{}", stack.name);
            assert!(
                stack.template.dangling_references().is_empty(),
                "{}: {:?}",
                stack.name,
                stack.template.dangling_references()
            );
            assert!(
                stack.template.resources.len() <= limits.resources,
                "{} has {}",
                stack.name,
                stack.template.resources.len()
            );
            assert!(stack.template.parameters.len() <= limits.parameters);
            assert!(stack.template.outputs.len() <= limits.outputs);
        }
        for (id, child) in &children {
            let nested = &root["Resources"][id];
            assert_eq!(nested["Type"], "AWS::CloudFormation::Stack");
            let passed = nested["Properties"]["Parameters"].as_object().cloned().unwrap_or_default();
            let declared = child["Parameters"].as_object().cloned().unwrap_or_default();
            assert_eq!(
                passed.keys().collect::<Vec<_>>(),
                declared.keys().collect::<Vec<_>>(),
                "{id}: the root passes exactly the parameters the child declares"
            );
        }
        let text = root.to_string();
        for (id, child) in &children {
            let marker = format!("[\"{id}\",\"Outputs.");
            for found in text.match_indices(&marker) {
                let rest = &text[found.0 + marker.len()..];
                let output = &rest[..rest.find('"').unwrap()];
                assert!(child["Outputs"].get(output).is_some(), "{id} does not output {output}");
            }
        }
    }

    #[test]
    fn an_app_over_one_template_is_a_root_with_nested_children_wired_by_parameters() {
        let app = big(40);
        let capacity = capacity(60);
        let synthesis = synthesize_within(&app, None, &Code::default(), &capacity).unwrap();
        assert!(synthesis.stacks.len() > 3, "{} stacks", synthesis.stacks.len());
        assert_wired(&synthesis, &capacity.limits);
        let root = &synthesis.stacks[0].template;
        // The bucket stays in the root, names each function it notifies by
        // its ARN spelled from its name, and waits for the child creating it.
        let bucket = &root.resources["UploadsBucket"];
        let notifications = serde_json::to_string(&bucket.properties).unwrap();
        assert!(notifications.contains(":function:app-worker-0"), "{notifications}");
        assert!(!bucket.depends_on.is_empty(), "it waits for the children of the functions it notifies");
        assert!(bucket.depends_on.iter().all(|id| id.as_str().starts_with("Actions")), "{:?}", bucket.depends_on);
        // Within one template the same app is one stack.
        let one = synthesize_within(&app, None, &Code::default(), &Capacity::default()).unwrap();
        assert_eq!(one.stacks.len(), 1);
    }

    #[test]
    fn a_reference_to_nothing_is_reported_in_an_app_laid_out_over_stacks_too() {
        let mut app = big(40);
        let missing = crate::Raw::new("AWS::SSM::Parameter")
            .property("Type", "String")
            .property("Value", serde_json::json!({"Fn::GetAtt": ["NoSuchQueue", "Arn"]}));
        app.resources.push(raw("stray", missing));
        let error = synthesize_within(&app, None, &Code::default(), &capacity(60)).unwrap_err().to_string();
        assert!(error.contains("a reference to `NoSuchQueue` names no resource of the app"), "{error}");
        assert!(error.contains("src/lib.rs:50:1"), "{error}");
    }

    #[test]
    fn adding_an_action_changes_only_the_child_it_lands_in_and_the_root() {
        let capacity = capacity(60);
        let before = synthesize_within(&big(60), None, &Code::default(), &capacity).unwrap();
        let mut grown = big(60);
        grown.actions.push(action("worker_new", 999, vec![sqs("jobs_0")]));
        let after = synthesize_within(&grown, None, &Code::default(), &capacity).unwrap();
        let bodies =
            |s: &Synthesis| s.stacks.iter().map(|st| (st.name.clone(), st.body.clone())).collect::<BTreeMap<_, _>>();
        let (before, after) = (bodies(&before), bodies(&after));
        assert!(before.keys().all(|name| after.contains_key(name)), "no stack goes away");
        let changed: Vec<&String> = after.keys().filter(|name| before.get(*name) != Some(&after[*name])).collect();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert_eq!(changed[0], "app", "the root changes");
        assert!(after[changed[1]].contains("WorkerNewFunction"), "the other is where it lands");
    }

    #[test]
    fn an_action_too_big_for_any_template_is_named_with_its_place() {
        let schedules = (0..30)
            .map(|i| TriggerKind::Schedule(ScheduleTrigger { expression: format!("rate({} minutes)", i + 2) }))
            .collect();
        let app = app(vec![action("busy", 7, schedules), action("calm", 8, vec![])], vec![]);
        let error = synthesize_within(&app, None, &Code::default(), &capacity(50)).unwrap_err().to_string();
        assert!(
            error.contains("action `busy` alone needs 64 resources; one CloudFormation template allows 50"),
            "{error}"
        );
        assert!(error.contains("src/lib.rs:7:1"), "{error}");
    }

    #[test]
    fn a_dependency_on_another_child_becomes_the_childs_own_however_often_it_is_named() {
        use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Value};
        let queue = |n: u32| CfnResource::new("AWS::SQS::Queue", Value::map([("DelaySeconds", Value::from(n))]));
        let awaited = LogicalId::new(&["First", "Queue"]);
        let mut first = Fragment::new("fn first".to_owned(), at(1), Home::Action("first".to_owned()));
        first.add(&awaited, queue(0));
        let mut second = Fragment::new("fn second".to_owned(), at(2), Home::Action("second".to_owned()));
        for (n, name) in [(1, "One"), (2, "Two")] {
            let mut waiting = queue(n);
            waiting.depends_on = vec![awaited.clone()];
            second.add(&LogicalId::new(&["Second", name]), waiting);
        }
        let stacks = super::lay_out("app", "test".to_owned(), vec![first, second], &capacity(2), &mut |_| {}).unwrap();
        let waiting = stacks.iter().find(|stack| stack.template.resources.contains_key("SecondOne")).unwrap();
        let awaited_in = stacks.iter().find(|stack| stack.template.resources.contains_key("FirstQueue")).unwrap();
        assert_ne!(waiting.name, awaited_in.name, "the two actions are in two children");
        for stack in &stacks {
            assert!(stack.template.dangling_references().is_empty(), "{}: {}", stack.name, stack.body);
            assert_eq!(stack.body, stack.template.to_pretty_string(), "the dependency is gone from the text too");
        }
        let root = json(&stacks[0]);
        let child = waiting.nested_as.as_ref().unwrap().as_str();
        let expected = serde_json::json!([awaited_in.nested_as.as_ref().unwrap().as_str()]);
        assert_eq!(root["Resources"][child]["DependsOn"], expected, "its child waits for the other");
    }

    #[test]
    fn a_dependency_on_a_named_singleton_becomes_the_childs_own_on_the_shared_stack() {
        use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Value};
        let named = CfnResource::new("AWS::SQS::Queue", Value::map([("QueueName", Value::from("app-jobs"))]));
        let jobs = LogicalId::new(&["Jobs", "Queue"]);
        let mut shared = Fragment::new("#[singleton] fn jobs".to_owned(), at(1), Home::Shared("jobs".to_owned()));
        shared.add(&jobs, named);
        let mut action = Fragment::new("fn work".to_owned(), at(2), Home::Action("work".to_owned()));
        for name in ["One", "Two"] {
            let waiting = CfnResource::new("AWS::SQS::Queue", Value::map([("DelaySeconds", Value::from(1))]));
            action.add(&LogicalId::new(&["Work", name]), waiting.depends_on(&jobs));
        }
        let stacks = super::lay_out("app", "test".to_owned(), vec![shared, action], &capacity(2), &mut |_| {}).unwrap();
        for stack in &stacks {
            assert!(stack.template.dangling_references().is_empty(), "{}: {}", stack.name, stack.body);
            assert_eq!(stack.body, stack.template.to_pretty_string(), "{}", stack.name);
        }
        let waiting = stacks.iter().find(|stack| stack.template.resources.contains_key("WorkOne")).unwrap();
        let root = json(&stacks[0]);
        let child = waiting.nested_as.as_ref().unwrap().as_str();
        assert_eq!(root["Resources"][child]["DependsOn"], serde_json::json!(["Shared"]));
    }

    #[test]
    fn logical_ids_that_collide_are_reported_with_both_places() {
        // `place_order` and `placeOrder` both become `PlaceOrder...`.
        let app = app(vec![action("place_order", 1, vec![]), action("placeOrder", 2, vec![])], vec![]);
        let problems = problems(&app).join("\n");
        assert!(problems.contains("both produce the CloudFormation resource `PlaceOrderFunction`"), "{problems}");
    }
}
