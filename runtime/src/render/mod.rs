//! App model -> template fragments: one per resource, one per action (with
//! its triggers), and one for the HTTP API. Layout then places fragments.

mod function;

use crate::cfn::Fragment;
use crate::code::Code;
use crate::model::App;
use crate::naming::Naming;
use crate::resource::Scope;
use crate::trigger::http;

pub use function::{code_parameters, function_id, ACTION_ENV};

/// Every fragment of the app, in a stable order.
pub fn fragments(app: &App, naming: &Naming, code: &Code) -> Vec<Fragment> {
    let resources = app.resources.iter().map(|resource| resource.spec.render(&Scope { app, resource, naming }));
    let actions = app.actions.iter().map(|action| function::render(app, action, naming, code));
    resources.chain(actions).chain(http::render_api(app, naming)).collect()
}
