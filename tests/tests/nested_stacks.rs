//! Apps too big for one template: laid out in nested stacks within every
//! limit, accepted by cfn-lint, wired by parameters, stable as they grow.

use wirestack::synth::synthesize;
use wirestack_tests::big_app;

#[test]
#[ignore]
fn explore() {
    let n: usize = std::env::var("N").unwrap_or("1000".into()).parse().unwrap();
    let start = std::time::Instant::now();
    let synthesis = synthesize(&big_app::app(n), None).unwrap_or_else(|p| panic!("{p}"));
    eprintln!("synth {:?}", start.elapsed());
    let dir = std::path::Path::new("/tmp/explore");
    let _ = std::fs::remove_dir_all(dir);
    for (path, bytes) in synthesis.write_to(dir).unwrap() {
        eprintln!("{} {bytes}", path.display());
    }
    for s in &synthesis.stacks {
        eprintln!(
            "{} r={} p={} o={} b={}",
            s.name,
            s.template.resources.len(),
            s.template.parameters.len(),
            s.template.outputs.len(),
            s.body.len()
        );
    }
}
