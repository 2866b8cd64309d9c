//! `Stream<T>`: a Kinesis data stream of `T` records, encrypted with the
//! AWS-managed key, on demand unless given shards. Written with
//! `Writer<stream>`, consumed with `#[trigger(kinesis = stream)]`.

use super::{arn, name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;
use std::marker::PhantomData;

/// What a `Writer` needs on the stream.
pub const PUT: [Permission; 2] = [Permission::new("kinesis", "PutRecord"), Permission::new("kinesis", "PutRecords")];

const MAX_NAME_LEN: usize = 128;
/// Kinesis keeps records 24 hours to 365 days.
const RETENTION_HOURS: std::ops::RangeInclusive<u32> = 24..=8760;
const SHARDS: std::ops::RangeInclusive<u32> = 1..=10_000;
const AWS_MANAGED_KEY: &str = "alias/aws/kinesis";
/// What makes CloudFormation replace a stream (a new, empty one).
const REPLACED_BY: [&str; 1] = ["Name"];

/// A Kinesis data stream of `T` records, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn clicks() -> Stream<Click> { Stream::new().retention_hours(48) }
/// ```
pub struct Stream<T> {
    spec: StreamSpec,
    record: PhantomData<fn() -> T>,
}

/// A stream's settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamSpec {
    /// Provisioned shards; `None` is on-demand capacity.
    pub shards: Option<u32>,
    pub retention_hours: Option<u32>,
    /// The ARN of an existing stream to use instead of creating one.
    pub existing: Option<String>,
    /// Kept when the stack goes (the default), or deleted with it.
    pub removal: Removal,
}

impl<T> Stream<T> {
    /// An on-demand stream: capacity follows traffic.
    pub fn new() -> Stream<T> {
        Stream { spec: StreamSpec::default(), record: PhantomData }
    }

    /// An existing stream, by ARN; its triggers read exactly that stream.
    pub fn existing(arn: &str) -> Stream<T> {
        Stream { spec: StreamSpec { existing: Some(arn.to_owned()), ..StreamSpec::default() }, record: PhantomData }
    }

    /// A fixed number of shards instead of on-demand capacity.
    pub fn shards(mut self, count: u32) -> Stream<T> {
        self.spec.shards = Some(count);
        self
    }

    /// Hours records are kept (24 to 8760; Kinesis's default is 24).
    pub fn retention_hours(mut self, hours: u32) -> Stream<T> {
        self.spec.retention_hours = Some(hours);
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Stream<T> {
        self.spec.removal = Removal::Delete;
        self
    }
}

impl<T> Default for Stream<T> {
    fn default() -> Stream<T> {
        Stream::new()
    }
}

impl<T> IntoResource for Stream<T> {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Stream(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Stream"])
}

/// The variable holding stream `name`'s ARN in a function that may write it.
pub fn arn_env(name: &str) -> String {
    format!("WIRESTACK_STREAM_{}", name.to_ascii_uppercase())
}

impl StreamSpec {
    pub fn arn(&self, name: &str) -> Value {
        match &self.existing {
            Some(arn) => Value::from(arn.clone()),
            None => Value::get_att(&logical_id(name), "Arn"),
        }
    }
}

impl ResourceKind for StreamSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: Some(self.arn(name)), name: None, id: self.existing.is_none().then(|| logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "stream"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        match access {
            Access::Write => {
                Some(Grant::one(Statement::allow(&PUT, vec![self.arn(name)]), (arn_env(name), self.arn(name))))
            }
            Access::Send | Access::Publish | Access::Read | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        if self.existing.is_some() {
            return fragment;
        }
        let mut properties = vec![
            ("Name", Value::from(scope.naming.physical(name))),
            (
                "StreamEncryption",
                Value::map([("EncryptionType", Value::from("KMS")), ("KeyId", Value::from(AWS_MANAGED_KEY))]),
            ),
        ];
        match self.shards {
            Some(shards) => properties.push(("ShardCount", Value::from(shards))),
            None => properties.push(("StreamModeDetails", Value::map([("StreamMode", Value::from("ON_DEMAND"))]))),
        }
        if let Some(hours) = self.retention_hours {
            properties.push(("RetentionPeriodHours", Value::from(hours)));
        }
        let stream = logical_id(name);
        fragment.add(
            &stream,
            CfnResource::new("AWS::Kinesis::Stream", Value::map(properties)).holding_data(&REPLACED_BY, self.removal),
        );
        fragment.output(LogicalId::new(&[name, "StreamArn"]), format!("ARN of stream `{name}`"), self.arn(name));
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        let here = |message: String| Problem::new(message).at(resource.defined_at, "declared here");
        if let Some(arn) = &self.existing {
            return match arn::parse(arn, "kinesis") {
                Some(parsed) if parsed.resource.starts_with("stream/") => Vec::new(),
                _ => vec![arn::not_an_arn(
                    scope,
                    "stream",
                    arn,
                    "a Kinesis stream ARN",
                    "Stream::existing(\"arn:aws:kinesis:REGION:ACCOUNT:stream/NAME\")",
                )],
            };
        }
        let mut problems: Vec<Problem> =
            name_too_long(scope, &scope.naming.physical(&resource.name), MAX_NAME_LEN, "stream").into_iter().collect();
        if let Some(hours) = self.retention_hours.filter(|h| !RETENTION_HOURS.contains(h)) {
            problems.push(here(format!(
                "stream `{}` keeps records {hours} hours; Kinesis allows 24 to 8760",
                resource.name
            )));
        }
        if let Some(shards) = self.shards.filter(|s| !SHARDS.contains(s)) {
            problems.push(here(format!("stream `{}` asks for {shards} shards; use 1 to 10000", resource.name)));
        }
        problems
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_stream_writer_may_put_records_on_exactly_its_stream() {
        use crate::resource::IntoResource as _;
        let arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/legacy-clicks";
        let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
        let mut producer = action("producer", 10, vec![]);
        producer.capabilities = vec![uses(Access::Write, "clicks"), uses(Access::Write, "legacy")];
        let producing = app(
            vec![producer],
            vec![
                resource("clicks", crate::Stream::<()>::new().into_spec()),
                resource("legacy", crate::Stream::<()>::existing(arn).into_spec()),
            ],
        );
        let statements = role_statements(&producing, "ProducerRole");
        let put = serde_json::json!(["kinesis:PutRecord", "kinesis:PutRecords"]);
        assert_eq!(
            statements[1],
            serde_json::json!({"Effect": "Allow", "Action": put, "Resource": [{"Fn::GetAtt": ["ClicksStream", "Arn"]}]})
        );
        assert_eq!(statements[2], serde_json::json!({"Effect": "Allow", "Action": put, "Resource": [arn]}));
        // A stream offers no `Reader`: its records arrive through a trigger.
        let mut reader = action("reader", 20, vec![]);
        reader.capabilities = vec![uses(Access::Read, "clicks")];
        let clicks = resource("clicks", crate::Stream::<()>::new().into_spec());
        let problems = problems(&app(vec![reader], vec![clicks]));
        assert!(
            problems[0].contains("`reader` takes a `Reader<clicks>`, which a stream does not offer"),
            "{problems:#?}"
        );
    }
}
