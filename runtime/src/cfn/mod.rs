//! CloudFormation as types: values with intrinsics, logical ids, templates.
//! Rendering to JSON happens only in `Template`'s serialization.

mod logical_id;
mod template;
mod value;

pub use logical_id::LogicalId;
pub use template::{CfnResource, Change, Data, Fragment, Output, Parameter, Patch, Removal, Source, Template};
pub use value::{Part, Pseudo, Value};
