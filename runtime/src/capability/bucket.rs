//! `Reader<S>` and `Writer<S>` on a `Bucket` singleton: objects as bytes or
//! JSON. (Method names say "object" because a type cannot have two inherent
//! `get`s, one for tables and one for buckets.) A `Reader` may get and list (grants `s3:GetObject` on the bucket's
//! objects and `s3:ListBucket` on the bucket); a `Writer` may put and delete
//! (grants `s3:PutObject` and `s3:DeleteObject` on its objects).

use super::required_env;
use super::store::{Readable, Reader, Writable, Writer};
use crate::handler::BoxFuture;
use crate::kinds::Singleton;
use crate::resource::{bucket, Bucket, ResourceSpec};
use crate::Error;
use aws_sdk_s3::primitives::ByteStream;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;

/// The client and bucket name both capabilities share.
#[derive(Clone)]
pub struct BucketClient {
    client: aws_sdk_s3::Client,
    bucket: Arc<str>,
    resource: &'static str,
}

impl BucketClient {
    pub(super) async fn connect(resource: &'static str, capability: &str) -> Result<BucketClient, Error> {
        let bucket = required_env(&bucket::name_env(resource), &format!("{capability}<{resource}>"))?;
        let shared = super::aws::config().await;
        // A local stand-in has no per-bucket host names: address buckets by
        // path there, and by host name on AWS.
        let config =
            aws_sdk_s3::config::Builder::from(shared).force_path_style(shared.endpoint_url().is_some()).build();
        Ok(BucketClient { client: aws_sdk_s3::Client::from_conf(config), bucket: bucket.into(), resource })
    }

    fn failed(&self, what: &str, key: &str, error: impl std::fmt::Display) -> Error {
        Error::from(format!("{what} of `{key}` in bucket `{}` failed: {error}", self.resource))
    }
}

impl Readable for Bucket {
    type Client = BucketClient;

    fn connect(name: &'static str, _spec: ResourceSpec) -> BoxFuture<'static, Result<BucketClient, Error>> {
        Box::pin(BucketClient::connect(name, "Reader"))
    }
}

impl Writable for Bucket {
    type Client = BucketClient;

    fn connect(name: &'static str, _spec: ResourceSpec) -> BoxFuture<'static, Result<BucketClient, Error>> {
        Box::pin(BucketClient::connect(name, "Writer"))
    }
}

impl<S: Singleton<Resource = Bucket>> Reader<S> {
    /// The object at `key`, or `None` if there is none.
    pub async fn get_object(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        let bucket = self.client();
        let output = match bucket.client.get_object().bucket(&*bucket.bucket).key(key).send().await {
            Ok(output) => output,
            Err(error) => {
                let error = error.into_service_error();
                if error.is_no_such_key() {
                    return Ok(None);
                }
                return Err(bucket.failed("GetObject", key, error));
            }
        };
        let body = output.body.collect().await.map_err(|e| bucket.failed("reading", key, e))?;
        Ok(Some(body.to_vec()))
    }

    /// The object at `key` decoded as JSON `T`, or `None` if there is none.
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        let Some(bytes) = self.get_object(key).await? else { return Ok(None) };
        let bucket = self.client();
        serde_json::from_slice(&bytes).map(Some).map_err(|e| bucket.failed("decoding", key, e))
    }

    /// Every key that starts with `prefix`, in S3's (lexicographic) order.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, Error> {
        let bucket = self.client();
        let mut keys = Vec::new();
        let mut token = None;
        loop {
            let output = bucket
                .client
                .list_objects_v2()
                .bucket(&*bucket.bucket)
                .prefix(prefix)
                .set_continuation_token(token)
                .send()
                .await
                .map_err(|e| bucket.failed("ListObjectsV2", prefix, e.into_service_error()))?;
            keys.extend(output.contents.unwrap_or_default().into_iter().filter_map(|object| object.key));
            match output.next_continuation_token {
                Some(next) if output.is_truncated == Some(true) => token = Some(next),
                _ => return Ok(keys),
            }
        }
    }
}

impl<S: Singleton<Resource = Bucket>> Writer<S> {
    /// Stores `body` at `key`, replacing what was there (the bucket keeps
    /// the old version for a while).
    pub async fn put_object(&self, key: &str, body: impl Into<Vec<u8>>, content_type: &str) -> Result<(), Error> {
        let bucket = self.client();
        bucket
            .client
            .put_object()
            .bucket(&*bucket.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(body.into()))
            .send()
            .await
            .map_err(|e| bucket.failed("PutObject", key, e.into_service_error()))?;
        Ok(())
    }

    /// Stores `value` as JSON at `key`.
    pub async fn put_json<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        self.put_object(key, serde_json::to_vec(value)?, "application/json").await
    }

    /// Deletes the object at `key` (S3 keeps the old version for a while).
    pub async fn delete_object(&self, key: &str) -> Result<(), Error> {
        let bucket = self.client();
        bucket
            .client
            .delete_object()
            .bucket(&*bucket.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| bucket.failed("DeleteObject", key, e.into_service_error()))?;
        Ok(())
    }
}
