//! Edit a handler while `synth dev` runs: the server rebuilds itself and
//! serves the new code, with the table's contents kept; a build that fails
//! is reported while the last good build keeps serving.

use std::path::Path;
use std::time::{Duration, Instant};
use wirestack_tests::dev_server::{fixture_app, DevServer};

fn edit(lib: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(lib).unwrap();
    assert!(text.contains(from), "the fixture says `{from}`");
    std::fs::write(lib, text.replace(from, to)).unwrap();
}

#[test]
fn an_edited_handler_is_served_after_the_rebuild_with_its_data_kept() {
    // Copied out of the tree: the test edits it.
    let (app, exe) = fixture_app("notes");
    let lib = app.path().join("src/lib.rs");
    let dev = DevServer::start(&exe, &[], &[], Duration::from_secs(30));
    assert_eq!(dev.request("PUT", "/notes/n1", &[], "remember the milk").0, 204, "{}", dev.output());
    assert_eq!(dev.request("GET", "/notes/n1", &[], ""), (200, "version 1: remember the milk".to_owned()));

    // A change that does not compile: reported, and the old build serves.
    edit(&lib, "Ok(format!(\"version 1", "Ok(format!(\"version 2\" oops");
    let error = dev.wait_for("the build error is on the page", Duration::from_secs(180), |state| {
        state["build_error"].as_str().map(str::to_owned)
    });
    assert!(error.contains("src/lib.rs"), "the error names the file: {error}");
    assert_eq!(dev.request("GET", "/notes/n1", &[], ""), (200, "version 1: remember the milk".to_owned()));

    // Fixed: the new code answers, from the same table.
    edit(&lib, "Ok(format!(\"version 2\" oops", "Ok(format!(\"version 2");
    let started = Instant::now();
    let served = dev.wait_for("the new build serves", Duration::from_secs(180), |_| {
        let answer = dev.request("GET", "/notes/n1", &[], "");
        (answer.1.starts_with("version 2")).then_some(answer)
    });
    assert_eq!(served, (200, "version 2: remember the milk".to_owned()), "{}", dev.output());
    assert!(dev.state()["build_error"].is_null());
    assert!(dev.output().contains("rebuilt;"), "{}", dev.output());
    eprintln!("rebuilt and serving {:?} after the fix was saved", started.elapsed());
}
