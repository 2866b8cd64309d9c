//! `Parameter`: an SSM Parameter Store string, the configuration a staged
//! app reads, created with the stack or an existing one named; read with
//! `Reader<S>` (`ssm:GetParameter` on exactly that parameter).
//!
//! A `Reader` reads the value once, at cold start, and keeps it: Parameter
//! Store's standard throughput is 40 reads a second per account and region,
//! shared by every function, so reading per call would throttle a busy app
//! and add a network round trip to each invocation. A new value reaches
//! each function instance when it next starts (every deploy starts them).

use super::{name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Removal, Value};
use crate::iam::{Permission, Statement};
use crate::naming::Naming;
use crate::problem::Problem;

/// What a `Reader` needs on the parameter.
pub const READ: [Permission; 1] = [Permission::new("ssm", "GetParameter")];
/// Parameter Store's limits: a standard parameter's value, and a name.
pub const MAX_VALUE_BYTES: usize = 4096;
pub const MAX_NAME_LEN: usize = 1011;
/// What makes CloudFormation replace a parameter.
const REPLACED_BY: [&str; 1] = ["Name"];

/// A Parameter Store string, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn settings() -> Parameter { Parameter::string(r#"{"currency": "EUR"}"#) }
///
/// #[trigger(sqs = orders)]
/// async fn price(order: Order, settings: Reader<settings>) -> Result<(), Error> {
///     let currency = settings.value();
///     Ok(())
/// }
/// ```
pub struct Parameter {
    spec: ParameterSpec,
}

/// Where a parameter's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ParameterSpec {
    /// Created with the stack, holding `value`.
    String { value: String, description: Option<String>, removal: Removal },
    /// An existing parameter, by name (`/shared/db-host`); nothing is created.
    Existing { name: String },
}

impl Parameter {
    /// A new parameter holding `value`, named `{stage}-{app}-{name}`.
    pub fn string(value: &str) -> Parameter {
        Parameter {
            spec: ParameterSpec::String { value: value.to_owned(), description: None, removal: Removal::Retain },
        }
    }

    /// An existing parameter, by its name, with the same typed access and
    /// an exact grant.
    pub fn existing(name: &str) -> Parameter {
        Parameter { spec: ParameterSpec::Existing { name: name.to_owned() } }
    }

    /// What the parameter is for, shown in the console.
    pub fn description(mut self, text: &str) -> Parameter {
        if let ParameterSpec::String { description, .. } = &mut self.spec {
            *description = Some(text.to_owned());
        }
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> Parameter {
        if let ParameterSpec::String { removal, .. } = &mut self.spec {
            *removal = Removal::Delete;
        }
        self
    }
}

impl IntoResource for Parameter {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Parameter(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Parameter"])
}

/// The variable holding parameter `name`'s name in a function that may read it.
pub fn name_env(name: &str) -> String {
    format!("WIRESTACK_PARAMETER_{}", name.to_ascii_uppercase())
}

impl ParameterSpec {
    /// The parameter's name in Parameter Store, known at synth time.
    pub fn name(&self, name: &str, naming: &Naming) -> String {
        match self {
            ParameterSpec::String { .. } => naming.physical(name),
            ParameterSpec::Existing { name } => name.clone(),
        }
    }

    /// `arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME`, from the name (a
    /// hierarchical name's leading `/` is not repeated).
    fn arn(&self, name: &str, naming: &Naming) -> Value {
        let name = self.name(name, naming);
        Value::arn_in_account("ssm", [format!("parameter/{}", name.trim_start_matches('/')).into()])
    }
}

impl ResourceKind for ParameterSpec {
    fn handle(&self, name: &str, naming: &Naming) -> Handle {
        let id = matches!(self, ParameterSpec::String { .. }).then(|| logical_id(name));
        Handle { arn: Some(self.arn(name, naming)), name: Some(Value::from(self.name(name, naming))), id }
    }

    fn kind(&self) -> &'static str {
        "parameter"
    }

    fn is_existing(&self) -> bool {
        matches!(self, ParameterSpec::Existing { .. })
    }

    fn grant(&self, scope: &Scope<'_>, access: Access) -> Option<Grant> {
        let (name, naming) = (scope.resource.name.as_str(), scope.naming);
        match access {
            Access::Read => Some(Grant::one(
                Statement::allow(&READ, vec![self.arn(name, naming)]),
                (name_env(name), Value::from(self.name(name, naming))),
            )),
            Access::Send | Access::Publish | Access::Write | Access::ReadSecret | Access::Invoke => None,
        }
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        if let ParameterSpec::String { value, description, removal } = self {
            let mut properties = vec![
                ("Name", Value::from(self.name(name, scope.naming))),
                ("Type", Value::from("String")),
                ("Tier", Value::from("Standard")),
                ("Value", Value::from(value.clone())),
            ];
            if let Some(description) = description {
                properties.push(("Description", Value::from(description.clone())));
            }
            fragment.add(
                &logical_id(name),
                CfnResource::new("AWS::SSM::Parameter", Value::map(properties)).holding_data(&REPLACED_BY, *removal),
            );
        }
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        let physical = self.name(&resource.name, scope.naming);
        let mut problems = Vec::new();
        if let ParameterSpec::String { value, .. } = self {
            if value.is_empty() || value.len() > MAX_VALUE_BYTES {
                problems.push(
                    Problem::new(format!(
                        "parameter `{}` holds {} bytes; a standard parameter holds 1 to {MAX_VALUE_BYTES}",
                        resource.name,
                        value.len()
                    ))
                    .at(resource.defined_at, "declared here")
                    .help("keep larger configuration in a bucket, and its key in the parameter"),
                );
            }
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_.-/".contains(c);
        if physical.is_empty() || !physical.chars().all(allowed) {
            problems.push(
                Problem::new(format!(
                    "parameter `{}` is named `{physical}`, which Parameter Store refuses",
                    resource.name
                ))
                .at(resource.defined_at, "declared here")
                .help("use letters, digits and `_` `.` `-` `/`: `Parameter::existing(\"/shared/db-host\")`"),
            );
        }
        problems.extend(name_too_long(scope, &physical, MAX_NAME_LEN, "parameter"));
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::Parameter;
    use crate::capability::Access;
    use crate::model::{Action, App, Resource, Settings, UsedCapability};
    use crate::resource::IntoResource as _;
    use crate::synth::synthesize;
    use crate::Location;
    use serde_json::json;

    fn app(parameter: Parameter) -> App {
        let at = Location { file: "src/lib.rs", line: 3, column: 1 };
        let reader = Action {
            name: "price".to_owned(),
            rust_path: "app::price".to_owned(),
            defined_at: at,
            settings: Settings::default(),
            triggers: Vec::new(),
            capabilities: vec![UsedCapability { access: Access::Read, resource: "settings".to_owned() }],
        };
        let settings =
            Resource { name: "settings".to_owned(), defined_at: at, owner: None, spec: parameter.into_spec() };
        App { name: "shop".to_owned(), actions: vec![reader], resources: vec![settings] }
    }

    fn statements(template: &serde_json::Value) -> &serde_json::Value {
        &template["Resources"]["PriceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    }

    #[test]
    fn a_reader_may_get_exactly_that_parameter_and_finds_it_by_name() {
        let app = app(Parameter::string(r#"{"currency": "EUR"}"#).description("prices"));
        let template = synthesize(&app, Some("dev")).unwrap().stacks.remove(0).template.to_json();
        let parameter = &template["Resources"]["SettingsParameter"];
        assert_eq!(parameter["Type"], "AWS::SSM::Parameter");
        assert_eq!(parameter["Properties"]["Name"], "dev-shop-settings");
        assert_eq!(parameter["Properties"]["Value"], r#"{"currency": "EUR"}"#);
        assert_eq!(
            statements(&template)[1],
            json!({
                "Effect": "Allow",
                "Action": ["ssm:GetParameter"],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dev-shop-settings"}],
            })
        );
        let env = &template["Resources"]["PriceFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(env["WIRESTACK_PARAMETER_SETTINGS"], "dev-shop-settings");
    }

    #[test]
    fn an_existing_parameter_is_granted_by_its_name_and_not_created() {
        let template = synthesize(&app(Parameter::existing("/shared/db-host")), None).unwrap().stacks.remove(0);
        let template = template.template.to_json();
        assert!(template["Resources"].get("SettingsParameter").is_none());
        let arn = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shared/db-host";
        assert_eq!(statements(&template)[1]["Resource"], json!([{"Fn::Sub": arn}]));
    }

    #[test]
    fn values_and_names_parameter_store_refuses_are_synth_errors() {
        let problems = |parameter| synthesize(&app(parameter), None).unwrap_err().to_string();
        assert!(problems(Parameter::string("")).contains("holds 0 bytes"));
        assert!(problems(Parameter::string(&"x".repeat(4097))).contains("holds 4097 bytes"));
        assert!(problems(Parameter::existing("db host")).contains("Parameter Store refuses"));
    }
}
