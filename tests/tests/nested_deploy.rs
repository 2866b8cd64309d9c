//! A generated 300-handler app deployed by deploy's own code (upload,
//! change set, execution, events) to moto: the root and its nested stacks
//! are created, wired as real CloudFormation wires them (moto gets one patch
//! for `Fn::GetAtt [Child, Outputs.X]`; see tools/moto_server.py).
//!
//! The app is an App model, synthesized here, and its code a placeholder
//! zip: moto runs no code, and packaging is the shop's tests' business. In
//! a test binary of its own because the stand-in sets this process's AWS
//! environment.

use aws_config::BehaviorVersion;
use std::collections::BTreeSet;
use std::process::ExitCode;
use wirestack::cli::{deploy_stacks, Account, Rollout};
use wirestack::code::Code;
use wirestack::synth::{synthesize_with, Synthesis};
use wirestack_tests::{big_app, block_on, moto::moto};

/// An empty zip archive: its end-of-central-directory record alone.
const EMPTY_ZIP: [u8; 22] = [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Deploys the `n`-handler app as stage `stage` with a placeholder zip.
fn deploy(n: usize, stage: &str) -> (Synthesis, Result<ExitCode, String>) {
    moto();
    let key = format!("big/{stage}-placeholder.zip");
    let code = Code { key: Some(key.clone()), ..Code::default() };
    let synthesis = synthesize_with(&big_app::app(n), Some(stage), &code).unwrap();
    let zip = std::env::temp_dir().join(format!("wirestack-{stage}-{}.zip", std::process::id()));
    std::fs::write(&zip, EMPTY_ZIP).unwrap();
    let rollout = Rollout {
        account: Account { region: Some("us-east-1".to_owned()), profile: None },
        bucket: None,
        yes: true,
        express: false,
        allow_replace: false,
    };
    let deployed = deploy_stacks(synthesis.stacks.clone(), vec![(key, zip.clone())], &rollout);
    std::fs::remove_file(&zip).unwrap();
    (synthesis, deployed)
}

#[test]
fn a_300_handler_app_deploys_as_a_root_and_its_nested_stacks() {
    let (synthesis, deployed) = deploy(300, "nest");
    let children: BTreeSet<String> =
        synthesis.stacks[1..].iter().map(|stack| stack.nested_as.as_ref().unwrap().to_string()).collect();
    assert!(children.len() >= 3, "300 handlers need nested stacks: {children:?}");
    assert_eq!(deployed, Ok(ExitCode::SUCCESS));

    block_on(async {
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let cloudformation = aws_sdk_cloudformation::Client::new(&config);
        let root = cloudformation.describe_stack_resources().stack_name("nest-big").send().await.unwrap();
        let nested: BTreeSet<String> = root
            .stack_resources()
            .iter()
            .filter(|r| r.resource_type() == Some("AWS::CloudFormation::Stack"))
            .map(|r| r.logical_resource_id().unwrap().to_owned())
            .collect();
        assert_eq!(nested, children, "the root creates every nested stack");
        // Each nested stack is created from its template in the artifact
        // bucket, with what the root passes it: its functions exist.
        let lambda = aws_sdk_lambda::Client::new(&config);
        let mut functions = BTreeSet::new();
        let mut pages = lambda.list_functions().into_paginator().send();
        while let Some(page) = pages.next().await {
            functions.extend(page.unwrap().functions().iter().filter_map(|f| f.function_name().map(str::to_owned)));
        }
        for i in [0, 99, 150, 299] {
            assert!(functions.contains(&format!("nest-big-handler-{i}")), "handler_{i}'s function is missing");
        }
        let created = functions.iter().filter(|name| name.starts_with("nest-big-handler-")).count();
        assert_eq!(created, 300);
        // A consumer in an action stack reads a queue of a shared stack by
        // the ARN spelled from its name.
        let mappings = lambda.list_event_source_mappings().function_name("nest-big-handler-8").send().await.unwrap();
        let source = mappings.event_source_mappings()[0].event_source_arn().unwrap().to_owned();
        assert!(source.ends_with(":nest-big-queue-0"), "{source}");
        let sqs = aws_sdk_sqs::Client::new(&config);
        assert!(sqs.get_queue_url().queue_name("nest-big-queue-0").send().await.is_ok(), "the shared queue exists");
    });
}

#[test]
fn the_first_deploy_of_an_app_over_2500_resources_goes_out_in_waves() {
    let (synthesis, deployed) = deploy(500, "waves");
    let resources: usize = synthesis.stacks.iter().map(|stack| stack.template.resources.len()).sum();
    assert!(resources > 2_500, "{resources} resources");
    assert_eq!(deployed, Ok(ExitCode::SUCCESS));
    block_on(async {
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let cloudformation = aws_sdk_cloudformation::Client::new(&config);
        let events = cloudformation.describe_stack_events().stack_name("waves-big").send().await.unwrap();
        let statuses: Vec<&str> = events
            .stack_events()
            .iter()
            .filter(|e| e.logical_resource_id() == Some("waves-big"))
            .filter_map(|e| e.resource_status().map(|s| s.as_str()))
            .collect();
        assert!(statuses.contains(&"CREATE_COMPLETE"), "{statuses:?}");
        assert!(statuses.contains(&"UPDATE_COMPLETE"), "a second wave updates the root: {statuses:?}");
        let lambda = aws_sdk_lambda::Client::new(&config);
        let mut created = 0;
        let mut pages = lambda.list_functions().into_paginator().send();
        while let Some(page) = pages.next().await {
            created += page
                .unwrap()
                .functions()
                .iter()
                .filter(|f| f.function_name().unwrap().starts_with("waves-big-handler-"))
                .count();
        }
        assert_eq!(created, 500, "every wave's functions exist");
    });
}
