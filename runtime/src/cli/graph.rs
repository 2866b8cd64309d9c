//! `synth graph [--format mermaid|dot] [--stage NAME]`: the app's wiring,
//! drawn from the validated graph, on standard output.

use super::{output_dir, package, Package};
use crate::model::App;
use crate::synth::validate;
use crate::wiring::Format;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notation: Mermaid (GitHub renders it in Markdown) or Graphviz DOT
    #[arg(long, value_enum, default_value_t = Notation::Mermaid)]
    format: Notation,

    /// Stage to validate the app for (names must fit AWS's limits in it)
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Notation {
    Mermaid,
    Dot,
}

pub fn run(package: Package, args: Args) -> Result<ExitCode, String> {
    let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
    let code = package::Manifest::read(&output_dir())?.map(|m| m.code(package.name)).unwrap_or_default();
    let graph = validate(&app, args.stage.as_deref(), &code).map_err(|p| p.to_string())?;
    let format = match args.format {
        Notation::Mermaid => Format::Mermaid,
        Notation::Dot => Format::Dot,
    };
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(graph.draw(format).as_bytes());
    Ok(ExitCode::SUCCESS)
}
