//! `#[trigger(sqs)]` and `#[trigger(sqs = queue)]`: an event source mapping
//! that reports partial batch failures, so only failed messages are retried.

use super::{Scope, Wiring};
use crate::cfn::{LogicalId, Resource, Value};

/// Lambda's default batch size for SQS.
pub const DEFAULT_BATCH: u32 = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct SqsTrigger {
    /// The queue's resource name: a singleton's, or the action's own.
    pub queue: String,
    pub batch_size: Option<u32>,
    pub window_s: Option<u32>,
}

impl SqsTrigger {
    pub(super) fn render(&self, scope: &Scope<'_>, wiring: &mut Wiring<'_>) {
        let spec = scope.app.queue(&self.queue).expect("validation checked the trigger's queue");
        let mut properties = vec![
            ("EventSourceArn", spec.arn(&self.queue)),
            ("FunctionName", Value::reference(scope.function)),
            ("BatchSize", Value::from(self.batch_size.unwrap_or(DEFAULT_BATCH))),
            ("FunctionResponseTypes", Value::list([Value::from("ReportBatchItemFailures")])),
            ("Enabled", Value::from(true)),
        ];
        if let Some(window) = self.window_s {
            properties.push(("MaximumBatchingWindowInSeconds", Value::from(window)));
        }
        let id = LogicalId::new(&[&scope.action.name, &self.queue, "Mapping"]);
        wiring.fragment.add(&id, Resource::new("AWS::Lambda::EventSourceMapping", Value::map(properties)));
        wiring.statements.push(spec.consume_grant(&self.queue));
    }
}
