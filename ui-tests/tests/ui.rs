//! What must compile, and what must fail with which message. Each failing
//! case is one mistake; its `.stderr` is what the user reads.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
    cases.compile_fail("tests/fail/*.rs");
}
