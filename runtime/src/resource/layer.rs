//! `Layer`: a Lambda layer (tools or data a function needs beside its
//! binary, under `/opt`), from a directory or a zip in the package, or an
//! existing layer version by ARN. Functions name it with
//! `#[action(layers = [name])]`.
//!
//! `synth package` zips a directory reproducibly (or takes the zip as is)
//! and names it by its SHA-256, like the code; synth then defaults the
//! layer's key parameter to that name, so a changed layer is a new version.

use super::{arn, name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Value};
use crate::naming::Naming;
use crate::problem::Problem;
use crate::render::code_parameters;

const MAX_NAME_LEN: usize = 140;

/// A layer, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn fonts() -> Layer { Layer::from_dir("layers/fonts") }
/// ```
pub struct Layer {
    spec: LayerSpec,
}

/// Where a layer's content comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerSpec {
    /// A directory, relative to the package's root, zipped by `synth package`.
    Directory(String),
    /// A zip file, relative to the package's root.
    Zip(String),
    /// An existing layer version, by ARN; nothing is created.
    Existing(String),
}

impl Layer {
    /// The contents of `dir` (relative to the package's root), which Lambda
    /// puts under `/opt`.
    pub fn from_dir(dir: &str) -> Layer {
        Layer { spec: LayerSpec::Directory(dir.to_owned()) }
    }

    /// A zip built elsewhere (relative to the package's root).
    pub fn from_zip(zip: &str) -> Layer {
        Layer { spec: LayerSpec::Zip(zip.to_owned()) }
    }

    /// An existing layer version: `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`.
    pub fn existing(arn: &str) -> Layer {
        Layer { spec: LayerSpec::Existing(arn.to_owned()) }
    }
}

impl IntoResource for Layer {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::Layer(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "Layer"])
}

fn key_parameter(name: &str) -> LogicalId {
    LogicalId::new(&[name, "LayerKey"])
}

impl LayerSpec {
    /// The layer version's ARN (`Ref` of a created version is its ARN).
    pub fn arn(&self, name: &str) -> Value {
        match self {
            LayerSpec::Existing(arn) => Value::from(arn.clone()),
            LayerSpec::Directory(_) | LayerSpec::Zip(_) => Value::reference(&logical_id(name)),
        }
    }
}

impl ResourceKind for LayerSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        let id = (!matches!(self, LayerSpec::Existing(_))).then(|| logical_id(name));
        Handle { arn: Some(self.arn(name)), name: None, id }
    }

    fn kind(&self) -> &'static str {
        "layer"
    }

    fn is_existing(&self) -> bool {
        matches!(self, LayerSpec::Existing(_))
    }

    /// Layers are attached with `#[action(layers = [..])]`, not capabilities.
    fn grant(&self, _scope: &Scope<'_>, _access: Access) -> Option<Grant> {
        None
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let mut fragment = scope.fragment();
        let source = match self {
            LayerSpec::Existing(_) => return fragment,
            LayerSpec::Directory(path) | LayerSpec::Zip(path) => path,
        };
        let [(bucket, bucket_doc), _] = code_parameters();
        let key = key_parameter(name);
        let properties = Value::map([
            ("LayerName", Value::from(scope.naming.physical(name))),
            ("Description", Value::from(format!("`{name}`, from {source}"))),
            ("Content", Value::map([("S3Bucket", Value::reference(&bucket)), ("S3Key", Value::reference(&key))])),
            ("CompatibleRuntimes", Value::list([Value::from(crate::render::RUNTIME)])),
            ("CompatibleArchitectures", Value::list([Value::from(scope.code.architecture.as_str())])),
        ]);
        fragment.add(&logical_id(name), CfnResource::new("AWS::Lambda::LayerVersion", properties));
        fragment.parameter(bucket, bucket_doc, None);
        fragment.parameter(key, "S3 key of a layer's zip", scope.code.layers.get(name.as_str()).cloned());
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        let here = |message: String| Problem::new(message).at(resource.defined_at, "declared here");
        match self {
            LayerSpec::Existing(arn) => {
                let layer = arn::parse(arn, "lambda").map(|arn| arn.resource.split(':').collect::<Vec<_>>());
                match layer.as_deref() {
                    Some(["layer", name, version]) if !name.is_empty() && version.parse::<u32>().is_ok() => Vec::new(),
                    _ => vec![arn::not_an_arn(
                        scope,
                        "layer",
                        arn,
                        "a layer version ARN",
                        "Layer::existing(\"arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION\")",
                    )],
                }
            }
            LayerSpec::Directory(path) | LayerSpec::Zip(path) if path.is_empty() || path.starts_with('/') => {
                vec![here(format!("layer `{}` has the path `{path}`", resource.name))
                    .help("give a path relative to the package's root, such as `layers/fonts`")]
            }
            LayerSpec::Directory(_) | LayerSpec::Zip(_) => {
                name_too_long(scope, &scope.naming.physical(&resource.name), MAX_NAME_LEN, "layer")
                    .into_iter()
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn layers_render_with_their_packaged_keys_and_attach_in_order() {
        use crate::resource::IntoResource as _;
        let layer = |name: &str, spec: crate::Layer| Resource {
            name: name.to_owned(),
            defined_at: at(1),
            owner: None,
            spec: spec.into_spec(),
        };
        let arn = "arn:aws:lambda:eu-west-1:123456789012:layer:fonts:3";
        let mut render = action("render", 10, vec![]);
        render.settings.layers = vec!["tools".to_owned(), "fonts".to_owned()];
        let layered = app(
            vec![render],
            vec![layer("tools", crate::Layer::from_dir("layers/tools")), layer("fonts", crate::Layer::existing(arn))],
        );
        let mut code = crate::code::Code::default();
        code.layers.insert("tools".to_owned(), "app/layers/abc.zip".to_owned());
        let template =
            crate::synth::synthesize_with(&layered, None, &code).unwrap().stacks.remove(0).template.to_json();
        assert_eq!(
            template["Resources"]["RenderFunction"]["Properties"]["Layers"],
            serde_json::json!([{"Ref": "ToolsLayer"}, arn])
        );
        assert_eq!(template["Parameters"]["ToolsLayerKey"]["Default"], "app/layers/abc.zip");
        assert!(template["Resources"].get("FontsLayer").is_none(), "an existing layer is not created");

        let mut wrong = action("wrong", 20, vec![]);
        wrong.settings.layers = vec!["users".to_owned(), "nowhere".to_owned()];
        let problems = problems(&app(vec![wrong], vec![table("users", 2, false)]));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("`wrong` lists `users` as a layer, but it is a table"), "{}", problems[0]);
        assert!(problems[1].contains("the layer `nowhere`, which is not a registered singleton"), "{}", problems[1]);
    }
}
