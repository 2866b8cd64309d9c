//! `Reader<S>` and `Writer<S>` on a `Table<I>` singleton: typed items in and
//! out. A `Reader` may get and query (grants `dynamodb:GetItem`, `Query`, ..
//! on the table and its indexes); a `Writer` may put and delete (grants
//! `dynamodb:PutItem`, `DeleteItem`, .. on the table). Neither grants both.

use super::required_env;
use super::store::{Readable, Reader, Writable, Writer};
use crate::handler::BoxFuture;
use crate::kinds::Singleton;
use crate::resource::{table, ResourceSpec, Table, TableSpec};
use crate::Error;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Number, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The client and key names both capabilities share.
#[derive(Clone)]
pub struct TableClient {
    client: aws_sdk_dynamodb::Client,
    table: Arc<str>,
    partition: Arc<str>,
    sort: Option<Arc<str>>,
    resource: &'static str,
}

impl TableClient {
    pub(super) async fn connect(
        resource: &'static str,
        spec: &TableSpec,
        capability: &str,
    ) -> Result<TableClient, Error> {
        let table = required_env(&table::name_env(resource), &format!("{capability}<{resource}>"))?;
        Ok(TableClient {
            client: aws_sdk_dynamodb::Client::new(super::aws::config().await),
            table: table.into(),
            partition: spec.partition_key.name.as_str().into(),
            sort: spec.sort_key.as_ref().map(|k| k.name.as_str().into()),
            resource,
        })
    }

    fn key(&self, partition: Value, sort: Option<Value>) -> Result<HashMap<String, AttributeValue>, Error> {
        let mut key = HashMap::from([(self.partition.to_string(), to_attribute(partition))]);
        match (&self.sort, sort) {
            (Some(name), Some(value)) => {
                key.insert(name.to_string(), to_attribute(value));
            }
            (None, None) => {}
            (Some(name), None) => {
                return Err(Error::from(format!("table `{}` needs its sort key `{name}` too", self.resource)))
            }
            (None, Some(_)) => return Err(Error::from(format!("table `{}` has no sort key", self.resource))),
        }
        Ok(key)
    }

    fn failed(&self, what: &str, error: impl std::fmt::Display) -> Error {
        Error::from(format!("{what} on table `{}` failed: {error}", self.resource))
    }
}

impl<T> Readable for Table<T> {
    type Client = TableClient;

    fn connect(name: &'static str, spec: ResourceSpec) -> BoxFuture<'static, Result<TableClient, Error>> {
        Box::pin(async move { TableClient::connect(name, &table_spec(spec), "Reader").await })
    }
}

impl<T> Writable for Table<T> {
    type Client = TableClient;

    fn connect(name: &'static str, spec: ResourceSpec) -> BoxFuture<'static, Result<TableClient, Error>> {
        Box::pin(async move { TableClient::connect(name, &table_spec(spec), "Writer").await })
    }
}

fn table_spec(spec: ResourceSpec) -> TableSpec {
    match spec {
        ResourceSpec::Table(spec) => spec,
        _ => unreachable!("a `Table<T>` singleton declares a table"),
    }
}

impl<S, T> Reader<S>
where
    S: Singleton<Resource = Table<T>>,
    T: DeserializeOwned,
{
    /// The item whose partition key is `partition` (tables without a sort key).
    pub async fn get(&self, partition: impl Serialize) -> Result<Option<T>, Error> {
        self.get_item(serde_json::to_value(partition)?, None).await
    }

    /// The item with both keys.
    pub async fn get_sorted(&self, partition: impl Serialize, sort: impl Serialize) -> Result<Option<T>, Error> {
        self.get_item(serde_json::to_value(partition)?, Some(serde_json::to_value(sort)?)).await
    }

    async fn get_item(&self, partition: Value, sort: Option<Value>) -> Result<Option<T>, Error> {
        let table = self.client();
        let output = table
            .client
            .get_item()
            .table_name(&*table.table)
            .set_key(Some(table.key(partition, sort)?))
            .send()
            .await
            .map_err(|e| table.failed("GetItem", e.into_service_error()))?;
        output.item.map(from_item).transpose()
    }

    /// Every item whose partition key is `partition`, in sort-key order.
    pub async fn query(&self, partition: impl Serialize) -> Result<Vec<T>, Error> {
        let table = self.client();
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let output = table
                .client
                .query()
                .table_name(&*table.table)
                .key_condition_expression("#p = :p")
                .expression_attribute_names("#p", &*table.partition)
                .expression_attribute_values(":p", to_attribute(serde_json::to_value(&partition)?))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| table.failed("Query", e.into_service_error()))?;
            for item in output.items.unwrap_or_default() {
                items.push(from_item(item)?);
            }
            match output.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(items),
            }
        }
    }
}

impl<S, T> Writer<S>
where
    S: Singleton<Resource = Table<T>>,
    T: Serialize,
{
    /// Stores `item`, replacing any with the same key.
    pub async fn put(&self, item: &T) -> Result<(), Error> {
        let table = self.client();
        let Value::Object(fields) = serde_json::to_value(item)? else {
            return Err(Error::from(format!("items of table `{}` must serialize as JSON objects", table.resource)));
        };
        let item = fields.into_iter().map(|(k, v)| (k, to_attribute(v))).collect();
        table
            .client
            .put_item()
            .table_name(&*table.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| table.failed("PutItem", e.into_service_error()))?;
        Ok(())
    }

    /// Deletes the item whose partition key is `partition`.
    pub async fn delete(&self, partition: impl Serialize) -> Result<(), Error> {
        self.delete_item(serde_json::to_value(partition)?, None).await
    }

    /// Deletes the item with both keys.
    pub async fn delete_sorted(&self, partition: impl Serialize, sort: impl Serialize) -> Result<(), Error> {
        self.delete_item(serde_json::to_value(partition)?, Some(serde_json::to_value(sort)?)).await
    }

    async fn delete_item(&self, partition: Value, sort: Option<Value>) -> Result<(), Error> {
        let table = self.client();
        table
            .client
            .delete_item()
            .table_name(&*table.table)
            .set_key(Some(table.key(partition, sort)?))
            .send()
            .await
            .map_err(|e| table.failed("DeleteItem", e.into_service_error()))?;
        Ok(())
    }
}

/// JSON to DynamoDB's typed values: numbers as `N`, objects as `M`, ..
fn to_attribute(value: Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s),
        Value::Array(items) => AttributeValue::L(items.into_iter().map(to_attribute).collect()),
        Value::Object(fields) => AttributeValue::M(fields.into_iter().map(|(k, v)| (k, to_attribute(v))).collect()),
    }
}

fn from_attribute(value: AttributeValue) -> Result<Value, Error> {
    Ok(match value {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(b) => Value::Bool(b),
        AttributeValue::N(n) => Value::Number(parse_number(&n)?),
        AttributeValue::S(s) => Value::String(s),
        AttributeValue::L(items) => Value::Array(items.into_iter().map(from_attribute).collect::<Result<_, _>>()?),
        AttributeValue::M(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| Ok((k, from_attribute(v)?))).collect::<Result<_, Error>>()?)
        }
        AttributeValue::Ss(items) => Value::Array(items.into_iter().map(Value::String).collect()),
        AttributeValue::Ns(items) => {
            Value::Array(items.iter().map(|n| parse_number(n).map(Value::Number)).collect::<Result<_, _>>()?)
        }
        other => return Err(Error::from(format!("binary attributes are not supported yet: {other:?}"))),
    })
}

fn parse_number(text: &str) -> Result<Number, Error> {
    serde_json::from_str(text).map_err(|_| Error::from(format!("`{text}` is not a number DynamoDB should hold")))
}

fn from_item<T: DeserializeOwned>(item: HashMap<String, AttributeValue>) -> Result<T, Error> {
    let fields = item.into_iter().map(|(k, v)| Ok((k, from_attribute(v)?))).collect::<Result<_, Error>>()?;
    serde_json::from_value(Value::Object(fields)).map_err(|e| Error::from(format!("an item does not decode: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_round_trip_through_attribute_values() {
        let value = json!({"id": "o-1", "cents": 250, "ratio": 0.5, "tags": ["a"], "meta": {"ok": true, "none": null}});
        assert_eq!(from_attribute(to_attribute(value.clone())).unwrap(), value);
        assert_eq!(to_attribute(json!(7)), AttributeValue::N("7".to_owned()));
    }
}
