//! What security reviewers run, on every template the example produces:
//! the IAM policy linter parliament, a wildcard audit against the one
//! documented table, and checkov with a short, justified skip list.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use wirestack::iam::UNSCOPED;
use wirestack::synth::synthesize;
use wirestack_tests::{
    app_with_existing_resources, app_with_streams_and_fifo, iam_statements, python_tool, shop_synthesis, workspace,
};

/// Every template of the example (each stage we test with), and of the two
/// hand-built apps that show what the example does not use.
fn templates() -> Vec<Value> {
    let shop = [None, Some("dev")].into_iter().map(|stage| shop_synthesis(stage).stacks[0].template.to_json());
    let legacy = synthesize(&app_with_existing_resources(), None).unwrap().stacks[0].template.to_json();
    let feeds = synthesize(&app_with_streams_and_fifo(), None).unwrap().stacks[0].template.to_json();
    shop.chain([legacy, feeds]).collect()
}

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// A policy with its intrinsics replaced by the values CloudFormation would
/// give them, from each resource's type and physical name, so parliament can
/// check that every action fits its resource.
fn concrete(template: &Value, value: &Value) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("Ref") => json!(reference(template, &map["Ref"])),
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::GetAtt") => {
            let [id, attribute] = [&map["Fn::GetAtt"][0], &map["Fn::GetAtt"][1]].map(|v| v.as_str().unwrap());
            match attribute {
                "Arn" => json!(arn(template, id)),
                // A table's stream: its ARN is the table's plus a label (a
                // time; written without colons, which parliament splits on).
                "StreamArn" => json!(format!("{}/stream/2026-01-01T000000.000", arn(template, id))),
                other => panic!("only ARNs are granted on, not {other}"),
            }
        }
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::Sub") => {
            let mut text = map["Fn::Sub"].as_str().unwrap().to_owned();
            while let Some(start) = text.find("${") {
                let end = start + text[start..].find('}').unwrap();
                let name = text[start + 2..end].to_owned();
                text.replace_range(start..=end, &reference(template, &json!(name)));
            }
            json!(text)
        }
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), concrete(template, v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(|v| concrete(template, v)).collect()),
        other => other.clone(),
    }
}

fn properties<'a>(template: &'a Value, id: &str) -> (&'a str, &'a Value) {
    let resource = &template["Resources"][id];
    (resource["Type"].as_str().unwrap_or_else(|| panic!("no resource {id}")), &resource["Properties"])
}

fn reference(template: &Value, name: &Value) -> String {
    let name = name.as_str().unwrap();
    match name {
        "AWS::Partition" => return "aws".to_owned(),
        "AWS::Region" => return REGION.to_owned(),
        "AWS::AccountId" => return ACCOUNT.to_owned(),
        _ => {}
    }
    match properties(template, name) {
        ("AWS::SNS::Topic", _) => arn(template, name),
        ("AWS::SecretsManager::Secret", p) => {
            format!("arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{}-AbCdEf", p["Name"].as_str().unwrap())
        }
        ("AWS::SQS::Queue", p) => {
            format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{}", p["QueueName"].as_str().unwrap())
        }
        ("AWS::Logs::LogGroup", p) => p["LogGroupName"].as_str().unwrap().to_owned(),
        ("AWS::DynamoDB::Table", p) => p["TableName"].as_str().unwrap().to_owned(),
        (kind, _) => panic!("teach this test the Ref of {kind}"),
    }
}

fn arn(template: &Value, id: &str) -> String {
    let name = |key: &str| properties(template, id).1[key].as_str().unwrap().to_owned();
    match properties(template, id).0 {
        "AWS::SQS::Queue" => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{}", name("QueueName")),
        "AWS::SNS::Topic" => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{}", name("TopicName")),
        "AWS::Logs::LogGroup" => format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{}:*", name("LogGroupName")),
        "AWS::DynamoDB::Table" => format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{}", name("TableName")),
        "AWS::Kinesis::Stream" => format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{}", name("Name")),
        kind => panic!("teach this test the ARN of {kind}"),
    }
}

#[test]
fn parliament_finds_nothing_in_any_policy() {
    let mut checked = 0;
    for template in templates() {
        let roles = template["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == "AWS::IAM::Role");
        for (role, resource) in roles {
            for policy in resource["Properties"]["Policies"].as_array().unwrap() {
                let document = concrete(&template, &policy["PolicyDocument"]);
                let output = Command::new(python_tool("parliament"))
                    .args(["--json", "--string", &document.to_string()])
                    .stdin(std::process::Stdio::null())
                    .output()
                    .expect("parliament runs");
                let findings = String::from_utf8_lossy(&output.stdout);
                let errors = String::from_utf8_lossy(&output.stderr);
                assert!(
                    findings.trim().is_empty() && errors.trim().is_empty(),
                    "{role}: {findings}{errors}\n{document:#}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 13, "only {checked} policies checked");
}

#[test]
fn every_wildcard_resource_is_in_the_documented_table() {
    let mut wildcards = Vec::new();
    for template in templates() {
        for (role, statement) in iam_statements(&template) {
            let statement = concrete(&template, &statement);
            if statement["Resource"].as_array().unwrap().iter().any(|r| r == "*") {
                wildcards.push((role, statement["Action"].clone()));
            }
        }
    }
    for (role, actions) in &wildcards {
        for action in actions.as_array().unwrap() {
            let listed = UNSCOPED.iter().any(|(a, _)| a.to_string() == *action);
            assert!(listed, "{role} grants {action} on \"*\", which is not in wirestack::iam::UNSCOPED");
        }
    }
}

/// The skip list: check id -> reason.
fn skips() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(workspace().join("tools/checkov-skips.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (id, reason) = l.split_once(' ').expect("an id and a reason");
            assert!(reason.len() > 20, "{id} needs a real reason");
            (id.to_owned(), reason.to_owned())
        })
        .collect()
}

/// Failed checks, by id, over every template in `dir`, skipping `skip`.
fn checkov(dir: &std::path::Path, skip: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut command = Command::new(python_tool("checkov"));
    command.args(["--framework", "cloudformation", "--skip-download", "--quiet", "--compact", "-o", "json", "-d"]);
    command.arg(dir);
    if !skip.is_empty() {
        command.args(["--skip-check", &skip.join(",")]);
    }
    let output = command.output().expect("checkov runs");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("checkov said: {e}\n{}", String::from_utf8_lossy(&output.stderr)));
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let reports = if report.is_array() { report.as_array().unwrap().clone() } else { vec![report] };
    for report in reports {
        for check in report["results"]["failed_checks"].as_array().into_iter().flatten() {
            let id = check["check_id"].as_str().unwrap().to_owned();
            failed.entry(id).or_default().push(check["resource"].as_str().unwrap_or_default().to_owned());
        }
    }
    failed
}

#[test]
fn checkov_passes_with_only_the_justified_skips_each_still_needed() {
    let dir = tempfile::tempdir().unwrap();
    let written: Vec<PathBuf> = [None, Some("dev")]
        .into_iter()
        .flat_map(|stage| shop_synthesis(stage).write_to(dir.path()).unwrap())
        .map(|(path, _)| path)
        .collect();
    assert_eq!(written.len(), 2);
    let skips = skips();
    let ids: Vec<&str> = skips.keys().map(String::as_str).collect();
    let failed = checkov(dir.path(), &ids);
    assert!(failed.is_empty(), "checkov failed: {failed:#?}");
    // Without the skips, each skipped check fails somewhere: none is stale.
    let unskipped = checkov(dir.path(), &[]);
    for id in ids {
        assert!(
            unskipped.contains_key(id),
            "{id} is skipped but no longer fails; remove it from tools/checkov-skips.txt"
        );
    }
}
