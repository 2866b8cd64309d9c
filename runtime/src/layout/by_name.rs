//! References spelled from physical names. wirestack fixes most names at
//! synth, so what `Ref` or `Fn::GetAtt` of such a resource returns is known
//! without asking CloudFormation: another stack can write the value itself
//! (and wait for the stack that creates it) instead of taking a parameter
//! that the root passes from an output. This keeps the root small however
//! many children read the same queue.

use crate::cfn::{CfnResource, Part, Pseudo, Value};

/// What `Ref resource` (`attribute` `None`) or `Fn::GetAtt [resource,
/// attribute]` returns, from the name its properties fix; `None` when the
/// value is not known before the resource exists (a stream's ARN, a
/// generated id) or the name is not fixed.
pub(super) fn spelled(resource: &CfnResource, attribute: Option<&str>) -> Option<Value> {
    let name = |property: &str| match &resource.properties {
        Value::Map(properties) => match properties.get(property) {
            Some(Value::Str(name)) => Some(name.clone()),
            _ => None,
        },
        _ => None,
    };
    let arn = |service: &str, prefix: &str, property: &str| {
        let name = name(property)?;
        Some(Value::arn_in_account(service, [format!("{prefix}{name}").as_str().into()]))
    };
    match (resource.kind.as_ref(), attribute) {
        ("AWS::SQS::Queue", None) => {
            let name = name("QueueName")?;
            Some(Value::Sub(vec![
                "https://sqs.".into(),
                Pseudo::Region.into(),
                ".".into(),
                Pseudo::UrlSuffix.into(),
                "/".into(),
                Pseudo::AccountId.into(),
                Part::Text(format!("/{name}")),
            ]))
        }
        ("AWS::SQS::Queue", Some("Arn")) => arn("sqs", "", "QueueName"),
        ("AWS::SNS::Topic", None | Some("TopicArn")) => arn("sns", "", "TopicName"),
        ("AWS::SNS::Topic", Some("TopicName")) => name("TopicName").map(Value::Str),
        ("AWS::DynamoDB::Table", None) => name("TableName").map(Value::Str),
        ("AWS::DynamoDB::Table", Some("Arn")) => arn("dynamodb", "table/", "TableName"),
        ("AWS::Kinesis::Stream", None) => name("Name").map(Value::Str),
        ("AWS::Kinesis::Stream", Some("Arn")) => arn("kinesis", "stream/", "Name"),
        ("AWS::Events::EventBus", None | Some("Name")) => name("Name").map(Value::Str),
        ("AWS::Events::EventBus", Some("Arn")) => arn("events", "event-bus/", "Name"),
        ("AWS::SSM::Parameter", None) => name("Name").map(Value::Str),
        ("AWS::Lambda::Function", None) => name("FunctionName").map(Value::Str),
        ("AWS::Lambda::Function", Some("Arn")) => arn("lambda", "function:", "FunctionName"),
        ("AWS::Logs::LogGroup", None) => name("LogGroupName").map(Value::Str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_is_spelled_as_sqs_answers_for_it() {
        let queue = CfnResource::new("AWS::SQS::Queue", Value::map([("QueueName", Value::from("dev-shop-orders"))]));
        let json = |value: Option<Value>| serde_json::to_value(value.unwrap()).unwrap();
        assert_eq!(
            json(spelled(&queue, None)),
            serde_json::json!({"Fn::Sub": "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/dev-shop-orders"})
        );
        assert_eq!(
            json(spelled(&queue, Some("Arn"))),
            serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:dev-shop-orders"})
        );
        let unnamed = CfnResource::new("AWS::SQS::Queue", Value::Map(Default::default()));
        assert_eq!(spelled(&unnamed, Some("Arn")), None);
        let table = CfnResource::new("AWS::DynamoDB::Table", Value::map([("TableName", Value::from("t"))]));
        assert_eq!(spelled(&table, Some("StreamArn")), None, "a stream's ARN carries its creation time");
    }
}
