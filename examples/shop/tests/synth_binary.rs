//! The real `synth` binary, whose source is the one line
//! `wirestack::synth_main!();`: it names only `wirestack`, yet finds every
//! handler registered in this package's library (the linker must not drop it).

use std::process::Command;

fn synth(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("the synth binary runs")
}

#[test]
fn finds_every_handler_in_the_library() {
    let out = tempfile::tempdir().unwrap();
    let output = synth(&["--out", out.path().to_str().unwrap(), "--stage", "ci"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("6 actions, 3 resources, 2 routes"), "{stdout}");
    let template = std::fs::read_to_string(out.path().join("ci-shop.template.json")).unwrap();
    for action in ["place-order", "get-order", "fulfil", "announce", "notify", "audit"] {
        assert!(template.contains(&format!("\"ci-shop-{action}\"")), "function of `{action}` missing");
    }
}

#[test]
fn check_validates_without_writing() {
    let out = tempfile::tempdir().unwrap();
    let output = synth(&["--check", "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("is valid"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_bad_stage_is_a_clear_error() {
    let output = synth(&["--check", "--stage", "Dev Stage!"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`Dev Stage!` cannot name a stage"), "{stderr}");
    assert!(stderr.contains("help: use 1 to 32 letters"), "{stderr}");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let output = synth(&["--outt", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"));
}
