//! `#[trigger(s3 = bucket, events = [created], prefix = "in/", suffix = ".csv")]`:
//! S3 invokes the function when objects change.
//!
//! CloudFormation's known cycle (the bucket's notification names the
//! function, the permission names the bucket, the bucket must wait for the
//! permission) is broken by naming the bucket's ARN from its synth-time name
//! (see `resource::bucket`): the permission never refers to the bucket, so
//! the bucket can depend on the permission.

use super::{invoke_permission, EventSource, Function, Origin, Wiring};
use crate::cfn::{Change, LogicalId, Patch, Pseudo, Value};
use crate::kinds::Singleton;
use crate::model::App;
use crate::problem::Problem;
use crate::resource::Bucket;
use crate::sample;
use crate::trigger::TriggerKind;
use crate::Location;
use wirestack_aws::option::Declaration;

pub use wirestack_aws::s3::ObjectEvent;

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
    /// `events` by name, `created` when none are given.
    pub(super) fn declared(declaration: &Declaration<'_>) -> S3Trigger {
        let events: Vec<ObjectEvent> =
            declaration.names("events").iter().filter_map(|name| ObjectEvent::named(name)).collect();
        S3Trigger {
            bucket: declaration.target_text().unwrap_or_default().to_owned(),
            events: if events.is_empty() { vec![ObjectEvent::Created] } else { events },
            prefix: declaration.text("prefix").map(str::to_owned),
            suffix: declaration.text("suffix").map(str::to_owned),
        }
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
                rules.push(Value::map([("Name", Value::from(name)), ("Value", Value::from(value.clone()))]));
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

impl EventSource for S3Trigger {
    fn name(&self) -> &'static str {
        wirestack_aws::trigger::s3::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Resource(&self.bucket)
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        Some((&self.bucket, "bucket"))
    }

    fn invokes_asynchronously(&self) -> bool {
        true
    }

    fn wired_into_resource(&self) -> Option<(&'static str, &'static str)> {
        Some((
            "an `s3` trigger",
            "S3 notifications are a property of the bucket: declare it with `Bucket::new()`, or configure the existing bucket's notifications where it is defined",
        ))
    }

    /// The permission S3 needs (one per action and bucket, however many
    /// triggers), and each notification wired into the bucket, which is
    /// created after the permission: S3 checks it may invoke the function
    /// when the bucket is configured.
    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let action = &function.action.name;
        let target = function.target(&self.bucket);
        let permission = permission_id(action, &self.bucket);
        let first_on_bucket = function.action.triggers.iter().find_map(|t| match &t.kind {
            TriggerKind::S3(s3) if s3.bucket == self.bucket => Some(s3),
            _ => None,
        });
        if first_on_bucket == Some(self) {
            let bucket = target.arn.expect("a bucket has an ARN");
            let mut invoke = invoke_permission(function, "s3.amazonaws.com", bucket);
            // A bucket ARN names no account, so the account is checked too.
            if let Value::Map(properties) = &mut invoke.properties {
                properties.insert("SourceAccount".to_owned(), Value::Pseudo(Pseudo::AccountId));
            }
            wiring.fragment.add(&permission, invoke);
        }
        let bucket = target.id.expect("validation checked the bucket is created here");
        for configuration in self.configurations(function.id) {
            wiring.fragment.patch(Patch {
                target: bucket.clone(),
                path: &["NotificationConfiguration", "LambdaConfigurations"],
                change: Change::Append(configuration),
                depends_on: vec![permission.clone()],
            });
        }
    }

    /// An object created under the trigger's prefix, with its suffix.
    fn sample(&self) -> serde_json::Value {
        let (prefix, suffix) = (self.prefix.as_deref().unwrap_or(""), self.suffix.as_deref().unwrap_or(""));
        sample::s3("example-bucket", &format!("{prefix}example{suffix}"))
    }
}

/// S3 refuses a bucket whose notifications could deliver one change twice.
pub(super) fn overlapping_notifications(app: &App) -> Vec<Problem> {
    let mut problems = Vec::new();
    let triggers: Vec<(&str, &S3Trigger, Location)> = app
        .actions
        .iter()
        .flat_map(|action| {
            action.triggers.iter().filter_map(move |trigger| match &trigger.kind {
                TriggerKind::S3(s3) => Some((action.name.as_str(), s3, trigger.declared_at)),
                _ => None,
            })
        })
        .collect();
    for (i, (first_action, first, first_at)) in triggers.iter().enumerate() {
        for (second_action, second, second_at) in &triggers[i + 1..] {
            if first.overlaps(second) {
                problems.push(
                    Problem::new(format!(
                        "the `s3` triggers of `{first_action}` and `{second_action}` overlap on bucket `{}`; S3 refuses notifications that could deliver one change twice",
                        first.bucket
                    ))
                    .at(*first_at, "first trigger")
                    .at(*second_at, "second trigger")
                    .help("give them different events, or prefixes or suffixes that cannot both match one key"),
                );
            }
        }
    }
    problems
}

/// A resource an `s3` trigger can be notified by.
#[diagnostic::on_unimplemented(
    message = "an `s3` trigger needs a bucket, but this singleton is a `{Self}`",
    label = "not a `Bucket`",
    note = "name a `#[singleton]` that returns `Bucket`"
)]
pub trait BucketKind {}
impl BucketKind for Bucket {}

/// `#[trigger(s3 = S)]` compiles only when `S` is a bucket singleton.
pub fn source<S: Singleton>()
where
    S::Resource: BucketKind,
{
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn s3_triggers_that_could_deliver_one_change_twice_are_reported() {
        use ObjectEvent::*;
        let overlapping = [
            (s3("b", &[Created], None, None), s3("b", &[Put], Some("in/"), None)),
            (s3("b", &[Put], Some("in/"), None), s3("b", &[Put], Some("in/raw/"), Some(".csv"))),
            (s3("b", &[Removed], None, Some(".csv")), s3("b", &[Deleted], None, Some("a.csv"))),
        ];
        for (first, second) in overlapping {
            let app = app(
                vec![action("a", 10, vec![first]), action("b2", 20, vec![second])],
                vec![bucket("b", 1, Bucket::new())],
            );
            let problems = problems(&app);
            assert_eq!(problems.len(), 1, "{problems:#?}");
            assert!(problems[0].contains("the `s3` triggers of `a` and `b2` overlap on bucket `b`"), "{}", problems[0]);
        }
        let disjoint = [
            (s3("b", &[Created], None, None), s3("b", &[Removed], None, None)),
            (s3("b", &[Put], Some("in/"), None), s3("b", &[Put], Some("out/"), None)),
            (s3("b", &[Created], None, Some(".csv")), s3("b", &[Created], None, Some(".json"))),
            (s3("b", &[Put], None, None), s3("b", &[Copy], None, None)),
        ];
        for (first, second) in disjoint {
            let app = app(vec![action("a", 10, vec![first, second])], vec![bucket("b", 1, Bucket::new())]);
            assert_eq!(problems(&app), Vec::<String>::new());
        }
    }

    #[test]
    fn an_s3_trigger_needs_a_bucket_the_stack_creates() {
        let app = app(
            vec![action("a", 10, vec![s3("b", &[ObjectEvent::Created], None, None)])],
            vec![bucket("b", 1, Bucket::existing("legacy-uploads"))],
        );
        let problems = problems(&app);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("an `s3` trigger needs a bucket this stack creates"), "{}", problems[0]);
    }
}
