//! Shared helpers for the integration tests: the example app, the external
//! judges of what wirestack writes, and walks over template JSON.

pub mod big_app;
pub mod browser;
pub mod cloudformation;
pub mod dev_server;
pub mod moto;
pub mod shop_on_moto;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use wirestack::model::App;
use wirestack::synth::{synthesize, Synthesis};

// The example's handlers register themselves only if its crate is linked.
extern crate shop as _;

/// Runs `future` on one runtime shared by every test of the process: the AWS
/// clients keep pooled connections on the runtime that opened them, so tests
/// must not each bring their own.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap())
        .block_on(future)
}

/// The example app, as its synth binary sees it.
pub fn shop() -> App {
    App::from_registry("shop").expect("the example app is valid")
}

/// The example's templates for `stage`.
pub fn shop_synthesis(stage: Option<&str>) -> Synthesis {
    synthesize(&shop(), stage).expect("the example app synthesizes")
}

/// The example's `synth` binary, built once per test process (cargo builds
/// it for the example's own tests too, so this is usually a no-op).
pub fn shop_synth() -> &'static Path {
    static SYNTH: OnceLock<PathBuf> = OnceLock::new();
    SYNTH.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", "shop", "--bin", "synth"])
            .current_dir(workspace())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the example's synth binary builds");
        // Beside this test binary: target/<profile>/deps/.. -> target/<profile>/synth
        let exe = std::env::current_exe().unwrap();
        exe.parent().and_then(Path::parent).unwrap().join("synth")
    })
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

/// The path of a pinned Python tool (`cfn-lint`, ..), installing the pinned
/// set into `target/pytools` on first use. Installation needs `python3` with
/// `venv` and access to PyPI; `.ci/run` does it up front.
pub fn python_tool(name: &str) -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let output = Command::new("bash")
            .arg(workspace().join("tools/pytools.sh"))
            .output()
            .expect("bash runs tools/pytools.sh");
        assert!(
            output.status.success(),
            "installing the Python judges failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        PathBuf::from(String::from_utf8(output.stdout).expect("a path").trim())
    });
    bin.join(name)
}

/// Runs cfn-lint on `templates`; returns its report (empty when clean).
pub fn cfn_lint(templates: &[PathBuf]) -> (bool, String) {
    let output = Command::new(python_tool("cfn-lint"))
        .args(["--format", "parseable", "--"])
        .args(templates)
        .output()
        .expect("cfn-lint runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), report)
}

/// Every IAM statement in a template, with the logical id of the role that
/// holds it.
pub fn iam_statements(template: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (id, resource) in template["Resources"].as_object().expect("Resources is a map") {
        if resource["Type"] != "AWS::IAM::Role" {
            continue;
        }
        for policy in resource["Properties"]["Policies"].as_array().into_iter().flatten() {
            for statement in policy["PolicyDocument"]["Statement"].as_array().into_iter().flatten() {
                found.push((id.clone(), statement.clone()));
            }
        }
    }
    found
}

/// The template of the example's single stack, as JSON.
pub fn shop_template(stage: Option<&str>) -> Value {
    let synthesis = shop_synthesis(stage);
    assert_eq!(synthesis.stacks.len(), 1, "the example fits one stack");
    synthesis.stacks[0].template.to_json()
}

/// A small app built by hand that uses an existing queue, topic, table,
/// bucket and secret, so the judges also see templates that reference what
/// they do not create.
pub fn app_with_existing_resources() -> App {
    use wirestack::capability::Access;
    use wirestack::model::{Action, Resource, Settings, UsedCapability};
    use wirestack::trigger::{SnsTrigger, SqsTrigger, Trigger, TriggerKind};
    use wirestack::{Bucket, Key, Location, Queue, Secret, Table, Topic};
    let at = Location { file: "src/lib.rs", line: 1, column: 1 };
    let existing = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at, owner: None, spec };
    use wirestack::resource::IntoResource as _;
    let trigger = |kind| Trigger { declared_at: at, kind };
    App {
        name: "legacy".to_owned(),
        resources: vec![
            existing("jobs", Queue::<()>::existing("arn:aws:sqs:us-east-1:123456789012:legacy-jobs").into_spec()),
            existing("news", Topic::<()>::existing("arn:aws:sns:us-east-1:123456789012:legacy-news").into_spec()),
            existing(
                "users",
                Table::<()>::existing("arn:aws:dynamodb:us-east-1:123456789012:table/legacy-users")
                    .partition_key(Key::string("email"))
                    .index("by_team", Key::string("team"), None)
                    .into_spec(),
            ),
            existing("uploads", Bucket::existing("legacy-uploads").into_spec()),
            existing(
                "api_key",
                Secret::existing("arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-key-AbCdEf").into_spec(),
            ),
        ],
        actions: vec![Action {
            name: "worker".to_owned(),
            rust_path: "legacy::worker".to_owned(),
            defined_at: at,
            settings: Settings::default(),
            triggers: vec![
                trigger(TriggerKind::Sqs(SqsTrigger { queue: "jobs".to_owned(), batch_size: None, window_s: None })),
                trigger(TriggerKind::Sns(SnsTrigger { topic: "news".to_owned() })),
            ],
            capabilities: vec![
                UsedCapability { access: Access::Send, resource: "jobs".to_owned() },
                UsedCapability { access: Access::Publish, resource: "news".to_owned() },
                UsedCapability { access: Access::Read, resource: "users".to_owned() },
                UsedCapability { access: Access::Write, resource: "users".to_owned() },
                UsedCapability { access: Access::Read, resource: "uploads".to_owned() },
                UsedCapability { access: Access::ReadSecret, resource: "api_key".to_owned() },
            ],
        }],
    }
}

/// A small app built by hand with what the example does not use: a Kinesis
/// stream and its consumer, a FIFO queue and its consumer, a FIFO topic, an
/// event bus with a rule, so the judges see those resources rendered too.
pub fn app_with_streams_and_fifo() -> App {
    use wirestack::capability::Access;
    use wirestack::model::{Action, Resource, Settings, UsedCapability};
    use wirestack::resource::IntoResource as _;
    use wirestack::trigger::{
        EventTrigger, IotTrigger, SqsTrigger, StartPosition, StreamSource, StreamTrigger, Trigger, TriggerKind,
    };
    use wirestack::{Bus, Fifo, Location, Parameter, Queue, Stream, Topic};
    let at = Location { file: "src/lib.rs", line: 1, column: 1 };
    let resource = |name: &str, spec| Resource { name: name.to_owned(), defined_at: at, owner: None, spec };
    let action = |name: &str, kind, capabilities| Action {
        name: name.to_owned(),
        rust_path: format!("feeds::{name}"),
        defined_at: at,
        settings: Settings::default(),
        triggers: vec![Trigger { declared_at: at, kind }],
        capabilities,
    };
    let clicks = StreamTrigger {
        source: StreamSource::Kinesis { stream: "clicks".to_owned() },
        start: StartPosition::TrimHorizon,
        batch_size: Some(500),
        window_s: Some(5),
        retries: None,
        filter: None,
    };
    let payments = SqsTrigger { queue: "payments".to_owned(), batch_size: Some(10), window_s: None };
    let publish = vec![
        UsedCapability { access: Access::Publish, resource: "ledger".to_owned() },
        UsedCapability { access: Access::Write, resource: "clicks".to_owned() },
        UsedCapability { access: Access::Publish, resource: "payments_bus".to_owned() },
        UsedCapability { access: Access::Read, resource: "limits".to_owned() },
    ];
    App {
        name: "feeds".to_owned(),
        resources: vec![
            resource("clicks", Stream::<()>::new().retention_hours(48).into_spec()),
            resource("payments", Queue::<(), Fifo>::new().into_spec()),
            resource("ledger", Topic::<(), Fifo>::new().into_spec()),
            resource("payments_bus", Bus::new().into_spec()),
            resource("limits", Parameter::string(r#"{"max_refund_cents": 10000}"#).into_spec()),
        ],
        actions: vec![
            action("count", TriggerKind::Stream(clicks), Vec::new()),
            action(
                "refund",
                TriggerKind::Event(EventTrigger {
                    pattern: r#"{"source": ["feeds.payments"], "detail": {"cents": [{"numeric": [">", 0.5]}]}}"#
                        .to_owned(),
                    bus: Some("payments_bus".to_owned()),
                }),
                Vec::new(),
            ),
            action("settle", TriggerKind::Sqs(payments), publish),
            action(
                "record_reading",
                TriggerKind::Iot(IotTrigger { sql: "SELECT * FROM 'sensors/+/reading' WHERE celsius > 30".to_owned() }),
                Vec::new(),
            ),
        ],
    }
}
