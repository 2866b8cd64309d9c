//! References spelled from physical names. wirestack fixes most names at
//! synth, so what `Ref` or `Fn::GetAtt` of such a resource returns is known
//! without asking CloudFormation: another stack can write the value itself
//! (and wait for the stack that creates it) instead of taking a parameter
//! that the root passes from an output. This keeps the root small however
//! many children read the same queue.

use crate::cfn::{CfnResource, Pseudo, Value};

/// How a reference reads from a name: cheap to find, made into a value only
/// where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Spelling<'a> {
    /// The name itself.
    Name(&'a str),
    /// `arn:${AWS::Partition}:SERVICE:${AWS::Region}:${AWS::AccountId}:PREFIXname`.
    Arn { service: &'static str, prefix: &'static str, name: &'a str },
    /// `https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/name`.
    QueueUrl(&'a str),
}

/// The physical name `resource`'s properties fix, for the kinds whose
/// references can be spelled from it.
pub(super) fn fixed_name(resource: &CfnResource) -> Option<&str> {
    let property = match resource.kind.as_ref() {
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::Kinesis::Stream" | "AWS::Events::EventBus" | "AWS::SSM::Parameter" => "Name",
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::Logs::LogGroup" => "LogGroupName",
        _ => return None,
    };
    match &resource.properties {
        Value::Map(properties) => match properties.get(property) {
            Some(Value::Str(name)) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// What `Ref` (`attribute` `None`) or `Fn::GetAtt` of a resource of type
/// `kind` named `name` returns; `None` when the value is not known before
/// the resource exists (a stream's ARN, a generated id).
pub(super) fn spelled<'a>(kind: &str, name: &'a str, attribute: Option<&str>) -> Option<Spelling<'a>> {
    let arn = |service, prefix| Some(Spelling::Arn { service, prefix, name });
    match (kind, attribute) {
        ("AWS::SQS::Queue", None) => Some(Spelling::QueueUrl(name)),
        ("AWS::SQS::Queue", Some("Arn")) => arn("sqs", ""),
        ("AWS::SNS::Topic", None | Some("TopicArn")) => arn("sns", ""),
        ("AWS::DynamoDB::Table", Some("Arn")) => arn("dynamodb", "table/"),
        ("AWS::Kinesis::Stream", Some("Arn")) => arn("kinesis", "stream/"),
        ("AWS::Events::EventBus", Some("Arn")) => arn("events", "event-bus/"),
        ("AWS::Lambda::Function", Some("Arn")) => arn("lambda", "function:"),
        ("AWS::SNS::Topic", Some("TopicName")) | ("AWS::Events::EventBus", Some("Name")) => Some(Spelling::Name(name)),
        (
            "AWS::DynamoDB::Table"
            | "AWS::Kinesis::Stream"
            | "AWS::Events::EventBus"
            | "AWS::SSM::Parameter"
            | "AWS::Lambda::Function"
            | "AWS::Logs::LogGroup",
            None,
        ) => Some(Spelling::Name(name)),
        _ => None,
    }
}

impl Spelling<'_> {
    pub(super) fn into_value(self) -> Value {
        match self {
            Spelling::Name(name) => Value::from(name.to_owned()),
            Spelling::Arn { service, prefix, name } => {
                Value::arn_in_account(service, [format!("{prefix}{name}").into()])
            }
            Spelling::QueueUrl(name) => Value::Sub(vec![
                "https://sqs.".into(),
                Pseudo::Region.into(),
                ".".into(),
                Pseudo::UrlSuffix.into(),
                "/".into(),
                Pseudo::AccountId.into(),
                format!("/{name}").into(),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`spelled`] for a resource whose name is fixed.
    fn spelled_resource<'a>(resource: &'a CfnResource, attribute: Option<&str>) -> Option<Spelling<'a>> {
        spelled(&resource.kind, fixed_name(resource)?, attribute)
    }

    #[test]
    fn a_queue_is_spelled_as_sqs_answers_for_it() {
        let queue = CfnResource::new("AWS::SQS::Queue", Value::map([("QueueName", Value::from("dev-shop-orders"))]));
        let json = |spelling: Option<Spelling>| serde_json::to_value(spelling.unwrap().into_value()).unwrap();
        assert_eq!(
            json(spelled_resource(&queue, None)),
            serde_json::json!({"Fn::Sub": "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/dev-shop-orders"})
        );
        assert_eq!(
            json(spelled_resource(&queue, Some("Arn"))),
            serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:dev-shop-orders"})
        );
        let unnamed = CfnResource::new("AWS::SQS::Queue", Value::Map(Default::default()));
        assert_eq!(spelled_resource(&unnamed, Some("Arn")), None);
        let table = CfnResource::new("AWS::DynamoDB::Table", Value::map([("TableName", Value::from("t"))]));
        assert_eq!(spelled_resource(&table, Some("StreamArn")), None, "a stream's ARN carries its creation time");
    }
}
