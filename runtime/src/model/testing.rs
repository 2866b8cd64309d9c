//! What the kinds' tests build apps from: an App model by hand, with no
//! macros, no registry and no AWS, and what synth makes of it.

pub(crate) use crate::capability::Access;
pub(crate) use crate::cfn::LogicalId;
pub(crate) use crate::code::Code;
pub(crate) use crate::layout::{Capacity, Limits};
pub(crate) use crate::model::{Action, App, Resource, Settings, UsedCapability};
pub(crate) use crate::resource::{Key, QueueSpec, ResourceSpec, Table, TopicSpec};
pub(crate) use crate::synth::{synthesize, synthesize_within};
pub(crate) use crate::trigger::{
    HttpMethod, HttpRoute, ObjectEvent, S3Trigger, ScheduleTrigger, SnsTrigger, SqsTrigger, Trigger, TriggerKind,
};
pub(crate) use crate::Bucket;
pub(crate) use crate::Location;

pub(crate) fn at(line: u32) -> Location {
    Location { file: "src/lib.rs", line, column: 1 }
}

pub(crate) fn action(name: &str, line: u32, triggers: Vec<TriggerKind>) -> Action {
    Action {
        name: name.to_owned(),
        rust_path: format!("app::{name}"),
        defined_at: at(line),
        settings: Settings::default(),
        triggers: triggers.into_iter().map(|kind| Trigger { declared_at: at(line), kind }).collect(),
        capabilities: Vec::new(),
    }
}

pub(crate) fn queue(name: &str, line: u32, visibility: Option<u32>) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(line),
        owner: None,
        spec: ResourceSpec::Queue(QueueSpec { visibility_timeout_s: visibility, ..QueueSpec::default() }),
    }
}

pub(crate) fn topic(name: &str, line: u32) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(line),
        owner: None,
        spec: ResourceSpec::Topic(TopicSpec::default()),
    }
}

pub(crate) fn sqs(queue: &str) -> TriggerKind {
    TriggerKind::Sqs(SqsTrigger { queue: queue.to_owned(), batch_size: None, window_s: None })
}

pub(crate) fn route(method: HttpMethod, path: &str) -> TriggerKind {
    TriggerKind::Http(HttpRoute { method, path: path.to_owned(), auth: None })
}

pub(crate) fn app(actions: Vec<Action>, resources: Vec<Resource>) -> App {
    App { name: "app".to_owned(), actions, resources }
}

pub(crate) fn problems(app: &App) -> Vec<String> {
    match synthesize(app, None) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.0.iter().map(ToString::to_string).collect(),
    }
}

pub(crate) fn uses(access: Access, resource: &str) -> UsedCapability {
    UsedCapability { access, resource: resource.to_owned() }
}

pub(crate) fn role_statements(app: &App, role: &str) -> serde_json::Value {
    let json = synthesize(app, None).unwrap().stacks.remove(0).template.to_json();
    json["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

pub(crate) fn table(name: &str, line: u32, indexed: bool) -> Resource {
    let mut table = Table::<()>::new().partition_key(Key::string("id"));
    if indexed {
        table = table.index("by_customer", Key::string("customer"), None);
    }
    let spec = crate::resource::IntoResource::into_spec(table);
    Resource { name: name.to_owned(), defined_at: at(line), owner: None, spec }
}

pub(crate) fn existing_queue(name: &str, arn: &str) -> Resource {
    let spec = crate::resource::IntoResource::into_spec(crate::Queue::<()>::existing(arn));
    Resource { name: name.to_owned(), defined_at: at(40), owner: None, spec }
}

pub(crate) fn existing_topic(name: &str, arn: &str) -> Resource {
    let spec = crate::resource::IntoResource::into_spec(crate::Topic::<()>::existing(arn));
    Resource { name: name.to_owned(), defined_at: at(41), owner: None, spec }
}

pub(crate) fn raw(name: &str, spec: crate::Raw) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(50),
        owner: None,
        spec: crate::resource::IntoResource::into_spec(spec),
    }
}

pub(crate) fn bucket(name: &str, line: u32, spec: crate::Bucket) -> Resource {
    use crate::resource::IntoResource as _;
    Resource { name: name.to_owned(), defined_at: at(line), owner: None, spec: spec.into_spec() }
}

pub(crate) fn s3(bucket: &str, events: &[ObjectEvent], prefix: Option<&str>, suffix: Option<&str>) -> TriggerKind {
    TriggerKind::S3(S3Trigger {
        bucket: bucket.to_owned(),
        events: events.to_vec(),
        prefix: prefix.map(str::to_owned),
        suffix: suffix.map(str::to_owned),
    })
}

pub(crate) fn stream_trigger(source: crate::trigger::StreamSource) -> TriggerKind {
    TriggerKind::Stream(crate::trigger::StreamTrigger {
        source,
        start: crate::trigger::StartPosition::Latest,
        batch_size: None,
        window_s: None,
        retries: None,
        filter: None,
    })
}
