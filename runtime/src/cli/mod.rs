//! The command line of the user's `synth` binary: the whole of
//! `src/bin/synth.rs` is `wirestack::synth_main!();`, which calls [`run`].
//!
//! `synth` alone writes the templates; `synth invoke` runs a handler locally
//! with the same decoding as on Lambda; `synth package` builds the Lambda
//! binary and its reproducible zip; `synth graph` draws the app's wiring;
//! `deploy`, `diff`, `outputs` and `destroy` manage the deployed stack.

/// `println!` that does not panic when the reader has gone away
/// (`synth | head`): output the reader does not want is simply not written.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod deploy;
mod graph;
mod invoke;
mod package;
mod synth;

pub use deploy::{deploy_stacks, Account, Rollout};

/// The synth binary's allocator (`synth_main!()` installs it): a big app's
/// synth builds its templates from hundreds of thousands of small values.
/// The Lambda binary keeps the system's.
pub type Allocator = mimalloc::MiMalloc;
pub const ALLOCATOR: Allocator = mimalloc::MiMalloc;

/// Has the allocator keep what a run frees for the run's own reuse rather
/// than hand it back to the kernel. A synth run is short: by default
/// mimalloc returns freed memory in 64 KiB pieces, one system call each,
/// splitting the huge pages it came in, and what is reused then arrives
/// from the kernel zeroed again (264 calls at 1,000 handlers).
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3; the bindings do
    // not name it): milliseconds before freed memory is purged, -1 never.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a plain option; mimalloc reads options at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

use crate::layout::Capacity;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The user's package, as the macro saw it at compile time.
#[derive(Clone, Copy, Debug)]
pub struct Package {
    /// The package name, which names the app.
    pub name: &'static str,
    /// The directory holding the package's `Cargo.toml`.
    pub manifest_dir: &'static str,
}

/// Synthesize, invoke and package this app's annotated handlers.
#[derive(Debug, Parser)]
#[command(name = "synth", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    synth: synth::Args,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run one action's handler here, with an event as Lambda would deliver it
    Invoke(invoke::Args),
    /// Build the Lambda binary in release mode and zip it reproducibly
    Package(package::Args),
    /// Print the app's wiring as a Mermaid (or DOT) diagram
    Graph(graph::Args),
    /// Package, upload and deploy the app's stack, showing what changes first
    Deploy(deploy::DeployArgs),
    /// Show what a deploy would change (a change set, never executed)
    Diff(deploy::DiffArgs),
    /// Print the deployed stack's outputs (API URL, queue URLs, names)
    Outputs(deploy::OutputsArgs),
    /// Delete the deployed stack; resources holding data are kept
    Destroy(deploy::DestroyArgs),
    /// Run the whole app here: its routes, and local stand-ins for its
    /// queues, topics, buckets, tables, streams and schedules
    Dev(crate::dev::Args),
}

impl Package {
    /// How full layout fills each template: `[package.metadata.wirestack]
    /// headroom = 20` (percent of each CloudFormation limit left free) in the
    /// app's Cargo.toml, beside the code, so synth and deploy agree.
    fn capacity(&self) -> Result<Capacity, String> {
        let path = Path::new(self.manifest_dir).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        let manifest = toml::Value::Table(
            toml::from_str(&text).map_err(|e| format!("error: cannot parse {}: {e}", path.display()))?,
        );
        let headroom =
            ["package", "metadata", "wirestack", "headroom"].iter().try_fold(&manifest, |value, key| value.get(key));
        let mut capacity = Capacity::default();
        if let Some(headroom) = headroom {
            capacity.headroom_percent = headroom
                .as_integer()
                .and_then(|percent| u8::try_from(percent).ok())
                .filter(|percent| *percent <= 90)
                .ok_or_else(|| {
                    format!(
                        "error: `headroom = {headroom}` in {}'s `[package.metadata.wirestack]` is not a whole percent from 0 to 90\n  help: write `headroom = 20` to keep a fifth of each template's limits free",
                        path.display()
                    )
                })?;
        }
        Ok(capacity)
    }
}

/// Runs the command line for `package`.
pub fn run(package: Package) -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => {
            keep_freed_memory();
            synth::run(package, cli.synth)
        }
        Some(Command::Invoke(args)) => invoke::run(package, args),
        Some(Command::Package(args)) => package::run(package, args),
        Some(Command::Graph(args)) => graph::run(package, args),
        Some(Command::Deploy(args)) => deploy::deploy(package, args),
        Some(Command::Diff(args)) => deploy::diff(package, args),
        Some(Command::Outputs(args)) => deploy::outputs(package, args),
        Some(Command::Destroy(args)) => deploy::destroy(package, args),
        Some(Command::Dev(args)) => crate::dev::run(package, args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `wirestack/` inside cargo's target directory (found from this binary's
/// path by the `.rustc_info.json` cargo keeps there), else `./target/wirestack`.
fn output_dir() -> PathBuf {
    target_dir().join("wirestack")
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().find(|dir| dir.join(".rustc_info.json").is_file()).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target"))
}
