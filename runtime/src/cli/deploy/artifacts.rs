//! The artifact bucket: code, layers and templates under content-addressed
//! keys, so what is there already is never uploaded again.

use super::aws::{explain, status, Aws};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration, PublicAccessBlockConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
    VersioningConfiguration,
};

/// The bucket one account and region share for every app and stage.
pub struct Artifacts<'a> {
    s3: &'a aws_sdk_s3::Client,
    plain_http: bool,
    pub bucket: String,
    region: String,
    /// Objects written by this run, and objects found there already.
    pub uploaded: usize,
    pub present: usize,
}

impl<'a> Artifacts<'a> {
    /// `named` (`--bucket`), which must exist; else wirestack's bucket for
    /// this account and region, created private, encrypted, versioned and
    /// TLS-only on first use.
    pub async fn open(aws: &'a Aws, named: Option<&str>) -> Result<Artifacts<'a>, String> {
        let bucket = match named {
            Some(name) => name.to_owned(),
            None => {
                let identity =
                    aws.sts.get_caller_identity().send().await.map_err(|e| explain("find the AWS account", &e))?;
                let account = identity.account().unwrap_or_default();
                format!("wirestack-artifacts-{account}-{}", aws.region)
            }
        };
        let artifacts = Artifacts {
            s3: &aws.s3,
            plain_http: aws.plain_http,
            bucket,
            region: aws.region.clone(),
            uploaded: 0,
            present: 0,
        };
        match aws.s3.head_bucket().bucket(&artifacts.bucket).send().await {
            Ok(_) => Ok(artifacts),
            Err(error) if status(&error) == Some(404) && named.is_none() => {
                artifacts.create().await?;
                Ok(artifacts)
            }
            Err(error) if status(&error) == Some(404) => Err(format!(
                "error: the artifact bucket `{}` does not exist\nhelp: create it, or leave out `--bucket` and \
                 wirestack creates its own",
                artifacts.bucket
            )),
            Err(error) if status(&error) == Some(403) => Err(artifacts.forbidden()),
            Err(error) => Err(explain(&format!("reach the artifact bucket `{}`", artifacts.bucket), &error)),
        }
    }

    async fn create(&self) -> Result<(), String> {
        let bucket = self.bucket.as_str();
        let what = |step: &str| format!("{step} of the artifact bucket `{bucket}`");
        let mut create = self.s3.create_bucket().bucket(bucket);
        // us-east-1 is the one region that takes no location constraint.
        if self.region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(self.region.as_str()))
                    .build(),
            );
        }
        create.send().await.map_err(|e| explain(&format!("create the artifact bucket `{bucket}`"), &e))?;
        let private = PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .ignore_public_acls(true)
            .block_public_policy(true)
            .restrict_public_buckets(true)
            .build();
        self.s3
            .put_public_access_block()
            .bucket(bucket)
            .public_access_block_configuration(private)
            .send()
            .await
            .map_err(|e| explain(&what("block public access"), &e))?;
        let encryption = ServerSideEncryptionConfiguration::builder()
            .rules(
                ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(
                        ServerSideEncryptionByDefault::builder()
                            .sse_algorithm(ServerSideEncryption::Aes256)
                            .build()
                            .expect("the algorithm is set"),
                    )
                    .build(),
            )
            .build()
            .expect("a rule is set");
        self.s3
            .put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(encryption)
            .send()
            .await
            .map_err(|e| explain(&what("turn on encryption"), &e))?;
        self.s3
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build(),
            )
            .send()
            .await
            .map_err(|e| explain(&what("turn on versioning"), &e))?;
        if self.plain_http {
            return Ok(());
        }
        let tls_only = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
                "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }]
        });
        self.s3
            .put_bucket_policy()
            .bucket(bucket)
            .policy(tls_only.to_string())
            .send()
            .await
            .map_err(|e| explain(&what("set the TLS-only policy"), &e))?;
        Ok(())
    }

    /// Uploads `bytes` under `key` unless an object is there already (keys
    /// name content, so an object under the key is these bytes).
    pub async fn put(&mut self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), String> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(_) => {
                self.present += 1;
                return Ok(());
            }
            Err(error) if status(&error) == Some(404) => {}
            Err(error) if status(&error) == Some(403) => return Err(self.forbidden()),
            Err(error) => return Err(explain(&format!("look for s3://{}/{key}", self.bucket), &error)),
        }
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| explain(&format!("upload s3://{}/{key}", self.bucket), &e))?;
        self.uploaded += 1;
        Ok(())
    }

    fn forbidden(&self) -> String {
        format!(
            "error: no permission on the artifact bucket `{}` (it belongs to another account, or this identity may \
             not use it)\nhelp: grant s3:GetObject, s3:PutObject and s3:ListBucket on it, or name another with \
             `--bucket`",
            self.bucket
        )
    }

    /// The URL CloudFormation reads a template from.
    pub fn url(&self, key: &str) -> String {
        format!("https://{}.s3.{}.amazonaws.com/{key}", self.bucket, self.region)
    }
}
