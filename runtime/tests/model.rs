//! The App model, validation, layout and rendering, built by hand: no
//! macros, no registry, no AWS.

use wirestack::capability::Access;
use wirestack::cfn::LogicalId;
use wirestack::code::Code;
use wirestack::layout::Limits;
use wirestack::model::{Action, App, Resource, Settings, UsedCapability};
use wirestack::resource::{Key, QueueSpec, ResourceSpec, Table, TopicSpec};
use wirestack::synth::{synthesize, synthesize_within};
use wirestack::trigger::{
    HttpMethod, HttpRoute, ObjectEvent, S3Trigger, ScheduleTrigger, SnsTrigger, SqsTrigger, Trigger, TriggerKind,
};
use wirestack::Bucket;
use wirestack::Location;

fn at(line: u32) -> Location {
    Location { file: "src/lib.rs", line, column: 1 }
}

fn action(name: &str, line: u32, triggers: Vec<TriggerKind>) -> Action {
    Action {
        name: name.to_owned(),
        rust_path: format!("app::{name}"),
        defined_at: at(line),
        settings: Settings::default(),
        triggers: triggers.into_iter().map(|kind| Trigger { declared_at: at(line), kind }).collect(),
        capabilities: Vec::new(),
    }
}

fn queue(name: &str, line: u32, visibility: Option<u32>) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(line),
        owner: None,
        spec: ResourceSpec::Queue(QueueSpec { visibility_timeout_s: visibility, ..QueueSpec::default() }),
    }
}

fn topic(name: &str, line: u32) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(line),
        owner: None,
        spec: ResourceSpec::Topic(TopicSpec::default()),
    }
}

fn sqs(queue: &str) -> TriggerKind {
    TriggerKind::Sqs(SqsTrigger { queue: queue.to_owned(), batch_size: None, window_s: None })
}

fn route(method: HttpMethod, path: &str) -> TriggerKind {
    TriggerKind::Http(HttpRoute { method, path: path.to_owned(), auth: None })
}

fn app(actions: Vec<Action>, resources: Vec<Resource>) -> App {
    App { name: "app".to_owned(), actions, resources }
}

fn problems(app: &App) -> Vec<String> {
    match synthesize(app, None) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_duplicate_route_names_both_places() {
    let app = app(
        vec![
            action("a", 10, vec![route(HttpMethod::Get, "/orders/{id}")]),
            action("b", 20, vec![route(HttpMethod::Get, "/orders/{key}")]),
            action("c", 30, vec![route(HttpMethod::Post, "/orders/{id}")]),
        ],
        vec![],
    );
    let problems = problems(&app);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("route `GET /orders/{key}` is declared twice"), "{}", problems[0]);
    assert!(problems[0].contains("src/lib.rs:10:1") && problems[0].contains("src/lib.rs:20:1"), "{}", problems[0]);
}

#[test]
fn duplicate_names_name_every_place() {
    let app = app(
        vec![action("same", 1, vec![sqs("same")]), action("same", 2, vec![])],
        vec![queue("same", 3, None), queue("same", 4, None)],
    );
    let problems = problems(&app).join("\n");
    assert!(problems.contains("two actions are named `same`"), "{problems}");
    assert!(problems.contains("two resources are named `same`"), "{problems}");
    for line in 1..=4 {
        assert!(problems.contains(&format!("src/lib.rs:{line}:1")), "line {line} missing from\n{problems}");
    }
}

#[test]
fn a_trigger_on_a_missing_or_wrong_singleton_is_reported() {
    let app =
        app(vec![action("a", 1, vec![sqs("nothing")]), action("b", 2, vec![sqs("events")])], vec![topic("events", 3)]);
    let problems = problems(&app).join("\n");
    assert!(problems.contains("`a` triggers on `nothing`, which is not a registered singleton"), "{problems}");
    assert!(problems.contains("a `sqs` trigger needs a queue, but `events` is a topic"), "{problems}");
}

#[test]
fn a_visibility_timeout_below_a_consumers_timeout_names_both() {
    let mut slow = action("slow", 5, vec![sqs("jobs")]);
    slow.settings.timeout_s = 120;
    let app = app(vec![slow], vec![queue("jobs", 9, Some(60))]);
    let problems = problems(&app);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("visibility timeout of 60 s, below the 120 s timeout of its consumer `slow`"));
    assert!(problems[0].contains("src/lib.rs:9:1") && problems[0].contains("src/lib.rs:5:1"));
}

#[test]
fn an_unset_visibility_timeout_follows_the_slowest_consumer() {
    let mut slow = action("slow", 1, vec![sqs("jobs")]);
    slow.settings.timeout_s = 100;
    let app = app(vec![slow, action("quick", 2, vec![sqs("jobs")])], vec![queue("jobs", 3, None)]);
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
    let queue = &template.resources[&LogicalId::new(&["JobsQueue"])];
    assert_eq!(serde_json::to_value(&queue.properties).unwrap()["VisibilityTimeout"], 600);
}

#[test]
fn settings_out_of_lambdas_bounds_are_reported() {
    let mut big = action("big", 1, vec![]);
    big.settings.memory_mb = 20_000;
    big.settings.timeout_s = 0;
    let problems = problems(&app(vec![big], vec![])).join("\n");
    assert!(problems.contains("asks for 20000 MB"), "{problems}");
    assert!(problems.contains("timeout of 0 s"), "{problems}");
}

#[test]
fn a_function_name_too_long_for_lambda_is_reported() {
    let long = "a".repeat(61); // `app-` + 61 = 65 characters
    let problems = problems(&app(vec![action(&long, 1, vec![])], vec![]));
    assert!(problems[0].contains("Lambda allows 64"), "{problems:?}");
}

#[test]
fn an_app_over_a_templates_limits_says_which_limit_and_how_many() {
    let actions = (0..10).map(|i| action(&format!("f{i}"), i, vec![])).collect();
    let app = app(actions, vec![]);
    let limits = Limits { resources: 25, ..Limits::CLOUDFORMATION };
    let error = synthesize_within(&app, None, &Code::default(), &limits).unwrap_err().to_string();
    // Each action is a function, a role and a log group.
    assert!(error.contains("stack `app` needs 30 resources; one CloudFormation template allows 25"), "{error}");
    assert!(synthesize_within(&app, None, &Code::default(), &Limits { resources: 30, ..limits }).is_ok());
}

#[test]
fn logical_ids_that_collide_are_reported_with_both_places() {
    // `place_order` and `placeOrder` both become `PlaceOrder...`.
    let app = app(vec![action("place_order", 1, vec![]), action("placeOrder", 2, vec![])], vec![]);
    let problems = problems(&app).join("\n");
    assert!(problems.contains("both produce the CloudFormation resource `PlaceOrderFunction`"), "{problems}");
}

#[test]
fn each_trigger_renders_its_wiring_and_only_its_grants() {
    let app = app(
        vec![action(
            "worker",
            1,
            vec![
                sqs("jobs"),
                TriggerKind::Sns(SnsTrigger { topic: "news".to_owned() }),
                TriggerKind::Schedule(ScheduleTrigger { expression: "rate(1 hour)".to_owned() }),
                TriggerKind::Schedule(ScheduleTrigger { expression: "rate(2 hours)".to_owned() }),
            ],
        )],
        vec![queue("jobs", 2, None), topic("news", 3)],
    );
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
    let ids: Vec<&str> = template.resources.keys().map(LogicalId::as_str).collect();
    // Each schedule's rule is named by its expression, not its position.
    let (hourly, two_hourly) = (LogicalId::digest("rate(1 hour)"), LogicalId::digest("rate(2 hours)"));
    let mut expected = vec![
        "JobsDeadLetterQueue".to_owned(),
        "JobsQueue".to_owned(),
        "NewsTopic".to_owned(),
        "WorkerFailedEvents".to_owned(),
        "WorkerFunction".to_owned(),
        "WorkerJobsMapping".to_owned(),
        "WorkerLogGroup".to_owned(),
        "WorkerNewsPermission".to_owned(),
        "WorkerNewsSubscription".to_owned(),
        "WorkerRole".to_owned(),
        format!("WorkerSchedule{hourly}"),
        format!("WorkerSchedule{hourly}Permission"),
        format!("WorkerSchedule{two_hourly}"),
        format!("WorkerSchedule{two_hourly}Permission"),
    ];
    expected.sort();
    assert_eq!(ids, expected);
    let json = template.to_json();
    let statements = &json["Resources"]["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    // Logs, the queue it consumes, and its dead-letter queue for the events
    // SNS and EventBridge push (which need no grant of their own on the role,
    // only the scoped permissions above).
    assert_eq!(statements.as_array().unwrap().len(), 3);
    assert_eq!(statements[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["JobsQueue", "Arn"]}]));
    assert_eq!(statements[2]["Resource"], serde_json::json!([{"Fn::GetAtt": ["WorkerFailedEvents", "Arn"]}]));
    assert_eq!(
        json["Resources"][format!("WorkerSchedule{two_hourly}Permission")]["Properties"]["SourceArn"],
        serde_json::json!({"Fn::GetAtt": [format!("WorkerSchedule{two_hourly}"), "Arn"]})
    );
}

#[test]
fn swapping_two_schedules_or_two_rules_changes_no_byte() {
    let schedule = |expression: &str| TriggerKind::Schedule(ScheduleTrigger { expression: expression.to_owned() });
    let rule = |source: &str| {
        TriggerKind::Event(wirestack::trigger::EventTrigger {
            pattern: format!(r#"{{"source": ["{source}"]}}"#),
            bus: None,
        })
    };
    let written = |triggers: Vec<TriggerKind>| {
        let app = app(vec![action("audit", 1, triggers)], vec![]);
        synthesize(&app, None).unwrap().stacks.remove(0).template.to_pretty_string()
    };
    let before = written(vec![schedule("rate(1 hour)"), schedule("cron(0 6 ? * MON-FRI *)"), rule("a"), rule("b")]);
    let after = written(vec![rule("b"), schedule("cron(0 6 ? * MON-FRI *)"), rule("a"), schedule("rate(1 hour)")]);
    assert_eq!(before, after);
}

#[test]
fn an_app_without_routes_has_no_http_api() {
    let template = synthesize(&app(vec![action("a", 1, vec![])], vec![]), None).unwrap().stacks.remove(0).template;
    assert!(!template.resources.contains_key(&LogicalId::new(&["HttpApi"])));
    assert!(template.outputs.is_empty());
    assert!(template.dangling_references().is_empty());
}

fn uses(access: Access, resource: &str) -> UsedCapability {
    UsedCapability { access, resource: resource.to_owned() }
}

fn role_statements(app: &App, role: &str) -> serde_json::Value {
    let json = synthesize(app, None).unwrap().stacks.remove(0).template.to_json();
    json["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

#[test]
fn each_capability_grants_exactly_its_statement_and_removing_it_removes_it() {
    let mut worker = action("worker", 1, vec![]);
    worker.capabilities = vec![uses(Access::Send, "jobs"), uses(Access::Publish, "news")];
    let resources = vec![queue("jobs", 2, None), topic("news", 3)];
    let both = app(vec![worker.clone()], resources.clone());
    assert_eq!(
        role_statements(&both, "WorkerRole"),
        serde_json::json!([
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WorkerLogGroup}:log-stream:*"}]},
            {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["JobsQueue", "Arn"]}]},
            {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [{"Ref": "NewsTopic"}]},
        ])
    );
    worker.capabilities.remove(0);
    let publish_only = app(vec![worker], resources);
    let statements = role_statements(&publish_only, "WorkerRole");
    assert_eq!(statements.as_array().unwrap().len(), 2);
    assert!(!statements.to_string().contains("sqs:"), "{statements}");
}

#[test]
fn a_capability_on_a_missing_or_unfit_resource_is_reported() {
    let mut worker = action("worker", 7, vec![]);
    worker.capabilities = vec![uses(Access::Send, "nothing"), uses(Access::Publish, "jobs")];
    let problems = problems(&app(vec![worker], vec![queue("jobs", 8, None)])).join("\n");
    assert!(
        problems.contains("`worker` takes a `Sender<nothing>`, but `nothing` is not a registered resource"),
        "{problems}"
    );
    assert!(problems.contains("`worker` takes a `Publisher<jobs>`, which a queue does not offer"), "{problems}");
    assert!(problems.contains("src/lib.rs:8:1") && problems.contains("src/lib.rs:7:1"), "{problems}");
}

fn table(name: &str, line: u32, indexed: bool) -> Resource {
    let mut table = Table::<()>::new().partition_key(Key::string("id"));
    if indexed {
        table = table.index("by_customer", Key::string("customer"), None);
    }
    let spec = wirestack::resource::IntoResource::into_spec(table);
    Resource { name: name.to_owned(), defined_at: at(line), owner: None, spec }
}

#[test]
fn sender_and_reader_grant_exactly_their_statements() {
    let mut handler = action("handler", 1, vec![]);
    handler.capabilities = vec![uses(Access::Send, "orders"), uses(Access::Read, "users")];
    let resources = vec![queue("orders", 2, None), table("users", 3, true)];
    assert_eq!(
        role_statements(&app(vec![handler.clone()], resources.clone()), "HandlerRole").as_array().unwrap()[1..],
        [
            serde_json::json!({"Effect": "Allow", "Action": ["sqs:SendMessage"],
                               "Resource": [{"Fn::GetAtt": ["OrdersQueue", "Arn"]}]}),
            serde_json::json!({"Effect": "Allow",
                               "Action": ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:Query"],
                               "Resource": [{"Fn::GetAtt": ["UsersTable", "Arn"]}, {"Fn::Sub": "${UsersTable.Arn}/index/*"}]}),
        ]
    );
    // Without the `Reader<users>` parameter, no DynamoDB permission at all.
    handler.capabilities.pop();
    let statements = role_statements(&app(vec![handler], resources), "HandlerRole");
    assert!(!statements.to_string().contains("dynamodb"), "{statements}");
}

#[test]
fn a_table_renders_encrypted_on_demand_with_recovery() {
    let mut writer = action("writer", 1, vec![]);
    writer.capabilities = vec![uses(Access::Write, "users")];
    let json =
        synthesize(&app(vec![writer], vec![table("users", 2, true)]), None).unwrap().stacks[0].template.to_json();
    let properties = &json["Resources"]["UsersTable"]["Properties"];
    assert_eq!(properties["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(properties["SSESpecification"], serde_json::json!({"SSEEnabled": true}));
    assert_eq!(properties["PointInTimeRecoverySpecification"], serde_json::json!({"PointInTimeRecoveryEnabled": true}));
    assert_eq!(properties["GlobalSecondaryIndexes"][0]["IndexName"], "by_customer");
    assert_eq!(properties["AttributeDefinitions"].as_array().unwrap().len(), 2);
    // A writer may not read, and needs no index.
    let statements = &json["Resources"]["WriterRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(statements[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["UsersTable", "Arn"]}]));
    assert!(!statements.to_string().contains("GetItem"), "{statements}");
}

fn existing_queue(name: &str, arn: &str) -> Resource {
    let spec = wirestack::resource::IntoResource::into_spec(wirestack::Queue::<()>::existing(arn));
    Resource { name: name.to_owned(), defined_at: at(40), owner: None, spec }
}

fn existing_topic(name: &str, arn: &str) -> Resource {
    let spec = wirestack::resource::IntoResource::into_spec(wirestack::Topic::<()>::existing(arn));
    Resource { name: name.to_owned(), defined_at: at(41), owner: None, spec }
}

#[test]
fn an_existing_queue_or_topic_is_used_by_arn_and_not_created() {
    let queue_arn = "arn:aws:sqs:eu-west-1:123456789012:legacy-jobs";
    let topic_arn = "arn:aws:sns:eu-west-1:123456789012:legacy-news";
    let mut worker = action("worker", 1, vec![sqs("jobs"), TriggerKind::Sns(SnsTrigger { topic: "news".to_owned() })]);
    worker.capabilities = vec![uses(Access::Send, "jobs"), uses(Access::Publish, "news")];
    let app = app(vec![worker], vec![existing_queue("jobs", queue_arn), existing_topic("news", topic_arn)]);
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template;
    let kinds: Vec<&str> = template.resources.values().map(|r| r.kind.as_ref()).collect();
    assert!(!kinds.contains(&"AWS::SNS::Topic"), "{kinds:?}");
    // The only queue created is the function's own dead-letter queue.
    assert_eq!(kinds.iter().filter(|k| **k == "AWS::SQS::Queue").count(), 1, "{kinds:?}");
    assert!(template.dangling_references().is_empty());
    let json = template.to_json();
    let resources = &json["Resources"];
    assert_eq!(resources["WorkerJobsMapping"]["Properties"]["EventSourceArn"], queue_arn);
    assert_eq!(resources["WorkerNewsSubscription"]["Properties"]["TopicArn"], topic_arn);
    assert_eq!(resources["WorkerNewsPermission"]["Properties"]["SourceArn"], topic_arn);
    let env = &resources["WorkerFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["WIRESTACK_QUEUE_JOBS"],
        serde_json::json!({"Fn::Sub": "https://sqs.eu-west-1.${AWS::URLSuffix}/123456789012/legacy-jobs"})
    );
    assert_eq!(env["WIRESTACK_TOPIC_NEWS"], topic_arn);
    let statements = resources["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].to_string();
    assert!(statements.contains(queue_arn) && statements.contains(topic_arn), "{statements}");
}

#[test]
fn an_existing_resource_needs_a_real_arn() {
    let app = app(vec![], vec![existing_queue("jobs", "legacy-jobs"), existing_topic("news", "arn:aws:sqs:x:1:y")]);
    let problems = problems(&app).join("\n");
    assert!(problems.contains("queue `jobs` names `legacy-jobs`, which is not an SQS queue ARN"), "{problems}");
    assert!(problems.contains("topic `news` names `arn:aws:sqs:x:1:y`, which is not an SNS topic ARN"), "{problems}");
}

fn raw(name: &str, spec: wirestack::Raw) -> Resource {
    Resource {
        name: name.to_owned(),
        defined_at: at(50),
        owner: None,
        spec: wirestack::resource::IntoResource::into_spec(spec),
    }
}

#[test]
fn a_raw_resource_renders_as_written_and_its_references_are_checked() {
    let parameter = wirestack::Raw::new("AWS::SSM::Parameter")
        .property("Type", "String")
        .property("Value", serde_json::json!({"Ref": "JobsQueue"}))
        .property(
            "Tags",
            serde_json::json!({"arn": {"Fn::GetAtt": ["JobsQueue", "Arn"]}, "region": {"Ref": "AWS::Region"}}),
        );
    let ok = app(vec![], vec![queue("jobs", 1, None), raw("jobs_url", parameter.clone())]);
    let template = synthesize(&ok, None).unwrap().stacks.remove(0).template;
    let json = template.to_json();
    assert_eq!(
        json["Resources"]["JobsUrl"],
        serde_json::json!({"Type": "AWS::SSM::Parameter", "Properties": {
            "Type": "String",
            "Value": {"Ref": "JobsQueue"},
            "Tags": {"arn": {"Fn::GetAtt": ["JobsQueue", "Arn"]}, "region": {"Ref": "AWS::Region"}},
        }})
    );
    // Without the queue, the reference dangles: a synth error at the raw resource.
    let dangling = problems(&app(vec![], vec![raw("jobs_url", parameter)])).join("\n");
    assert!(dangling.contains("a reference to `JobsQueue` names no resource of the app"), "{dangling}");
    assert!(dangling.contains("src/lib.rs:50:1"), "{dangling}");
    let bad = problems(&app(vec![], vec![raw("x", wirestack::Raw::new("SSM Parameter"))])).join("\n");
    assert!(bad.contains("`SSM Parameter` is not a CloudFormation resource type"), "{bad}");
}

fn bucket(name: &str, line: u32, spec: wirestack::Bucket) -> Resource {
    use wirestack::resource::IntoResource as _;
    Resource { name: name.to_owned(), defined_at: at(line), owner: None, spec: spec.into_spec() }
}

fn s3(bucket: &str, events: &[ObjectEvent], prefix: Option<&str>, suffix: Option<&str>) -> TriggerKind {
    TriggerKind::S3(S3Trigger {
        bucket: bucket.to_owned(),
        events: events.to_vec(),
        prefix: prefix.map(str::to_owned),
        suffix: suffix.map(str::to_owned),
    })
}

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

#[test]
fn a_bucket_is_private_encrypted_versioned_and_tls_only() {
    let mut reader = action("a", 10, vec![]);
    reader.capabilities = vec![uses(Access::Read, "b")];
    let app = app(vec![reader], vec![bucket("b", 1, Bucket::new().expire_after_days(30))]);
    let template = synthesize(&app, Some("dev")).unwrap().stacks[0].template.to_json();
    let properties = &template["Resources"]["BBucket"]["Properties"];
    assert_eq!(properties["BucketName"], serde_json::json!({"Fn::Sub": "dev-app-b-${AWS::AccountId}-${AWS::Region}"}));
    assert_eq!(properties["VersioningConfiguration"]["Status"], "Enabled");
    assert_eq!(properties["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"], true);
    let rules = properties["LifecycleConfiguration"]["Rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["ExpirationInDays"] == 30), "{rules:?}");
    let deny = &template["Resources"]["BBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");
    // No notification without a trigger, so no dependency.
    assert!(template["Resources"]["BBucket"].get("DependsOn").is_none());
    // A reader gets objects and lists the bucket: two statements, two ARN
    // shapes (`role_statements` synthesizes without a stage).
    let statements = role_statements(&app, "ARole");
    let arn = "arn:${AWS::Partition}:s3:::app-b-${AWS::AccountId}-${AWS::Region}";
    assert_eq!(statements[1]["Resource"], serde_json::json!([{"Fn::Sub": format!("{arn}/*")}]));
    assert_eq!(statements[2]["Action"], serde_json::json!(["s3:ListBucket"]));
}

#[test]
fn a_bucket_name_that_could_exceed_s3s_limit_in_some_region_is_reported() {
    let name = "a_much_longer_bucket_name_than_fits";
    let app = app(vec![], vec![bucket(name, 1, Bucket::new())]);
    let problems = problems(&app);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let expected = "bucket name `app-a-much-longer-bucket-name-than-fits-{account}-{region}` reaches 67 characters in the longest region; S3 allows 63";
    assert!(problems[0].contains(expected), "{}", problems[0]);
}

#[test]
fn actions_may_invoke_each_other_without_a_dependency_cycle() {
    let mut ping = action("ping", 10, vec![]);
    ping.capabilities = vec![uses(Access::Invoke, "pong")];
    let mut pong = action("pong", 20, vec![]);
    pong.capabilities = vec![uses(Access::Invoke, "ping")];
    let app = app(vec![ping, pong], vec![]);
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
    let resources = &template["Resources"];
    for (id, other) in [("PingRole", "Pong"), ("PingFunction", "Pong"), ("PongRole", "Ping"), ("PongFunction", "Ping")]
    {
        let text = resources[id].to_string();
        assert!(!text.contains(&format!("{other}Function")), "{id} refers to the other function: {text}");
    }
    assert_eq!(
        role_statements(&app, "PingRole")[2]["Resource"],
        serde_json::json!([{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:app-pong"}])
    );
}

#[test]
fn invoking_an_action_that_does_not_exist_is_reported() {
    let mut caller = action("caller", 10, vec![]);
    caller.capabilities = vec![uses(Access::Invoke, "gone")];
    let problems = problems(&app(vec![caller], vec![]));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("`caller` takes an `Invoke<gone>`, but no action is named `gone`"), "{}", problems[0]);
}

#[test]
fn a_fifo_queue_renders_fifo_with_a_fifo_dead_letter_queue() {
    use wirestack::resource::IntoResource as _;
    let payments = Resource {
        name: "payments".to_owned(),
        defined_at: at(1),
        owner: None,
        spec: wirestack::Queue::<u32, wirestack::Fifo>::new().into_spec(),
    };
    let app = app(vec![action("pay", 10, vec![sqs("payments")])], vec![payments]);
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
    let queue = &template["Resources"]["PaymentsQueue"]["Properties"];
    assert_eq!(queue["QueueName"], "app-payments.fifo");
    assert_eq!((&queue["FifoQueue"], &queue["ContentBasedDeduplication"]), (&true.into(), &true.into()));
    let dead_letter = &template["Resources"]["PaymentsDeadLetterQueue"]["Properties"];
    assert_eq!((&dead_letter["QueueName"], &dead_letter["FifoQueue"]), (&"app-payments-dlq.fifo".into(), &true.into()));
}

#[test]
fn what_fifo_sources_refuse_is_reported() {
    use wirestack::resource::IntoResource as _;
    let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
    let resources = vec![
        resource("payments", wirestack::Queue::<u32, wirestack::Fifo>::new().into_spec()),
        resource("ledger", wirestack::Topic::<u32, wirestack::Fifo>::new().into_spec()),
        resource("old", wirestack::Queue::<u32>::existing("arn:aws:sqs:us-east-1:123456789012:old.fifo").into_spec()),
    ];
    let windowed =
        TriggerKind::Sqs(SqsTrigger { queue: "payments".to_owned(), batch_size: Some(100), window_s: Some(5) });
    let subscriber = TriggerKind::Sns(SnsTrigger { topic: "ledger".to_owned() });
    let problems =
        problems(&app(vec![action("pay", 10, vec![windowed]), action("log", 20, vec![subscriber])], resources));
    let expected = [
        "`pay` sets a batching window on FIFO queue `payments`",
        "`pay` asks for batches of 100 from FIFO queue `payments`; Lambda allows at most 10",
        "`log` subscribes to FIFO topic `ledger`, but only SQS FIFO queues can subscribe to a FIFO topic",
        "queue `old` is declared a standard `Queue<T>`, but `arn:aws:sqs:us-east-1:123456789012:old.fifo` names a FIFO queue",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for expected in expected {
        assert!(problems.iter().any(|p| p.contains(expected)), "no `{expected}` in {problems:#?}");
    }
}

#[test]
fn an_existing_table_is_used_by_arn_with_its_declared_keys_and_indexes() {
    use wirestack::resource::IntoResource as _;
    let arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/legacy-users";
    let users =
        Table::<()>::existing(arn).partition_key(Key::string("email")).index("by_team", Key::string("team"), None);
    let resources = vec![
        Resource { name: "users".to_owned(), defined_at: at(1), owner: None, spec: users.into_spec() },
        Resource {
            name: "bad".to_owned(),
            defined_at: at(2),
            owner: None,
            spec: Table::<()>::existing("arn:aws:dynamodb:eu-west-1:123456789012:legacy").into_spec(),
        },
    ];
    let mut reader = action("reader", 10, vec![]);
    reader.capabilities = vec![uses(Access::Read, "users")];
    let problems = problems(&app(vec![reader.clone()], resources.clone()));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("table `bad` names `arn:aws:dynamodb:eu-west-1:123456789012:legacy`, which is not"));

    let app = app(vec![reader], resources[..1].to_vec());
    let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
    assert!(template["Resources"].get("UsersTable").is_none(), "an existing table is not created");
    assert_eq!(role_statements(&app, "ReaderRole")[1]["Resource"], serde_json::json!([arn, format!("{arn}/index/*")]));
    let env = &template["Resources"]["ReaderFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["WIRESTACK_TABLE_USERS"], "legacy-users");
}

fn stream_trigger(source: wirestack::trigger::StreamSource) -> TriggerKind {
    TriggerKind::Stream(wirestack::trigger::StreamTrigger {
        source,
        start: wirestack::trigger::StartPosition::Latest,
        batch_size: None,
        window_s: None,
        retries: None,
        filter: None,
    })
}

#[test]
fn stream_triggers_read_exactly_their_stream_and_keep_what_they_give_up() {
    use wirestack::resource::IntoResource as _;
    use wirestack::trigger::StreamSource;
    let clicks = Resource {
        name: "clicks".to_owned(),
        defined_at: at(1),
        owner: None,
        spec: wirestack::Stream::<()>::new().into_spec(),
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
    assert_eq!(resources["UsersTable"]["Properties"]["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let watch = role_statements(&app, "WatchRole");
    assert_eq!(watch[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["UsersTable", "StreamArn"]}]));
    assert_eq!(watch[2], serde_json::json!({"Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": ["*"]}));
}

#[test]
fn a_dynamodb_trigger_needs_a_table_the_stack_creates() {
    use wirestack::resource::IntoResource as _;
    let arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/legacy";
    let legacy = Resource {
        name: "legacy".to_owned(),
        defined_at: at(1),
        owner: None,
        spec: Table::<()>::existing(arn).into_spec(),
    };
    let trigger = stream_trigger(wirestack::trigger::StreamSource::DynamoDb { table: "legacy".to_owned() });
    let problems = problems(&app(vec![action("watch", 10, vec![trigger])], vec![legacy]));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("a `dynamodb` trigger needs a table this stack creates"), "{}", problems[0]);
}

#[test]
fn an_event_rule_matches_its_pattern_on_its_bus_and_keeps_failed_events() {
    use wirestack::resource::IntoResource as _;
    let bus = Resource {
        name: "payments".to_owned(),
        defined_at: at(1),
        owner: None,
        spec: wirestack::Bus::new().into_spec(),
    };
    let pattern = r#"{"source": ["shop"], "detail": {"cents": [{"numeric": [">", 0.5]}]}}"#;
    let on_bus = TriggerKind::Event(wirestack::trigger::EventTrigger {
        pattern: pattern.to_owned(),
        bus: Some("payments".to_owned()),
    });
    let on_default = TriggerKind::Event(wirestack::trigger::EventTrigger {
        pattern: r#"{"source": ["aws.s3"]}"#.to_owned(),
        bus: None,
    });
    let app = app(vec![action("refund", 10, vec![on_bus, on_default])], vec![bus]);
    let template = synthesize(&app, Some("dev")).unwrap().stacks.remove(0).template.to_json();
    let resources = &template["Resources"];
    let rules: Vec<&str> = resources
        .as_object()
        .unwrap()
        .keys()
        .filter(|id| id.starts_with("RefundEvents") && !id.ends_with("Permission"))
        .map(String::as_str)
        .collect();
    assert_eq!(rules.len(), 2, "{rules:?}");
    let (on_bus, on_default): (Vec<&str>, Vec<&str>) =
        rules.into_iter().partition(|id| resources[*id]["Properties"].get("EventBusName").is_some());
    let rule = &resources[on_bus[0]]["Properties"];
    assert_eq!(rule["EventPattern"], serde_json::from_str::<serde_json::Value>(pattern).unwrap());
    assert_eq!(rule["EventBusName"], "dev-app-payments");
    assert_eq!(resources[format!("{}Permission", on_default[0])]["Properties"]["Principal"], "events.amazonaws.com");
    assert_eq!(resources["PaymentsBus"]["Properties"]["Name"], "dev-app-payments");
    assert!(resources["RefundFunction"]["Properties"].get("DeadLetterConfig").is_some());
}

#[test]
fn layers_render_with_their_packaged_keys_and_attach_in_order() {
    use wirestack::resource::IntoResource as _;
    let layer = |name: &str, spec: wirestack::Layer| Resource {
        name: name.to_owned(),
        defined_at: at(1),
        owner: None,
        spec: spec.into_spec(),
    };
    let arn = "arn:aws:lambda:eu-west-1:123456789012:layer:fonts:3";
    let mut render = action("render", 10, vec![]);
    render.settings.layers = vec!["tools".to_owned(), "fonts".to_owned()];
    let layered = app(
        vec![render],
        vec![
            layer("tools", wirestack::Layer::from_dir("layers/tools")),
            layer("fonts", wirestack::Layer::existing(arn)),
        ],
    );
    let mut code = wirestack::code::Code::default();
    code.layers.insert("tools".to_owned(), "app/layers/abc.zip".to_owned());
    let template =
        wirestack::synth::synthesize_with(&layered, None, &code).unwrap().stacks.remove(0).template.to_json();
    assert_eq!(
        template["Resources"]["RenderFunction"]["Properties"]["Layers"],
        serde_json::json!([{"Ref": "ToolsLayer"}, arn])
    );
    assert_eq!(template["Parameters"]["ToolsLayerKey"]["Default"], "app/layers/abc.zip");
    assert!(template["Resources"].get("FontsLayer").is_none(), "an existing layer is not created");

    let mut wrong = action("wrong", 20, vec![]);
    wrong.settings.layers = vec!["users".to_owned(), "nowhere".to_owned()];
    let problems = problems(&app(vec![wrong], vec![table("users", 2, false)]));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("`wrong` lists `users` as a layer, but it is a table"), "{}", problems[0]);
    assert!(problems[1].contains("the layer `nowhere`, which is not a registered singleton"), "{}", problems[1]);
}

#[test]
fn a_stream_writer_may_put_records_on_exactly_its_stream() {
    use wirestack::resource::IntoResource as _;
    let arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/legacy-clicks";
    let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
    let mut producer = action("producer", 10, vec![]);
    producer.capabilities = vec![uses(Access::Write, "clicks"), uses(Access::Write, "legacy")];
    let producing = app(
        vec![producer],
        vec![
            resource("clicks", wirestack::Stream::<()>::new().into_spec()),
            resource("legacy", wirestack::Stream::<()>::existing(arn).into_spec()),
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
    let clicks = resource("clicks", wirestack::Stream::<()>::new().into_spec());
    let problems = problems(&app(vec![reader], vec![clicks]));
    assert!(problems[0].contains("`reader` takes a `Reader<clicks>`, which a stream does not offer"), "{problems:#?}");
}

#[test]
fn a_route_may_require_users_of_an_existing_pool() {
    use wirestack::resource::IntoResource as _;
    let members = Resource {
        name: "members".to_owned(),
        defined_at: at(1),
        owner: None,
        spec: wirestack::UserPool::existing("eu-west-1_AbCdEf123", "5abcclientid").into_spec(),
    };
    let route = TriggerKind::Http(HttpRoute {
        method: HttpMethod::Get,
        path: "/me".to_owned(),
        auth: Some("members".to_owned()),
    });
    let template = synthesize(&app(vec![action("me", 10, vec![route])], vec![members]), None).unwrap();
    let template = template.stacks[0].template.to_json();
    assert!(template["Resources"].get("MembersUserPool").is_none(), "an existing pool is not created");
    assert_eq!(
        template["Resources"]["MembersAuthorizer"]["Properties"]["JwtConfiguration"],
        serde_json::json!({
            "Audience": ["5abcclientid"],
            "Issuer": {"Fn::Sub": "https://cognito-idp.eu-west-1.${AWS::URLSuffix}/eu-west-1_AbCdEf123"},
        })
    );
}

#[test]
fn a_bus_publisher_may_put_events_on_exactly_its_bus() {
    use wirestack::resource::IntoResource as _;
    let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at(1), owner: None, spec };
    let mut payer = action("payer", 10, vec![]);
    payer.capabilities = vec![uses(Access::Publish, "payments"), uses(Access::Publish, "partner")];
    let buses = vec![
        resource("payments", wirestack::Bus::new().into_spec()),
        resource("partner", wirestack::Bus::existing("partner-events").into_spec()),
    ];
    let paying = app(vec![payer], buses);
    let statements = role_statements(&paying, "PayerRole");
    let on = |bus: &str| serde_json::json!({"Effect": "Allow", "Action": ["events:PutEvents"], "Resource": [{"Fn::Sub": format!("arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{bus}")}]});
    assert_eq!(statements[1], on("app-payments"));
    assert_eq!(statements[2], on("partner-events"));
}
