//! `Raw`: any CloudFormation resource, for what wirestack does not model
//! yet, so users are never stuck. Its properties are JSON; `Raw::reference`
//! and `Raw::attribute` point at other singletons by their Rust names.

use super::{Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Value};
use crate::kinds::Singleton;
use crate::naming::Naming;
use crate::problem::Problem;
use serde_json::{json, Map, Value as Json};

/// Any CloudFormation resource, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn queue_url_parameter() -> Raw {
///     Raw::new("AWS::SSM::Parameter")
///         .property("Type", "String")
///         .property("Value", Raw::reference::<orders>())
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Raw {
    spec: RawSpec,
}

/// A raw resource: its type and properties as written.
#[derive(Clone, Debug, PartialEq)]
pub struct RawSpec {
    pub kind: String,
    pub properties: Map<String, Json>,
}

impl Raw {
    /// A resource of CloudFormation type `kind` (`"AWS::SSM::Parameter"`).
    pub fn new(kind: &str) -> Raw {
        Raw { spec: RawSpec { kind: kind.to_owned(), properties: Map::new() } }
    }

    /// Sets property `name` (any JSON: `"text"`, `5`, `json!({..})`).
    pub fn property(mut self, name: &str, value: impl Into<Json>) -> Raw {
        self.spec.properties.insert(name.to_owned(), value.into());
        self
    }

    /// `{"Ref": ..}` to singleton `S` (a queue's URL, a topic's ARN, a
    /// table's name, ..), checked to exist when the app is synthesized.
    pub fn reference<S: Singleton>() -> Json {
        json!({ "Ref": <S::Resource as IntoResource>::logical_id(S::NAME).as_str() })
    }

    /// `{"Fn::GetAtt": [.., attribute]}` of singleton `S` (`"Arn"`, ..).
    pub fn attribute<S: Singleton>(attribute: &str) -> Json {
        json!({ "Fn::GetAtt": [<S::Resource as IntoResource>::logical_id(S::NAME).as_str(), attribute] })
    }
}

impl IntoResource for Raw {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Raw(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

/// A raw resource's logical id is its name, in UpperCamelCase.
pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name])
}

impl RawSpec {}

impl ResourceKind for RawSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: None, name: None, id: Some(logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "raw resource"
    }

    /// Its properties may refer to any resource of the app.
    fn lives_in_root(&self) -> bool {
        true
    }

    fn is_existing(&self) -> bool {
        false
    }

    /// Capabilities are typed; a raw resource offers none.
    fn grant(&self, _scope: &Scope<'_>, _access: Access) -> Option<Grant> {
        None
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let mut fragment = scope.fragment();
        let properties = Value::from(Json::Object(self.properties.clone()));
        fragment.add(&logical_id(&scope.resource.name), CfnResource::new_owned(self.kind.clone(), properties));
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let parts: Vec<&str> = self.kind.split("::").collect();
        let valid =
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if valid {
            return Vec::new();
        }
        vec![Problem::new(format!("`{}` is not a CloudFormation resource type", self.kind))
            .at(scope.resource.defined_at, format!("`{}` is declared here", scope.resource.name))
            .help("write it as CloudFormation does: `Raw::new(\"AWS::SSM::Parameter\")`")]
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_raw_resource_renders_as_written_and_its_references_are_checked() {
        let parameter = crate::Raw::new("AWS::SSM::Parameter")
            .property("Type", "String")
            .property("Value", serde_json::json!({"Ref": "JobsQueue"}))
            .property(
                "Tags",
                serde_json::json!({"arn": {"Fn::GetAtt": ["JobsQueue", "Arn"]}, "region": {"Ref": "AWS::Region"}}),
            );
        let ok = app(vec![], vec![queue("jobs", 1, None), raw("jobs_url", parameter.clone())]);
        let template = synthesize(&ok, None).unwrap().stacks.remove(0).template;
        let json = template.to_json();
        assert_eq!(
            json["Resources"]["JobsUrl"],
            serde_json::json!({"Type": "AWS::SSM::Parameter", "Properties": {
                "Type": "String",
                "Value": {"Ref": "JobsQueue"},
                "Tags": {"arn": {"Fn::GetAtt": ["JobsQueue", "Arn"]}, "region": {"Ref": "AWS::Region"}},
            }})
        );
        // Without the queue, the reference dangles: a synth error at the raw resource.
        let dangling = problems(&app(vec![], vec![raw("jobs_url", parameter)])).join("\n");
        assert!(dangling.contains("a reference to `JobsQueue` names no resource of the app"), "{dangling}");
        assert!(dangling.contains("src/lib.rs:50:1"), "{dangling}");
        let bad = problems(&app(vec![], vec![raw("x", crate::Raw::new("SSM Parameter"))])).join("\n");
        assert!(bad.contains("`SSM Parameter` is not a CloudFormation resource type"), "{bad}");
    }
}
