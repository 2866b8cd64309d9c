//! `synth deploy`, `diff`, `outputs` and `destroy`: from annotated code to a
//! running stack with aws-sdk-cloudformation, showing exactly what will
//! change (traced to Rust lines) before it does, and losing no data.
//!
//! Deploy synthesizes and packages, then compares with the deployed stack:
//! the same template and parameters make it "up to date" with nothing
//! uploaded and no change set. Otherwise it uploads what the artifact bucket
//! lacks (keys name content), makes a change set, refuses one that would
//! replace a resource holding data, asks on a terminal, executes and follows
//! the events to the outputs or the root cause of a failure.

mod artifacts;
mod aws;
mod change_set;
mod events;
mod stack;
mod waves;

use super::{output_dir, package, Package};
use crate::code::Architecture;
use crate::layout::Stack;
use crate::model::App;
use crate::synth::synthesize_within;
use artifacts::Artifacts;
pub use aws::Account;
use aws::{explain, Aws};
use change_set::{ChangeSet, Created, Request};
use events::Watch;
use stack::{Condition, Deployed};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Which stack, in which account and region.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// Stage: names the stack and prefixes every physical name (dev, prod, ..)
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,

    /// AWS region [default: from AWS_REGION or the profile]
    #[arg(long)]
    region: Option<String>,

    /// Profile in ~/.aws/config to take credentials and region from
    #[arg(long)]
    profile: Option<String>,
}

/// How the code gets there.
#[derive(Debug, clap::Args)]
pub struct Build {
    /// Artifact bucket to upload to [default: wirestack-artifacts-<account>-<region>, created on first use]
    #[arg(long, value_name = "NAME")]
    bucket: Option<String>,

    /// Processor to build for: x86_64 or arm64
    #[arg(long, default_value = "x86_64")]
    arch: Architecture,
}

#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    #[command(flatten)]
    target: Target,

    #[command(flatten)]
    build: Build,

    /// Deploy without asking for confirmation
    #[arg(long, short)]
    yes: bool,

    /// CloudFormation's express mode: done once resources are configured,
    /// without waiting for them to be ready (for dev stages)
    #[arg(long)]
    express: bool,

    /// Let this deploy replace resources that hold data (each becomes a new,
    /// empty resource; the old one is kept in the account)
    #[arg(long)]
    allow_replace: bool,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    target: Target,

    #[command(flatten)]
    build: Build,
}

#[derive(Debug, clap::Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    target: Target,

    /// Destroy without asking for confirmation
    #[arg(long, short)]
    yes: bool,
}

#[derive(Debug, clap::Args)]
pub struct OutputsArgs {
    #[command(flatten)]
    target: Target,
}

impl Target {
    fn account(&self) -> Account {
        Account { region: self.region.clone(), profile: self.profile.clone() }
    }
}

/// Runs `work` on a runtime of its own (the command line is synchronous).
fn block_on<T>(work: impl std::future::Future<Output = Result<T, String>>) -> Result<T, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: cannot start the async runtime: {e}"))?
        .block_on(work)
}

pub fn deploy(package: Package, args: DeployArgs) -> Result<ExitCode, String> {
    let prepared = prepare(package, &args.target, &args.build)?;
    let rollout = Rollout {
        account: args.target.account(),
        bucket: args.build.bucket,
        yes: args.yes,
        express: args.express,
        allow_replace: args.allow_replace,
    };
    roll_out(&prepared, &rollout)
}

/// How `deploy` rolls out what it synthesized and packaged.
pub struct Rollout {
    pub account: Account,
    /// The artifact bucket; `None` for wirestack's own.
    pub bucket: Option<String>,
    pub yes: bool,
    pub express: bool,
    pub allow_replace: bool,
}

/// What `deploy` does once the app is synthesized (`stacks`, the root first)
/// and its code packaged (`zips`, by content-addressed key): for deploying
/// an app made elsewhere, as the tests deploy generated apps.
pub fn deploy_stacks(stacks: Vec<Stack>, zips: Vec<(String, PathBuf)>, rollout: &Rollout) -> Result<ExitCode, String> {
    let mut stacks = stacks.into_iter();
    let stack = stacks.next().ok_or("error: nothing to deploy")?;
    roll_out(&Prepared { stack, children: stacks.collect(), zips }, rollout)
}

fn roll_out(prepared: &Prepared, args: &Rollout) -> Result<ExitCode, String> {
    block_on(async {
        let started = Instant::now();
        let aws = Aws::connect(&args.account).await?;
        let name = prepared.stack.name.as_str();
        let deployed = settle(&aws, name).await?;
        let mut artifacts = Artifacts::open(&aws, args.bucket.as_deref()).await?;
        let parameters = prepared.parameters(&artifacts.bucket)?;
        let before = deployed_template(&aws, name, deployed.as_ref()).await?;
        let root = prepared.stack.template.to_json();
        if let Some(deployed) =
            deployed.as_ref().filter(|d| Condition::of(&d.status) == Condition::Ready { failed: false })
        {
            if deployed.parameters == parameters && before == root {
                say!(
                    "stack `{name}` is up to date ({} ms): nothing uploaded, no change set",
                    started.elapsed().as_millis()
                );
                stack::print_outputs(&stack::all_outputs(&aws, name, deployed, &before).await?);
                return Ok(ExitCode::SUCCESS);
            }
        }
        for (key, path) in &prepared.zips {
            let bytes = std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
            artifacts.put(key, bytes, "application/zip").await?;
        }
        let template_url = prepared.upload_templates(&mut artifacts).await?;
        say!(
            "artifacts in s3://{}: {} uploaded, {} there already",
            artifacts.bucket,
            artifacts.uploaded,
            artifacts.present
        );
        let sizes = prepared
            .children
            .iter()
            .filter_map(|c| Some((c.nested_as.as_ref()?.to_string(), c.template.resources.len())));
        let deployed_parameters = deployed.as_ref().map(|d| d.parameters.clone()).unwrap_or_default();
        let waves = waves::plan(&root, &sizes.collect(), &before, &deployed_parameters, waves::RESOURCES_PER_OPERATION);
        if waves.len() > 1 {
            say!(
                "deploying in {} waves: one CloudFormation operation on nested stacks changes at most {} resources, so each wave brings in more nested stacks",
                waves.len(),
                waves::RESOURCES_PER_OPERATION
            );
        }
        let (mut deployed, mut before) = (deployed, before);
        let mut outputs = None;
        for (i, wave) in waves.iter().enumerate() {
            let last = i + 1 == waves.len();
            let template_url = match last {
                true => template_url.clone(),
                false => {
                    let body = serde_json::to_string_pretty(wave).map_err(|e| e.to_string())? + "\n";
                    let key = crate::layout::template_key(name, &body);
                    artifacts.put(&key, body.into_bytes(), "application/json").await?;
                    artifacts.url(&key)
                }
            };
            let note = match waves.len() {
                1 => String::new(),
                n => format!(" (wave {} of {n})", i + 1),
            };
            let operation = Operation { template_url, parameters: &parameters, before: &before, note, ask: i == 0 };
            match operate(&aws, prepared, deployed.as_ref(), operation, args).await? {
                Outcome::Unchanged => say!("stack `{name}` is up to date: CloudFormation found nothing to change"),
                Outcome::Declined => return Ok(ExitCode::SUCCESS),
                Outcome::Done(finished) => {
                    outputs = Some(stack::all_outputs(&aws, name, &finished, wave).await?);
                    deployed = Some(finished);
                }
            }
            before = wave.clone();
        }
        stack::print_outputs(&outputs.unwrap_or_default());
        Ok(ExitCode::SUCCESS)
    })
}

/// One change set of a deploy: the template at `template_url`, judged
/// against `before` (the template deployed).
struct Operation<'a> {
    template_url: String,
    parameters: &'a BTreeMap<String, String>,
    before: &'a serde_json::Value,
    /// Said after the stack's name: " (wave 1 of 3)".
    note: String,
    /// Whether to ask on a terminal first.
    ask: bool,
}

enum Outcome {
    Unchanged,
    Declined,
    Done(Deployed),
}

/// Proposes the change set, refuses one losing data, asks if it should,
/// executes it and follows it to a stable state.
async fn operate(
    aws: &Aws,
    prepared: &Prepared,
    deployed: Option<&Deployed>,
    operation: Operation<'_>,
    args: &Rollout,
) -> Result<Outcome, String> {
    let name = prepared.stack.name.as_str();
    let create = creates(deployed);
    let nested = !prepared.children.is_empty();
    let request = Request {
        stack: name,
        template_url: operation.template_url,
        parameters: operation.parameters,
        create,
        express: args.express,
        nested,
    };
    let Some(change_set) = propose(aws, prepared, request, operation.before, &operation.note).await? else {
        return Ok(Outcome::Unchanged);
    };
    let lost = change_set::data_lost(&change_set.changes, &prepared.all());
    if !lost.is_empty() && !args.allow_replace {
        let refusal = refuse_replacement(&prepared.all(), &lost);
        discard(aws, name, &change_set.name, create).await?;
        return Err(refusal);
    }
    if operation.ask
        && !args.yes
        && std::io::stdin().is_terminal()
        && !confirm(&format!("deploy these changes to `{name}`?"))?
    {
        discard(aws, name, &change_set.name, create).await?;
        say!("nothing deployed");
        return Ok(Outcome::Declined);
    }
    let mut watch = Watch::start(aws, name, name, change_set.changes.len()).await?;
    aws.cloudformation
        .execute_change_set()
        .stack_name(name)
        .change_set_name(&change_set.name)
        .send()
        .await
        .map_err(|e| explain(&format!("execute change set `{}`", change_set.name), &e))?;
    let verb = if create { "create" } else { "update" };
    let finished = follow(&mut watch, name).await?;
    let expected = if create { "CREATE_COMPLETE" } else { "UPDATE_COMPLETE" };
    if finished.status != expected {
        let now = match finished.status.as_str() {
            "ROLLBACK_COMPLETE" => "the stack is now ROLLBACK_COMPLETE\nhelp: fix the cause and deploy again: \
                                    wirestack deletes the failed stack and creates it anew"
                .to_owned(),
            "UPDATE_ROLLBACK_COMPLETE" => {
                "the stack is now UPDATE_ROLLBACK_COMPLETE: rolled back to what it was before this deploy".to_owned()
            }
            status => format!("the stack is now {status}\n{}", stack::unstick(name, status)),
        };
        return Err(format!("{}\n{now}", watch.failure(Some(&prepared.stack), verb).await));
    }
    say!("{verb}d stack `{name}`{} in {:.1} s", operation.note, watch.elapsed());
    Ok(Outcome::Done(finished))
}

pub fn diff(package: Package, args: DiffArgs) -> Result<ExitCode, String> {
    let prepared = prepare(package, &args.target, &args.build)?;
    block_on(async {
        let aws = Aws::connect(&args.target.account()).await?;
        let name = prepared.stack.name.as_str();
        let deployed = stack::describe(&aws, name).await?;
        match deployed.as_ref().map(|d| (Condition::of(&d.status), d.status.as_str())) {
            Some((Condition::Busy, status)) => {
                return Err(format!("error: stack `{name}` is busy ({status}); run diff when it is done"));
            }
            Some((Condition::FailedCreate, status)) => {
                say!("stack `{name}` is {status}: deploy will delete it and create every resource anew");
                return Ok(ExitCode::SUCCESS);
            }
            Some((Condition::Stuck, status)) => {
                return Err(format!("error: stack `{name}` is {status}\n{}", stack::unstick(name, status)));
            }
            _ => {}
        }
        let mut artifacts = Artifacts::open(&aws, args.build.bucket.as_deref()).await?;
        let parameters = prepared.parameters(&artifacts.bucket)?;
        let before = deployed_template(&aws, name, deployed.as_ref()).await?;
        let template_url = prepared.upload_templates(&mut artifacts).await?;
        let create = creates(deployed.as_ref());
        let nested = !prepared.children.is_empty();
        let request = Request { stack: name, template_url, parameters: &parameters, create, express: false, nested };
        let Some(change_set) = propose(&aws, &prepared, request, &before, " (not executed)").await? else {
            say!("stack `{name}` is up to date: no changes");
            return Ok(ExitCode::SUCCESS);
        };
        let lost = change_set::data_lost(&change_set.changes, &prepared.all());
        if !lost.is_empty() {
            say!(
                "{}",
                refuse_replacement(&prepared.all(), &lost).replacen("error: ", "warning: deploy would refuse: ", 1)
            );
        }
        discard(&aws, name, &change_set.name, create).await?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn outputs(package: Package, args: OutputsArgs) -> Result<ExitCode, String> {
    let name = stack_name(package, &args.target)?;
    block_on(async {
        let aws = Aws::connect(&args.target.account()).await?;
        match stack::describe(&aws, &name).await? {
            Some(deployed) => {
                say!("stack `{name}` ({}):", deployed.status);
                let template = stack::template(&aws, &name).await?;
                stack::print_outputs(&stack::all_outputs(&aws, &name, &deployed, &template).await?);
                Ok(ExitCode::SUCCESS)
            }
            None => Err(format!("error: there is no stack `{name}`\nhelp: deploy it with `synth deploy`")),
        }
    })
}

pub fn destroy(package: Package, args: DestroyArgs) -> Result<ExitCode, String> {
    let name = stack_name(package, &args.target)?;
    block_on(async {
        let aws = Aws::connect(&args.target.account()).await?;
        let Some(deployed) = settle_busy(&aws, &name).await? else {
            say!("there is no stack `{name}`: nothing to destroy");
            return Ok(ExitCode::SUCCESS);
        };
        let template = stack::template(&aws, &name).await?;
        let retained = stack::retained(&aws, &name, &template).await?;
        if !args.yes {
            if !std::io::stdin().is_terminal() {
                return Err(format!(
                    "error: destroy deletes stack `{name}`; pass `--yes` to confirm when not on a terminal"
                ));
            }
            if !confirm(&format!("delete stack `{name}` and every resource it does not retain?"))? {
                say!("nothing deleted");
                return Ok(ExitCode::SUCCESS);
            }
        }
        let mut watch = Watch::start(&aws, &name, &deployed.id, 0).await?;
        aws.cloudformation
            .delete_stack()
            .stack_name(&deployed.id)
            .send()
            .await
            .map_err(|e| explain(&format!("delete stack `{name}`"), &e))?;
        let finished = follow(&mut watch, &name).await?;
        if finished.status != "DELETE_COMPLETE" {
            return Err(format!(
                "{}\n{}",
                watch.failure(None, "delete").await,
                stack::unstick(&name, &finished.status)
            ));
        }
        say!("deleted stack `{name}` in {:.1} s", watch.elapsed());
        if !retained.is_empty() {
            say!("kept in the account with their data (DeletionPolicy Retain); to delete them too:");
            for resource in &retained {
                say!("  {}  {}  {}", resource.logical_id, resource.kind, resource.physical_id);
                if let Some(command) = stack::delete_command(resource, &aws.region) {
                    say!("      {command}");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// What deploy and diff synthesize and package.
struct Prepared {
    /// The root (or only) stack.
    stack: Stack,
    /// Its nested stacks, when the app needs more than one template.
    children: Vec<Stack>,
    /// Zips to upload, by content-addressed key.
    zips: Vec<(String, PathBuf)>,
}

impl Prepared {
    /// The value of each template parameter: the artifact bucket, and the
    /// content-addressed keys synth wrote as defaults.
    fn parameters(&self, bucket: &str) -> Result<BTreeMap<String, String>, String> {
        self.stack
            .template
            .parameters
            .iter()
            .map(|(id, parameter)| {
                let value = match (id.as_str(), &parameter.default) {
                    ("CodeBucket", _) => bucket.to_owned(),
                    (_, Some(default)) => default.clone(),
                    (id, None) => return Err(format!("error: template parameter `{id}` has no value to deploy with")),
                };
                Ok((id.as_str().to_owned(), value))
            })
            .collect()
    }

    /// The root and its nested stacks, root first.
    fn all(&self) -> Vec<&Stack> {
        std::iter::once(&self.stack).chain(&self.children).collect()
    }

    /// Uploads the templates (each keyed by its SHA-256, where the root's
    /// `TemplateURL`s expect the children); returns the root's URL.
    async fn upload_templates(&self, artifacts: &mut Artifacts<'_>) -> Result<String, String> {
        let root = &self.stack.name;
        for stack in self.children.iter().chain([&self.stack]) {
            artifacts.put(&stack.key(root), stack.body.clone().into_bytes(), "application/json").await?;
        }
        Ok(artifacts.url(&self.stack.key(root)))
    }
}

/// Packages the code, synthesizes against it and writes the templates.
fn prepare(package: Package, target: &Target, build: &Build) -> Result<Prepared, String> {
    let manifest = package::build(package, build.arch, "lambda")?;
    let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
    let code = manifest.code(package.name);
    let capacity = package.capacity()?;
    let synthesis = synthesize_within(&app, target.stage.as_deref(), &code, &capacity).map_err(|p| p.to_string())?;
    let out = output_dir();
    synthesis.write_to(&out).map_err(|e| format!("error: cannot write templates to {}: {e}", out.display()))?;
    let mut zips = vec![(code.key.clone().unwrap_or_default(), manifest.zip.clone())];
    for (name, layer) in &manifest.layers {
        if let Some(key) = code.layers.get(name) {
            zips.push((key.clone(), layer.zip.clone()));
        }
    }
    for warning in &synthesis.warnings {
        eprintln!("{warning}");
    }
    let mut stacks = synthesis.stacks.into_iter();
    let stack = stacks.next().expect("synthesis makes a stack");
    let children: Vec<Stack> = stacks.collect();
    let nested = match children.len() {
        0 => String::new(),
        n => format!(
            " and {n} nested stacks ({} resources)",
            children.iter().map(|c| c.template.resources.len()).sum::<usize>()
        ),
    };
    say!(
        "synthesized `{}`: stack `{}`, {} resources{nested}, code {}",
        package.name,
        stack.name,
        stack.template.resources.len(),
        code.key.as_deref().unwrap_or_default()
    );
    Ok(Prepared { stack, children, zips })
}

/// The template the stack was deployed with; empty when there is no stack,
/// or only one a change set made and nobody executed.
async fn deployed_template(aws: &Aws, name: &str, deployed: Option<&Deployed>) -> Result<serde_json::Value, String> {
    match deployed {
        Some(d) if Condition::of(&d.status) != Condition::Review => stack::template(aws, name).await,
        _ => Ok(serde_json::json!({})),
    }
}

/// Whether the change set creates the stack rather than updating it.
fn creates(deployed: Option<&Deployed>) -> bool {
    deployed.is_none_or(|d| Condition::of(&d.status) == Condition::Review)
}

/// Creates the change set, decides each replacement the service left open
/// (against the deployed template `before`) and prints the summary; `None`
/// when CloudFormation finds nothing to change.
async fn propose(
    aws: &Aws,
    prepared: &Prepared,
    request: Request<'_>,
    before: &serde_json::Value,
    note: &str,
) -> Result<Option<ChangeSet>, String> {
    let create = request.create;
    let Created::Changes(mut change_set) = change_set::create(aws, request).await? else { return Ok(None) };
    change_set::judge(&mut change_set.changes, before, &prepared.stack);
    let name = &prepared.stack.name;
    say!("{} `{name}`{note}:", if create { "create stack" } else { "changes to stack" });
    say!("{}", change_set::summary(&prepared.all(), before, &change_set.changes).trim_end());
    Ok(Some(change_set))
}

/// The stack's name for the stage, without synthesizing.
fn stack_name(package: Package, target: &Target) -> Result<String, String> {
    let naming = crate::naming::Naming::new(package.name, target.stage.as_deref()).map_err(|p| p.to_string())?;
    Ok(naming.stack().to_owned())
}

/// The stack, ready for a change set: an operation still running is waited
/// for, and a first create that failed is deleted (saying so) to be made
/// again. `None` when there is no stack (any more).
async fn settle(aws: &Aws, name: &str) -> Result<Option<Deployed>, String> {
    let Some(deployed) = settle_busy(aws, name).await? else { return Ok(None) };
    match Condition::of(&deployed.status) {
        Condition::FailedCreate => {
            let reason = deployed.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            say!(
                "stack `{name}` is {}{reason}: its first create failed and CloudFormation cannot update it; deleting it \
                 to create it again",
                deployed.status
            );
            let mut watch = Watch::start(aws, name, &deployed.id, 0).await?;
            aws.cloudformation
                .delete_stack()
                .stack_name(&deployed.id)
                .send()
                .await
                .map_err(|e| explain(&format!("delete stack `{name}`"), &e))?;
            let finished = follow(&mut watch, name).await?;
            if finished.status != "DELETE_COMPLETE" {
                return Err(format!(
                    "error: stack `{name}` could not be deleted: it is {}\n{}",
                    finished.status,
                    stack::unstick(name, &finished.status)
                ));
            }
            Ok(None)
        }
        Condition::Stuck => {
            let reason = deployed.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
            Err(format!(
                "error: stack `{name}` is {}{reason}\n{}",
                deployed.status,
                stack::unstick(name, &deployed.status)
            ))
        }
        _ => Ok(Some(deployed)),
    }
}

/// The stack once no operation runs on it, waiting (and showing its events)
/// if one does.
async fn settle_busy(aws: &Aws, name: &str) -> Result<Option<Deployed>, String> {
    let Some(deployed) = stack::describe(aws, name).await? else { return Ok(None) };
    if Condition::of(&deployed.status) != Condition::Busy {
        return Ok(Some(deployed));
    }
    say!(
        "stack `{name}` is busy ({}): another deploy, or one interrupted, is still running; waiting for it to finish",
        deployed.status
    );
    let mut watch = Watch::start(aws, name, &deployed.id, 0).await?;
    let finished = follow(&mut watch, name).await?;
    say!("stack `{name}` is now {}", finished.status);
    Ok(Some(finished).filter(|d| d.status != "DELETE_COMPLETE"))
}

/// Follows the operation to its end; Ctrl-C stops following, not the
/// operation, and says so.
async fn follow(watch: &mut Watch<'_>, name: &str) -> Result<Deployed, String> {
    tokio::select! {
        finished = watch.until_stable() => finished,
        _ = tokio::signal::ctrl_c() => Err(format!(
            "interrupted: CloudFormation carries on with stack `{name}`; run the command again to wait for it, or \
             follow it with `aws cloudformation describe-stack-events --stack-name {name}`"
        )),
    }
}

/// Deletes a change set that will not run, and the empty stack a create
/// change set made.
async fn discard(aws: &Aws, name: &str, change_set: &str, create: bool) -> Result<(), String> {
    change_set::delete(aws, name, change_set).await?;
    if create {
        aws.cloudformation
            .delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| explain(&format!("delete the empty stack `{name}`"), &e))?;
    }
    Ok(())
}

/// The error for a deploy that would replace resources holding data.
fn refuse_replacement(stacks: &[&Stack], lost: &[&change_set::Change]) -> String {
    let mut text = String::from(
        "error: this deploy would replace resources that hold data, leaving the data behind in the old ones:",
    );
    for change in lost {
        let by = if change.forced_by.is_empty() {
            String::new()
        } else {
            format!(" because {} changes", change.forced_by.join(", "))
        };
        text += &format!("\n  {} ({}) would be a new, empty resource{by}", change.path(), change.kind);
        if let Some(source) = change_set::holder(stacks, change).and_then(|stack| stack.source(&change.logical_id)) {
            text += &format!("\n    <- {source}");
        }
    }
    text + "\nhelp: undo that change in the code, or deploy with `--allow-replace` to accept new, empty resources (the old ones are kept in the account)"
}

/// Asks `question` on the terminal; true for yes.
fn confirm(question: &str) -> Result<bool, String> {
    print!("{question} [y/N] ");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| format!("error: cannot read the answer: {e}"))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
