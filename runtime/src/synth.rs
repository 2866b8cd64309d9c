//! The pipeline: App model -> validation -> wiring graph; fragments ->
//! layout -> templates.

use crate::code::Code;
use crate::layout::{self, Capacity, Stack};
use crate::model::App;
use crate::naming::Naming;
use crate::problem::Problems;
use crate::render;
use crate::wiring::Graph;
use rayon::prelude::*;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The templates of one app, ready to write or deploy, and the wiring they
/// were rendered from.
#[derive(Clone, Debug, PartialEq)]
pub struct Synthesis {
    /// The root (or only) stack first, then its nested children.
    pub stacks: Vec<Stack>,
    pub graph: Graph,
    /// What may stop a deploy in some accounts (a quota AWS raises on
    /// request), each with the fix.
    pub warnings: Vec<String>,
    /// How long each step took (`synth --timings` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

/// IAM's default quota of roles per account (adjustable to 5,000).
pub const ROLES_PER_ACCOUNT: usize = 1_000;

/// Validates `app` for `stage`: its wiring graph, or every problem.
pub fn validate(app: &App, stage: Option<&str>, code: &Code) -> Result<Graph, Problems> {
    checked(app, stage, code).map(|(_, graph)| graph)
}

/// The stage's naming and the app's wiring, once the app has no problems.
fn checked(app: &App, stage: Option<&str>, code: &Code) -> Result<(Naming, Graph), Problems> {
    let naming = Naming::new(&app.name, stage).map_err(|p| Problems(vec![p]))?;
    let graph = Graph::of(app);
    match app.problems(&graph, &naming, code) {
        problems if problems.is_empty() => Ok((naming, graph)),
        problems => Err(Problems(problems)),
    }
}

/// Validates `app` and renders its templates, or reports every problem.
pub fn synthesize(app: &App, stage: Option<&str>) -> Result<Synthesis, Problems> {
    synthesize_with(app, stage, &Code::default())
}

/// As [`synthesize`], pointing the functions at packaged `code`.
pub fn synthesize_with(app: &App, stage: Option<&str>, code: &Code) -> Result<Synthesis, Problems> {
    synthesize_within(app, stage, code, &Capacity::default())
}

/// As [`synthesize_with`], laying stacks out within `capacity` (the app's
/// headroom; tests use small limits).
pub fn synthesize_within(
    app: &App,
    stage: Option<&str>,
    code: &Code,
    capacity: &Capacity,
) -> Result<Synthesis, Problems> {
    let mut clock = Instant::now();
    let mut timings = Vec::new();
    let mut lap = |step| timings.push((step, std::mem::replace(&mut clock, Instant::now()).elapsed()));
    let (naming, graph) = checked(app, stage, code)?;
    lap("validate and graph");
    let description = match stage {
        Some(stage) => format!("wirestack app `{}`, stage `{stage}`", app.name),
        None => format!("wirestack app `{}`", app.name),
    };
    let fragments = render::fragments(app, &graph, &naming, code);
    lap("render");
    let stacks = layout::lay_out(naming.stack(), description, fragments, capacity, &mut lap).map_err(Problems)?;
    lap("serialize stacks");
    let roles: usize = stacks
        .iter()
        .map(|stack| stack.template.resources.values().filter(|r| r.kind == "AWS::IAM::Role").count())
        .sum();
    let mut warnings = Vec::new();
    if roles > ROLES_PER_ACCOUNT {
        warnings.push(format!(
            "warning: the app needs {roles} IAM roles (one per action, for least privilege); an AWS account has {ROLES_PER_ACCOUNT} by default, shared by everything in it\n  help: before deploying, request more \"Roles per account\" (up to 5,000) in Service Quotas, or split the app"
        ));
    }
    Ok(Synthesis { stacks, graph, warnings, timings })
}

impl Synthesis {
    /// Writes `<stack>.template.json` per stack into `dir`, removing nested
    /// templates an earlier layout of the same stack left there; returns each
    /// path with the number of bytes written.
    pub fn write_to(&self, dir: &Path) -> io::Result<Vec<(PathBuf, usize)>> {
        std::fs::create_dir_all(dir)?;
        let root = &self.stacks[0].name;
        let current: Vec<String> = self.stacks.iter().map(|stack| format!("{}.template.json", stack.name)).collect();
        for entry in std::fs::read_dir(dir)? {
            let file = entry?.file_name().to_string_lossy().into_owned();
            let nested = layout::NESTED_KINDS.iter().any(|kind| file.starts_with(&format!("{root}-{kind}")));
            if nested && file.ends_with(".template.json") && !current.contains(&file) {
                std::fs::remove_file(dir.join(&file))?;
            }
        }
        // A big app's templates are megabytes: the kernel copies them on
        // every core.
        self.stacks
            .par_iter()
            .map(|stack| {
                let path = dir.join(format!("{}.template.json", stack.name));
                write_if_changed(&path, stack.body.as_bytes())?;
                Ok((path, stack.body.len()))
            })
            .collect()
    }
}

/// Writes `bytes` to `path` unless it already holds them. Most runs of
/// synth after an edit change a few templates of many: the others keep
/// their modification times, and reading a file back costs less than
/// writing it. The file is compared a block at a time, so that checking
/// megabytes of templates needs no megabytes of fresh memory.
fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if holds(path, bytes)? {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

/// Whether the file at `path` holds exactly `bytes` (`false` if there is
/// none).
fn holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if file.metadata()?.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut block = [0; 64 * 1024];
    for expected in bytes.chunks(block.len()) {
        let block = &mut block[..expected.len()];
        match file.read_exact(block) {
            Ok(()) if block == expected => {}
            // Shorter than its length said: changed while read.
            Err(e) if e.kind() != io::ErrorKind::UnexpectedEof => return Err(e),
            _ => return Ok(false),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::write_if_changed;

    #[test]
    fn a_template_already_written_is_left_alone_and_a_changed_one_rewritten() {
        let dir = std::env::temp_dir().join(format!("wirestack-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.template.json");
        write_if_changed(&path, b"{\"a\": 1}\n").unwrap();
        // Marks the file so that a rewrite would show.
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
        write_if_changed(&path, b"{\"a\": 1}\n").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old, "the same bytes are not written again");
        for changed in [&b"{\"a\": 2}\n"[..], b"{\"a\": 10}\n", b""] {
            write_if_changed(&path, changed).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), changed);
        }
        // Longer than the block compared at a time, differing in its last.
        let mut long = vec![b' '; 200_000];
        write_if_changed(&path, &long).unwrap();
        *long.last_mut().unwrap() = b'\n';
        write_if_changed(&path, &long).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), long);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
