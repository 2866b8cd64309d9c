//! Rules that need more than syntax: schedule grammar and HTTP paths.

pub mod path;
pub mod schedule;
