//! IAM as types. A statement names its actions as constants declared by the
//! module that grants them, and its resources as ARN values: the one way to
//! write a `"*"` resource is `Statement::unscoped`, for the actions listed
//! in `UNSCOPED`.

use crate::cfn::Value;
use std::fmt;

/// An IAM action such as `sqs:ReceiveMessage`: what a statement permits.
/// (Named apart from the app's actions, `model::Action`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission {
    service: &'static str,
    name: &'static str,
}

impl Permission {
    pub const fn new(service: &'static str, name: &'static str) -> Permission {
        Permission { service, name }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// AWS actions that have no resource-level permissions, so a statement
/// granting them must name `"*"`: the only place a wildcard resource may come
/// from, each with what needs it. (A test fails on any `"*"` whose actions
/// are not listed here.)
pub const UNSCOPED: &[(Permission, &str)] = &[(
    Permission::new("dynamodb", "ListStreams"),
    "`#[trigger(dynamodb = table)]`: Lambda's event source lists the table's streams; IAM scopes ListStreams to no resource",
)];

/// An `Allow` statement on exact resources.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub actions: Vec<Permission>,
    pub resources: Vec<Value>,
}

impl Statement {
    pub fn allow(actions: &[Permission], resources: Vec<Value>) -> Statement {
        let mut actions = actions.to_vec();
        actions.sort();
        actions.dedup();
        Statement { actions, resources }
    }

    /// An action IAM cannot scope to a resource, on `"*"`. Only actions in
    /// [`UNSCOPED`] may be granted this way.
    pub fn unscoped(action: Permission) -> Statement {
        assert!(
            UNSCOPED.iter().any(|(listed, _)| *listed == action),
            "{action} is not in iam::UNSCOPED; grant it on its resource's ARN"
        );
        Statement { actions: vec![action], resources: vec![Value::from("*")] }
    }

    fn to_value(&self) -> Value {
        Value::map([
            ("Effect", Value::from("Allow")),
            ("Action", Value::list(self.actions.iter().map(|a| Value::from(a.to_string())))),
            ("Resource", Value::List(self.resources.clone())),
        ])
    }
}

/// A policy document from statements, in the order given.
pub fn policy_document(statements: &[Statement]) -> Value {
    Value::map([
        ("Version", Value::from("2012-10-17")),
        ("Statement", Value::list(statements.iter().map(Statement::to_value))),
    ])
}

/// The trust policy that lets Lambda assume a function's role.
pub fn lambda_trust_policy() -> Value {
    Value::map([
        ("Version", Value::from("2012-10-17")),
        (
            "Statement",
            Value::list([Value::map([
                ("Effect", Value::from("Allow")),
                ("Principal", Value::map([("Service", Value::from("lambda.amazonaws.com"))])),
                ("Action", Value::list([Value::from("sts:AssumeRole")])),
            ])]),
        ),
    ])
}
