//! Options as one table per kind: the macros parse and check attributes
//! against it, registrations carry what was written, the runtime's kind
//! module reads it back, and a test holds README's tables to it.

use crate::Mistake;
use std::ops::RangeInclusive;

/// One option of an attribute.
#[derive(Debug)]
pub struct Opt {
    pub name: &'static str,
    pub shape: Shape,
    /// How it is written, for help lines: `batch = 10`.
    pub example: &'static str,
}

/// The value an option takes.
#[derive(Debug)]
pub enum Shape {
    /// A whole number within `range`, counted in `unit`s.
    Int { range: RangeInclusive<u32>, unit: &'static str },
    /// Present or not: `fifo`.
    Flag,
    /// One of `names`, as an identifier (`start = latest`); `what` names
    /// one in messages, `plural` several.
    Choice { names: &'static [&'static str], what: &'static str, plural: &'static str },
    /// A list of distinct `names`: `events = [created, removed]`.
    Names { names: &'static [&'static str], what: &'static str, plural: &'static str },
    /// A string literal that `grammar` accepts.
    Text { grammar: fn(&str) -> Result<(), Mistake> },
    /// The name of a `#[singleton]`.
    Singleton,
}

/// An option's value as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting<'a> {
    Int(u32),
    Flag,
    Name(&'a str),
    Names(&'a [&'a str]),
    Text(&'a str),
    Singleton(&'a str),
}

/// One trigger as written: its kind, what follows `kind =` (if anything),
/// and its options. Registrations hold `Declaration<'static>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declaration<'a> {
    pub kind: &'a str,
    pub target: Option<Setting<'a>>,
    pub options: &'a [(&'a str, Setting<'a>)],
}

/// A rule between options that one option breaks (`option`, or the whole
/// trigger when `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub option: Option<&'static str>,
    pub mistake: Mistake,
}

impl<'a> Declaration<'a> {
    pub fn get(&self, name: &str) -> Option<Setting<'a>> {
        self.options.iter().find(|(option, _)| *option == name).map(|(_, setting)| *setting)
    }

    pub fn int(&self, name: &str) -> Option<u32> {
        match self.get(name)? {
            Setting::Int(n) => Some(n),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Setting::Flag))
    }

    /// A `Choice`, `Text` or `Singleton` option's text.
    pub fn text(&self, name: &str) -> Option<&'a str> {
        match self.get(name)? {
            Setting::Name(text) | Setting::Text(text) | Setting::Singleton(text) => Some(text),
            _ => None,
        }
    }

    pub fn names(&self, name: &str) -> &'a [&'a str] {
        match self.get(name) {
            Some(Setting::Names(names)) => names,
            _ => &[],
        }
    }

    /// The target's text: a singleton's name, or the string after `kind =`.
    pub fn target_text(&self) -> Option<&'a str> {
        match self.target? {
            Setting::Name(text) | Setting::Text(text) | Setting::Singleton(text) => Some(text),
            _ => None,
        }
    }
}

impl Issue {
    pub fn on(option: &'static str, message: impl Into<String>, help: impl Into<String>) -> Issue {
        Issue { option: Some(option), mistake: (message.into(), help.into()) }
    }
}
