//! A deployed stack as deploy sees it: its status, parameters, outputs and
//! template.

use super::aws::{explain, is_missing_stack, Aws};
use aws_sdk_cloudformation::types::TemplateStage;
use std::collections::BTreeMap;

/// What `DescribeStacks` says about one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployed {
    pub id: String,
    pub status: String,
    pub reason: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub outputs: Vec<StackOutput>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StackOutput {
    pub key: String,
    pub value: String,
    pub description: String,
}

/// What a stack's status lets deploy do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Stable: it can be updated. `failed` when its last operation failed
    /// (then it is never called up to date).
    Ready { failed: bool },
    /// Another operation is running: wait for it.
    Busy,
    /// Made by a change set never executed: create it again.
    Review,
    /// A first create that failed and rolled back: only deleting it helps.
    FailedCreate,
    /// Stuck in a state only the user can resolve.
    Stuck,
}

impl Condition {
    pub fn of(status: &str) -> Condition {
        match status {
            "REVIEW_IN_PROGRESS" => Condition::Review,
            "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" => Condition::FailedCreate,
            "UPDATE_ROLLBACK_FAILED" | "DELETE_FAILED" | "IMPORT_ROLLBACK_FAILED" => Condition::Stuck,
            "UPDATE_ROLLBACK_COMPLETE" | "UPDATE_FAILED" | "IMPORT_ROLLBACK_COMPLETE" => {
                Condition::Ready { failed: true }
            }
            status if status.ends_with("_IN_PROGRESS") => Condition::Busy,
            _ => Condition::Ready { failed: false },
        }
    }
}

/// How to get a stuck stack moving again.
pub fn unstick(name: &str, status: &str) -> String {
    match status {
        "UPDATE_ROLLBACK_FAILED" => format!(
            "help: fix what the rollback could not undo, then run `aws cloudformation continue-update-rollback \
             --stack-name {name}` (add `--resources-to-skip ID` for a resource that cannot be rolled back)"
        ),
        "DELETE_FAILED" => format!(
            "help: delete what CloudFormation could not (see the reason above), then run `destroy` again, or \
             `aws cloudformation delete-stack --stack-name {name} --deletion-mode FORCE_DELETE_STACK`"
        ),
        _ => format!("help: see the stack's events in the CloudFormation console: `aws cloudformation describe-stack-events --stack-name {name}`"),
    }
}

/// The stack named `name`, or `None` if there is none (or it was deleted).
pub async fn describe(aws: &Aws, name: &str) -> Result<Option<Deployed>, String> {
    let output = match aws.cloudformation.describe_stacks().stack_name(name).send().await {
        Ok(output) => output,
        Err(error) if is_missing_stack(&error) => return Ok(None),
        Err(error) => return Err(explain(&format!("describe stack `{name}`"), &error)),
    };
    let Some(stack) = output.stacks().first() else { return Ok(None) };
    let status = stack.stack_status().map(|s| s.as_str().to_owned()).unwrap_or_default();
    if status == "DELETE_COMPLETE" {
        return Ok(None);
    }
    Ok(Some(Deployed {
        id: stack.stack_id().unwrap_or(name).to_owned(),
        status,
        reason: stack.stack_status_reason().map(str::to_owned),
        parameters: stack
            .parameters()
            .iter()
            .filter_map(|p| Some((p.parameter_key()?.to_owned(), p.parameter_value().unwrap_or_default().to_owned())))
            .collect(),
        outputs: stack
            .outputs()
            .iter()
            .filter_map(|o| {
                Some(StackOutput {
                    key: o.output_key()?.to_owned(),
                    value: o.output_value().unwrap_or_default().to_owned(),
                    description: o.description().unwrap_or_default().to_owned(),
                })
            })
            .collect(),
    }))
}

/// The template the stack was last deployed with, as JSON.
pub async fn template(aws: &Aws, name: &str) -> Result<serde_json::Value, String> {
    let output = aws
        .cloudformation
        .get_template()
        .stack_name(name)
        .template_stage(TemplateStage::Original)
        .send()
        .await
        .map_err(|e| explain(&format!("read the template of stack `{name}`"), &e))?;
    let body = output.template_body().unwrap_or("{}");
    // A template written in YAML (not by wirestack) never equals ours.
    Ok(serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

/// A resource the stack's delete leaves in the account.
#[derive(Clone, Debug, PartialEq)]
pub struct Retained {
    pub logical_id: String,
    pub kind: String,
    pub physical_id: String,
}

/// The physical id of each resource of stack `name`, by logical id.
async fn physical_ids(aws: &Aws, name: &str) -> Result<BTreeMap<String, String>, String> {
    let mut physical = BTreeMap::new();
    let mut token = None;
    loop {
        let output = aws
            .cloudformation
            .list_stack_resources()
            .stack_name(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| explain(&format!("list the resources of stack `{name}`"), &e))?;
        for summary in output.stack_resource_summaries() {
            if let (Some(id), Some(physical_id)) = (summary.logical_resource_id(), summary.physical_resource_id()) {
                physical.insert(id.to_owned(), physical_id.to_owned());
            }
        }
        token = output.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(physical);
        }
    }
}

/// The nested stacks of stack `name` whose deployed `template` declares
/// them: each one's stack id (or name).
pub async fn nested(aws: &Aws, name: &str, template: &serde_json::Value) -> Result<Vec<String>, String> {
    let Some(resources) = template["Resources"].as_object() else { return Ok(Vec::new()) };
    if !resources.values().any(|r| r["Type"] == "AWS::CloudFormation::Stack") {
        return Ok(Vec::new());
    }
    let physical = physical_ids(aws, name).await?;
    Ok(resources
        .iter()
        .filter(|(_, resource)| resource["Type"] == "AWS::CloudFormation::Stack")
        .filter_map(|(id, _)| physical.get(id).cloned())
        .collect())
}

/// The outputs of stack `name` (deployed with `template`) and of its
/// nested stacks (their own, not what they pass each other).
pub async fn all_outputs(
    aws: &Aws,
    name: &str,
    root: &Deployed,
    template: &serde_json::Value,
) -> Result<Vec<StackOutput>, String> {
    let mut outputs = root.outputs.clone();
    for child in nested(aws, name, template).await? {
        if let Some(deployed) = describe(aws, &child).await? {
            outputs.extend(deployed.outputs.into_iter().filter(|o| o.description != crate::layout::PASSED));
        }
    }
    outputs.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(outputs)
}

/// The resources of stack `name` that its `template` retains, with their
/// physical ids (read before the stack goes), its nested stacks' included.
pub async fn retained(aws: &Aws, name: &str, template: &serde_json::Value) -> Result<Vec<Retained>, String> {
    let mut found = Vec::new();
    for child in nested(aws, name, template).await? {
        let child_template = self::template(aws, &child).await?;
        found.extend(Box::pin(retained(aws, &child, &child_template)).await?);
    }
    let Some(resources) = template["Resources"].as_object() else { return Ok(found) };
    let physical = physical_ids(aws, name).await?;
    found.extend(resources.iter().filter(|(_, resource)| resource["DeletionPolicy"] == "Retain").filter_map(
        |(id, resource)| {
            Some(Retained {
                logical_id: id.clone(),
                kind: resource["Type"].as_str().unwrap_or_default().to_owned(),
                // A resource never created (a failed create) leaves nothing.
                physical_id: physical.get(id).filter(|p| !p.is_empty())?.clone(),
            })
        },
    ));
    Ok(found)
}

/// The AWS CLI command that deletes a retained resource, for the kinds
/// wirestack retains.
pub fn delete_command(resource: &Retained, region: &str) -> Option<String> {
    let id = &resource.physical_id;
    let command = match resource.kind.as_str() {
        "AWS::SQS::Queue" => format!("aws sqs delete-queue --queue-url {id}"),
        "AWS::DynamoDB::Table" => format!("aws dynamodb delete-table --table-name {id}"),
        // Versioned: every version must go before the bucket can.
        "AWS::S3::Bucket" => format!("aws s3api delete-bucket --bucket {id}"),
        "AWS::Kinesis::Stream" => format!("aws kinesis delete-stream --stream-name {id}"),
        "AWS::SecretsManager::Secret" => format!("aws secretsmanager delete-secret --secret-id {id}"),
        "AWS::Cognito::UserPool" => format!("aws cognito-idp delete-user-pool --user-pool-id {id}"),
        "AWS::SSM::Parameter" => format!("aws ssm delete-parameter --name {id}"),
        _ => return None,
    };
    let mut command = format!("{command} --region {region}");
    if resource.kind == "AWS::S3::Bucket" {
        command += "  (once every object version is deleted)";
    }
    Some(command)
}

/// Prints outputs as aligned `key  value` lines.
pub fn print_outputs(outputs: &[StackOutput]) {
    if !outputs.is_empty() {
        say!("outputs:");
    }
    let width = outputs.iter().map(|o| o.key.len()).max().unwrap_or(0);
    for output in outputs {
        say!("  {:width$}  {}", output.key, output.value);
    }
}

#[cfg(test)]
mod tests {
    use super::Condition;

    #[test]
    fn each_status_says_what_deploy_may_do() {
        assert_eq!(Condition::of("CREATE_COMPLETE"), Condition::Ready { failed: false });
        assert_eq!(Condition::of("UPDATE_ROLLBACK_COMPLETE"), Condition::Ready { failed: true });
        assert_eq!(Condition::of("UPDATE_IN_PROGRESS"), Condition::Busy);
        assert_eq!(Condition::of("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), Condition::Busy);
        assert_eq!(Condition::of("REVIEW_IN_PROGRESS"), Condition::Review);
        assert_eq!(Condition::of("ROLLBACK_COMPLETE"), Condition::FailedCreate);
        assert_eq!(Condition::of("UPDATE_ROLLBACK_FAILED"), Condition::Stuck);
    }
}
