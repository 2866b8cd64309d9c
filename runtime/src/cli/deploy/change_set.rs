//! Change sets: what CloudFormation will do, each change traced to the Rust
//! item that caused it, and every replacement of a resource holding data
//! found before it happens.

use super::aws::{explain, Aws};
use crate::layout::Stack;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, DeploymentConfig, DeploymentConfigMode, Parameter,
};
use std::collections::BTreeMap;
use std::time::Duration;

/// What one change does to one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub action: Action,
    /// The nested stack it is in, by its logical id in the root; `None`
    /// for the root's own resources.
    pub nested: Option<String>,
    pub logical_id: String,
    pub kind: String,
    pub replacement: Replacement,
    /// The properties whose change forces the replacement.
    pub forced_by: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Add,
    Modify,
    Remove,
    /// Import, Dynamic, or what a newer service adds.
    Other,
}

/// Whether CloudFormation replaces the resource (a new physical resource).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replacement {
    No,
    /// Depends on a value only known while deploying.
    Conditional,
    Yes,
    /// The service did not say (a local stand-in never does).
    Unknown,
}

/// A change set as created for this deploy.
pub struct ChangeSet {
    pub name: String,
    pub changes: Vec<Change>,
}

/// What `create` found.
pub enum Created {
    Changes(ChangeSet),
    /// CloudFormation found nothing to do (the change set is deleted).
    Nothing,
}

/// What a change set is made of.
pub struct Request<'a> {
    pub stack: &'a str,
    pub template_url: String,
    pub parameters: &'a BTreeMap<String, String>,
    pub create: bool,
    pub express: bool,
    /// The stack has nested stacks, whose changes the change set includes.
    pub nested: bool,
}

/// Creates a change set and waits until CloudFormation has computed it.
pub async fn create(aws: &Aws, request: Request<'_>) -> Result<Created, String> {
    let name = format!("wirestack-{}", std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap_or_default().as_millis());
    let stack = request.stack;
    let mut call = aws
        .cloudformation
        .create_change_set()
        .stack_name(stack)
        .change_set_name(&name)
        .change_set_type(if request.create { ChangeSetType::Create } else { ChangeSetType::Update })
        .template_url(&request.template_url)
        .capabilities(Capability::CapabilityIam)
        .capabilities(Capability::CapabilityNamedIam)
        .include_nested_stacks(request.nested)
        .description("made by wirestack deploy");
    for (key, value) in request.parameters {
        call = call.parameters(Parameter::builder().parameter_key(key).parameter_value(value).build());
    }
    if request.express {
        call = call.deployment_config(DeploymentConfig::builder().mode(DeploymentConfigMode::Express).build());
    }
    if let Err(error) = call.send().await {
        // Some services refuse an identical template at once.
        if error.message().is_some_and(no_changes) {
            return Ok(Created::Nothing);
        }
        return Err(explain(&format!("create a change set for stack `{stack}`"), &error));
    }
    let mut delay = Duration::from_millis(200);
    let changes = loop {
        let (status, reason, changes) = describe(aws, stack, &name).await?;
        match status {
            ChangeSetStatus::CreateComplete if changes.is_empty() => {
                delete(aws, stack, &name).await?;
                return Ok(Created::Nothing);
            }
            ChangeSetStatus::CreateComplete => break changes,
            ChangeSetStatus::Failed if reason.as_deref().is_some_and(no_changes) => {
                delete(aws, stack, &name).await?;
                return Ok(Created::Nothing);
            }
            ChangeSetStatus::Failed => {
                let _ = delete(aws, stack, &name).await;
                return Err(format!(
                    "error: CloudFormation refused the change set for stack `{stack}`: {}",
                    reason.unwrap_or_default()
                ));
            }
            _ => {
                tokio::time::sleep(delay).await;
                delay = (delay * 3 / 2).min(Duration::from_secs(3));
            }
        }
    };
    Ok(Created::Changes(ChangeSet { name, changes }))
}

/// CloudFormation's two ways of saying a change set has nothing in it.
fn no_changes(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// The change set's status, reason and every change (all pages).
async fn describe(
    aws: &Aws,
    stack: &str,
    name: &str,
) -> Result<(ChangeSetStatus, Option<String>, Vec<Change>), String> {
    let mut changes = Vec::new();
    let mut nested_sets = Vec::new();
    let mut token = None;
    loop {
        let output = aws
            .cloudformation
            .describe_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| explain(&format!("describe change set `{name}`"), &e))?;
        for rc in output.changes().iter().filter_map(|c| c.resource_change()) {
            if let (Some("AWS::CloudFormation::Stack"), Some(id), Some(set)) =
                (rc.resource_type(), rc.logical_resource_id(), rc.change_set_id())
            {
                nested_sets.push((id.to_owned(), set.to_owned()));
            }
        }
        changes.extend(output.changes().iter().filter_map(|c| c.resource_change()).map(|rc| {
            use aws_sdk_cloudformation::types::{ChangeAction, Replacement as R, RequiresRecreation};
            let action = match rc.action() {
                Some(ChangeAction::Add) => Action::Add,
                Some(ChangeAction::Modify) => Action::Modify,
                Some(ChangeAction::Remove) => Action::Remove,
                _ => Action::Other,
            };
            let replacement = match rc.replacement() {
                Some(R::True) => Replacement::Yes,
                Some(R::Conditional) => Replacement::Conditional,
                Some(R::False) => Replacement::No,
                _ if action == Action::Modify => Replacement::Unknown,
                _ => Replacement::No,
            };
            let forced_by = rc
                .details()
                .iter()
                .filter_map(|d| d.target())
                .filter(|t| {
                    matches!(
                        t.requires_recreation(),
                        Some(RequiresRecreation::Always | RequiresRecreation::Conditionally)
                    )
                })
                .filter_map(|t| t.name().map(str::to_owned))
                .collect();
            Change {
                action,
                nested: None,
                logical_id: rc.logical_resource_id().unwrap_or_default().to_owned(),
                kind: rc.resource_type().unwrap_or_default().to_owned(),
                replacement,
                forced_by,
            }
        }));
        let status = output.status().cloned().unwrap_or(ChangeSetStatus::CreatePending);
        token = output.next_token().map(str::to_owned);
        if token.is_none() || status != ChangeSetStatus::CreateComplete {
            // A change set made with nested stacks has one per changed child,
            // named by ARN: their changes are this deploy's too.
            if status == ChangeSetStatus::CreateComplete {
                for (child, set) in nested_sets {
                    let (_, _, inner) = Box::pin(describe(aws, &set, &set)).await?;
                    changes.extend(inner.into_iter().map(|change| Change { nested: Some(child.clone()), ..change }));
                }
            }
            return Ok((status, output.status_reason().map(str::to_owned), changes));
        }
    }
}

pub async fn delete(aws: &Aws, stack: &str, name: &str) -> Result<(), String> {
    aws.cloudformation
        .delete_change_set()
        .stack_name(stack)
        .change_set_name(name)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| explain(&format!("delete change set `{name}`"), &e))
}

/// Where the service did not say whether a modified resource is replaced,
/// decides it from wirestack's own table of each kind's replacing
/// properties (`cfn::Data::replaced_by`), comparing the deployed template.
pub fn judge(changes: &mut [Change], deployed: &serde_json::Value, stack: &Stack) {
    let new = stack.template.to_json();
    // Nested stacks' changes keep the service's verdict: their deployed
    // templates are not at hand.
    for change in changes.iter_mut().filter(|c| c.replacement == Replacement::Unknown && c.nested.is_none()) {
        let before = &deployed["Resources"][&change.logical_id];
        let after = &new["Resources"][&change.logical_id];
        let forced: Vec<String> = match stack.template.resources.get(change.logical_id.as_str()).and_then(|r| r.data) {
            _ if before["Type"] != after["Type"] => vec!["Type".to_owned()],
            Some(data) => data
                .replaced_by
                .iter()
                .filter(|p| before["Properties"][**p] != after["Properties"][**p])
                .map(|p| (*p).to_owned())
                .collect(),
            None => Vec::new(),
        };
        change.replacement = if forced.is_empty() { Replacement::No } else { Replacement::Yes };
        change.forced_by = forced;
    }
}

/// The stack (of the root and its nested `stacks`, root first) that the
/// change is in.
pub fn holder<'s>(stacks: &[&'s Stack], change: &Change) -> Option<&'s Stack> {
    match &change.nested {
        None => stacks.first().copied(),
        Some(child) => stacks.iter().copied().find(|s| s.nested_as.as_ref().is_some_and(|id| id.as_str() == child)),
    }
}

/// The changes that would replace a resource holding data.
pub fn data_lost<'c>(changes: &'c [Change], stacks: &[&Stack]) -> Vec<&'c Change> {
    changes
        .iter()
        .filter(|c| matches!(c.replacement, Replacement::Yes | Replacement::Conditional))
        .filter(|c| {
            holder(stacks, c)
                .and_then(|stack| stack.template.resources.get(c.logical_id.as_str()))
                .is_some_and(|r| r.data.is_some())
        })
        .collect()
}

impl Change {
    /// `Actions1/FulfilFunction` in a nested stack, `FulfilFunction` in the root.
    pub fn path(&self) -> String {
        match &self.nested {
            Some(child) => format!("{child}/{}", self.logical_id),
            None => self.logical_id.clone(),
        }
    }
}

/// The summary printed before a change set runs: added, modified and
/// removed resources, replacements loud, each traced to its Rust item.
pub fn summary(stacks: &[&Stack], deployed: &serde_json::Value, changes: &[Change]) -> String {
    let mut text = String::new();
    let id_width = changes.iter().map(|c| c.path().len()).max().unwrap_or(0);
    let kind_width = changes.iter().map(|c| c.kind.len()).max().unwrap_or(0);
    let groups =
        [(Action::Add, "add"), (Action::Modify, "modify"), (Action::Remove, "remove"), (Action::Other, "other")];
    for (action, title) in groups {
        let mut group: Vec<&Change> = changes.iter().filter(|c| c.action == action).collect();
        if group.is_empty() {
            continue;
        }
        group.sort_by_key(|c| c.path());
        text += &format!("  {title} ({}):\n", group.len());
        for change in group {
            let mark = match (change.action, change.replacement) {
                (Action::Add, _) => "+",
                (Action::Remove, _) => "-",
                (_, Replacement::Yes | Replacement::Conditional) => "!",
                _ => "~",
            };
            let mut line = format!("    {mark} {:id_width$}  {:kind_width$}", change.path(), change.kind);
            match change.replacement {
                Replacement::Yes => line += &format!("  REPLACED{}", forced(change)),
                Replacement::Conditional => line += &format!("  MAY BE REPLACED{}", forced(change)),
                Replacement::No | Replacement::Unknown => {}
            }
            match holder(stacks, change).and_then(|stack| stack.source(&change.logical_id)) {
                Some(source) => line += &format!("  <- {source}"),
                None if change.action == Action::Remove => {
                    let retained = deployed["Resources"][&change.logical_id]["DeletionPolicy"] == "Retain";
                    line += if retained {
                        "  (no longer in the code; kept in the account: DeletionPolicy Retain)"
                    } else {
                        "  (no longer in the code)"
                    };
                }
                None => {}
            }
            text += line.trim_end();
            text.push('\n');
        }
    }
    text
}

fn forced(change: &Change) -> String {
    if change.forced_by.is_empty() {
        String::new()
    } else {
        format!(" (by {})", change.forced_by.join(", "))
    }
}

#[cfg(test)]
mod model_tests {
    use super::{data_lost, judge, summary, Action, Change, Replacement, Stack};
    use crate::model::testing::{action, app, queue, sqs, synthesize, synthesize_within, App, Capacity, Code, Limits};

    fn change(action: Action, id: &str, kind: &str) -> Change {
        Change {
            action,
            nested: None,
            logical_id: id.to_owned(),
            kind: kind.to_owned(),
            replacement: if action == Action::Modify { Replacement::Unknown } else { Replacement::No },
            forced_by: Vec::new(),
        }
    }

    fn stack_of(app: &App) -> Stack {
        synthesize(app, None).unwrap().stacks.remove(0)
    }

    #[test]
    fn a_renamed_queue_is_judged_replaced_by_its_name_and_refused_but_a_new_timeout_is_not() {
        let app = app(vec![], vec![queue("orders", 3, None)]);
        let stack = stack_of(&app);
        let mut deployed = stack.template.to_json();
        let mut changes = vec![change(Action::Modify, "OrdersQueue", "AWS::SQS::Queue")];
        deployed["Resources"]["OrdersQueue"]["Properties"]["VisibilityTimeout"] = 5.into();
        judge(&mut changes, &deployed, &stack);
        assert_eq!(changes[0].replacement, Replacement::No);
        assert!(data_lost(&changes, &[&stack]).is_empty());

        let mut changes = vec![change(Action::Modify, "OrdersQueue", "AWS::SQS::Queue")];
        deployed["Resources"]["OrdersQueue"]["Properties"]["QueueName"] = "old-orders".into();
        judge(&mut changes, &deployed, &stack);
        assert_eq!(changes[0].replacement, Replacement::Yes);
        assert_eq!(changes[0].forced_by, ["QueueName"]);
        assert_eq!(data_lost(&changes, &[&stack]).len(), 1);
        let summary = summary(&[&stack], &deployed, &changes);
        assert!(
            summary.contains("! OrdersQueue  AWS::SQS::Queue  REPLACED (by QueueName)  <- #[singleton] fn orders"),
            "{summary}"
        );
    }

    #[test]
    fn the_summary_groups_changes_and_says_what_a_removed_resource_leaves_behind() {
        let app = app(vec![action("fulfil", 7, vec![])], vec![]);
        let stack = stack_of(&app);
        let deployed =
            serde_json::json!({"Resources": {"OldQueue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain"}}});
        let changes = vec![
            change(Action::Remove, "OldQueue", "AWS::SQS::Queue"),
            change(Action::Add, "FulfilFunction", "AWS::Lambda::Function"),
        ];
        let summary = summary(&[&stack], &deployed, &changes);
        let add = summary.find("add (1)").unwrap();
        let remove = summary.find("remove (1)").unwrap();
        assert!(add < remove, "{summary}");
        assert!(summary.contains("+ FulfilFunction  AWS::Lambda::Function  <- fn fulfil  src/lib.rs:7"), "{summary}");
        assert!(
            summary.contains("- OldQueue        AWS::SQS::Queue        (no longer in the code; kept in the account"),
            "{summary}"
        );
    }

    #[test]
    fn a_replacement_inside_a_nested_stack_is_refused_and_traced_to_its_item() {
        let actions = (0..6).map(|i| action(&format!("worker_{i}"), 10 + i, vec![sqs("orders")])).collect();
        let app = app(actions, vec![queue("orders", 3, None)]);
        let capacity = Capacity { limits: Limits { resources: 12, ..Limits::CLOUDFORMATION }, headroom_percent: 0 };
        let stacks = synthesize_within(&app, None, &Code::default(), &capacity).unwrap().stacks;
        let shared = stacks.iter().find(|s| s.template.resources.contains_key("OrdersQueue")).unwrap();
        let child = shared.nested_as.as_ref().unwrap().to_string();
        let replaced = Change {
            nested: Some(child.clone()),
            replacement: Replacement::Yes,
            forced_by: vec!["QueueName".to_owned()],
            ..change(Action::Modify, "OrdersQueue", "AWS::SQS::Queue")
        };
        let all: Vec<&Stack> = stacks.iter().collect();
        let changes = [replaced];
        assert_eq!(data_lost(&changes, &all).len(), 1, "the queue holds data in its nested stack");
        let summary = summary(&all, &serde_json::json!({}), &changes);
        assert!(summary.contains(&format!("! {child}/OrdersQueue")), "{summary}");
        assert!(summary.contains("<- #[singleton] fn orders"), "{summary}");
    }
}
