//! A synth error names the real file and line of the user's code: the
//! macros record each attribute's line (proc-macro2 reports real lines from
//! rustc 1.88, below the workspace's `rust-version`) and `file!()`.

use wirestack::model::App;
use wirestack::prelude::*;
use wirestack::registry;
use wirestack::synth::synthesize;

const THE_FIRST_ROUTE: u32 = line!() + 1;
#[api(GET "/twice")]
pub async fn first() -> StatusCode {
    StatusCode::OK
}

const THE_SECOND_ROUTE: u32 = line!() + 1;
#[api(GET "/twice")]
pub async fn second() -> StatusCode {
    StatusCode::OK
}

#[test]
fn a_duplicate_route_names_both_real_lines() {
    let here = file!();
    let actions: Vec<_> = registry::actions().filter(|a| a.defined_at.file == here).collect();
    assert_eq!(actions.len(), 2, "this file's two handlers are registered");
    let app = App::from_registrations("dupes", &actions, &[]).expect("the registrations build");
    let message = synthesize(&app, None).expect_err("two handlers serve one route").to_string();
    for line in [THE_FIRST_ROUTE, THE_SECOND_ROUTE] {
        assert!(message.contains(&format!("{here}:{line}:")), "no `{here}:{line}:` in:\n{message}");
    }
    assert!(!message.contains(":0:"), "{message}");
}
