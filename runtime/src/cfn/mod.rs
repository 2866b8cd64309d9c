//! CloudFormation as types: values with intrinsics, logical ids, templates.
//! Templates become bytes in `json`.

pub(crate) mod json;
mod logical_id;
mod map;
mod template;
mod value;

pub(crate) use logical_id::fnv1a;
pub use logical_id::LogicalId;
pub use map::Map;
pub(crate) use template::dangling_references;
pub use template::{
    CfnResource, Change, Data, Fragment, Home, Output, Parameter, Patch, Removal, Rendered, Source, Template,
};
pub use value::{Part, Pseudo, Reference, Value};
