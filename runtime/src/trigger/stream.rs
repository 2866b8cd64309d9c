//! What the `kinesis` and `dynamodb` kinds share: an event source mapping that polls the stream, reports partial batch
//! failures (so processing resumes at the first failed record), and sends
//! the description of records it gives up on to the action's failed-events
//! queue, so nothing is dropped without a trace.

use super::{EventSource, Function, Origin, Wiring};
use crate::cfn::{CfnResource, Change, LogicalId, Patch, Value};
use crate::iam::{Permission, Statement};
use crate::render::failed_events_id;
use crate::sample;
use wirestack_aws::option::Declaration;

/// What Lambda's Kinesis event source needs on the stream (shared
/// throughput; `SubscribeToShard` is only for enhanced fan-out consumers).
pub const READ_KINESIS_STREAM: [Permission; 5] = [
    Permission::new("kinesis", "DescribeStream"),
    Permission::new("kinesis", "DescribeStreamSummary"),
    Permission::new("kinesis", "GetRecords"),
    Permission::new("kinesis", "GetShardIterator"),
    Permission::new("kinesis", "ListShards"),
];
/// What Lambda's DynamoDB event source needs on the table's stream.
pub const READ_TABLE_STREAM: [Permission; 3] = [
    Permission::new("dynamodb", "DescribeStream"),
    Permission::new("dynamodb", "GetRecords"),
    Permission::new("dynamodb", "GetShardIterator"),
];
/// Lists the table's streams; IAM offers it on no narrower resource.
pub const LIST_TABLE_STREAMS: Permission = Permission::new("dynamodb", "ListStreams");

/// What a table's stream carries for its consumers: both images, so an
/// `ItemChange` has `old` and `new`.
pub const STREAM_VIEW: &str = "NEW_AND_OLD_IMAGES";
/// Lambda's default batch size for streams.
pub const DEFAULT_BATCH: u32 = 100;
/// Retries of a failing batch before its records are given up (to the
/// failed-events queue); Lambda's own default retries until they expire.
pub const DEFAULT_RETRIES: u32 = 3;

/// Which stream a trigger reads.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamSource {
    /// A `Stream<T>` singleton.
    Kinesis { stream: String },
    /// The change stream of a `Table<T>` singleton.
    DynamoDb { table: String },
}

/// Where a new mapping starts reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartPosition {
    /// Only records written from now on (the default).
    Latest,
    /// Everything the stream still holds.
    TrimHorizon,
}

impl StartPosition {
    fn as_str(self) -> &'static str {
        match self {
            StartPosition::Latest => "LATEST",
            StartPosition::TrimHorizon => "TRIM_HORIZON",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StreamTrigger {
    pub source: StreamSource,
    pub start: StartPosition,
    pub batch_size: Option<u32>,
    pub window_s: Option<u32>,
    pub retries: Option<u32>,
    /// An event filter pattern (JSON), for DynamoDB: only matching records
    /// invoke the function.
    pub filter: Option<String>,
}

impl StreamSource {
    /// The singleton's name.
    pub fn resource(&self) -> &str {
        match self {
            StreamSource::Kinesis { stream } => stream,
            StreamSource::DynamoDb { table } => table,
        }
    }
}

impl StreamTrigger {
    /// The mapping's settings as declared; `start` defaults to `latest`.
    pub(super) fn declared(source: StreamSource, declaration: &Declaration<'_>) -> StreamTrigger {
        StreamTrigger {
            source,
            start: match declaration.text("start") {
                Some("trim_horizon") => StartPosition::TrimHorizon,
                _ => StartPosition::Latest,
            },
            batch_size: declaration.int("batch"),
            window_s: declaration.int("window"),
            retries: declaration.int("retries"),
            filter: declaration.text("filter").map(str::to_owned),
        }
    }
}

impl EventSource for StreamTrigger {
    fn name(&self) -> &'static str {
        match self.source {
            StreamSource::Kinesis { .. } => wirestack_aws::trigger::kinesis::NAME,
            StreamSource::DynamoDb { .. } => wirestack_aws::trigger::dynamodb::NAME,
        }
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Resource(self.source.resource())
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        match &self.source {
            StreamSource::Kinesis { stream } => Some((stream, "stream")),
            StreamSource::DynamoDb { table } => Some((table, "table")),
        }
    }

    fn keeps_what_fails(&self) -> bool {
        true
    }

    fn takes_every_event(&self) -> bool {
        true
    }

    fn wired_into_resource(&self) -> Option<(&'static str, &'static str)> {
        matches!(self.source, StreamSource::DynamoDb { .. }).then_some((
            "a `dynamodb` trigger",
            "its stream's ARN is not known here: declare the table with `Table::new()`, or wire the existing stream with a `Raw` event source mapping",
        ))
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let name = self.source.resource();
        let target = function.target(name);
        let stream_arn = match &self.source {
            StreamSource::Kinesis { .. } => {
                let arn = target.arn.expect("a stream has an ARN");
                wiring.statements.push(Statement::allow(&READ_KINESIS_STREAM, vec![arn.clone()]));
                arn
            }
            StreamSource::DynamoDb { .. } => {
                let table = target.id.expect("validation checked the table is created here");
                let arn = Value::get_att(&table, "StreamArn");
                wiring.fragment.patch(Patch {
                    target: table,
                    path: &["StreamSpecification"],
                    change: Change::Default(Value::map([("StreamViewType", Value::from(STREAM_VIEW))])),
                    depends_on: Vec::new(),
                });
                wiring.statements.push(Statement::allow(&READ_TABLE_STREAM, vec![arn.clone()]));
                wiring.statements.push(Statement::unscoped(LIST_TABLE_STREAMS));
                arn
            }
        };
        let failed_events = failed_events_id(&function.action.name);
        let mut properties = vec![
            ("EventSourceArn", stream_arn),
            ("FunctionName", Value::reference(function.id)),
            ("StartingPosition", Value::from(self.start.as_str())),
            ("BatchSize", Value::from(self.batch_size.unwrap_or(DEFAULT_BATCH))),
            ("FunctionResponseTypes", Value::list([Value::from("ReportBatchItemFailures")])),
            ("MaximumRetryAttempts", Value::from(self.retries.unwrap_or(DEFAULT_RETRIES))),
            (
                "DestinationConfig",
                Value::map([("OnFailure", Value::map([("Destination", Value::get_att(&failed_events, "Arn"))]))]),
            ),
            ("Enabled", Value::from(true)),
        ];
        if let Some(window) = self.window_s {
            properties.push(("MaximumBatchingWindowInSeconds", Value::from(window)));
        }
        if let Some(pattern) = &self.filter {
            properties.push((
                "FilterCriteria",
                Value::map([("Filters", Value::list([Value::map([("Pattern", Value::from(pattern.clone()))])]))]),
            ));
        }
        let id = LogicalId::new(&[&function.action.name, name, "Mapping"]);
        wiring.fragment.add(&id, CfnResource::new("AWS::Lambda::EventSourceMapping", Value::map(properties)));
    }

    fn sample(&self) -> serde_json::Value {
        match self.source {
            StreamSource::Kinesis { .. } => sample::kinesis(&["{}"]),
            StreamSource::DynamoDb { .. } => {
                let item = serde_json::json!({"id": {"S": "example"}});
                sample::dynamodb(&[("INSERT", item.clone(), None, Some(item))])
            }
        }
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn stream_triggers_read_exactly_their_stream_and_keep_what_they_give_up() {
        use crate::resource::IntoResource as _;
        use crate::trigger::StreamSource;
        let clicks = Resource {
            name: "clicks".to_owned(),
            defined_at: at(1),
            owner: None,
            spec: crate::Stream::<()>::new().into_spec(),
        };
        let kinesis = stream_trigger(StreamSource::Kinesis { stream: "clicks".to_owned() });
        let dynamodb = stream_trigger(StreamSource::DynamoDb { table: "users".to_owned() });
        let app = app(
            vec![action("count", 10, vec![kinesis]), action("watch", 20, vec![dynamodb])],
            vec![clicks, table("users", 2, false)],
        );
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
        let resources = &template["Resources"];
        let mapping = &resources["CountClicksMapping"]["Properties"];
        assert_eq!(mapping["EventSourceArn"], serde_json::json!({"Fn::GetAtt": ["ClicksStream", "Arn"]}));
        assert_eq!(mapping["StartingPosition"], "LATEST");
        assert_eq!(
            mapping["DestinationConfig"]["OnFailure"]["Destination"],
            serde_json::json!({"Fn::GetAtt": ["CountFailedEvents", "Arn"]})
        );
        // Polled: no Lambda dead-letter queue, the mapping's destination instead.
        assert!(resources["CountFunction"]["Properties"].get("DeadLetterConfig").is_none());
        let count = role_statements(&app, "CountRole");
        assert_eq!(count[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["ClicksStream", "Arn"]}]));
        // A `dynamodb` trigger turns the table's stream on and reads it.
        assert_eq!(
            resources["UsersTable"]["Properties"]["StreamSpecification"]["StreamViewType"],
            "NEW_AND_OLD_IMAGES"
        );
        let watch = role_statements(&app, "WatchRole");
        assert_eq!(watch[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["UsersTable", "StreamArn"]}]));
        assert_eq!(
            watch[2],
            serde_json::json!({"Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": ["*"]})
        );
    }

    #[test]
    fn a_dynamodb_trigger_needs_a_table_the_stack_creates() {
        use crate::resource::IntoResource as _;
        let arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/legacy";
        let legacy = Resource {
            name: "legacy".to_owned(),
            defined_at: at(1),
            owner: None,
            spec: Table::<()>::existing(arn).into_spec(),
        };
        let trigger = stream_trigger(crate::trigger::StreamSource::DynamoDb { table: "legacy".to_owned() });
        let problems = problems(&app(vec![action("watch", 10, vec![trigger])], vec![legacy]));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("a `dynamodb` trigger needs a table this stack creates"), "{}", problems[0]);
    }
}
