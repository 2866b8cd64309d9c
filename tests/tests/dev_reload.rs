//! Edit a handler while `synth dev` runs: the server rebuilds itself and
//! serves the new code, with the table's contents kept; a build that fails
//! is reported while the last good build keeps serving.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use wirestack_tests::dev_server::DevServer;
use wirestack_tests::workspace;

/// The `notes` fixture, copied out of the tree (the test edits it), built
/// into the workspace's target directory so dependencies are shared.
fn notes_app() -> (tempfile::TempDir, PathBuf) {
    let fixture = workspace().join("tests/fixtures/notes");
    let dir = tempfile::Builder::new().prefix("notes-").tempdir_in(workspace().join("target")).unwrap();
    let manifest = std::fs::read_to_string(fixture.join("Cargo.toml.in"))
        .unwrap()
        .replace("{{runtime}}", workspace().join("runtime").to_str().unwrap());
    std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    for file in ["src/lib.rs", "src/bin/synth.rs"] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "-q", "--bin", "notes-synth", "--target-dir"])
        .arg(workspace().join("target"))
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "the notes fixture builds");
    let exe = workspace().join("target/debug/notes-synth");
    (dir, exe)
}

fn edit(lib: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(lib).unwrap();
    assert!(text.contains(from), "the fixture says `{from}`");
    std::fs::write(lib, text.replace(from, to)).unwrap();
}

#[test]
fn an_edited_handler_is_served_after_the_rebuild_with_its_data_kept() {
    let (app, exe) = notes_app();
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
