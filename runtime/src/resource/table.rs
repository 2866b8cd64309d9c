//! `Table<T>`: a DynamoDB table of `T` items, keyed by attributes of `T`;
//! encrypted, billed on demand and with point-in-time recovery by default.

use super::{arn, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Part, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;
use std::marker::PhantomData;

/// What a `Reader` needs on the table (and its indexes).
pub const READ: [Permission; 4] = [
    Permission::new("dynamodb", "GetItem"),
    Permission::new("dynamodb", "BatchGetItem"),
    Permission::new("dynamodb", "Query"),
    Permission::new("dynamodb", "ConditionCheckItem"),
];
/// What a `Writer` needs on the table.
pub const WRITE: [Permission; 4] = [
    Permission::new("dynamodb", "PutItem"),
    Permission::new("dynamodb", "UpdateItem"),
    Permission::new("dynamodb", "DeleteItem"),
    Permission::new("dynamodb", "BatchWriteItem"),
];
const MAX_NAME_LEN: usize = 255;
/// What makes CloudFormation replace a table (a new, empty one).
const REPLACED_BY: [&str; 3] = ["TableName", "KeySchema", "LocalSecondaryIndexes"];

/// A DynamoDB table of `T` items, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn users() -> Table<User> { Table::new().partition_key(Key::string("id")) }
/// ```
pub struct Table<T> {
    spec: TableSpec,
    item: PhantomData<fn() -> T>,
}

/// A key attribute: its name in `T` and its DynamoDB type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub kind: KeyKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    String,
    Number,
}

impl Key {
    pub fn string(name: &str) -> Key {
        Key { name: name.to_owned(), kind: KeyKind::String }
    }

    pub fn number(name: &str) -> Key {
        Key { name: name.to_owned(), kind: KeyKind::Number }
    }

    fn attribute_type(&self) -> &'static str {
        match self.kind {
            KeyKind::String => "S",
            KeyKind::Number => "N",
        }
    }
}

/// A global secondary index, projecting every attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    pub name: String,
    pub partition_key: Key,
    pub sort_key: Option<Key>,
}

/// How the table is billed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Billing {
    OnDemand,
    Provisioned { read: u32, write: u32 },
}

/// A table's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSpec {
    pub partition_key: Key,
    pub sort_key: Option<Key>,
    pub indexes: Vec<Index>,
    pub billing: Billing,
    pub stream: bool,
    pub ttl_attribute: Option<String>,
    pub point_in_time_recovery: bool,
    /// The ARN of an existing table to use instead of creating one.
    pub existing: Option<String>,
    /// Kept when the stack goes (the default), or deleted with it.
    pub removal: Removal,
}

impl<T> Table<T> {
    /// A table keyed by the string attribute `id`.
    pub fn new() -> Table<T> {
        Table {
            spec: TableSpec {
                partition_key: Key::string("id"),
                sort_key: None,
                indexes: Vec::new(),
                billing: Billing::OnDemand,
                stream: false,
                ttl_attribute: None,
                point_in_time_recovery: true,
                existing: None,
                removal: Removal::Retain,
            },
            item: PhantomData,
        }
    }

    /// An existing table, by ARN: nothing is created, and capabilities are
    /// granted on exactly that table. Declare its keys (and the indexes a
    /// `Reader` queries) as it has them; its other settings are its own.
    ///
    /// ```ignore
    /// Table::existing("arn:aws:dynamodb:eu-west-1:123456789012:table/users").partition_key(Key::string("email"))
    /// ```
    pub fn existing(arn: &str) -> Table<T> {
        let mut table = Table::new();
        table.spec.existing = Some(arn.to_owned());
        table
    }

    pub fn partition_key(mut self, key: Key) -> Table<T> {
        self.spec.partition_key = key;
        self
    }

    pub fn sort_key(mut self, key: Key) -> Table<T> {
        self.spec.sort_key = Some(key);
        self
    }

    /// A global secondary index named `name`.
    pub fn index(mut self, name: &str, partition_key: Key, sort_key: Option<Key>) -> Table<T> {
        self.spec.indexes.push(Index { name: name.to_owned(), partition_key, sort_key });
        self
    }

    /// Provisioned capacity instead of on-demand billing.
    pub fn provisioned(mut self, read: u32, write: u32) -> Table<T> {
        self.spec.billing = Billing::Provisioned { read, write };
        self
    }

    /// A stream of item changes (new and old images).
    pub fn stream(mut self) -> Table<T> {
        self.spec.stream = true;
        self
    }

    /// Items expire at the epoch seconds in `attribute`.
    pub fn ttl(mut self, attribute: &str) -> Table<T> {
        self.spec.ttl_attribute = Some(attribute.to_owned());
        self
    }

    pub fn without_point_in_time_recovery(mut self) -> Table<T> {
        self.spec.point_in_time_recovery = false;
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Table<T> {
        self.spec.removal = Removal::Delete;
        self
    }
}

impl<T> Default for Table<T> {
    fn default() -> Table<T> {
        Table::new()
    }
}

impl<T> IntoResource for Table<T> {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Table(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Table"])
}

/// The variable holding table `name`'s name in a function that may use it.
pub fn name_env(name: &str) -> String {
    format!("WIRESTACK_TABLE_{}", name.to_ascii_uppercase())
}

fn key_schema(partition: &Key, sort: Option<&Key>) -> Value {
    let element = |key: &Key, role: &'static str| {
        Value::map([("AttributeName", Value::from(key.name.clone())), ("KeyType", Value::from(role))])
    };
    Value::list(std::iter::once(element(partition, "HASH")).chain(sort.map(|k| element(k, "RANGE"))))
}

impl TableSpec {
    fn keys(&self) -> impl Iterator<Item = &Key> {
        let index_keys = self.indexes.iter().flat_map(|i| std::iter::once(&i.partition_key).chain(&i.sort_key));
        std::iter::once(&self.partition_key).chain(&self.sort_key).chain(index_keys)
    }

    /// The table's ARN: `GetAtt` of a created table, or the existing one's.
    pub fn arn(&self, name: &str) -> Value {
        match &self.existing {
            Some(arn) => Value::from(arn.clone()),
            None => Value::get_att(&logical_id(name), "Arn"),
        }
    }

    fn index_arns(&self, name: &str) -> Value {
        match &self.existing {
            Some(arn) => Value::from(format!("{arn}/index/*")),
            None => Value::Sub(vec![Part::Attr(logical_id(name), "Arn".into()), "/index/*".into()]),
        }
    }

    /// The table's name: `Ref` of a created table, or from the existing one's ARN.
    fn table_name(&self, name: &str) -> Value {
        match self.existing.as_deref().and_then(existing_name) {
            Some(table) => Value::from(table.to_owned()),
            None => Value::reference(&logical_id(name)),
        }
    }
}

impl ResourceKind for TableSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: Some(self.arn(name)), name: None, id: self.existing.is_none().then(|| logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "table"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        let env = (name_env(name), self.table_name(name));
        match access {
            Access::Read => {
                let mut resources = vec![self.arn(name)];
                if !self.indexes.is_empty() {
                    resources.push(self.index_arns(name));
                }
                Some(Grant::one(Statement::allow(&READ, resources), env))
            }
            Access::Write => Some(Grant::one(Statement::allow(&WRITE, vec![self.arn(name)]), env)),
            Access::Send | Access::Publish | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        if self.existing.is_some() {
            return scope.fragment();
        }
        let mut definitions: Vec<&Key> = Vec::new();
        for key in self.keys() {
            if !definitions.iter().any(|k| k.name == key.name) {
                definitions.push(key);
            }
        }
        let definitions = definitions.into_iter().map(|key| {
            Value::map([
                ("AttributeName", Value::from(key.name.clone())),
                ("AttributeType", Value::from(key.attribute_type())),
            ])
        });
        let mut properties = vec![
            ("TableName", Value::from(scope.naming.physical(name))),
            ("AttributeDefinitions", Value::list(definitions)),
            ("KeySchema", key_schema(&self.partition_key, self.sort_key.as_ref())),
            ("SSESpecification", Value::map([("SSEEnabled", Value::from(true))])),
            (
                "PointInTimeRecoverySpecification",
                Value::map([("PointInTimeRecoveryEnabled", Value::from(self.point_in_time_recovery))]),
            ),
        ];
        let throughput = |read: u32, write: u32| {
            Value::map([("ReadCapacityUnits", Value::from(read)), ("WriteCapacityUnits", Value::from(write))])
        };
        match self.billing {
            Billing::OnDemand => properties.push(("BillingMode", Value::from("PAY_PER_REQUEST"))),
            Billing::Provisioned { read, write } => {
                properties.push(("BillingMode", Value::from("PROVISIONED")));
                properties.push(("ProvisionedThroughput", throughput(read, write)));
            }
        }
        if !self.indexes.is_empty() {
            let indexes = self.indexes.iter().map(|index| {
                let mut entry = vec![
                    ("IndexName", Value::from(index.name.clone())),
                    ("KeySchema", key_schema(&index.partition_key, index.sort_key.as_ref())),
                    ("Projection", Value::map([("ProjectionType", Value::from("ALL"))])),
                ];
                if let Billing::Provisioned { read, write } = self.billing {
                    entry.push(("ProvisionedThroughput", throughput(read, write)));
                }
                Value::map(entry)
            });
            properties.push(("GlobalSecondaryIndexes", Value::list(indexes)));
        }
        // A `dynamodb` trigger on the table turns its stream on, too.
        if self.stream {
            properties
                .push(("StreamSpecification", Value::map([("StreamViewType", Value::from("NEW_AND_OLD_IMAGES"))])));
        }
        if let Some(attribute) = &self.ttl_attribute {
            properties.push((
                "TimeToLiveSpecification",
                Value::map([("AttributeName", Value::from(attribute.clone())), ("Enabled", Value::from(true))]),
            ));
        }
        let table = logical_id(name);
        let mut fragment = scope.fragment();
        fragment.add(
            &table,
            CfnResource::new("AWS::DynamoDB::Table", Value::map(properties)).holding_data(&REPLACED_BY, self.removal),
        );
        fragment.output(
            LogicalId::new(&[name, "TableName"]),
            format!("Name of table `{name}`"),
            Value::reference(&table),
        );
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        let here = |message: String| Problem::new(message).at(resource.defined_at, "declared here");
        if let Some(arn) = self.existing.as_deref().filter(|arn| existing_name(arn).is_none()) {
            let example = "Table::existing(\"arn:aws:dynamodb:REGION:ACCOUNT:table/NAME\")";
            return vec![arn::not_an_arn(scope, "table", arn, "a DynamoDB table ARN", example)];
        }
        let physical = scope.naming.physical(&resource.name);
        let mut problems: Vec<Problem> = match self.existing {
            Some(_) => Vec::new(),
            None => super::name_too_long(scope, &physical, MAX_NAME_LEN, "table").into_iter().collect(),
        };
        if self.keys().any(|k| k.name.is_empty()) {
            problems.push(here(format!("table `{}` has a key with an empty name", resource.name)));
        }
        let mut names: Vec<&str> = self.indexes.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            problems.push(here(format!("table `{}` has two indexes of the same name", resource.name)));
        }
        if let Billing::Provisioned { read: 0, .. } | Billing::Provisioned { write: 0, .. } = self.billing {
            problems
                .push(here(format!("table `{}` is provisioned with 0 capacity units; use at least 1", resource.name)));
        }
        let mut kinds = std::collections::BTreeMap::new();
        for key in self.keys() {
            if kinds.insert(key.name.as_str(), key.kind).is_some_and(|kind| kind != key.kind) {
                problems.push(here(format!("table `{}` types the key `{}` two ways", resource.name, key.name)));
            }
        }
        problems
    }
}

/// The table name in `arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME`.
fn existing_name(arn: &str) -> Option<&str> {
    let table = arn::parse(arn, "dynamodb")?.resource.strip_prefix("table/")?;
    (!table.is_empty() && !table.contains('/')).then_some(table)
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_table_renders_encrypted_on_demand_with_recovery() {
        let mut writer = action("writer", 1, vec![]);
        writer.capabilities = vec![uses(Access::Write, "users")];
        let json =
            synthesize(&app(vec![writer], vec![table("users", 2, true)]), None).unwrap().stacks[0].template.to_json();
        let properties = &json["Resources"]["UsersTable"]["Properties"];
        assert_eq!(properties["BillingMode"], "PAY_PER_REQUEST");
        assert_eq!(properties["SSESpecification"], serde_json::json!({"SSEEnabled": true}));
        assert_eq!(
            properties["PointInTimeRecoverySpecification"],
            serde_json::json!({"PointInTimeRecoveryEnabled": true})
        );
        assert_eq!(properties["GlobalSecondaryIndexes"][0]["IndexName"], "by_customer");
        assert_eq!(properties["AttributeDefinitions"].as_array().unwrap().len(), 2);
        // A writer may not read, and needs no index.
        let statements = &json["Resources"]["WriterRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(statements[1]["Resource"], serde_json::json!([{"Fn::GetAtt": ["UsersTable", "Arn"]}]));
        assert!(!statements.to_string().contains("GetItem"), "{statements}");
    }

    #[test]
    fn an_existing_table_is_used_by_arn_with_its_declared_keys_and_indexes() {
        use crate::resource::IntoResource as _;
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
        assert!(
            problems[0].contains("table `bad` names `arn:aws:dynamodb:eu-west-1:123456789012:legacy`, which is not")
        );

        let app = app(vec![reader], resources[..1].to_vec());
        let template = synthesize(&app, None).unwrap().stacks.remove(0).template.to_json();
        assert!(template["Resources"].get("UsersTable").is_none(), "an existing table is not created");
        assert_eq!(
            role_statements(&app, "ReaderRole")[1]["Resource"],
            serde_json::json!([arn, format!("{arn}/index/*")])
        );
        let env = &template["Resources"]["ReaderFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(env["WIRESTACK_TABLE_USERS"], "legacy-users");
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
}
