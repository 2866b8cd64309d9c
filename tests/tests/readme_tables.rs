//! README's table of attributes says what the kinds' own tables say: every
//! option by name, every bound, every name a choice or list accepts. The
//! tables live in `wirestack_aws`, which the macros check attributes against.

use wirestack_aws::lambda::ACTION_OPTIONS;
use wirestack_aws::option::{Opt, Shape};
use wirestack_aws::trigger::{api, KINDS};

fn readme() -> String {
    std::fs::read_to_string(wirestack_tests::workspace().join("README.md")).unwrap()
}

/// README's rows of the attribute table that start with `start`.
fn rows(readme: &str, start: &str) -> String {
    let rows: Vec<&str> = readme.lines().filter(|line| line.starts_with(start)).collect();
    assert!(!rows.is_empty(), "README has no row for `{start}`");
    rows.join("\n")
}

/// What README must say of each option: its name, and its bounds or names.
fn assert_documents(rows: &str, options: &[Opt], what: &str) {
    for option in options {
        let name = if option.name == "method" { "METHOD".to_owned() } else { format!("`{}", option.name) };
        assert!(rows.contains(&name), "README does not document `{}` of {what}:\n{rows}", option.name);
        match &option.shape {
            Shape::Int { range, .. } => {
                let bounds = format!("({}–{})", range.start(), range.end());
                assert!(
                    rows.contains(&bounds),
                    "README does not give `{}` of {what} as {bounds}:\n{rows}",
                    option.name
                );
            }
            Shape::Choice { names, .. } | Shape::Names { names, .. } => {
                for known in *names {
                    assert!(rows.contains(known), "README does not list `{known}` for `{}` of {what}", option.name);
                }
            }
            Shape::Flag | Shape::Text { .. } | Shape::Singleton => {}
        }
    }
}

#[test]
fn every_trigger_kinds_options_and_bounds_are_in_readme() {
    let readme = readme();
    for kind in KINDS {
        let rows = rows(&readme, &format!("| `#[trigger({}", kind.name));
        assert_documents(&rows, kind.options, &format!("`{}` triggers", kind.name));
    }
    let routes = rows(&readme, "| `#[api(");
    assert_documents(&routes, api::KIND.options, "`#[api]`");
    for method in api::METHODS {
        assert!(routes.contains(method), "README does not list the method {method}");
    }
}

#[test]
fn action_options_and_bounds_are_in_readme() {
    assert_documents(&rows(&readme(), "| `#[action("), ACTION_OPTIONS, "`#[action]`");
}
