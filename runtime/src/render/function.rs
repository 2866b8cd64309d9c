//! An action's function, its own role and its own log group.

use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Part, Pseudo, Value};
use crate::code::Code;
use crate::iam::{self, Permission, Statement};
use crate::model::{Action, App};
use crate::naming::Naming;
use crate::resource::{queue, Grant, ResourceSpec, Scope};
use crate::trigger::{EventSource, Function, Wiring};

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
    Value::Sub(vec![
        "arn:".into(),
        Pseudo::Partition.into(),
        ":lambda:".into(),
        Pseudo::Region.into(),
        ":".into(),
        Pseudo::AccountId.into(),
        format!(":function:{physical}").as_str().into(),
    ])
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

pub fn render(app: &App, action: &Action, naming: &Naming, code: &Code) -> Fragment {
    let name = &action.name;
    let physical = naming.physical(name);
    let function = function_id(name);
    let role = LogicalId::new(&[name, "Role"]);
    let log_group = LogicalId::new(&[name, "LogGroup"]);
    let mut fragment = Fragment::new(action.defined_at);
    fragment.add(&log_group, super::log_group(format!("/aws/lambda/{physical}")));

    // The streams of its own log group, and nothing else.
    let log_streams = Value::Sub(vec![
        "arn:".into(),
        Pseudo::Partition.into(),
        ":logs:".into(),
        Pseudo::Region.into(),
        ":".into(),
        Pseudo::AccountId.into(),
        ":log-group:".into(),
        Part::Ref(log_group.clone()),
        ":log-stream:*".into(),
    ]);
    let mut statements = vec![Statement::allow(&WRITE_LOGS, vec![log_streams])];
    let wired = Function { app, action, id: &function, naming };
    for trigger in &action.triggers {
        trigger.kind.render(&wired, &mut Wiring { fragment: &mut fragment, statements: &mut statements });
    }

    // Events Lambda invokes asynchronously (SNS, S3, EventBridge, `Invoke`'s
    // `send_event`) that still fail after its retries land here instead of
    // being dropped.
    // Polled streams send the description of records they give up on here.
    let mut failed_events = None;
    let asynchronous = action.triggers.iter().any(|t| t.kind.invokes_asynchronously()) || app.is_invoked(name);
    if asynchronous || action.triggers.iter().any(|t| t.kind.keeps_what_fails()) {
        let id = failed_events_id(name);
        fragment.add(&id, queue::dead_letter_queue(format!("{physical}{FAILED_EVENTS_SUFFIX}"), false, &[]));
        statements.push(Statement::allow(&queue::SEND, vec![Value::get_att(&id, "Arn")]));
        failed_events = asynchronous.then_some(id);
    }

    let mut env = vec![(ACTION_ENV.to_owned(), Value::from(name.as_str()))];
    for capability in &action.capabilities {
        let grant = match capability.access {
            Access::Invoke => invoke_grant(naming, &capability.resource),
            access => app
                .resource(&capability.resource)
                .and_then(|resource| resource.spec.grant(&Scope { app, resource, naming, code }, access))
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
    env.extend(action.settings.env.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))));
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
        let layers = action.settings.layers.iter().map(|layer| match app.resource(layer).map(|r| &r.spec) {
            Some(ResourceSpec::Layer(spec)) => spec.arn(layer),
            _ => unreachable!("validation checked each layer"),
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
