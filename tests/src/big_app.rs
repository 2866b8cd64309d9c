//! Generated apps of any size, of the shapes big apps have: per 20
//! handlers, 8 routes, 6 queue consumers (4 on a shared queue, 2 on their
//! own), 3 schedules and 3 topic subscribers, with capability parameters;
//! one shared queue, topic and table per 20 handlers, and an uploads bucket
//! notifying a handler per 100.

use wirestack::capability::Access;
use wirestack::model::{Action, App, Resource, Settings, UsedCapability};
use wirestack::resource::IntoResource as _;
use wirestack::trigger::{
    HttpMethod, HttpRoute, ObjectEvent, S3Trigger, ScheduleTrigger, SnsTrigger, SqsTrigger, Trigger, TriggerKind,
};
use wirestack::{Bucket, Key, Location, Queue, Table, Topic};

const AT: Location = Location { file: "src/lib.rs", line: 1, column: 1 };

/// An app of `n` handlers named `big`.
pub fn app(n: usize) -> App {
    let groups = n.div_ceil(20);
    let singleton = |name: String, spec| Resource { name, defined_at: AT, owner: None, spec };
    let mut resources = Vec::new();
    for g in 0..groups {
        resources.push(singleton(format!("queue_{g}"), Queue::<()>::new().into_spec()));
        resources.push(singleton(format!("topic_{g}"), Topic::<()>::new().into_spec()));
        resources
            .push(singleton(format!("table_{g}"), Table::<()>::new().partition_key(Key::string("id")).into_spec()));
    }
    resources.push(singleton("uploads".to_owned(), Bucket::new().into_spec()));
    let mut actions = Vec::new();
    for i in 0..n {
        let g = i / 20;
        let name = format!("handler_{i}");
        let uses = |access, resource: String| UsedCapability { access, resource };
        let (mut triggers, capabilities) = match i % 20 {
            0..8 => (
                vec![TriggerKind::Http(HttpRoute {
                    method: if i % 2 == 0 { HttpMethod::Get } else { HttpMethod::Post },
                    path: format!("/items{i}/{{id}}"),
                    auth: None,
                })],
                vec![uses(Access::Send, format!("queue_{g}")), uses(Access::Read, format!("table_{g}"))],
            ),
            8..12 => (
                vec![sqs(format!("queue_{g}"))],
                vec![uses(Access::Publish, format!("topic_{g}")), uses(Access::Write, format!("table_{g}"))],
            ),
            12..14 => {
                resources.push(Resource {
                    name: name.clone(),
                    defined_at: AT,
                    owner: Some(name.clone()),
                    spec: Queue::<()>::new().into_spec(),
                });
                (vec![sqs(name.clone())], vec![])
            }
            14..17 => (
                vec![TriggerKind::Schedule(ScheduleTrigger { expression: format!("rate({} minutes)", i % 60 + 2) })],
                vec![uses(Access::Send, format!("queue_{g}"))],
            ),
            _ => (vec![TriggerKind::Sns(SnsTrigger { topic: format!("topic_{g}") })], vec![]),
        };
        if i % 100 == 99 {
            triggers.push(TriggerKind::S3(S3Trigger {
                bucket: "uploads".to_owned(),
                events: vec![ObjectEvent::Created],
                prefix: Some(format!("{i}/")),
                suffix: None,
            }));
        }
        actions.push(Action {
            name,
            rust_path: format!("big::handler_{i}"),
            defined_at: Location { line: i as u32 + 1, ..AT },
            settings: Settings::default(),
            triggers: triggers.into_iter().map(|kind| Trigger { declared_at: AT, kind }).collect(),
            capabilities,
        });
    }
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    App { name: "big".to_owned(), actions, resources }
}

fn sqs(queue: String) -> TriggerKind {
    TriggerKind::Sqs(SqsTrigger { queue, batch_size: Some(10), window_s: None })
}

/// An app of `n` route handlers and nothing else, named `routes`.
pub fn routes(n: usize) -> App {
    let actions = (0..n)
        .map(|i| Action {
            name: format!("route_{i}"),
            rust_path: format!("routes::route_{i}"),
            defined_at: Location { line: i as u32 + 1, ..AT },
            settings: Settings::default(),
            triggers: vec![Trigger {
                declared_at: AT,
                kind: TriggerKind::Http(HttpRoute {
                    method: HttpMethod::Get,
                    path: format!("/items{i}/{{id}}"),
                    auth: None,
                }),
            }],
            capabilities: vec![],
        })
        .collect();
    App { name: "routes".to_owned(), actions, resources: vec![] }
}
