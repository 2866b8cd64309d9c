//! The example app's templates: accepted by cfn-lint, deterministic, least
//! privilege, and as reviewed (golden file).

use serde_json::{json, Value};
use wirestack::code::{Architecture, Code};
use wirestack::synth::synthesize_with;
use wirestack_tests::{
    app_with_existing_resources, app_with_streams_and_fifo, cfn_lint, iam_statements, shop, shop_synthesis,
    shop_template,
};

#[test]
fn cfn_lint_accepts_every_template_with_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for stage in [None, Some("dev")] {
        paths.extend(shop_synthesis(stage).write_to(dir.path()).unwrap().into_iter().map(|(path, _)| path));
    }
    // Packaged for arm64: a default code key and another architecture.
    let layers = [("carriers".to_owned(), "shop/layers/4567cdef.zip".to_owned())].into();
    let code = Code { key: Some("shop/0123abcd.zip".to_owned()), architecture: Architecture::Arm64, layers };
    let packaged = synthesize_with(&shop(), Some("arm"), &code).unwrap();
    paths.extend(packaged.write_to(dir.path()).unwrap().into_iter().map(|(path, _)| path));
    // An app that uses an existing queue, topic, table, bucket and secret.
    let legacy = synthesize_with(&app_with_existing_resources(), None, &Code::default()).unwrap();
    paths.extend(legacy.write_to(dir.path()).unwrap().into_iter().map(|(path, _)| path));
    // An app with a Kinesis stream, a FIFO queue and a FIFO topic.
    let feeds = synthesize_with(&app_with_streams_and_fifo(), None, &Code::default()).unwrap();
    paths.extend(feeds.write_to(dir.path()).unwrap().into_iter().map(|(path, _)| path));
    assert_eq!(paths.len(), 5);
    let (ok, report) = cfn_lint(&paths);
    assert!(ok && report.trim().is_empty(), "cfn-lint found problems:\n{report}");
}

/// Wildcards: none in a literal ARN, and `"*"` only for what IAM cannot
/// scope (here, the `dynamodb` trigger's `ListStreams`, alone in its statement).
#[test]
fn no_statement_grants_a_wildcard_resource_but_what_iam_cannot_scope() {
    let template = shop_template(None);
    let statements = iam_statements(&template);
    assert!(statements.len() >= 6, "every function's role has statements");
    let mut unscoped = Vec::new();
    for (role, statement) in statements {
        for resource in statement["Resource"].as_array().expect("Resource is a list") {
            if resource == "*" {
                unscoped.push((role.clone(), statement["Action"].clone()));
                continue;
            }
            let wildcard = resource.as_str().is_some_and(|r| r.contains('*'));
            assert!(!wildcard, "{role} grants {} on {resource}", statement["Action"]);
        }
    }
    assert_eq!(unscoped, [("CheckOrderRole".to_owned(), json!(["dynamodb:ListStreams"]))]);
}

fn statements_of(template: &Value, role: &str) -> Vec<Value> {
    iam_statements(template).into_iter().filter(|(r, _)| r == role).map(|(_, s)| s).collect()
}

#[test]
fn fulfil_may_consume_its_queue_write_its_table_and_bucket_publish_to_its_topic_and_write_its_logs() {
    let template = shop_template(None);
    let fulfil = statements_of(&template, "FulfilRole");
    assert_eq!(
        fulfil,
        vec![
            json!({
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FulfilLogGroup}:log-stream:*"}],
            }),
            json!({
                "Effect": "Allow",
                "Action": ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                "Resource": [{"Fn::GetAtt": ["OrdersQueue", "Arn"]}],
            }),
            json!({
                "Effect": "Allow",
                "Action": ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                "Resource": [{"Fn::GetAtt": ["OrderBookTable", "Arn"]}],
            }),
            json!({
                "Effect": "Allow",
                "Action": ["s3:DeleteObject", "s3:PutObject"],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::shop-receipts-${AWS::AccountId}-${AWS::Region}/*"}],
            }),
            json!({
                "Effect": "Allow",
                "Action": ["sns:Publish"],
                "Resource": [{"Ref": "ShippedTopic"}],
            }),
        ]
    );
    // The table is written by `fulfil` and read by `get_order`, which may only read.
    assert_eq!(
        statements_of(&template, "GetOrderRole")[1..],
        [json!({
            "Effect": "Allow",
            "Action": ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:Query"],
            "Resource": [{"Fn::GetAtt": ["OrderBookTable", "Arn"]}],
        })]
    );
    let env = &template["Resources"]["FulfilFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["WIRESTACK_TOPIC_SHIPPED"], json!({"Ref": "ShippedTopic"}));
}

#[test]
fn a_sender_may_send_to_exactly_its_queue() {
    let template = shop_template(None);
    assert_eq!(
        statements_of(&template, "PlaceOrderRole")[1..],
        [
            json!({"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["OrdersQueue", "Arn"]}]})
        ]
    );
    // `Sender<notify>` names the queue `notify` owns; an SNS subscriber also
    // sends its failed events to its own dead-letter queue; and
    // `SecretValue<carrier_api_key>` reads that one secret.
    let send_to =
        |id: &str| json!({"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": [id, "Arn"]}]});
    let read_secret = json!({"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [{"Ref": "CarrierApiKeySecret"}]});
    assert_eq!(
        statements_of(&template, "AnnounceRole")[1..],
        [send_to("AnnounceFailedEvents"), send_to("NotifyQueue"), read_secret]
    );
    assert_eq!(
        template["Resources"]["AnnounceFunction"]["Properties"]["DeadLetterConfig"],
        json!({"TargetArn": {"Fn::GetAtt": ["AnnounceFailedEvents", "Arn"]}})
    );
    let env = &template["Resources"]["PlaceOrderFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["WIRESTACK_QUEUE_ORDERS"], json!({"Ref": "OrdersQueue"}));
}

#[test]
fn push_sources_may_invoke_only_from_their_own_source() {
    let template = shop_template(None);
    let resources = template["Resources"].as_object().unwrap();
    let permissions: Vec<(&String, &Value)> =
        resources.iter().filter(|(_, r)| r["Type"] == "AWS::Lambda::Permission").collect();
    // Three routes, one topic, one bucket, two schedules.
    assert_eq!(permissions.len(), 7);
    for (id, permission) in permissions {
        let source = &permission["Properties"]["SourceArn"];
        assert!(source.is_object(), "{id} has a SourceArn from the template, not a literal: {source}");
    }
    assert_eq!(
        resources["RouteGetOrdersByIdPermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*/GET/orders/*"})
    );
    assert_eq!(resources["AnnounceShippedPermission"]["Properties"]["SourceArn"], json!({"Ref": "ShippedTopic"}));
}

/// CloudFormation's known cycle: the bucket's notification names the
/// function, the permission must exist before the bucket, and the function's
/// role grants on the bucket. Names built at synth time break it: nothing
/// the function needs refers to the bucket. (cfn-lint's E3004 checks the
/// whole graph; this names the edges.)
#[test]
fn a_bucket_notifies_its_trigger_without_a_dependency_cycle() {
    let template = shop_template(None);
    let resources = &template["Resources"];
    let bucket = &resources["ReceiptsBucket"];
    assert_eq!(bucket["DependsOn"], json!(["FileReceiptReceiptsPermission"]));
    assert_eq!(
        bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"],
        json!([{
            "Event": "s3:ObjectCreated:*",
            "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "receipts/"}, {"Name": "suffix", "Value": ".json"}]}},
            "Function": {"Fn::GetAtt": ["FileReceiptFunction", "Arn"]},
        }])
    );
    let arn = json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::shop-receipts-${AWS::AccountId}-${AWS::Region}"});
    let permission = &resources["FileReceiptReceiptsPermission"]["Properties"];
    assert_eq!(permission["SourceArn"], arn);
    assert_eq!(permission["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    for id in
        ["FileReceiptFunction", "FileReceiptRole", "FileReceiptReceiptsPermission", "FulfilFunction", "FulfilRole"]
    {
        let text = resources[id].to_string();
        assert!(!text.contains("ReceiptsBucket"), "{id} refers to the bucket, closing the cycle: {text}");
    }
    let env = &resources["FileReceiptFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["WIRESTACK_BUCKET_RECEIPTS"], json!({"Fn::Sub": "shop-receipts-${AWS::AccountId}-${AWS::Region}"}));
}

#[test]
fn invoke_may_invoke_exactly_its_action_which_keeps_failed_events() {
    let template = shop_template(Some("dev"));
    let statements = statements_of(&template, "FileReceiptRole");
    assert_eq!(
        statements.last().unwrap(),
        &json!({
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:dev-shop-tally"}],
        })
    );
    let resources = &template["Resources"];
    assert_eq!(
        resources["FileReceiptFunction"]["Properties"]["Environment"]["Variables"]["WIRESTACK_FUNCTION_TALLY"],
        "dev-shop-tally"
    );
    // `send_event` invokes asynchronously, so what still fails is kept.
    assert_eq!(
        resources["TallyFunction"]["Properties"]["DeadLetterConfig"],
        json!({"TargetArn": {"Fn::GetAtt": ["TallyFailedEvents", "Arn"]}})
    );
}

#[test]
fn a_route_with_auth_requires_a_token_from_its_user_pool() {
    let template = shop_template(None);
    let resources = &template["Resources"];
    let route = &resources["RouteGetMe"]["Properties"];
    assert_eq!(route["AuthorizationType"], "JWT");
    assert_eq!(route["AuthorizerId"], json!({"Ref": "CustomersAuthorizer"}));
    assert_eq!(resources["RouteGetOrdersById"]["Properties"]["AuthorizationType"], "NONE");
    let authorizer = &resources["CustomersAuthorizer"]["Properties"];
    assert_eq!(
        authorizer["JwtConfiguration"],
        json!({
            "Audience": [{"Ref": "CustomersUserPoolClient"}],
            "Issuer": {"Fn::Sub": "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${CustomersUserPool}"},
        })
    );
    let client = &resources["CustomersUserPoolClient"]["Properties"];
    assert_eq!((&client["GenerateSecret"], &client["PreventUserExistenceErrors"]), (&json!(false), &json!("ENABLED")));
}

#[test]
fn every_reference_resolves_inside_the_template() {
    for stack in shop_synthesis(Some("dev")).stacks {
        assert_eq!(stack.template.dangling_references(), vec![]);
    }
}

#[test]
fn two_runs_write_identical_bytes() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = shop_synthesis(Some("prod")).write_to(first.path()).unwrap();
    let b = shop_synthesis(Some("prod")).write_to(second.path()).unwrap();
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.0.file_name(), b.0.file_name());
        assert_eq!(std::fs::read(&a.0).unwrap(), std::fs::read(&b.0).unwrap());
    }
}

#[test]
fn a_stage_prefixes_every_physical_name() {
    let template = shop_template(Some("dev"));
    let resources = template["Resources"].as_object().unwrap();
    let names = ["FunctionName", "QueueName", "TopicName", "LogGroupName", "Name"];
    let mut checked = 0;
    for resource in resources.values() {
        for key in names {
            if let Some(name) = resource["Properties"][key].as_str() {
                let prefixed = ["dev-shop", "/aws/lambda/dev-shop-", "/aws/apigateway/dev-shop-"];
                assert!(prefixed.iter().any(|p| name.starts_with(p)), "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 17, "only {checked} physical names found");
}

#[test]
fn owned_queue_hides_messages_for_six_consumer_timeouts() {
    let template = shop_template(None);
    // `notify` has a 20 s timeout and owns its queue.
    assert_eq!(template["Resources"]["NotifyQueue"]["Properties"]["VisibilityTimeout"], json!(120));
    // `orders` sets its own.
    assert_eq!(template["Resources"]["OrdersQueue"]["Properties"]["VisibilityTimeout"], json!(300));
}

/// Templates are written from wirestack's sorted maps, never through a
/// `serde_json::Map`, so the bytes hold whatever serde_json's features are.
/// This test binary is built with `preserve_order` on (see Cargo.toml), under
/// which a `Map` would keep insertion order instead of sorting.
#[test]
fn golden_template_ignores_serde_json_key_order() {
    let unsorted = serde_json::to_string(&json!({"b": 1, "a": 2})).unwrap();
    assert_eq!(unsorted, r#"{"b":1,"a":2}"#, "serde_json's preserve_order is on in this build");
    golden_template();
}

#[test]
fn golden_template() {
    let synthesis = shop_synthesis(None);
    insta::assert_snapshot!("shop.template.json", synthesis.stacks[0].template.to_pretty_string());
}
