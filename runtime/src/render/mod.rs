//! App model -> template fragments: one per resource, one per action (with
//! its triggers), and one for the HTTP API. Layout then places fragments.

mod function;

use crate::cfn::{CfnResource, Fragment, Value};
use crate::code::Code;
use crate::model::App;
use crate::naming::Naming;
use crate::resource::Scope;
use crate::trigger::api;
use crate::wiring::Graph;
use rayon::prelude::*;

pub use function::{
    code_parameters, failed_events_id, function_env, function_id, keeps_failed_events, ACTION_ENV,
    FAILED_EVENTS_SUFFIX, RUNTIME,
};

/// How long wirestack's log groups keep events, unless told otherwise.
pub const LOG_RETENTION_DAYS: u32 = 30;

/// A log group of the given name with wirestack's retention.
pub fn log_group(name: String) -> CfnResource {
    CfnResource::new(
        "AWS::Logs::LogGroup",
        Value::map([("LogGroupName", Value::from(name)), ("RetentionInDays", Value::from(LOG_RETENTION_DAYS))]),
    )
}

/// Every fragment of the app, in a stable order, rendered from the app's
/// settings and its validated wiring `graph`: singletons, then actions (each
/// a fragment of its own, on every core), then the HTTP APIs.
pub fn fragments(app: &App, graph: &Graph, naming: &Naming, code: &Code) -> Vec<Fragment> {
    let singletons =
        app.resources.par_iter().map(|resource| resource.spec.render(&Scope { app, graph, resource, naming, code }));
    let actions = app.actions.par_iter().map(|action| function::render(app, graph, action, naming, code));
    let mut fragments: Vec<Fragment> = singletons.chain(actions).collect();
    fragments.extend(api::render_apis(graph, naming));
    fragments
}
