//! `Writer<S>` on a `Stream<T>` singleton: puts `T` records, as JSON, on
//! the one stream (grants `kinesis:PutRecord` and `PutRecords` on it).
//! (Records are read by `#[trigger(kinesis = ..)]`, not by a `Reader`.)

use super::required_env;
use super::store::{Writable, Writer};
use crate::handler::BoxFuture;
use crate::kinds::Singleton;
use crate::resource::{stream, ResourceSpec, Stream};
use crate::Error;
use aws_sdk_kinesis::primitives::Blob;
use aws_sdk_kinesis::types::PutRecordsRequestEntry;
use serde::Serialize;
use std::sync::Arc;

/// Kinesis accepts at most 500 records per `PutRecords` call.
const BATCH: usize = 500;

/// The client and stream ARN a `Writer` of a stream uses.
#[derive(Clone)]
pub struct StreamClient {
    client: aws_sdk_kinesis::Client,
    arn: Arc<str>,
    resource: &'static str,
}

impl StreamClient {
    pub(super) async fn connect(resource: &'static str, capability: &str) -> Result<StreamClient, Error> {
        let arn = required_env(&stream::arn_env(resource), &format!("{capability}<{resource}>"))?;
        let client = aws_sdk_kinesis::Client::new(super::aws::config().await);
        Ok(StreamClient { client, arn: arn.into(), resource })
    }
}

impl<T> Writable for Stream<T> {
    type Client = StreamClient;

    fn connect(name: &'static str, _spec: ResourceSpec) -> BoxFuture<'static, Result<StreamClient, Error>> {
        Box::pin(StreamClient::connect(name, "Writer"))
    }
}

impl<S: Singleton<Resource = Stream<T>>, T: Serialize> Writer<S> {
    /// Puts one record; records with the same `partition_key` keep their
    /// order (they land on one shard).
    pub async fn put_record(&self, record: &T, partition_key: &str) -> Result<(), Error> {
        let stream = self.client();
        stream
            .client
            .put_record()
            .stream_arn(&*stream.arn)
            .partition_key(partition_key)
            .data(Blob::new(serde_json::to_vec(record)?))
            .send()
            .await
            .map_err(|e| {
                Error::from(format!(
                    "putting a record on stream `{}` failed: {}",
                    stream.resource,
                    e.into_service_error()
                ))
            })?;
        Ok(())
    }

    /// Puts records in batches of 500, each under the partition key
    /// `partition_key` gives it; fails naming every record Kinesis refused
    /// (by its index), after putting all the others.
    pub async fn put_records(&self, records: &[T], partition_key: impl Fn(&T) -> String) -> Result<(), Error> {
        let stream = self.client();
        let mut refused = Vec::new();
        for (chunk_index, chunk) in records.chunks(BATCH).enumerate() {
            let mut entries = Vec::with_capacity(chunk.len());
            for record in chunk {
                let data = Blob::new(serde_json::to_vec(record)?);
                entries
                    .push(PutRecordsRequestEntry::builder().data(data).partition_key(partition_key(record)).build()?);
            }
            let output =
                stream.client.put_records().stream_arn(&*stream.arn).set_records(Some(entries)).send().await.map_err(
                    |e| {
                        Error::from(format!(
                            "putting records on stream `{}` failed: {}",
                            stream.resource,
                            e.into_service_error()
                        ))
                    },
                )?;
            for (i, entry) in output.records().iter().enumerate() {
                if let Some(code) = entry.error_code() {
                    refused.push(format!("#{} ({code})", chunk_index * BATCH + i));
                }
            }
        }
        if refused.is_empty() {
            Ok(())
        } else {
            Err(Error::from(format!("stream `{}` refused records {}", stream.resource, refused.join(", "))))
        }
    }
}
