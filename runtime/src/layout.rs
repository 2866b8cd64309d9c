//! Placing fragments into stacks within CloudFormation's limits.
//!
//! This version places every fragment in one stack and reports an app that
//! outgrows it; splitting into nested stacks is a placement decision here,
//! so nothing upstream changes when it comes.

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
}

/// One stack and the template that describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub name: String,
    pub template: Template,
    /// The item of the user's code each resource comes from.
    pub sources: BTreeMap<LogicalId, Source>,
}

impl Stack {
    /// The item of the user's code that resource `logical_id` comes from.
    pub fn source(&self, logical_id: &str) -> Option<&Source> {
        self.sources.get(logical_id)
    }
}

/// The fragments assigned to one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackPlan {
    pub name: String,
    pub fragments: Vec<Fragment>,
}

/// Assigns fragments to stacks: one stack named `name`, for now.
pub fn plan(name: &str, fragments: Vec<Fragment>) -> StackPlan {
    StackPlan { name: name.to_owned(), fragments }
}

impl StackPlan {
    /// Merges the fragments into a template, reporting logical ids that two
    /// places produce and every limit the result exceeds.
    pub fn assemble(self, description: String, limits: &Limits) -> Result<Stack, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut template = Template { description, ..Template::default() };
        let mut origins = BTreeMap::new();
        let mut referrers = BTreeMap::new();
        let mut patches = Vec::new();
        let mut sources = BTreeMap::new();
        for fragment in self.fragments {
            patches.extend(fragment.patches.into_iter().map(|patch| (fragment.source.at, patch)));
            for id in fragment.resources.values().flat_map(|r| r.properties.references()) {
                referrers.entry(id.clone()).or_insert(fragment.source.at);
            }
            for (id, resource) in fragment.resources {
                if let Some(first) = origins.insert(id.clone(), fragment.source.at) {
                    problems.push(
                        Problem::new(format!("two items of the app both produce the CloudFormation resource `{id}`"))
                            .at(first, "first")
                            .at(fragment.source.at, "second")
                            .help("rename one of them: logical ids are derived from names, ignoring `_` and case of first letters"),
                    );
                }
                sources.insert(id.clone(), fragment.source.clone());
                template.resources.insert(id, resource);
            }
            template.outputs.extend(fragment.outputs);
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
            if let Some(at) = referrers.get(&id) {
                problem = problem.at(*at, "the reference is made here");
            }
            problems.push(problem.help("refer to singletons with `Raw::reference::<name>()` or `Raw::attribute::<name>(..)`; imported (`existing`) resources have no logical id"));
        }
        let bytes = template.to_pretty_string().len();
        let counts = [
            ("resources", template.resources.len(), limits.resources),
            ("parameters", template.parameters.len(), limits.parameters),
            ("outputs", template.outputs.len(), limits.outputs),
            ("bytes", bytes, limits.template_bytes),
        ];
        for (what, count, limit) in counts {
            if count > limit {
                problems.push(
                    Problem::new(format!(
                        "stack `{}` needs {count} {what}; one CloudFormation template allows {limit}",
                        self.name
                    ))
                    .help("split the app into smaller apps; automatic nested stacks come in a later wirestack version"),
                );
            }
        }
        if problems.is_empty() {
            Ok(Stack { name: self.name, template, sources })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn an_app_over_a_templates_limits_says_which_limit_and_how_many() {
        let actions = (0..10).map(|i| action(&format!("f{i}"), i, vec![])).collect();
        let app = app(actions, vec![]);
        let limits = Limits { resources: 25, ..Limits::CLOUDFORMATION };
        let error = synthesize_within(&app, None, &Code::default(), &limits).unwrap_err().to_string();
        // Each action is a function, a role and a log group.
        assert!(error.contains("stack `app` needs 30 resources; one CloudFormation template allows 25"), "{error}");
        assert!(synthesize_within(&app, None, &Code::default(), &Limits { resources: 30, ..limits }).is_ok());
    }

    #[test]
    fn logical_ids_that_collide_are_reported_with_both_places() {
        // `place_order` and `placeOrder` both become `PlaceOrder...`.
        let app = app(vec![action("place_order", 1, vec![]), action("placeOrder", 2, vec![])], vec![]);
        let problems = problems(&app).join("\n");
        assert!(problems.contains("both produce the CloudFormation resource `PlaceOrderFunction`"), "{problems}");
    }
}
