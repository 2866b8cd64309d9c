//! `synth [--out DIR] [--stage NAME] [--check]`: write the templates.

use super::{output_dir, package, Package};
use crate::model::App;
use crate::synth::synthesize_within;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write templates into [default: target/wirestack]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Stage name, prefixed to the stack's and every physical name (dev, prod, ..)
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,

    /// Validate the app and report problems; write nothing
    #[arg(long)]
    check: bool,

    /// Print how long each step took
    #[arg(long)]
    timings: bool,
}

pub fn run(package: Package, args: Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
    let registry = started.elapsed();
    let packaged = package::Manifest::read(&output_dir())?;
    let code = packaged.as_ref().map(|m| m.code(package.name)).unwrap_or_default();
    let capacity = package.capacity()?;
    let synthesis = synthesize_within(&app, args.stage.as_deref(), &code, &capacity).map_err(|p| p.to_string())?;
    let routes = app
        .actions
        .iter()
        .flat_map(|a| &a.triggers)
        .filter(|t| matches!(t.kind, crate::trigger::TriggerKind::Http(_)))
        .count();
    let summary = format!("{} actions, {} resources, {} routes", app.actions.len(), app.resources.len(), routes);
    for warning in &synthesis.warnings {
        eprintln!("{warning}");
    }
    if args.check {
        say!("app `{}` is valid: {summary}", package.name);
        return Ok(ExitCode::SUCCESS);
    }
    let out = args.out.unwrap_or_else(output_dir);
    let writing = Instant::now();
    let written =
        synthesis.write_to(&out).map_err(|e| format!("error: cannot write templates to {}: {e}", out.display()))?;
    if args.timings {
        let steps = [("read the registry", registry)].into_iter().chain(synthesis.timings.iter().copied());
        for (step, took) in steps.chain([("write", writing.elapsed())]) {
            say!("  {step}: {:.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    say!("synthesized `{}` in {} ms: {summary}", package.name, started.elapsed().as_millis());
    if let [_, children @ ..] = &synthesis.stacks[..] {
        if let Some(largest) = children.iter().max_by_key(|stack| stack.template.resources.len()) {
            let budget = capacity.budget();
            say!(
                "  layout: a root stack and {} nested stacks (headroom {}%); the fullest, {}, holds {} of {} resources and {} of {} bytes",
                children.len(),
                capacity.headroom_percent,
                largest.name,
                largest.template.resources.len(),
                budget.resources,
                largest.body.len(),
                budget.template_bytes
            );
        }
    }
    for (stack, (path, bytes)) in synthesis.stacks.iter().zip(&written) {
        say!(
            "  stack {}: {} resources, {bytes} bytes -> {}",
            stack.name,
            stack.template.resources.len(),
            path.display()
        );
    }
    match &packaged {
        Some(manifest) => say!("  code: {} ({})", code.key.as_deref().unwrap_or_default(), manifest.architecture),
        None => say!("  code: not packaged yet (run `synth package`); CodeKey must be given at deploy"),
    }
    // The process ends here: freeing a big app's many small allocations one
    // by one would take longer than everything after writing.
    std::mem::forget((synthesis, app));
    Ok(ExitCode::SUCCESS)
}
