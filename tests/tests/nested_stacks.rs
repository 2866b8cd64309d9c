//! Apps too big for one template: laid out in nested stacks within every
//! limit and quota, accepted by cfn-lint, wired by parameters and outputs
//! the root passes, without cycles, and stable as they grow. The apps are
//! built as App models (`big_app`), as the registry would build them.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use wirestack::synth::{synthesize, Synthesis};
use wirestack_tests::{big_app, cfn_lint};

fn synth(n: usize) -> Synthesis {
    synthesize(&big_app::app(n), None).unwrap_or_else(|problems| panic!("{problems}"))
}

fn templates(synthesis: &Synthesis) -> Vec<(String, Value)> {
    synthesis.stacks.iter().map(|stack| (stack.name.clone(), serde_json::from_str(&stack.body).unwrap())).collect()
}

/// Every `Ref`, `Fn::GetAtt` and `${..}` of `Fn::Sub` in `value`: the id and
/// the attribute, if any.
fn references(value: &Value, out: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("Ref") => {
            out.push((map["Ref"].as_str().unwrap().to_owned(), None));
        }
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::GetAtt") => {
            let pair = map["Fn::GetAtt"].as_array().unwrap();
            out.push((pair[0].as_str().unwrap().to_owned(), Some(pair[1].as_str().unwrap().to_owned())));
        }
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::Sub") => {
            let text = map["Fn::Sub"].as_str().unwrap();
            for variable in text.split("${").skip(1).filter(|v| !v.starts_with('!')) {
                let variable = &variable[..variable.find('}').unwrap()];
                match variable.split_once('.') {
                    Some((id, attribute)) => out.push((id.to_owned(), Some(attribute.to_owned()))),
                    None => out.push((variable.to_owned(), None)),
                }
            }
        }
        Value::Object(map) => map.values().for_each(|v| references(v, out)),
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().map(|map| map.keys().cloned().collect()).unwrap_or_default()
}

/// One assertion per CloudFormation limit, on every template.
fn assert_within_limits(synthesis: &Synthesis) {
    for stack in &synthesis.stacks {
        let template = &stack.template;
        assert!(template.resources.len() <= 500, "{}: {} resources", stack.name, template.resources.len());
        assert!(template.parameters.len() <= 200, "{}: {} parameters", stack.name, template.parameters.len());
        assert!(template.outputs.len() <= 200, "{}: {} outputs", stack.name, template.outputs.len());
        assert!(stack.body.len() <= 1_000_000, "{}: {} bytes", stack.name, stack.body.len());
    }
}

/// Every reference resolves inside its template; the root passes each child
/// exactly the parameters it declares; each `Outputs.X` the root reads is
/// an output of that child; the root's resources (children included) form
/// no cycle.
fn assert_wired(synthesis: &Synthesis) {
    let templates = templates(synthesis);
    let (root_name, root) = &templates[0];
    let pseudo = |id: &str| id.starts_with("AWS::");
    for (name, template) in &templates {
        let known: BTreeSet<String> =
            keys(&template["Resources"]).union(&keys(&template["Parameters"])).cloned().collect();
        let mut found = Vec::new();
        references(&template["Resources"], &mut found);
        references(&template["Outputs"], &mut found);
        for (id, _) in found {
            assert!(pseudo(&id) || known.contains(&id), "{name} refers to `{id}`, which it neither creates nor takes");
        }
    }
    let children: BTreeMap<String, &Value> = templates[1..]
        .iter()
        .map(|(name, template)| (name.strip_prefix(&format!("{root_name}-")).unwrap().to_owned(), template))
        .collect();
    for (id, child) in &children {
        let nested = &root["Resources"][id];
        assert_eq!(nested["Type"], "AWS::CloudFormation::Stack", "{id}");
        assert_eq!(keys(&nested["Properties"]["Parameters"]), keys(&child["Parameters"]), "{id}'s parameters");
    }
    let mut found = Vec::new();
    references(root, &mut found);
    for (id, attribute) in found {
        if let Some(output) = attribute.as_deref().and_then(|a| a.strip_prefix("Outputs.")) {
            let child = children.get(&id).unwrap_or_else(|| panic!("`{id}` is not a nested stack"));
            assert!(child["Outputs"].get(output).is_some(), "the root reads {id}.Outputs.{output}, which it lacks");
        }
    }
    // Kahn's algorithm over the root's resources: all of them come out
    // exactly when there is no cycle.
    let resources = root["Resources"].as_object().unwrap();
    let mut waits: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (id, resource) in resources {
        let mut found = Vec::new();
        references(&resource["Properties"], &mut found);
        let mut on: BTreeSet<String> =
            found.into_iter().map(|(id, _)| id).filter(|target| resources.contains_key(target)).collect();
        on.extend(resource["DependsOn"].as_array().into_iter().flatten().map(|d| d.as_str().unwrap().to_owned()));
        waits.insert(id, on);
    }
    let mut created = BTreeSet::new();
    loop {
        let ready: Vec<&str> =
            waits.iter().filter(|(_, on)| on.iter().all(|d| created.contains(d))).map(|(id, _)| *id).collect();
        if ready.is_empty() {
            break;
        }
        for id in ready {
            waits.remove(id);
            created.insert(id.to_owned());
        }
    }
    assert!(waits.is_empty(), "these wait for each other: {:?}", waits.keys().collect::<Vec<_>>());
}

/// Each HTTP API has at most 300 integrations and 300 routes, and every
/// route under one first path segment is on the same API.
fn assert_within_api_quotas(synthesis: &Synthesis) {
    let mut integrations: BTreeMap<String, usize> = BTreeMap::new();
    let mut routes: BTreeMap<String, usize> = BTreeMap::new();
    let mut prefixes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, template) in templates(synthesis) {
        for resource in template["Resources"].as_object().unwrap().values() {
            let api = resource["Properties"]["ApiId"]["Ref"].as_str().unwrap_or_default().to_owned();
            match resource["Type"].as_str().unwrap() {
                "AWS::ApiGatewayV2::Integration" => *integrations.entry(api).or_default() += 1,
                "AWS::ApiGatewayV2::Route" => {
                    *routes.entry(api.clone()).or_default() += 1;
                    let key = resource["Properties"]["RouteKey"].as_str().unwrap();
                    let segment = key.split('/').nth(1).unwrap_or_default().to_owned();
                    prefixes.entry(segment).or_default().insert(api);
                }
                _ => {}
            }
        }
    }
    assert!(integrations.len() > 1, "{} routes need several APIs", routes.values().sum::<usize>());
    for (api, count) in &integrations {
        assert!(*count <= 300, "{api} has {count} integrations");
    }
    for (api, count) in &routes {
        assert!(*count <= 300, "{api} has {count} routes");
    }
    for (segment, apis) in prefixes {
        assert_eq!(apis.len(), 1, "/{segment} is served by {apis:?}");
    }
}

#[test]
fn apps_of_1000_and_5000_handlers_are_within_every_limit_and_quota_and_wired_without_cycles() {
    for n in [1000, 5000] {
        let synthesis = synth(n);
        assert!(synthesis.stacks.len() > 10, "{n} handlers: {} stacks", synthesis.stacks.len());
        assert_within_limits(&synthesis);
        assert_within_api_quotas(&synthesis);
        assert_wired(&synthesis);
        let warned = synthesis.warnings.iter().any(|w| w.contains(&format!("the app needs {n} IAM roles")));
        assert_eq!(warned, n > 1000, "the roles quota is named once over 1,000: {:?}", synthesis.warnings);
    }
}

/// cfn-lint over the templates of `n` handlers, in `processes` parallel runs.
fn lint(n: usize, processes: usize) {
    let dir = std::env::temp_dir().join(format!("wirestack-nested-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let written: Vec<PathBuf> = synth(n).write_to(&dir).unwrap().into_iter().map(|(path, _)| path).collect();
    let chunks: Vec<Vec<PathBuf>> = written.chunks(written.len().div_ceil(processes)).map(<[_]>::to_vec).collect();
    let reports: Vec<(bool, String)> = std::thread::scope(|scope| {
        let runs: Vec<_> = chunks.iter().map(|chunk| scope.spawn(|| cfn_lint(chunk))).collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    std::fs::remove_dir_all(&dir).unwrap();
    for (clean, report) in reports {
        assert!(clean && report.trim().is_empty(), "cfn-lint on {n} handlers:\n{report}");
    }
}

#[test]
fn cfn_lint_accepts_every_template_of_1000_handlers() {
    lint(1000, 1);
}

#[test]
fn cfn_lint_accepts_every_template_of_5000_handlers() {
    lint(5000, 2);
}

#[test]
fn adding_one_handler_to_2000_changes_only_the_stack_it_lands_in_and_the_root() {
    let before = synth(2000);
    let mut app = big_app::app(2000);
    let mut added = app.actions.iter().find(|a| a.name == "handler_1").unwrap().clone();
    added.name = "handler_added".to_owned();
    // Another route under the same first segment, so on the same HTTP API.
    if let wirestack::trigger::TriggerKind::Http(route) = &mut added.triggers[0].kind {
        route.path = "/items1/{id}/notes".to_owned();
    }
    app.actions.push(added);
    let after = synthesize(&app, None).unwrap();
    let bodies =
        |s: &Synthesis| s.stacks.iter().map(|st| (st.name.clone(), st.body.clone())).collect::<BTreeMap<_, _>>();
    let (before, after) = (bodies(&before), bodies(&after));
    assert!(before.keys().all(|name| after.contains_key(name)), "no stack goes away");
    let changed: Vec<&String> = after.keys().filter(|name| before.get(*name) != Some(&after[*name])).collect();
    assert_eq!(changed.len(), 2, "changed: {changed:?}");
    assert_eq!(changed[0], "big", "the root changes (a child's template URL)");
    assert!(after[changed[1]].contains("HandlerAddedFunction"), "and the stack it lands in");
}

#[test]
fn two_thousand_routes_are_spread_over_http_apis_within_their_quotas() {
    let synthesis = synthesize(&big_app::routes(2000), None).unwrap_or_else(|problems| panic!("{problems}"));
    assert_within_api_quotas(&synthesis);
    assert_within_limits(&synthesis);
    let root = &synthesis.stacks[0].template;
    let apis = root.resources.values().filter(|r| r.kind == "AWS::ApiGatewayV2::Api").count();
    assert!(apis >= 7, "2,000 route handlers need at least 7 APIs of 300; got {apis}");
    let urls = root.outputs.keys().filter(|id| id.as_str().ends_with("Url")).count();
    assert_eq!(urls, apis, "each API's URL is an output of the app");
}

#[test]
fn a_route_prefix_over_an_apis_quota_is_an_error_naming_it() {
    let mut app = big_app::routes(400);
    for action in &mut app.actions {
        for trigger in &mut action.triggers {
            if let wirestack::trigger::TriggerKind::Http(route) = &mut trigger.kind {
                route.path = format!("/api{}", route.path);
            }
        }
    }
    let error = synthesize(&app, None).unwrap_err().to_string();
    assert!(error.contains("the routes under /api need 400 integrations and 400 routes"), "{error}");
    assert!(error.contains("serve several routes from one handler"), "{error}");
}
