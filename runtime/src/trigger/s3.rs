//! `#[trigger(s3 = bucket, events = [created], prefix = "in/", suffix = ".csv")]`:
//! S3 invokes the function when objects change.
//!
//! CloudFormation's known cycle (the bucket's notification names the
//! function, the permission names the bucket, the bucket must wait for the
//! permission) is broken by naming the bucket's ARN from its synth-time name
//! (see `resource::bucket`): the permission never refers to the bucket, so
//! the bucket can depend on the permission.

use super::{invoke_permission, Scope, Wiring};
use crate::cfn::{LogicalId, Pseudo, Value};
use crate::model::{Action, App};
use crate::render::function_id;
use crate::resource::ResourceSpec;
use crate::trigger::{Trigger, TriggerKind};

/// The object changes a trigger can ask for, as `events = [..]` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectEvent {
    /// Any way an object is created (the default).
    Created,
    Put,
    Post,
    Copy,
    CompletedMultipartUpload,
    /// Any way an object is removed.
    Removed,
    Deleted,
    DeleteMarkerCreated,
    /// A restore from an archive tier completed.
    Restored,
}

impl ObjectEvent {
    /// S3's name for the event type.
    pub fn s3_name(self) -> &'static str {
        match self {
            ObjectEvent::Created => "s3:ObjectCreated:*",
            ObjectEvent::Put => "s3:ObjectCreated:Put",
            ObjectEvent::Post => "s3:ObjectCreated:Post",
            ObjectEvent::Copy => "s3:ObjectCreated:Copy",
            ObjectEvent::CompletedMultipartUpload => "s3:ObjectCreated:CompleteMultipartUpload",
            ObjectEvent::Removed => "s3:ObjectRemoved:*",
            ObjectEvent::Deleted => "s3:ObjectRemoved:Delete",
            ObjectEvent::DeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
            ObjectEvent::Restored => "s3:ObjectRestore:Completed",
        }
    }

    /// Whether S3 would deliver one change to both (it refuses such overlaps
    /// between two configurations whose key filters also overlap).
    pub fn overlaps(self, other: ObjectEvent) -> bool {
        let (a, b) = (self.s3_name(), other.s3_name());
        let family = |name: &'static str| name.rsplit_once(':').map_or(name, |(family, _)| family);
        a == b || (family(a) == family(b) && (a.ends_with('*') || b.ends_with('*')))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct S3Trigger {
    pub bucket: String,
    pub events: Vec<ObjectEvent>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

/// The one permission per action and bucket, however many triggers.
pub fn permission_id(action: &str, bucket: &str) -> LogicalId {
    LogicalId::new(&[action, bucket, "Permission"])
}

impl S3Trigger {
    pub(super) fn render(&self, scope: &Scope<'_>, wiring: &mut Wiring<'_>) {
        let action = &scope.action.name;
        let first_on_bucket = scope.action.triggers.iter().find_map(|t| match &t.kind {
            TriggerKind::S3(s3) if s3.bucket == self.bucket => Some(s3),
            _ => None,
        });
        if first_on_bucket != Some(self) {
            return;
        }
        let Some(ResourceSpec::Bucket(bucket)) = scope.app.resource(&self.bucket).map(|r| &r.spec) else {
            unreachable!("validation checked the trigger's bucket")
        };
        let mut permission = invoke_permission(scope, "s3.amazonaws.com", bucket.arn(&self.bucket, scope.naming));
        // A bucket ARN names no account, so the account is checked too.
        if let Value::Map(properties) = &mut permission.properties {
            properties.insert("SourceAccount".to_owned(), Value::Pseudo(Pseudo::AccountId));
        }
        wiring.fragment.add(&permission_id(action, &self.bucket), permission);
    }

    /// Whether S3 could deliver one change to both triggers.
    pub fn overlaps(&self, other: &S3Trigger) -> bool {
        let nested = |a: &Option<String>, b: &Option<String>, f: fn(&str, &str) -> bool| match (a, b) {
            (Some(a), Some(b)) => f(a, b) || f(b, a),
            _ => true,
        };
        self.bucket == other.bucket
            && self.events.iter().any(|a| other.events.iter().any(|b| a.overlaps(*b)))
            && nested(&self.prefix, &other.prefix, |a, b| a.starts_with(b))
            && nested(&self.suffix, &other.suffix, |a, b| a.ends_with(b))
    }

    fn configurations(&self, function: &LogicalId) -> impl Iterator<Item = Value> + '_ {
        let mut rules = Vec::new();
        for (name, value) in [("prefix", &self.prefix), ("suffix", &self.suffix)] {
            if let Some(value) = value {
                rules.push(Value::map([("Name", Value::from(name)), ("Value", Value::from(value.as_str()))]));
            }
        }
        let function = function.clone();
        self.events.iter().map(move |event| {
            let mut configuration =
                vec![("Event", Value::from(event.s3_name())), ("Function", Value::get_att(&function, "Arn"))];
            if !rules.is_empty() {
                configuration
                    .push(("Filter", Value::map([("S3Key", Value::map([("Rules", Value::List(rules.clone()))]))])));
            }
            Value::map(configuration)
        })
    }
}

/// What a bucket renders for the triggers on it.
pub struct Notifications {
    /// `LambdaConfigurations` entries, one per trigger and event.
    pub configurations: Vec<Value>,
    /// The permissions the bucket must wait for.
    pub permissions: Vec<LogicalId>,
}

/// The notifications of bucket `name`: every `s3` trigger on it.
pub fn notifications(app: &App, name: &str) -> Notifications {
    let mut notifications = Notifications { configurations: Vec::new(), permissions: Vec::new() };
    for (action, trigger) in triggers_on(app, name) {
        notifications.configurations.extend(trigger.configurations(&function_id(&action.name)));
        let permission = permission_id(&action.name, name);
        if !notifications.permissions.contains(&permission) {
            notifications.permissions.push(permission);
        }
    }
    notifications
}

/// Every `s3` trigger on bucket `name`, with its action.
pub fn triggers_on<'a>(app: &'a App, name: &'a str) -> impl Iterator<Item = (&'a Action, &'a S3Trigger)> + 'a {
    app.actions.iter().flat_map(move |action| {
        action.triggers.iter().filter_map(move |Trigger { kind, .. }| match kind {
            TriggerKind::S3(s3) if s3.bucket == name => Some((action, s3)),
            _ => None,
        })
    })
}
