//! Physical names: `{stage}-{app}-{name}`, so stages of one app can live in
//! one account side by side.

use crate::problem::Problem;

/// Builds physical names with the app's (and stage's) prefix.
#[derive(Clone, Debug, PartialEq)]
pub struct Naming {
    prefix: String,
}

impl Naming {
    /// `stage` must be 1 to 32 letters, digits or `-`, starting with a letter.
    pub fn new(app: &str, stage: Option<&str>) -> Result<Naming, Problem> {
        let app = kebab(app);
        let prefix = match stage {
            None => app,
            Some(stage) => {
                let valid = stage.len() <= 32
                    && stage.starts_with(|c: char| c.is_ascii_alphabetic())
                    && stage.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !valid {
                    return Err(Problem::new(format!("`{stage}` cannot name a stage")).help(
                        "use 1 to 32 letters, digits or `-`, starting with a letter, such as `dev` or `prod-eu`",
                    ));
                }
                format!("{stage}-{app}")
            }
        };
        Ok(Naming { prefix })
    }

    /// The stack's name, which is also the prefix of every physical name.
    pub fn stack(&self) -> &str {
        &self.prefix
    }

    /// The physical name of the item `name` (`place_order` -> `dev-shop-place-order`).
    pub fn physical(&self, name: &str) -> String {
        format!("{}-{}", self.prefix, kebab(name))
    }
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}
