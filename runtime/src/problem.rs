//! Whole-app mistakes, reported with every place involved and the fix.

use crate::Location;
use std::fmt;

/// One mistake that only the whole app can show (a duplicate route, a
/// trigger naming an unknown singleton, a limit exceeded).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub message: String,
    pub places: Vec<(Location, String)>,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Problem {
        Problem { message: message.into(), places: Vec::new(), help: None }
    }

    /// A place in the user's code, with what it is.
    pub fn at(mut self, location: Location, note: impl Into<String>) -> Problem {
        self.places.push((location, note.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        for (location, note) in &self.places {
            write!(f, "\n  --> {location}: {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All the problems found in one synth, as one error.
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.0))]
pub struct Problems(pub Vec<Problem>);

fn render(problems: &[Problem]) -> String {
    let mut text = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n");
    text.push_str(&format!(
        "\n\n{} problem{} found; nothing was written",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    text
}
