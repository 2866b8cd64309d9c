//! `Bucket`: an S3 bucket, private and encrypted, versioned, TLS-only, with
//! lifecycle rules that keep old versions and abandoned uploads from piling up.
//!
//! Its name is fixed at synth time (`{stage}-{app}-{name}-{account}-{region}`)
//! and every ARN is built from that name rather than from a `Ref`: a function
//! that an `s3` trigger wires to the bucket, and whose role grants on the
//! bucket, would otherwise close the dependency cycle (bucket -> notification
//! -> function -> role -> bucket) CloudFormation refuses.

use super::{Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Part, Pseudo, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;

/// What a `Reader` needs: objects, and the listing of the bucket.
pub const READ_OBJECTS: [Permission; 1] = [Permission::new("s3", "GetObject")];
pub const LIST: [Permission; 1] = [Permission::new("s3", "ListBucket")];
/// What a `Writer` needs on objects.
pub const WRITE_OBJECTS: [Permission; 2] = [Permission::new("s3", "PutObject"), Permission::new("s3", "DeleteObject")];

/// S3's limit on bucket names.
pub const MAX_NAME_LEN: usize = 63;
/// The longest name a region has (`ap-southeast-2`), for the length check.
const LONGEST_REGION: usize = 14;
const ACCOUNT_LEN: usize = 12;
/// Old versions are kept this long by default, then expire.
const DEFAULT_NONCURRENT_DAYS: u32 = 90;
/// Multipart uploads nobody completed are cleaned up after this long.
const ABANDONED_UPLOAD_DAYS: u32 = 7;
/// What makes CloudFormation replace a bucket (a new, empty one).
const REPLACED_BY: [&str; 2] = ["BucketName", "ObjectLockEnabled"];

/// An S3 bucket, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn uploads() -> Bucket { Bucket::new().expire_after_days(30) }
/// ```
pub struct Bucket {
    spec: BucketSpec,
}

/// A bucket's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketSpec {
    /// Objects expire this many days after creation (never by default).
    pub expire_after_days: Option<u32>,
    /// Replaced and deleted versions are kept this many days.
    pub noncurrent_days: u32,
    /// The name of an existing bucket to use instead of creating one.
    pub existing: Option<String>,
    /// Kept when the stack goes (the default), or deleted with it.
    pub removal: Removal,
}

impl Bucket {
    pub fn new() -> Bucket {
        Bucket {
            spec: BucketSpec {
                expire_after_days: None,
                noncurrent_days: DEFAULT_NONCURRENT_DAYS,
                existing: None,
                removal: Removal::Retain,
            },
        }
    }

    /// An existing bucket, by name: nothing is created, and capabilities are
    /// granted on exactly that bucket. (An `s3` trigger needs a bucket the
    /// stack creates: notifications are a property of the bucket.)
    pub fn existing(name: &str) -> Bucket {
        Bucket { spec: BucketSpec { existing: Some(name.to_owned()), ..Bucket::new().spec } }
    }

    /// Deletes objects this many days after they are written.
    pub fn expire_after_days(mut self, days: u32) -> Bucket {
        self.spec.expire_after_days = Some(days);
        self
    }

    /// Keeps replaced and deleted versions this many days (default 90).
    pub fn keep_old_versions_days(mut self, days: u32) -> Bucket {
        self.spec.noncurrent_days = days;
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Bucket {
        self.spec.removal = Removal::Delete;
        self
    }
}

impl Default for Bucket {
    fn default() -> Bucket {
        Bucket::new()
    }
}

impl IntoResource for Bucket {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Bucket(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Bucket"])
}

/// The variable holding bucket `name`'s name in a function that may use it.
pub fn name_env(name: &str) -> String {
    format!("WIRESTACK_BUCKET_{}", name.to_ascii_uppercase())
}

impl BucketSpec {
    /// The bucket's name, known before the bucket exists.
    pub fn name(&self, name: &str, naming: &Naming) -> Value {
        Value::Sub(self.name_parts(name, naming))
    }

    /// `arn:PARTITION:s3:::NAME`, built from the name (never a `Ref`).
    pub fn arn(&self, name: &str, naming: &Naming) -> Value {
        Value::Sub(self.arn_parts(name, naming))
    }

    fn name_parts(&self, name: &str, naming: &Naming) -> Vec<Part> {
        match &self.existing {
            Some(existing) => vec![existing.clone().into()],
            None => vec![
                format!("{}-", created_prefix(name, naming)).into(),
                Pseudo::AccountId.into(),
                "-".into(),
                Pseudo::Region.into(),
            ],
        }
    }

    fn arn_parts(&self, name: &str, naming: &Naming) -> Vec<Part> {
        let mut parts = vec!["arn:".into(), Pseudo::Partition.into(), ":s3:::".into()];
        parts.extend(self.name_parts(name, naming));
        parts
    }

    fn objects_arn(&self, name: &str, naming: &Naming) -> Value {
        let mut parts = self.arn_parts(name, naming);
        parts.push("/*".into());
        Value::Sub(parts)
    }

    /// Refuses every request that does not use TLS. The policy depends on
    /// the bucket anyway, so it names the bucket by its `Arn` attribute, as
    /// policy checkers expect.
    fn tls_only_policy(bucket: &LogicalId) -> CfnResource {
        let objects = Value::Sub(vec![Part::Attr(bucket.clone(), "Arn".into()), "/*".into()]);
        let deny = Value::map([
            ("Sid", Value::from("TlsOnly")),
            ("Effect", Value::from("Deny")),
            ("Principal", Value::from("*")),
            ("Action", Value::from("s3:*")),
            ("Resource", Value::list([Value::get_att(bucket, "Arn"), objects])),
            ("Condition", Value::map([("Bool", Value::map([("aws:SecureTransport", Value::from("false"))]))])),
        ]);
        CfnResource::new(
            "AWS::S3::BucketPolicy",
            Value::map([
                ("Bucket", Value::reference(bucket)),
                (
                    "PolicyDocument",
                    Value::map([("Version", Value::from("2012-10-17")), ("Statement", Value::list([deny]))]),
                ),
            ]),
        )
    }
}

impl ResourceKind for BucketSpec {
    fn handle(&self, name: &str, naming: &Naming) -> Handle {
        let id = self.existing.is_none().then(|| logical_id(name));
        Handle { arn: Some(self.arn(name, naming)), name: Some(self.name(name, naming)), id }
    }

    fn kind(&self) -> &'static str {
        "bucket"
    }

    /// Its notifications name the functions they call, which must exist first.
    fn lives_in_root(&self) -> bool {
        true
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let (name, naming) = (scope.resource.name.as_str(), scope.naming);
        let env = (name_env(name), self.name(name, naming));
        let objects = || vec![self.objects_arn(name, naming)];
        let statements = match access {
            Access::Read => {
                vec![Statement::allow(&READ_OBJECTS, objects()), Statement::allow(&LIST, vec![self.arn(name, naming)])]
            }
            Access::Write => vec![Statement::allow(&WRITE_OBJECTS, objects())],
            Access::Send | Access::Publish | Access::ReadSecret | Access::Invoke => return None,
        };
        Some(Grant { statements, env })
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let (name, naming) = (scope.resource.name.as_str(), scope.naming);
        let mut fragment = scope.fragment();
        if self.existing.is_some() {
            return fragment;
        }
        let mut rules = vec![
            Value::map([
                ("Id", Value::from("abandoned-uploads")),
                ("Status", Value::from("Enabled")),
                ("AbortIncompleteMultipartUpload", Value::map([("DaysAfterInitiation", ABANDONED_UPLOAD_DAYS.into())])),
            ]),
            Value::map([
                ("Id", Value::from("old-versions")),
                ("Status", Value::from("Enabled")),
                ("NoncurrentVersionExpiration", Value::map([("NoncurrentDays", self.noncurrent_days.into())])),
            ]),
        ];
        if let Some(days) = self.expire_after_days {
            rules.push(Value::map([
                ("Id", Value::from("expire")),
                ("Status", Value::from("Enabled")),
                ("ExpirationInDays", Value::from(days)),
            ]));
        }
        let block_all = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];
        let properties = vec![
            ("BucketName", self.name(name, naming)),
            (
                "BucketEncryption",
                Value::map([(
                    "ServerSideEncryptionConfiguration",
                    Value::list([Value::map([(
                        "ServerSideEncryptionByDefault",
                        Value::map([("SSEAlgorithm", Value::from("AES256"))]),
                    )])]),
                )]),
            ),
            ("PublicAccessBlockConfiguration", Value::map(block_all.map(|setting| (setting, Value::from(true))))),
            (
                "OwnershipControls",
                Value::map([("Rules", Value::list([Value::map([("ObjectOwnership", "BucketOwnerEnforced".into())])]))]),
            ),
            ("VersioningConfiguration", Value::map([("Status", Value::from("Enabled"))])),
            ("LifecycleConfiguration", Value::map([("Rules", Value::List(rules))])),
        ];
        // Its notifications are wired in by the `s3` triggers on it.
        let id = logical_id(name);
        fragment.add(
            &id,
            CfnResource::new("AWS::S3::Bucket", Value::map(properties)).holding_data(&REPLACED_BY, self.removal),
        );
        fragment.add(&LogicalId::new(&[name, "BucketPolicy"]), Self::tls_only_policy(&id));
        fragment.output(
            LogicalId::new(&[name, "BucketName"]),
            format!("Name of bucket `{name}`"),
            Value::reference(&id),
        );
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        if let Some(existing) = &self.existing {
            let valid = (3..=MAX_NAME_LEN).contains(&existing.len())
                && existing.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
            return if valid {
                Vec::new()
            } else {
                vec![Problem::new(format!("bucket `{}` names `{existing}`, which is not a bucket name", resource.name))
                    .at(resource.defined_at, "declared here")
                    .help("write the bucket's name, not its ARN: `Bucket::existing(\"my-bucket\")`")]
            };
        }
        let mut problems = Vec::new();
        if let Some(days) = self.expire_after_days.filter(|days| *days == 0) {
            problems.push(
                Problem::new(format!("bucket `{}` expires objects after {days} days", resource.name))
                    .at(resource.defined_at, "declared here")
                    .help("expire after at least 1 day"),
            );
        }
        if self.noncurrent_days == 0 {
            problems.push(
                Problem::new(format!("bucket `{}` keeps old versions for 0 days", resource.name))
                    .at(resource.defined_at, "declared here")
                    .help("keep them at least 1 day"),
            );
        }
        // The longest name this template can produce, in any region.
        let prefix = created_prefix(&resource.name, scope.naming);
        let longest = prefix.len() + 1 + ACCOUNT_LEN + 1 + LONGEST_REGION;
        if longest > MAX_NAME_LEN {
            problems.push(
                Problem::new(format!(
                    "bucket name `{prefix}-{{account}}-{{region}}` reaches {longest} characters in the longest region; S3 allows {MAX_NAME_LEN}"
                ))
                .at(resource.defined_at, format!("`{}` is declared here", resource.name))
                .help("use a shorter name or a shorter stage"),
            );
        }
        problems
    }
}

/// Bucket names are lowercase; the rest of the physical name already fits.
fn created_prefix(name: &str, naming: &Naming) -> String {
    naming.physical(name).to_ascii_lowercase()
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_bucket_is_private_encrypted_versioned_and_tls_only() {
        let mut reader = action("a", 10, vec![]);
        reader.capabilities = vec![uses(Access::Read, "b")];
        let app = app(vec![reader], vec![bucket("b", 1, Bucket::new().expire_after_days(30))]);
        let template = synthesize(&app, Some("dev")).unwrap().stacks[0].template.to_json();
        let properties = &template["Resources"]["BBucket"]["Properties"];
        assert_eq!(
            properties["BucketName"],
            serde_json::json!({"Fn::Sub": "dev-app-b-${AWS::AccountId}-${AWS::Region}"})
        );
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
}
