//! Whole-app rules: what no single attribute can see.

use super::{App, Settings};
use crate::capability::Access;
use crate::code::Code;
use crate::naming::Naming;
use crate::problem::Problem;
use crate::resource::{queue, ResourceSpec, Scope};
use crate::trigger::EventSource;
use crate::wiring::Graph;
use crate::Location;
use std::collections::BTreeMap;

// Lambda's bounds, checked again here because the model can be built
// without the macros that check them at compile time.
use wirestack_aws::lambda::{MAX_FUNCTION_NAME_LEN, MAX_LAYERS, MEMORY_MB, TIMEOUT_S};

impl App {
    /// Every whole-app mistake, each naming all the places involved.
    pub fn problems(&self, graph: &Graph, naming: &Naming, code: &Code) -> Vec<Problem> {
        let mut problems = Vec::new();
        self.duplicate_names(&mut problems);
        self.trigger_targets(&mut problems);
        problems.extend(crate::trigger::app_problems(self, graph));
        self.capability_targets(graph, naming, code, &mut problems);
        self.function_settings(graph, naming, &mut problems);
        for resource in &self.resources {
            problems.extend(resource.spec.problems(&Scope { app: self, graph, resource, naming, code }));
        }
        problems
    }

    fn duplicate_names(&self, problems: &mut Vec<Problem>) {
        let actions = self.actions.iter().map(|a| (a.name.clone(), a.defined_at));
        report_duplicates(actions, problems, |name| {
            (
                format!("two actions are named `{name}`"),
                "rename one of the fns, or give it `#[action(name = \"..\")]`".to_owned(),
            )
        });
        let resources = self.resources.iter().map(|r| (r.name.clone(), r.defined_at));
        report_duplicates(resources, problems, |name| {
            (
                format!("two resources are named `{name}`"),
                "rename one: singletons and actions that own a queue (`#[trigger(sqs)]`) share one namespace"
                    .to_owned(),
            )
        });
    }

    /// Each trigger names a resource of the kind it needs, consumes it once,
    /// and asks of it nothing it refuses (its kind says what that is).
    fn trigger_targets(&self, problems: &mut Vec<Problem>) {
        for action in &self.actions {
            let mut consumed: BTreeMap<&str, Location> = BTreeMap::new();
            for trigger in &action.triggers {
                let Some((target, wanted)) = trigger.kind.target() else { continue };
                let Some(resource) = self.resource(target) else {
                    problems.push(
                        Problem::new(format!(
                            "`{}` triggers on `{target}`, which is not a registered singleton",
                            action.name
                        ))
                        .at(trigger.declared_at, "the trigger")
                        .help(format!("declare `#[singleton] fn {target}() -> ..` in a crate this binary links")),
                    );
                    continue;
                };
                if resource.spec.kind() != wanted {
                    let needs = trigger.kind.as_written();
                    problems.push(
                        Problem::new(format!("{needs} needs a {wanted}, but `{target}` is a {}", resource.spec.kind()))
                            .at(trigger.declared_at, "the trigger")
                            .at(resource.defined_at, format!("`{target}` is declared here")),
                    );
                    continue;
                }
                if let Some((what, help)) = trigger.kind.wired_into_resource().filter(|_| resource.spec.is_existing()) {
                    problems.push(
                        Problem::new(format!(
                            "{what} needs a {wanted} this stack creates, but `{target}` is an existing {wanted}"
                        ))
                        .at(trigger.declared_at, "the trigger")
                        .at(resource.defined_at, format!("`{target}` is declared here"))
                        .help(help),
                    );
                }
                if trigger.kind.takes_every_event() {
                    if let Some(first) = consumed.insert(target, trigger.declared_at) {
                        problems.push(
                            Problem::new(format!("`{}` has two triggers on `{target}`", action.name))
                                .at(first, "first trigger")
                                .at(trigger.declared_at, "second trigger")
                                .help("remove one; one mapping already delivers every message"),
                        );
                    }
                }
                problems.extend(trigger.kind.problems(action, trigger.declared_at, resource));
            }
        }
    }

    /// Each capability names a registered resource that offers its access.
    fn capability_targets(&self, graph: &Graph, naming: &Naming, code: &Code, problems: &mut Vec<Problem>) {
        for action in &self.actions {
            for capability in &action.capabilities {
                let name = &capability.resource;
                if capability.access == Access::Invoke {
                    if self.action(name).is_none() {
                        problems.push(
                            Problem::new(format!(
                                "`{}` takes an `Invoke<{name}>`, but no action is named `{name}`",
                                action.name
                            ))
                            .at(action.defined_at, format!("`{}` is declared here", action.name))
                            .help("name an `#[action]` fn this binary links"),
                        );
                    }
                    continue;
                }
                let problem = match self.resource(name) {
                    None => Problem::new(format!(
                        "`{}` takes a `{}<{name}>`, but `{name}` is not a registered resource",
                        action.name, capability.access
                    ))
                    .help(format!("declare `#[singleton] fn {name}() -> ..` in a crate this binary links")),
                    Some(resource)
                        if resource
                            .spec
                            .grant(&Scope { app: self, graph, resource, naming, code }, capability.access)
                            .is_none() =>
                    {
                        Problem::new(format!(
                            "`{}` takes a `{}<{name}>`, which a {} does not offer",
                            action.name,
                            capability.access,
                            resource.spec.kind()
                        ))
                        .at(resource.defined_at, format!("`{name}` is declared here"))
                    }
                    Some(_) => continue,
                };
                problems.push(problem.at(action.defined_at, format!("`{}` is declared here", action.name)));
            }
        }
    }

    /// `Reader`/`Writer` clients whose cargo feature is off in this build.
    /// Only meaningful for an app from the registry: the synth binary is
    /// built with the same features as the Lambda binary.
    pub fn missing_features(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for action in &self.actions {
            for capability in action.capabilities.iter().filter(|c| c.access != Access::Invoke) {
                let Some(resource) = self.resource(&capability.resource) else { continue };
                if let Some(feature) = crate::capability::missing_feature(&resource.spec) {
                    problems.push(
                        Problem::new(format!(
                            "`{}` takes a `{}<{}>`, whose client is behind wirestack's `{feature}` feature, which is off",
                            action.name, capability.access, capability.resource
                        ))
                        .at(action.defined_at, format!("`{}` is declared here", action.name))
                        .help(format!("enable it: `wirestack = {{ version = \"..\", features = [\"{feature}\"] }}`")),
                    );
                }
            }
        }
        problems
    }

    fn function_settings(&self, graph: &Graph, naming: &Naming, problems: &mut Vec<Problem>) {
        for action in &self.actions {
            for layer in &action.settings.layers {
                let problem = match self.resource(layer).map(|r| &r.spec) {
                    Some(ResourceSpec::Layer(_)) => continue,
                    Some(other) => {
                        format!("`{}` lists `{layer}` as a layer, but it is a {}", action.name, other.kind())
                    }
                    None => format!("`{}` lists the layer `{layer}`, which is not a registered singleton", action.name),
                };
                problems.push(
                    Problem::new(problem)
                        .at(action.defined_at, format!("`{}` is declared here", action.name))
                        .help(format!("declare `#[singleton] fn {layer}() -> Layer {{ Layer::from_dir(\"..\") }}`")),
                );
            }
            if action.settings.layers.len() > MAX_LAYERS {
                problems.push(
                    Problem::new(format!(
                        "`{}` has {} layers; Lambda attaches at most {}",
                        action.name,
                        action.settings.layers.len(),
                        MAX_LAYERS
                    ))
                    .at(action.defined_at, format!("`{}` is declared here", action.name)),
                );
            }
            let Settings { memory_mb, timeout_s, .. } = action.settings;
            let here = |p: Problem| p.at(action.defined_at, format!("`{}` is declared here", action.name));
            if !MEMORY_MB.contains(&memory_mb) {
                problems.push(here(Problem::new(format!(
                    "`{}` asks for {memory_mb} MB; Lambda allows 128 to 10240",
                    action.name
                ))));
            }
            if !TIMEOUT_S.contains(&timeout_s) {
                problems.push(here(Problem::new(format!(
                    "`{}` has a timeout of {timeout_s} s; Lambda allows 1 to 900",
                    action.name
                ))));
            }
            let function = naming.physical(&action.name);
            let failed_events = format!("{function}{}", crate::render::FAILED_EVENTS_SUFFIX);
            let asynchronous =
                action.triggers.iter().any(|t| t.kind.invokes_asynchronously()) || graph.is_invoked(&action.name);
            if asynchronous && failed_events.len() > queue::MAX_NAME_LEN {
                problems.push(here(
                    Problem::new(format!(
                        "the dead-letter queue `{failed_events}` is {} characters; SQS allows {}",
                        failed_events.len(),
                        queue::MAX_NAME_LEN
                    ))
                    .help("shorten the fn name, give it `#[action(name = \"..\")]`, or use a shorter stage"),
                ));
            }
            if function.len() > MAX_FUNCTION_NAME_LEN {
                problems.push(here(
                    Problem::new(format!(
                        "function name `{function}` is {} characters; Lambda allows {MAX_FUNCTION_NAME_LEN}",
                        function.len()
                    ))
                    .help("shorten the fn name, give it `#[action(name = \"..\")]`, or use a shorter stage"),
                ));
            }
        }
    }
}

/// One problem per name that occurs more than once, naming each place.
fn report_duplicates(
    items: impl Iterator<Item = (String, Location)>,
    problems: &mut Vec<Problem>,
    describe: impl Fn(&str) -> (String, String),
) {
    let mut places: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    for (name, at) in items {
        places.entry(name).or_default().push(at);
    }
    for (name, at) in places.into_iter().filter(|(_, at)| at.len() > 1) {
        let (message, help) = describe(&name);
        let problem = at.into_iter().fold(Problem::new(message), |p, at| p.at(at, "declared here"));
        problems.push(problem.help(help));
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn duplicate_names_name_every_place() {
        let app = app(
            vec![action("same", 1, vec![sqs("same")]), action("same", 2, vec![])],
            vec![queue("same", 3, None), queue("same", 4, None)],
        );
        let problems = problems(&app).join("\n");
        assert!(problems.contains("two actions are named `same`"), "{problems}");
        assert!(problems.contains("two resources are named `same`"), "{problems}");
        for line in 1..=4 {
            assert!(problems.contains(&format!("src/lib.rs:{line}:1")), "line {line} missing from\n{problems}");
        }
    }

    #[test]
    fn a_trigger_on_a_missing_or_wrong_singleton_is_reported() {
        let app = app(
            vec![action("a", 1, vec![sqs("nothing")]), action("b", 2, vec![sqs("events")])],
            vec![topic("events", 3)],
        );
        let problems = problems(&app).join("\n");
        assert!(problems.contains("`a` triggers on `nothing`, which is not a registered singleton"), "{problems}");
        assert!(problems.contains("a `sqs` trigger needs a queue, but `events` is a topic"), "{problems}");
    }

    #[test]
    fn settings_out_of_lambdas_bounds_are_reported() {
        let mut big = action("big", 1, vec![]);
        big.settings.memory_mb = 20_000;
        big.settings.timeout_s = 0;
        let problems = problems(&app(vec![big], vec![])).join("\n");
        assert!(problems.contains("asks for 20000 MB"), "{problems}");
        assert!(problems.contains("timeout of 0 s"), "{problems}");
    }

    #[test]
    fn a_function_name_too_long_for_lambda_is_reported() {
        let long = "a".repeat(61); // `app-` + 61 = 65 characters
        let problems = problems(&app(vec![action(&long, 1, vec![])], vec![]));
        assert!(problems[0].contains("Lambda allows 64"), "{problems:?}");
    }

    #[test]
    fn a_capability_on_a_missing_or_unfit_resource_is_reported() {
        let mut worker = action("worker", 7, vec![]);
        worker.capabilities = vec![uses(Access::Send, "nothing"), uses(Access::Publish, "jobs")];
        let problems = problems(&app(vec![worker], vec![queue("jobs", 8, None)])).join("\n");
        assert!(
            problems.contains("`worker` takes a `Sender<nothing>`, but `nothing` is not a registered resource"),
            "{problems}"
        );
        assert!(problems.contains("`worker` takes a `Publisher<jobs>`, which a queue does not offer"), "{problems}");
        assert!(problems.contains("src/lib.rs:8:1") && problems.contains("src/lib.rs:7:1"), "{problems}");
    }

    #[test]
    fn invoking_an_action_that_does_not_exist_is_reported() {
        let mut caller = action("caller", 10, vec![]);
        caller.capabilities = vec![uses(Access::Invoke, "gone")];
        let problems = problems(&app(vec![caller], vec![]));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("`caller` takes an `Invoke<gone>`, but no action is named `gone`"),
            "{}",
            problems[0]
        );
    }
}
