//! An action's function, its own role and its own log group.

use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Part, Removal, Value};
use crate::code::Code;
use crate::iam::{self, Permission, Statement};
use crate::model::{Action, App};
use crate::naming::Naming;
use crate::resource::{queue, Grant, Scope};
use crate::trigger::{EventSource, Function, Wiring};
use crate::wiring::Graph;

/// The one binary serves every action; this variable tells it which.
pub const ACTION_ENV: &str = "WIRESTACK_ACTION";
/// Ends the name of an asynchronously invoked function's dead-letter queue.
pub const FAILED_EVENTS_SUFFIX: &str = "-failed";
/// The OS-only runtime a Rust `bootstrap` runs on.
pub const RUNTIME: &str = "provided.al2023";
const WRITE_LOGS: [Permission; 2] =
    [Permission::new("logs", "CreateLogStream"), Permission::new("logs", "PutLogEvents")];

/// What `Invoke` needs on the function.
pub const INVOKE: [Permission; 1] = [Permission::new("lambda", "InvokeFunction")];

pub fn function_id(action: &str) -> LogicalId {
    LogicalId::new(&[action, "Function"])
}

/// The queue that keeps what action `name` failed to handle, when its
/// triggers can lose events otherwise.
pub fn failed_events_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "FailedEvents"])
}

/// The variable holding action `name`'s function name in a function that
/// may invoke it.
pub fn function_env(name: &str) -> String {
    format!("WIRESTACK_FUNCTION_{}", name.to_ascii_uppercase())
}

/// The function's ARN from its synth-time name. No `Ref`: two actions that
/// invoke each other would otherwise be a dependency cycle.
fn function_arn(physical: &str) -> Value {
    Value::arn_in_account("lambda", [format!("function:{physical}").into()])
}

/// What `Invoke<target>` grants: invoking that one function.
fn invoke_grant(naming: &Naming, target: &str) -> Grant {
    let physical = naming.physical(target);
    Grant::one(Statement::allow(&INVOKE, vec![function_arn(&physical)]), (function_env(target), Value::from(physical)))
}

/// The template parameters that locate the Lambda code.
pub fn code_parameters() -> [(LogicalId, &'static str); 2] {
    [
        (LogicalId::new(&["CodeBucket"]), "S3 bucket holding the Lambda code zip"),
        (LogicalId::new(&["CodeKey"]), "S3 key of the Lambda code zip"),
    ]
}

/// Whether Lambda invokes the action asynchronously: SNS, S3, EventBridge,
/// or another action's `Invoke::send_event`.
pub fn invoked_asynchronously(graph: &Graph, action: &Action) -> bool {
    action.triggers.iter().any(|t| t.kind.invokes_asynchronously()) || graph.is_invoked(&action.name)
}

/// Whether the action has a failed-events queue: for asynchronous events
/// that still fail after Lambda's retries (instead of dropping them), and
/// for the description of stream records a poller gives up on.
pub fn keeps_failed_events(graph: &Graph, action: &Action) -> bool {
    invoked_asynchronously(graph, action) || action.triggers.iter().any(|t| t.kind.keeps_what_fails())
}

pub fn render(app: &App, graph: &Graph, action: &Action, naming: &Naming, code: &Code) -> Fragment {
    let name = &action.name;
    let physical = naming.physical(name);
    let function = function_id(name);
    let role = LogicalId::new(&[name, "Role"]);
    let log_group = LogicalId::new(&[name, "LogGroup"]);
    let mut fragment = Fragment::new(format!("fn {name}"), action.defined_at, Home::Action(name.clone()));
    fragment.add(&log_group, super::log_group(format!("/aws/lambda/{physical}")));

    // The streams of its own log group, and nothing else.
    let log_streams =
        Value::arn_in_account("logs", ["log-group:".into(), Part::Ref(log_group.clone()), ":log-stream:*".into()]);
    let mut statements = vec![Statement::allow(&WRITE_LOGS, vec![log_streams])];
    let wired = Function { app, graph, action, id: &function, naming };
    for trigger in &action.triggers {
        trigger.kind.render(&wired, &mut Wiring { fragment: &mut fragment, statements: &mut statements });
    }

    let mut failed_events = None;
    let asynchronous = invoked_asynchronously(graph, action);
    if keeps_failed_events(graph, action) {
        let id = failed_events_id(name);
        fragment.add(
            &id,
            queue::dead_letter_queue(format!("{physical}{FAILED_EVENTS_SUFFIX}"), false, &[], Removal::Retain),
        );
        statements.push(Statement::allow(&queue::SEND, vec![Value::get_att(&id, "Arn")]));
        failed_events = asynchronous.then_some(id);
    }

    let mut env = vec![(ACTION_ENV.to_owned(), Value::from(name.clone()))];
    for capability in &action.capabilities {
        let grant = match capability.access {
            Access::Invoke => invoke_grant(naming, &capability.resource),
            access => app
                .resource(&capability.resource)
                .and_then(|resource| resource.spec.grant(&Scope { app, graph, resource, naming, code }, access))
                .expect("validation checked every capability's target"),
        };
        statements.extend(grant.statements);
        env.push(grant.env);
    }

    fragment.add(
        &role,
        CfnResource::new(
            "AWS::IAM::Role",
            Value::map([
                ("AssumeRolePolicyDocument", iam::lambda_trust_policy()),
                (
                    "Policies",
                    Value::list([Value::map([
                        ("PolicyName", Value::from(format!("{physical}-policy"))),
                        ("PolicyDocument", iam::policy_document(&statements)),
                    ])]),
                ),
            ]),
        ),
    );

    let [(bucket, bucket_doc), (key, key_doc)] = code_parameters();
    env.extend(action.settings.env.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))));
    let mut properties = vec![
        ("FunctionName", Value::from(physical)),
        ("Runtime", Value::from(RUNTIME)),
        ("Handler", Value::from("bootstrap")),
        ("Architectures", Value::list([Value::from(code.architecture.as_str())])),
        ("Code", Value::map([("S3Bucket", Value::reference(&bucket)), ("S3Key", Value::reference(&key))])),
        ("MemorySize", Value::from(action.settings.memory_mb)),
        ("Timeout", Value::from(action.settings.timeout_s)),
        ("Role", Value::get_att(&role, "Arn")),
        ("Environment", Value::map([("Variables", Value::map(env))])),
        ("LoggingConfig", Value::map([("LogGroup", Value::reference(&log_group))])),
    ];
    if let Some(failed_events) = &failed_events {
        properties.push(("DeadLetterConfig", Value::map([("TargetArn", Value::get_att(failed_events, "Arn"))])));
    }
    if !action.settings.layers.is_empty() {
        let layers = action.settings.layers.iter().map(|layer| {
            let resource = app.resource(layer).expect("validation checked each layer");
            resource.spec.handle(layer, naming).arn.expect("a layer has an ARN")
        });
        properties.push(("Layers", Value::list(layers)));
    }
    if let Some(reserved) = action.settings.reserved_concurrency {
        properties.push(("ReservedConcurrentExecutions", Value::from(reserved)));
    }
    fragment.add(&function, CfnResource::new("AWS::Lambda::Function", Value::map(properties)));
    fragment.parameter(bucket, bucket_doc, None);
    fragment.parameter(key, key_doc, code.key.clone());
    fragment
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn actions_may_invoke_each_other_without_a_dependency_cycle() {
        let mut ping = action("ping", 10, vec![]);
        ping.capabilities = vec![uses(Access::Invoke, "pong")];
        let mut pong = action("pong", 20, vec![]);
        pong.capabilities = vec![uses(Access::Invoke, "ping")];
        let app = app(vec![ping, pong], vec![]);
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
        let resources = &template["Resources"];
        for (id, other) in
            [("PingRole", "Pong"), ("PingFunction", "Pong"), ("PongRole", "Ping"), ("PongFunction", "Ping")]
        {
            let text = resources[id].to_string();
            assert!(!text.contains(&format!("{other}Function")), "{id} refers to the other function: {text}");
        }
        assert_eq!(
            role_statements(&app, "PingRole")[2]["Resource"],
            serde_json::json!([{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:app-pong"}])
        );
    }

    #[test]
    fn each_trigger_renders_its_wiring_and_only_its_grants() {
        let app = app(
            vec![action(
                "worker",
                1,
                vec![
                    sqs("jobs"),
                    TriggerKind::Sns(SnsTrigger { topic: "news".to_owned() }),
                    TriggerKind::Schedule(ScheduleTrigger { expression: "rate(1 hour)".to_owned() }),
                    TriggerKind::Schedule(ScheduleTrigger { expression: "rate(2 hours)".to_owned() }),
                ],
            )],
            vec![queue("jobs", 2, None), topic("news", 3)],
        );
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
        let ids: Vec<&str> = template.resources.keys().map(LogicalId::as_str).collect();
        // Each schedule's rule is named by its expression, not its position.
        let (hourly, two_hourly) = (LogicalId::digest("rate(1 hour)"), LogicalId::digest("rate(2 hours)"));
        let mut expected = vec![
            "JobsDeadLetterQueue".to_owned(),
            "JobsQueue".to_owned(),
            "NewsTopic".to_owned(),
            "WorkerFailedEvents".to_owned(),
            "WorkerFunction".to_owned(),
            "WorkerJobsMapping".to_owned(),
            "WorkerLogGroup".to_owned(),
            "WorkerNewsPermission".to_owned(),
            "WorkerNewsSubscription".to_owned(),
            "WorkerRole".to_owned(),
            format!("WorkerSchedule{hourly}"),
            format!("WorkerSchedule{hourly}Permission"),
            format!("WorkerSchedule{two_hourly}"),
            format!("WorkerSchedule{two_hourly}Permission"),
        ];
        expected.sort();
        assert_eq!(ids, expected);
        let json = template.to_json();
        let statements = &json["Resources"]["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        // Logs, the queue it consumes, and its dead-letter queue for the events
        // SNS and EventBridge push (which need no grant of their own on the role,
        // only the scoped permissions above).
        assert_eq!(statements.as_array().unwrap().len(), 3);
        assert_eq!(statements[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["JobsQueue", "Arn"]}]));
        assert_eq!(statements[2]["Resource"], serde_json::json!([{"Fn::GetAtt": ["WorkerFailedEvents", "Arn"]}]));
        assert_eq!(
            json["Resources"][format!("WorkerSchedule{two_hourly}Permission")]["Properties"]["SourceArn"],
            serde_json::json!({"Fn::GetAtt": [format!("WorkerSchedule{two_hourly}"), "Arn"]})
        );
    }

    #[test]
    fn each_capability_grants_exactly_its_statement_and_removing_it_removes_it() {
        let mut worker = action("worker", 1, vec![]);
        worker.capabilities = vec![uses(Access::Send, "jobs"), uses(Access::Publish, "news")];
        let resources = vec![queue("jobs", 2, None), topic("news", 3)];
        let both = app(vec![worker.clone()], resources.clone());
        assert_eq!(
            role_statements(&both, "WorkerRole"),
            serde_json::json!([
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                 "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WorkerLogGroup}:log-stream:*"}]},
                {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["JobsQueue", "Arn"]}]},
                {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [{"Ref": "NewsTopic"}]},
            ])
        );
        worker.capabilities.remove(0);
        let publish_only = app(vec![worker], resources);
        let statements = role_statements(&publish_only, "WorkerRole");
        assert_eq!(statements.as_array().unwrap().len(), 2);
        assert!(!statements.to_string().contains("sqs:"), "{statements}");
    }
}
