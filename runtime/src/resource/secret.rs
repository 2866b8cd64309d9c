//! `Secret`: a Secrets Manager secret, generated at deploy time or an
//! existing one referenced by ARN; read with `SecretValue<S>`.

use super::{arn, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;

/// What a `SecretValue` needs on the secret.
pub const READ_VALUE: [Permission; 1] = [Permission::new("secretsmanager", "GetSecretValue")];
const PASSWORD_LENGTH: std::ops::RangeInclusive<u32> = 1..=4096;
/// What makes CloudFormation replace a secret (a new value).
const REPLACED_BY: [&str; 1] = ["Name"];

/// A secret, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn api_key() -> Secret { Secret::generated(40) }
/// ```
pub struct Secret {
    spec: SecretSpec,
}

/// Where a secret's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretSpec {
    /// Created with the stack, its value a random string of this length.
    Generated { length: u32, description: Option<String>, removal: Removal },
    /// An existing secret, by ARN; nothing is created.
    Existing { arn: String },
}

impl Secret {
    /// A new secret whose value Secrets Manager generates: `length`
    /// characters, letters and digits only (safe in URLs and headers).
    pub fn generated(length: u32) -> Secret {
        Secret { spec: SecretSpec::Generated { length, description: None, removal: Removal::Retain } }
    }

    /// An existing secret, with the same typed access and an exact grant.
    pub fn existing(arn: &str) -> Secret {
        Secret { spec: SecretSpec::Existing { arn: arn.to_owned() } }
    }

    /// What the secret is for, shown in the console.
    pub fn description(mut self, text: &str) -> Secret {
        if let SecretSpec::Generated { description, .. } = &mut self.spec {
            *description = Some(text.to_owned());
        }
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Secret {
        if let SecretSpec::Generated { removal, .. } = &mut self.spec {
            *removal = Removal::Delete;
        }
        self
    }
}

impl IntoResource for Secret {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Secret(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Secret"])
}

/// The variable holding secret `name`'s ARN in a function that may read it.
pub fn arn_env(name: &str) -> String {
    format!("WIRESTACK_SECRET_{}", name.to_ascii_uppercase())
}

impl SecretSpec {
    /// The ARN (`Ref` of a created secret is its ARN).
    fn arn(&self, name: &str) -> Value {
        match self {
            SecretSpec::Generated { .. } => Value::reference(&logical_id(name)),
            SecretSpec::Existing { arn } => Value::from(arn.clone()),
        }
    }
}

impl ResourceKind for SecretSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        let id = matches!(self, SecretSpec::Generated { .. }).then(|| logical_id(name));
        Handle { arn: Some(self.arn(name)), name: None, id }
    }

    fn kind(&self) -> &'static str {
        "secret"
    }

    fn is_existing(&self) -> bool {
        matches!(self, SecretSpec::Existing { .. })
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let name = scope.resource.name.as_str();
        match access {
            Access::ReadSecret => {
                Some(Grant::one(Statement::allow(&READ_VALUE, vec![self.arn(name)]), (arn_env(name), self.arn(name))))
            }
            Access::Send | Access::Publish | Access::Read | Access::Write | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        if let SecretSpec::Generated { length, description, removal } = self {
            let mut properties = vec![
                ("Name", Value::from(scope.naming.physical(name))),
                (
                    "GenerateSecretString",
                    Value::map([("PasswordLength", Value::from(*length)), ("ExcludePunctuation", Value::from(true))]),
                ),
            ];
            if let Some(description) = description {
                properties.push(("Description", Value::from(description.clone())));
            }
            fragment.add(
                &logical_id(name),
                CfnResource::new("AWS::SecretsManager::Secret", Value::map(properties))
                    .holding_data(&REPLACED_BY, *removal),
            );
        }
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        let problem = match self {
            SecretSpec::Generated { length, .. } if !PASSWORD_LENGTH.contains(length) => Problem::new(format!(
                "secret `{}` asks for {length} characters; Secrets Manager generates 1 to 4096",
                resource.name
            )),
            SecretSpec::Existing { arn }
                if !arn::parse(arn, "secretsmanager").is_some_and(|arn| arn.resource.starts_with("secret:")) =>
            {
                let example = "Secret::existing(\"arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-abc123\")";
                return vec![arn::not_an_arn(scope, "secret", arn, "a Secrets Manager ARN", example)];
            }
            _ => return Vec::new(),
        };
        vec![problem.at(resource.defined_at, "declared here")]
    }
}
