//! # wirestack-aws
//!
//! The AWS rules that wirestack's attribute macros and its runtime both
//! need, kept once (as Rocket's codegen and server share `rocket_http`):
//! each trigger kind's options and bounds ([`trigger`]), Lambda's function
//! bounds ([`lambda`]), S3 event names ([`s3`]), and the grammars of schedule
//! expressions, route paths and JSON patterns. The macros check attributes
//! against them at compile time; the runtime reads registrations with them
//! and checks the App model again (it can be built without the macros).

pub mod lambda;
pub mod option;
pub mod path;
pub mod pattern;
pub mod s3;
pub mod schedule;
pub mod suggest;
pub mod trigger;

/// What is wrong, and how to fix it: a message and a `help:` line.
pub type Mistake = (String, String);
