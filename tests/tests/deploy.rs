//! `synth deploy`, `diff` and `destroy` of the example, run as the user runs
//! them (the real binary, stdin not a terminal): against moto for what moto
//! does, and against a scripted CloudFormation (S3 and STS still on moto)
//! for progress, failures, recovery, busy stacks and throttling.
//!
//! Each test deploys its own stage, so they run side by side on one moto.

use aws_config::BehaviorVersion;
use aws_sdk_cloudformation::types::Parameter;
use std::process::{Command, Output, Stdio};
use wirestack_tests::cloudformation::{create_steps, event, Change, Script, ScriptedCloudFormation, Step};
use wirestack_tests::{block_on, moto::moto, shop_synth};

const ARTIFACTS: &str = "wirestack-artifacts-123456789012-us-east-1";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// What synth said went wrong: stderr from its first `error:` line
    /// (cargo's own lines from the release build come before it).
    fn error(&self) -> &str {
        let at = self.stderr.find("error: ").unwrap_or(self.stderr.len());
        &self.stderr[at..]
    }
}

/// Runs the example's synth with `args`, stdin not a terminal.
fn synth(args: &[&str], env: &[(&str, &str)]) -> Run {
    moto();
    let mut command = Command::new(shop_synth());
    command.args(args).stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let Output { status, stdout, stderr } = command.output().expect("synth runs");
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    eprintln!("$ synth {}\n{}{}", args.join(" "), run.stdout, run.stderr);
    run
}

fn config() -> aws_config::SdkConfig {
    moto();
    block_on(aws_config::defaults(BehaviorVersion::latest()).load())
}

fn s3() -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config()).force_path_style(true).build())
}

fn cloudformation() -> aws_sdk_cloudformation::Client {
    aws_sdk_cloudformation::Client::new(&config())
}

fn object_versions(bucket: &str) -> usize {
    block_on(s3().list_object_versions().bucket(bucket).send()).unwrap().versions().len()
}

/// Changes the deployed stack behind deploy's back, as another tool or an
/// older version of the code would have left it.
fn redeploy_changed(stack: &str, change: impl FnOnce(&mut serde_json::Value)) {
    let cfn = cloudformation();
    let body = block_on(cfn.get_template().stack_name(stack).send()).unwrap().template_body().unwrap().to_owned();
    let mut template: serde_json::Value = serde_json::from_str(&body).unwrap();
    change(&mut template);
    let described = block_on(cfn.describe_stacks().stack_name(stack).send()).unwrap();
    let mut update = cfn.update_stack().stack_name(stack).template_body(template.to_string());
    for parameter in described.stacks()[0].parameters() {
        let key = parameter.parameter_key().unwrap();
        update = update.parameters(Parameter::builder().parameter_key(key).use_previous_value(true).build());
    }
    block_on(update.send()).unwrap();
}

fn function_memory(name: &str) -> i32 {
    let lambda = aws_sdk_lambda::Client::new(&config());
    block_on(lambda.get_function_configuration().function_name(name).send()).unwrap().memory_size().unwrap()
}

/// The change lines of a summary (`    + Id  Type ..`).
fn change_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("    ") && matches!(l.trim_start().chars().next(), Some('+' | '~' | '!' | '-')))
        .collect()
}

#[test]
fn the_first_deploy_creates_the_stack_and_the_next_is_up_to_date_with_nothing_uploaded() {
    let bucket = "first-artifacts";
    moto();
    block_on(s3().create_bucket().bucket(bucket).send()).unwrap();
    let first = synth(&["deploy", "--stage", "first", "--yes", "--bucket", bucket], &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(first.stdout.contains("create stack `first-shop`:"), "{}", first.stdout);
    assert!(first.stdout.contains("+ OrdersQueue "), "{}", first.stdout);
    assert!(first.stdout.contains("<- #[singleton] fn orders  examples/shop/src/lib.rs:"), "{}", first.stdout);
    assert!(first.stdout.contains("<- fn fulfil  examples/shop/src/lib.rs:"), "{}", first.stdout);
    assert!(
        first.stdout.contains("CREATE_COMPLETE              first-shop (AWS::CloudFormation::Stack)"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("created stack `first-shop`"), "{}", first.stdout);

    // What the stack made, seen through each service's own API.
    let config = config();
    let sqs = aws_sdk_sqs::Client::new(&config);
    for queue in ["first-shop-orders", "first-shop-orders-dlq", "first-shop-notify"] {
        assert!(block_on(sqs.get_queue_url().queue_name(queue).send()).is_ok(), "queue {queue}");
    }
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    assert!(block_on(dynamodb.describe_table().table_name("first-shop-order-book").send()).is_ok());
    assert!(block_on(s3().head_bucket().bucket("first-shop-receipts-123456789012-us-east-1").send()).is_ok());
    assert_eq!(function_memory("first-shop-fulfil"), 512);
    assert_eq!(function_memory("first-shop-place-order"), 256);

    // Code, layer and template: three objects, each uploaded once.
    assert_eq!(object_versions(bucket), 3);
    let again = synth(&["deploy", "--stage", "first", "--yes", "--bucket", bucket], &[]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(again.stdout.contains("stack `first-shop` is up to date"), "{}", again.stdout);
    assert!(again.stdout.contains("nothing uploaded, no change set"), "{}", again.stdout);
    assert_eq!(object_versions(bucket), 3, "a no-change deploy uploaded something");
}

#[test]
fn a_changed_memory_setting_is_diffed_and_deployed_as_that_one_function() {
    let first = synth(&["deploy", "--stage", "memory", "--yes"], &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    // wirestack's own artifact bucket: versioned, encrypted, private.
    let s3 = s3();
    // (moto names the response's root element in a way the SDK refuses, so
    // the body is read as it came.)
    let versioning = match block_on(s3.get_bucket_versioning().bucket(ARTIFACTS).send()) {
        Ok(output) => output.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        Err(error) => {
            let body = error.raw_response().and_then(|r| r.body().bytes()).unwrap_or_default();
            let enabled = String::from_utf8_lossy(body).contains("<Status>Enabled</Status>");
            if enabled { "Enabled" } else { "" }.to_owned()
        }
    };
    assert_eq!(versioning, "Enabled");
    assert!(block_on(s3.get_bucket_encryption().bucket(ARTIFACTS).send()).is_ok());
    let block = block_on(s3.get_public_access_block().bucket(ARTIFACTS).send()).unwrap();
    assert_eq!(block.public_access_block_configuration().unwrap().block_public_acls(), Some(true));

    // The deployed function has other memory than the code says.
    redeploy_changed("memory-shop", |template| {
        template["Resources"]["FulfilFunction"]["Properties"]["MemorySize"] = 256.into();
    });
    assert_eq!(function_memory("memory-shop-fulfil"), 256);

    let diff = synth(&["diff", "--stage", "memory"], &[]);
    assert_eq!(diff.code, Some(0), "{}", diff.stderr);
    let lines = change_lines(&diff.stdout);
    assert_eq!(lines.len(), 1, "{}", diff.stdout);
    assert!(lines[0].contains("~ FulfilFunction  AWS::Lambda::Function  <- fn fulfil"), "{}", lines[0]);
    assert_eq!(function_memory("memory-shop-fulfil"), 256, "diff executed its change set");

    let deploy = synth(&["deploy", "--stage", "memory", "--yes"], &[]);
    assert_eq!(deploy.code, Some(0), "{}", deploy.stderr);
    assert_eq!(change_lines(&deploy.stdout), lines);
    assert!(deploy.stdout.contains("updated stack `memory-shop`"), "{}", deploy.stdout);
    assert_eq!(function_memory("memory-shop-fulfil"), 512);
    assert_eq!(function_memory("memory-shop-place-order"), 256);
}

#[test]
fn destroy_deletes_the_stack_and_names_what_it_keeps() {
    let first = synth(&["deploy", "--stage", "gone", "--yes"], &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let unconfirmed = synth(&["destroy", "--stage", "gone"], &[]);
    assert_eq!(unconfirmed.code, Some(1));
    assert!(unconfirmed.stderr.contains("pass `--yes` to confirm"), "{}", unconfirmed.stderr);

    let destroy = synth(&["destroy", "--stage", "gone", "--yes"], &[]);
    assert_eq!(destroy.code, Some(0), "{}", destroy.stderr);
    assert!(destroy.stdout.contains("deleted stack `gone-shop`"), "{}", destroy.stdout);
    assert!(
        destroy.stdout.contains("OrderBookTable  AWS::DynamoDB::Table  gone-shop-order-book"),
        "{}",
        destroy.stdout
    );
    assert!(destroy.stdout.contains("aws dynamodb delete-table --table-name gone-shop-order-book --region us-east-1"));

    let described = block_on(cloudformation().describe_stacks().stack_name("gone-shop").send());
    assert!(described.is_err(), "the stack is still there");
    let config = config();
    let lambda = aws_sdk_lambda::Client::new(&config);
    assert!(block_on(lambda.get_function().function_name("gone-shop-fulfil").send()).is_err());
    let sqs = aws_sdk_sqs::Client::new(&config);
    assert!(block_on(sqs.get_queue_url().queue_name("gone-shop-orders").send()).is_ok(), "the queue was not kept");
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    assert!(block_on(dynamodb.describe_table().table_name("gone-shop-order-book").send()).is_ok());
}

#[test]
fn a_change_that_replaces_the_table_is_refused_without_allow_replace() {
    let first = synth(&["deploy", "--stage", "keep", "--yes"], &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    // The deployed table has another name, so the code's would be a new table.
    redeploy_changed("keep-shop", |template| {
        template["Resources"]["OrderBookTable"]["Properties"]["TableName"] = "keep-shop-orders-v0".into();
    });
    let refused = synth(&["deploy", "--stage", "keep", "--yes"], &[]);
    assert_eq!(refused.code, Some(1), "{}", refused.stdout);
    assert!(
        refused.stdout.contains("! OrderBookTable  AWS::DynamoDB::Table  REPLACED (by TableName)"),
        "{}",
        refused.stdout
    );
    assert!(
        refused
            .stderr
            .contains("OrderBookTable (AWS::DynamoDB::Table) would be a new, empty resource because TableName changes"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("<- #[singleton] fn order_book  examples/shop/src/lib.rs:"), "{}", refused.stderr);
    assert!(refused.stderr.contains("`--allow-replace`"), "{}", refused.stderr);
    let stack = block_on(cloudformation().describe_stacks().stack_name("keep-shop").send()).unwrap();
    assert_eq!(stack.stacks()[0].stack_status().unwrap().as_str(), "UPDATE_COMPLETE", "something was executed");
}

#[test]
fn no_permission_on_the_artifact_bucket_is_one_line() {
    moto();
    let s3 = s3();
    block_on(s3.create_bucket().bucket("locked-artifacts").send()).unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-artifacts","arn:aws:s3:::locked-artifacts/*"]}]}"#;
    block_on(s3.put_bucket_policy().bucket("locked-artifacts").policy(deny).send()).unwrap();
    let run = synth(&["deploy", "--stage", "locked", "--yes", "--bucket", "locked-artifacts"], &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.error().starts_with("error: no permission on the artifact bucket `locked-artifacts`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_region_or_missing_credentials_is_one_line_saying_what_to_set() {
    let run = |unset: &[&str]| {
        moto();
        let mut command = Command::new(shop_synth());
        command.args(["outputs", "--stage", "nowhere"]).stdin(Stdio::null()).env("AWS_EC2_METADATA_DISABLED", "true");
        command.env("AWS_CONFIG_FILE", "/nonexistent").env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
        for key in unset {
            command.env_remove(key);
        }
        let output = command.output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, stderr) = run(&["AWS_REGION", "AWS_DEFAULT_REGION"]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("error: no AWS region is configured\nhelp: pass `--region"), "{stderr}");
    let (code, stderr) = run(&["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("error: no AWS credentials"), "{stderr}");
    assert!(stderr.contains("help: set AWS_ACCESS_KEY_ID"), "{stderr}");
}

// What moto cannot show, against the scripted CloudFormation.

fn scripted(stage: &str, script: Script) -> (ScriptedCloudFormation, String) {
    moto();
    let stack = format!("{stage}-shop");
    (ScriptedCloudFormation::start(&stack, script), stack)
}

fn deploy_with(standin: &ScriptedCloudFormation, stage: &str) -> Run {
    synth(&["deploy", "--stage", stage, "--yes"], &[("AWS_ENDPOINT_URL_CLOUDFORMATION", &standin.endpoint)])
}

fn adds() -> Vec<Change> {
    ["OrdersQueue AWS::SQS::Queue", "FulfilRole AWS::IAM::Role", "FulfilFunction AWS::Lambda::Function"]
        .iter()
        .map(|line| {
            let (id, kind) = line.split_once(' ').unwrap();
            Change { action: "Add", logical_id: id.into(), kind: kind.into(), replacement: "", forced_by: vec![] }
        })
        .collect()
}

#[test]
fn a_failed_first_create_names_its_root_cause_and_the_next_deploy_starts_over() {
    let (standin, stack) = scripted("rollback", Script::default());
    let failing = vec![
        Step {
            event: Some(event(&stack, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated")),
            status: Some("CREATE_IN_PROGRESS".into()),
        },
        Step { event: Some(event("OrdersQueue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", "")), status: None },
        Step {
            event: Some(event(
                "OrdersQueue",
                "AWS::SQS::Queue",
                "CREATE_FAILED",
                "Resource handler returned message: \"Invalid value for the parameter VisibilityTimeout\"",
            )),
            status: None,
        },
        Step {
            event: Some(event("FulfilRole", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation cancelled")),
            status: None,
        },
        Step {
            event: Some(event(
                &stack,
                "AWS::CloudFormation::Stack",
                "ROLLBACK_IN_PROGRESS",
                "The following resource(s) failed to create: [OrdersQueue, FulfilRole].",
            )),
            status: Some("ROLLBACK_IN_PROGRESS".into()),
        },
        Step {
            event: Some(event(&stack, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", "")),
            status: Some("ROLLBACK_COMPLETE".into()),
        },
    ];
    standin.script(|script| {
        script.changes = adds();
        script.on_execute = failing;
    });
    let failed = deploy_with(&standin, "rollback");
    assert_eq!(failed.code, Some(1), "{}", failed.stdout);
    // One line per event, as they came.
    let events: Vec<&str> = failed
        .stdout
        .lines()
        .filter(|l| l.contains("_IN_PROGRESS ") || l.contains("_FAILED ") || l.contains("_COMPLETE "))
        .collect();
    assert_eq!(events.len(), 6, "{}", failed.stdout);
    assert!(
        events[2]
            .contains("CREATE_FAILED                OrdersQueue (AWS::SQS::Queue)  Resource handler returned message"),
        "{}",
        events[2]
    );
    let root = failed.error().lines().next().unwrap();
    assert_eq!(
        root,
        "error: create of stack `rollback-shop` failed: OrdersQueue (AWS::SQS::Queue) is CREATE_FAILED: Resource handler returned message: \"Invalid value for the parameter VisibilityTimeout\""
    );
    assert!(failed.stderr.contains("\n  <- #[singleton] fn orders  examples/shop/src/lib.rs:"), "{}", failed.stderr);
    assert!(failed.stderr.contains("the stack is now ROLLBACK_COMPLETE"), "{}", failed.stderr);
    assert_eq!(standin.status().as_deref(), Some("ROLLBACK_COMPLETE"));

    standin.script(|script| {
        script.on_execute = create_steps(
            &stack,
            &[
                ("OrdersQueue", "AWS::SQS::Queue"),
                ("FulfilRole", "AWS::IAM::Role"),
                ("FulfilFunction", "AWS::Lambda::Function"),
            ],
            "CREATE_COMPLETE",
        );
        script.outputs = vec![
            ("HttpApiUrl".into(), "https://abc123.execute-api.us-east-1.amazonaws.com/".into()),
            ("OrdersQueueUrl".into(), "https://sqs.us-east-1.amazonaws.com/123456789012/rollback-shop-orders".into()),
        ];
    });
    let recovered = deploy_with(&standin, "rollback");
    assert_eq!(recovered.code, Some(0), "{}", recovered.stderr);
    assert!(recovered.stdout.contains("stack `rollback-shop` is ROLLBACK_COMPLETE"), "{}", recovered.stdout);
    assert!(recovered.stdout.contains("deleting it to create it again"), "{}", recovered.stdout);
    assert!(
        recovered.stdout.contains("CREATE_COMPLETE              FulfilFunction (AWS::Lambda::Function)"),
        "{}",
        recovered.stdout
    );
    // The outputs close the run.
    let tail: Vec<&str> = recovered.stdout.lines().rev().take(2).collect();
    assert_eq!(tail[1], "  HttpApiUrl      https://abc123.execute-api.us-east-1.amazonaws.com/");
    assert!(tail[0].starts_with("  OrdersQueueUrl  https://sqs."), "{}", tail[0]);
    let calls = standin.calls();
    let deleted = calls.iter().position(|c| c == "DeleteStack").expect("the failed stack was deleted");
    let created = calls.iter().rposition(|c| c == "CreateChangeSet").unwrap();
    assert!(deleted < created, "{calls:?}");
}

#[test]
fn a_stack_busy_with_another_operation_is_waited_for() {
    let stack = "busy-shop";
    let stack_event = |status: &str| event(stack, "AWS::CloudFormation::Stack", status, "");
    let (standin, _) = scripted(
        "busy",
        Script {
            status: Some("UPDATE_IN_PROGRESS".into()),
            // What the other deploy still has to do.
            running: vec![
                Step { event: Some(event("OrdersQueue", "AWS::SQS::Queue", "UPDATE_COMPLETE", "")), status: None },
                Step { event: Some(stack_event("UPDATE_COMPLETE")), status: Some("UPDATE_COMPLETE".into()) },
            ],
            changes: vec![Change {
                action: "Modify",
                logical_id: "FulfilFunction".into(),
                kind: "AWS::Lambda::Function".into(),
                replacement: "False",
                forced_by: vec![],
            }],
            on_execute: vec![
                Step { event: Some(stack_event("UPDATE_IN_PROGRESS")), status: Some("UPDATE_IN_PROGRESS".into()) },
                Step { event: Some(stack_event("UPDATE_COMPLETE")), status: Some("UPDATE_COMPLETE".into()) },
            ],
            ..Script::default()
        },
    );
    let run = deploy_with(&standin, "busy");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("stack `busy-shop` is busy (UPDATE_IN_PROGRESS)"), "{}", run.stdout);
    assert!(run.stdout.contains("stack `busy-shop` is now UPDATE_COMPLETE"), "{}", run.stdout);
    let waited = run.stdout.find("is now UPDATE_COMPLETE").unwrap();
    let summary = run.stdout.find("changes to stack `busy-shop`").unwrap();
    assert!(waited < summary, "the change set was made before the other operation ended");
    assert!(run.stdout.contains("updated stack `busy-shop`"), "{}", run.stdout);
}

#[test]
fn a_replacement_the_service_reports_is_refused_naming_the_property() {
    let (standin, _) = scripted(
        "replace",
        Script {
            status: Some("UPDATE_COMPLETE".into()),
            changes: vec![Change {
                action: "Modify",
                logical_id: "OrderBookTable".into(),
                kind: "AWS::DynamoDB::Table".into(),
                replacement: "True",
                forced_by: vec!["KeySchema"],
            }],
            ..Script::default()
        },
    );
    let run = deploy_with(&standin, "replace");
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains("! OrderBookTable  AWS::DynamoDB::Table  REPLACED (by KeySchema)"), "{}", run.stdout);
    assert!(
        run.stderr.contains("because KeySchema changes\n    <- #[singleton] fn order_book  examples/shop/src/lib.rs:"),
        "{}",
        run.stderr
    );
    let calls = standin.calls();
    assert!(calls.contains(&"DeleteChangeSet".to_owned()), "{calls:?}");
    assert!(!calls.contains(&"ExecuteChangeSet".to_owned()), "{calls:?}");
}

#[test]
fn a_failed_update_is_traced_through_describe_events_where_the_service_has_it() {
    let (standin, stack) = scripted("update", Script::default());
    standin.script(|script| {
        script.status = Some("CREATE_COMPLETE".into());
        script.describe_events = true;
        script.changes = vec![Change {
            action: "Modify",
            logical_id: "FulfilFunction".into(),
            kind: "AWS::Lambda::Function".into(),
            replacement: "False",
            forced_by: vec![],
        }];
        script.on_execute = vec![
            Step {
                event: Some(event(&stack, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated")),
                status: Some("UPDATE_IN_PROGRESS".into()),
            },
            Step {
                event: Some(event(
                    "FulfilFunction",
                    "AWS::Lambda::Function",
                    "UPDATE_FAILED",
                    "MemorySize value failed to satisfy constraint",
                )),
                status: None,
            },
            Step {
                event: Some(event(&stack, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", "")),
                status: Some("UPDATE_ROLLBACK_IN_PROGRESS".into()),
            },
            Step {
                event: Some(event(&stack, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", "")),
                status: Some("UPDATE_ROLLBACK_COMPLETE".into()),
            },
        ];
    });
    let run = deploy_with(&standin, "update");
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.error().starts_with("error: update of stack `update-shop` failed: FulfilFunction (AWS::Lambda::Function) is UPDATE_FAILED: MemorySize value failed to satisfy constraint\n  <- fn fulfil  examples/shop/src/lib.rs:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the stack is now UPDATE_ROLLBACK_COMPLETE"), "{}", run.stderr);
    assert!(standin.calls().contains(&"DescribeEvents".to_owned()));
}

#[test]
fn throttling_and_expired_credentials_are_one_clear_line_each() {
    let (standin, _) =
        scripted("throttled", Script { refuse: Some((400, "Throttling", "Rate exceeded")), ..Script::default() });
    let run = synth(
        &["deploy", "--stage", "throttled", "--yes"],
        &[("AWS_ENDPOINT_URL_CLOUDFORMATION", &standin.endpoint), ("AWS_MAX_ATTEMPTS", "3")],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.error().starts_with("error: cannot describe stack `throttled-shop`: AWS kept throttling the request after retrying with backoff (Rate exceeded)\nhelp: wait a minute"), "{}", run.stderr);
    assert_eq!(standin.calls(), ["DescribeStacks"; 3], "retried with backoff, three attempts in all");

    standin.script(|script| {
        script.refuse = Some((403, "ExpiredToken", "The security token included in the request is expired"))
    });
    let run = deploy_with(&standin, "throttled");
    assert_eq!(run.code, Some(1));
    assert!(
        run.error().starts_with(
            "error: cannot describe stack `throttled-shop`: the AWS credentials have expired\nhelp: refresh them"
        ),
        "{}",
        run.stderr
    );
}
