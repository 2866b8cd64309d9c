//! The `synth` command line: the whole of the user's `src/bin/synth.rs` is
//! `wirestack::synth_main!();`, which calls [`run`].

use crate::model::App;
use crate::synth::synthesize;
use clap::Parser;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Synthesize this app's CloudFormation from its annotated handlers.
#[derive(Debug, Parser)]
#[command(name = "synth", version)]
struct Cli {
    /// Directory to write templates into [default: target/wirestack]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Stage name, prefixed to the stack's and every physical name (dev, prod, ..)
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,

    /// Validate the app and report problems; write nothing
    #[arg(long)]
    check: bool,
}

/// Runs the command line for the app `app_name` (the package name).
pub fn run(app_name: &str) -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let synthesis = App::from_registry(app_name).and_then(|app| {
        let synthesis = synthesize(&app, cli.stage.as_deref())?;
        Ok((app, synthesis))
    });
    let (app, synthesis) = match synthesis {
        Ok(done) => done,
        Err(problems) => {
            eprintln!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let routes = app.actions.iter().flat_map(|a| &a.triggers).filter(|t| t.kind.name() == "api").count();
    let summary = format!("{} actions, {} resources, {} routes", app.actions.len(), app.resources.len(), routes);
    if cli.check {
        println!("app `{app_name}` is valid: {summary}");
        return ExitCode::SUCCESS;
    }
    let out = cli.out.unwrap_or_else(default_out_dir);
    let written = match synthesis.write_to(&out) {
        Ok(written) => written,
        Err(error) => {
            eprintln!("error: cannot write templates to {}: {error}", out.display());
            return ExitCode::FAILURE;
        }
    };
    println!("synthesized `{app_name}` in {} ms: {summary}", started.elapsed().as_millis());
    for (stack, (path, bytes)) in synthesis.stacks.iter().zip(&written) {
        println!(
            "  stack {}: {} resources, {bytes} bytes -> {}",
            stack.name,
            stack.template.resources.len(),
            path.display()
        );
    }
    ExitCode::SUCCESS
}

/// `wirestack/` inside cargo's target directory (found from this binary's
/// path by the `CACHEDIR.TAG` cargo keeps there), else `./target/wirestack`.
fn default_out_dir() -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().find(|dir| dir.join("CACHEDIR.TAG").is_file()).map(Path::to_path_buf));
    target.unwrap_or_else(|| PathBuf::from("target")).join("wirestack")
}
