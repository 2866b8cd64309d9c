//! `synth invoke <action> --event FILE|-` runs the real handler here, with
//! the decoding Lambda uses; `--sample` prints an event to start from.

use super::Package;
use crate::dispatch::ActionTable;
use crate::handler::Context;
use crate::model::App;
use crate::sample;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The action to run (its fn name, or its `#[action(name = ..)]`)
    action: String,

    /// The event, as JSON: a file, or `-` for standard input
    #[arg(long, value_name = "FILE", required_unless_present = "sample", conflicts_with = "sample")]
    event: Option<PathBuf>,

    /// Print a sample event for the action's trigger instead of running it
    #[arg(long)]
    sample: bool,
}

pub fn run(package: Package, args: Args) -> Result<ExitCode, String> {
    let table = ActionTable::from_registry();
    table.find(&args.action).map_err(|e| format!("error: {e}"))?;
    if args.sample {
        let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
        let action = app.actions.iter().find(|a| a.name == args.action).expect("the table and the app agree");
        say!("{}", pretty(&sample::for_action(action)));
        return Ok(ExitCode::SUCCESS);
    }
    let event = read_event(args.event.as_ref().expect("clap requires --event without --sample"))?;
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).init();
    let mut context = Context::default();
    context.request_id = "local-invoke".to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: cannot start the async runtime: {e}"))?;
    let dispatcher = runtime.block_on(table.dispatcher(&args.action)).map_err(|e| format!("error: {e}"))?;
    match runtime.block_on(dispatcher.invoke(&event, context)) {
        Ok(response) => {
            say!("{}", pretty(&response));
            let failed = response["batchItemFailures"].as_array().map_or(0, Vec::len);
            if failed > 0 {
                eprintln!("error: {failed} message(s) failed; SQS would retry them");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Err(format!("error: `{}` failed: {error}", args.action)),
    }
}

/// The event text, checked to be JSON so a typo is reported as such.
fn read_event(path: &PathBuf) -> Result<String, String> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("error: cannot read standard input: {e}"))?;
        ("standard input".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        (path.display().to_string(), text)
    };
    serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("error: {name} is not JSON: {e}"))?;
    Ok(text)
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).expect("values are JSON")
}
