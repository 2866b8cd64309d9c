//! Registrations -> App model.

use super::{Action, App, Resource, Settings, UsedCapability};
use crate::handler::panic_message;
use crate::problem::{Problem, Problems};
use crate::registry::{self, ActionRegistration, SingletonRegistration};
use crate::trigger::{Trigger, TriggerKind};
use std::panic::{catch_unwind, AssertUnwindSafe};

impl App {
    /// The app registered by every `#[action]`, `#[trigger]`, `#[api]` and
    /// `#[singleton]` linked into this binary.
    pub fn from_registry(name: &str) -> Result<App, Problems> {
        let actions: Vec<_> = registry::actions().collect();
        let singletons: Vec<_> = registry::singletons().collect();
        let app = App::from_registrations(name, &actions, &singletons)?;
        match app.missing_features() {
            problems if problems.is_empty() => Ok(app),
            problems => Err(Problems(problems)),
        }
    }

    /// The app from the given registrations. Runs each singleton's body; a
    /// body that panics is reported as a problem at its declaration.
    pub fn from_registrations(
        name: &str,
        actions: &[&ActionRegistration],
        singletons: &[&SingletonRegistration],
    ) -> Result<App, Problems> {
        let mut problems = Vec::new();
        let mut resources = Vec::new();
        for singleton in singletons {
            match catch_unwind(AssertUnwindSafe(singleton.build)) {
                Ok(spec) => resources.push(Resource {
                    name: singleton.name.to_owned(),
                    defined_at: singleton.defined_at,
                    owner: None,
                    spec,
                }),
                Err(panic) => problems.push(
                    Problem::new(format!("singleton `{}` panicked: {}", singleton.name, panic_message(&*panic)))
                        .at(singleton.defined_at, "its body runs at synth time"),
                ),
            }
        }
        let mut model_actions = Vec::new();
        for registration in actions {
            let (action, owned) = action(registration, &mut problems);
            resources.extend(owned);
            model_actions.push(action);
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        model_actions.sort_by(|a, b| (&a.name, a.defined_at).cmp(&(&b.name, b.defined_at)));
        resources.sort_by(|a, b| (&a.name, a.defined_at).cmp(&(&b.name, b.defined_at)));
        Ok(App { name: name.to_owned(), actions: model_actions, resources })
    }
}

/// An action, plus the resource its triggers give it (`#[trigger(sqs)]`'s
/// queue). Each trigger's kind reads its own declaration.
fn action(registration: &ActionRegistration, problems: &mut Vec<Problem>) -> (Action, Vec<Resource>) {
    let settings = &registration.settings;
    let defaults = Settings::default();
    let mut owned = Vec::new();
    let mut triggers = Vec::new();
    for trigger in registration.triggers {
        let declaration = &trigger.declaration;
        let Some(kind) = TriggerKind::declared(declaration, registration.name) else {
            problems.push(
                Problem::new(format!("this wirestack runtime knows no trigger kind `{}`", declaration.kind))
                    .at(trigger.declared_at, "declared here")
                    .help("use the same version of `wirestack` and `wirestack-macros`"),
            );
            continue;
        };
        if let Some(spec) = TriggerKind::owned(declaration) {
            owned.push(Resource {
                name: registration.name.to_owned(),
                defined_at: trigger.declared_at,
                owner: Some(registration.name.to_owned()),
                spec,
            });
        }
        triggers.push(Trigger { declared_at: trigger.declared_at, kind });
    }
    let action = Action {
        name: registration.name.to_owned(),
        rust_path: registration.rust_path.to_owned(),
        defined_at: registration.defined_at,
        settings: Settings {
            memory_mb: settings.memory_mb.unwrap_or(defaults.memory_mb),
            timeout_s: settings.timeout_s.unwrap_or(defaults.timeout_s),
            reserved_concurrency: settings.reserved_concurrency,
            env: settings.env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            layers: settings.layers.iter().map(|layer| (*layer).to_owned()).collect(),
        },
        triggers,
        capabilities: registration
            .capabilities
            .iter()
            .map(|c| UsedCapability { access: c.access, resource: c.resource.to_owned() })
            .collect(),
    };
    (action, owned)
}
