//! A scripted CloudFormation for what moto cannot show: per-resource
//! progress events, a failing resource with its reason, a stack left in
//! `ROLLBACK_COMPLETE`, a stack busy with another operation, replacements
//! the service reports, throttling and expired credentials.
//!
//! It speaks CloudFormation's query protocol on 127.0.0.1 and answers the
//! calls deploy makes, with the response shapes CloudFormation documents:
//! `DescribeStacks`, `GetTemplate`, `CreateChangeSet`, `DescribeChangeSet`,
//! `ExecuteChangeSet`, `DeleteChangeSet`, `DeleteStack`,
//! `DescribeStackEvents`, `ListStackResources`, and `DescribeEvents` when a
//! script turns it on (else it answers as a service without it would).
//! Everything else (S3, STS) goes to moto: point `AWS_ENDPOINT_URL` at moto
//! and `AWS_ENDPOINT_URL_CLOUDFORMATION` at this.
//!
//! A running operation advances one step per `DescribeStacks` call, so a
//! test sees events arrive over several polls, as from the real service.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// One stack event as a script writes it.
#[derive(Clone, Debug)]
pub struct Event {
    pub logical_id: String,
    pub kind: String,
    pub status: String,
    pub reason: String,
}

/// An event of `kind` resource `logical_id`.
pub fn event(logical_id: &str, kind: &str, status: &str, reason: &str) -> Event {
    Event { logical_id: logical_id.into(), kind: kind.into(), status: status.into(), reason: reason.into() }
}

/// One step of a running operation: an event, then (maybe) a new status.
#[derive(Clone, Debug)]
pub struct Step {
    pub event: Option<Event>,
    pub status: Option<String>,
}

/// A change the scripted change set reports.
#[derive(Clone, Debug)]
pub struct Change {
    pub action: &'static str,
    pub logical_id: String,
    pub kind: String,
    /// `True`, `False`, `Conditional`, or empty for none.
    pub replacement: &'static str,
    /// Properties that force it (`RequiresRecreation: Always`).
    pub forced_by: Vec<&'static str>,
}

/// What the stand-in holds and does next.
#[derive(Default)]
pub struct Script {
    /// The stack's status, or `None` for no stack.
    pub status: Option<String>,
    pub reason: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub outputs: Vec<(String, String)>,
    /// What the change set reports.
    pub changes: Vec<Change>,
    /// Steps an `ExecuteChangeSet` starts.
    pub on_execute: Vec<Step>,
    /// Steps a `DeleteStack` starts (default: delete in two steps).
    pub on_delete: Option<Vec<Step>>,
    /// Steps already running when the test starts (a busy stack).
    pub running: Vec<Step>,
    /// Whether the service offers `DescribeEvents`.
    pub describe_events: bool,
    /// An error every call answers with: (HTTP status, code, message).
    pub refuse: Option<(u16, &'static str, &'static str)>,
}

/// A stack of steps that end in `status`, each resource going through
/// `CREATE_IN_PROGRESS` then `CREATE_COMPLETE`.
pub fn create_steps(stack: &str, resources: &[(&str, &str)], status: &str) -> Vec<Step> {
    let mut steps = vec![Step {
        event: Some(event(stack, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated")),
        status: Some("CREATE_IN_PROGRESS".into()),
    }];
    for (id, kind) in resources {
        steps.push(Step { event: Some(event(id, kind, "CREATE_IN_PROGRESS", "")), status: None });
        steps.push(Step { event: Some(event(id, kind, "CREATE_COMPLETE", "")), status: None });
    }
    steps.push(Step {
        event: Some(event(stack, "AWS::CloudFormation::Stack", status, "")),
        status: Some(status.into()),
    });
    steps
}

struct State {
    name: String,
    script: Script,
    events: Vec<(u64, Event)>,
    pending: VecDeque<Step>,
    change_set: Option<String>,
    next_event: u64,
    operation: u64,
    /// Every call, by action name, in order.
    calls: Vec<String>,
}

/// The running stand-in.
pub struct ScriptedCloudFormation {
    pub endpoint: String,
    state: Arc<Mutex<State>>,
}

impl ScriptedCloudFormation {
    /// Serves `script` for stack `name` on a free port (on the shared test
    /// runtime, until the process ends).
    pub fn start(name: &str, script: Script) -> ScriptedCloudFormation {
        let mut state = State {
            name: name.to_owned(),
            events: Vec::new(),
            pending: VecDeque::new(),
            change_set: None,
            next_event: 1,
            operation: 1,
            calls: Vec::new(),
            script,
        };
        state.pending.extend(std::mem::take(&mut state.script.running));
        let state = Arc::new(Mutex::new(state));
        let shared = state.clone();
        let listener = crate::block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(move |axum::Form(form): axum::Form<BTreeMap<String, String>>| {
                let state = shared.clone();
                async move { answer(&mut state.lock().unwrap(), &form) }
            }),
        );
        std::thread::spawn(move || crate::block_on(async { axum::serve(listener, app).await }).unwrap());
        ScriptedCloudFormation { endpoint, state }
    }

    /// The calls made so far, by action name.
    pub fn calls(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.clone()
    }

    /// The stack's status now.
    pub fn status(&self) -> Option<String> {
        self.state.lock().unwrap().script.status.clone()
    }

    /// Changes the script between two runs of deploy.
    pub fn script(&self, change: impl FnOnce(&mut Script)) {
        change(&mut self.state.lock().unwrap().script);
    }
}

type Response = (axum::http::StatusCode, [(axum::http::HeaderName, &'static str); 1], String);

fn answer(state: &mut State, form: &BTreeMap<String, String>) -> Response {
    let action = form.get("Action").cloned().unwrap_or_default();
    state.calls.push(action.clone());
    if let Some((status, code, message)) = state.script.refuse {
        return error(status, code, message);
    }
    let body = match action.as_str() {
        "DescribeStacks" => {
            advance(state);
            let Some(status) = state.script.status.clone() else {
                return missing(&state.name);
            };
            let mut stack = format!(
                "<StackId>{}</StackId><StackName>{}</StackName><CreationTime>2026-11-27T12:00:00Z</CreationTime><StackStatus>{status}</StackStatus>",
                stack_id(&state.name),
                state.name
            );
            if let Some(reason) = &state.script.reason {
                write!(stack, "<StackStatusReason>{}</StackStatusReason>", escape(reason)).unwrap();
            }
            stack += "<Parameters>";
            for (key, value) in &state.script.parameters {
                write!(
                    stack,
                    "<member><ParameterKey>{key}</ParameterKey><ParameterValue>{value}</ParameterValue></member>"
                )
                .unwrap();
            }
            stack += "</Parameters><Outputs>";
            for (key, value) in &state.script.outputs {
                write!(stack, "<member><OutputKey>{key}</OutputKey><OutputValue>{value}</OutputValue></member>")
                    .unwrap();
            }
            stack += "</Outputs>";
            format!("<Stacks><member>{stack}</member></Stacks>")
        }
        "GetTemplate" if state.script.status.is_some() => "<TemplateBody>{}</TemplateBody>".to_owned(),
        "CreateChangeSet" => {
            if form.get("ChangeSetType").map(String::as_str) == Some("CREATE") {
                state.script.status = Some("REVIEW_IN_PROGRESS".into());
                state.events.clear();
                push_event(
                    state,
                    event(&state.name.clone(), "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated"),
                );
            } else if state.script.status.is_none() {
                return missing(&state.name);
            }
            state.script.parameters = (1..)
                .map_while(|n| {
                    let key = form.get(&format!("Parameters.member.{n}.ParameterKey"))?;
                    Some((
                        key.clone(),
                        form.get(&format!("Parameters.member.{n}.ParameterValue")).cloned().unwrap_or_default(),
                    ))
                })
                .collect();
            let name = form.get("ChangeSetName").cloned().unwrap_or_default();
            state.change_set = Some(name.clone());
            format!(
                "<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/{name}/1</Id><StackId>{}</StackId>",
                stack_id(&state.name)
            )
        }
        "DescribeChangeSet" => {
            let Some(name) = state.change_set.clone() else {
                return error(400, "ChangeSetNotFound", "ChangeSet does not exist");
            };
            let mut changes = String::new();
            for change in &state.script.changes {
                let mut details = String::new();
                for property in &change.forced_by {
                    write!(details, "<member><Target><Attribute>Properties</Attribute><Name>{property}</Name><RequiresRecreation>Always</RequiresRecreation></Target><Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member>").unwrap();
                }
                let replacement = if change.replacement.is_empty() {
                    String::new()
                } else {
                    format!("<Replacement>{}</Replacement>", change.replacement)
                };
                write!(changes, "<member><Type>Resource</Type><ResourceChange><Action>{}</Action><LogicalResourceId>{}</LogicalResourceId><ResourceType>{}</ResourceType>{replacement}<Details>{details}</Details></ResourceChange></member>", change.action, change.logical_id, change.kind).unwrap();
            }
            format!("<ChangeSetName>{name}</ChangeSetName><StackName>{}</StackName><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes>{changes}</Changes>", state.name)
        }
        "ExecuteChangeSet" => {
            state.change_set = None;
            state.operation += 1;
            let steps = state.script.on_execute.clone();
            state.pending.extend(steps);
            String::new()
        }
        "DeleteChangeSet" => {
            state.change_set = None;
            String::new()
        }
        "DeleteStack" => {
            if state.script.status.is_some() {
                state.operation += 1;
                let name = state.name.clone();
                let steps = state.script.on_delete.clone().unwrap_or_else(|| {
                    vec![
                        Step {
                            event: Some(event(
                                &name,
                                "AWS::CloudFormation::Stack",
                                "DELETE_IN_PROGRESS",
                                "User Initiated",
                            )),
                            status: Some("DELETE_IN_PROGRESS".into()),
                        },
                        Step {
                            event: Some(event(&name, "AWS::CloudFormation::Stack", "DELETE_COMPLETE", "")),
                            status: Some("DELETE_COMPLETE".into()),
                        },
                    ]
                });
                state.pending.extend(steps);
            }
            String::new()
        }
        "DescribeStackEvents" => {
            let mut events = String::new();
            for (id, event) in state.events.iter().rev() {
                write!(events, "<member>{}</member>", event_xml(&state.name, *id, event, state.operation)).unwrap();
            }
            format!("<StackEvents>{events}</StackEvents>")
        }
        "DescribeEvents" if state.script.describe_events => {
            let mut events = String::new();
            for (id, event) in state.events.iter().filter(|(_, e)| e.status.ends_with("_FAILED")) {
                write!(events, "<member>{}</member>", event_xml(&state.name, *id, event, state.operation)).unwrap();
            }
            format!("<OperationEvents>{events}</OperationEvents>")
        }
        "ListStackResources" => "<StackResourceSummaries></StackResourceSummaries>".to_owned(),
        other => return error(400, "InvalidAction", &format!("{other} is not answered here")),
    };
    let body = format!(
        "<{action}Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><{action}Result>{body}</{action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></{action}Response>"
    );
    (axum::http::StatusCode::OK, [(axum::http::header::CONTENT_TYPE, "text/xml")], body)
}

/// One pending step per poll, as the service makes progress between polls.
fn advance(state: &mut State) {
    if let Some(step) = state.pending.pop_front() {
        if let Some(event) = step.event {
            push_event(state, event);
        }
        if let Some(status) = step.status {
            state.script.status = (status != "DELETE_COMPLETE").then_some(status);
        }
    }
}

fn push_event(state: &mut State, event: Event) {
    state.events.push((state.next_event, event));
    state.next_event += 1;
}

fn event_xml(stack: &str, id: u64, event: &Event, operation: u64) -> String {
    let reason = if event.reason.is_empty() {
        String::new()
    } else {
        format!("<ResourceStatusReason>{}</ResourceStatusReason>", escape(&event.reason))
    };
    format!(
        "<EventId>event-{id}</EventId><StackId>{}</StackId><StackName>{stack}</StackName><OperationId>operation-{operation}</OperationId><LogicalResourceId>{}</LogicalResourceId><PhysicalResourceId>{}</PhysicalResourceId><ResourceType>{}</ResourceType><Timestamp>2026-11-27T12:00:{:02}Z</Timestamp><ResourceStatus>{}</ResourceStatus>{reason}",
        stack_id(stack),
        event.logical_id,
        event.logical_id,
        event.kind,
        id % 60,
        event.status
    )
}

fn stack_id(name: &str) -> String {
    format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/0d4e5f60")
}

fn missing(name: &str) -> Response {
    error(400, "ValidationError", &format!("Stack with id {name} does not exist"))
}

fn error(status: u16, code: &str, message: &str) -> Response {
    let body = format!(
        "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error><RequestId>1</RequestId></ErrorResponse>",
        escape(message)
    );
    (axum::http::StatusCode::from_u16(status).unwrap(), [(axum::http::header::CONTENT_TYPE, "text/xml")], body)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
