//! Service quotas on single resources, which CloudFormation does not check
//! before a deploy fails halfway: a role's inline policy, a function's
//! environment and its resource-based policy. Sizes are estimated from the
//! compact JSON, with references as CloudFormation writes them (a resolved
//! ARN is about as long as the `Fn::Sub` that builds it).

use super::merge::Whole;
use crate::cfn::{LogicalId, Rendered, Source, Value};
use crate::problem::Problem;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// IAM: the inline policies of one role, whitespace excluded.
pub const ROLE_POLICY_CHARS: usize = 10_240;
/// Lambda: a function's environment variables, names and values.
pub const ENVIRONMENT_BYTES: usize = 4_096;
/// Lambda: a function's resource-based policy (one statement per permission).
pub const RESOURCE_POLICY_BYTES: usize = 20_480;
/// What one `AWS::Lambda::Permission` adds to the policy beyond its
/// properties: the statement's id, effect, principal and condition keys.
const STATEMENT_OVERHEAD: usize = 160;
/// Below these counts a role's statements or a function's permissions
/// cannot reach their quota, so they are not measured (a statement or a
/// permission takes well under a thousand characters).
const FEW_STATEMENTS: usize = 10;
const FEW_PERMISSIONS: usize = 20;

pub(super) fn problems(whole: &Whole) -> Vec<Problem> {
    // Each home on its own, on every core; then the permissions of each
    // function, wherever they were rendered.
    let homes: Vec<_> = whole.homes.par_iter().map(|members| of_resources(&members.resources)).collect();
    let mut problems = Vec::new();
    let mut permissions: BTreeMap<&LogicalId, Vec<&Value>> = BTreeMap::new();
    for (found, invoking) in homes {
        problems.extend(found);
        for (function, permission) in invoking {
            permissions.entry(function).or_default().push(permission);
        }
    }
    for (function, statements) in permissions.into_iter().filter(|(_, s)| s.len() > FEW_PERMISSIONS) {
        let bytes: usize = statements.into_iter().map(|s| compact_len(s) + STATEMENT_OVERHEAD).sum();
        if bytes > RESOURCE_POLICY_BYTES {
            let source = whole.find(function).map(|rendered| &rendered.source);
            problems.push(too_big(
                function,
                source,
                format!(
                    "about {bytes} bytes of resource-based policy (one statement per route, schedule, rule, topic or bucket invoking it); Lambda allows {RESOURCE_POLICY_BYTES}"
                ),
                "spread its triggers over more handlers",
            ));
        }
    }
    problems
}

/// Each `AWS::Lambda::Permission`'s properties, with the function it lets
/// invoke.
type Permissions<'a> = Vec<(&'a LogicalId, &'a Value)>;

/// The quota problems of `resources` on their own (roles, environments),
/// and their permissions.
fn of_resources(resources: &[Rendered]) -> (Vec<Problem>, Permissions<'_>) {
    let mut problems = Vec::new();
    let mut permissions = Vec::new();
    for Rendered { id, resource, source } in resources {
        match resource.kind.as_ref() {
            "AWS::IAM::Role" => {
                let policies = property(&resource.properties, &["Policies"]);
                let statements = match policies {
                    Some(Value::List(policies)) => policies
                        .iter()
                        .map(|policy| match property(policy, &["PolicyDocument", "Statement"]) {
                            Some(Value::List(statements)) => statements.len(),
                            _ => 1,
                        })
                        .sum(),
                    _ => 0,
                };
                if statements <= FEW_STATEMENTS {
                    continue;
                }
                let chars = policies.map_or(0, compact_len);
                if chars > ROLE_POLICY_CHARS {
                    problems.push(too_big(
                        id,
                        Some(source),
                        format!("about {chars} characters of inline policy; IAM allows {ROLE_POLICY_CHARS} per role"),
                        "take fewer capabilities in one handler (each adds a statement), or split the handler in two",
                    ));
                }
            }
            "AWS::Lambda::Function" => {
                let variables = property(&resource.properties, &["Environment", "Variables"]);
                let bytes = match variables {
                    Some(Value::Map(variables)) => variables.iter().map(|(k, v)| k.len() + value_len(v)).sum(),
                    _ => 0,
                };
                if bytes > ENVIRONMENT_BYTES {
                    problems.push(too_big(
                        id,
                        Some(source),
                        format!("about {bytes} bytes of environment variables; Lambda allows {ENVIRONMENT_BYTES}"),
                        "take fewer capabilities (each adds a variable) or `env` entries in one handler",
                    ));
                }
            }
            "AWS::Lambda::Permission" => {
                if let Some(Value::Ref(function) | Value::GetAtt(function, _)) =
                    property(&resource.properties, &["FunctionName"])
                {
                    permissions.push((function, &resource.properties));
                }
            }
            _ => {}
        }
    }
    (problems, permissions)
}

fn too_big(id: &LogicalId, source: Option<&Source>, what: String, help: &str) -> Problem {
    let mut problem = Problem::new(format!("`{id}` needs {what}"));
    if let Some(source) = source {
        problem = Problem::new(format!("`{id}` of {} needs {what}", source.item)).at(source.at, "declared here");
    }
    problem.help(help)
}

fn property<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, key| match value {
        Value::Map(entries) => entries.get(key),
        _ => None,
    })
}

fn compact_len(value: &Value) -> usize {
    serde_json::to_string(value).map_or(0, |json| json.len())
}

/// A value's length once CloudFormation has resolved it: a string's own,
/// else its JSON's as an estimate.
fn value_len(value: &Value) -> usize {
    match value {
        Value::Str(text) => text.len(),
        other => compact_len(other),
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_function_over_a_lambda_or_iam_quota_is_named_with_the_quota_and_the_fix() {
        let mut chatty = action("chatty", 12, vec![]);
        chatty.settings.env = (0..40).map(|i| (format!("SETTING_{i}"), "x".repeat(100))).collect();
        let busy = action(
            "busy",
            13,
            (0..80)
                .map(|i| TriggerKind::Schedule(ScheduleTrigger { expression: format!("rate({} minutes)", i + 2) }))
                .collect(),
        );
        let problems = problems(&app(vec![chatty, busy], vec![])).join("\n");
        assert!(problems.contains("`ChattyFunction` of fn chatty needs about 4"), "{problems}");
        assert!(problems.contains("bytes of environment variables; Lambda allows 4096"), "{problems}");
        assert!(problems.contains("src/lib.rs:12:1"), "{problems}");
        assert!(problems.contains("`BusyFunction` of fn busy needs about"), "{problems}");
        assert!(problems.contains("Lambda allows 20480"), "{problems}");
    }
}
