//! IAM as types. A statement names its actions as constants declared by the
//! module that grants them, and its resources as ARN values: there is no way
//! to write a `"*"` resource here.

use crate::cfn::Value;
use std::fmt;

/// An IAM action such as `sqs:ReceiveMessage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    service: &'static str,
    name: &'static str,
}

impl Action {
    pub const fn new(service: &'static str, name: &'static str) -> Action {
        Action { service, name }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// AWS actions that have no resource-level permissions, so a statement
/// granting them must name `"*"`: the only place a wildcard resource may come
/// from, each with the capability that needs it. Empty while no capability
/// needs one (a test fails on any `"*"` whose actions are not listed here).
pub const UNSCOPED: &[(Action, &str)] = &[];

/// An `Allow` statement on exact resources.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub actions: Vec<Action>,
    pub resources: Vec<Value>,
}

impl Statement {
    pub fn allow(actions: &[Action], resources: Vec<Value>) -> Statement {
        let mut actions = actions.to_vec();
        actions.sort();
        actions.dedup();
        Statement { actions, resources }
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
