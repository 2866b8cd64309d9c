//! Lambda's own bounds on a function's settings, and what `#[action]`
//! accepts.

use crate::option::{Opt, Shape};
use std::ops::RangeInclusive;

/// Memory in MB.
pub const MEMORY_MB: RangeInclusive<u32> = 128..=10_240;
/// Timeout in seconds.
pub const TIMEOUT_S: RangeInclusive<u32> = 1..=900;
pub const RESERVED_CONCURRENCY: RangeInclusive<u32> = 0..=100_000;
/// Lambda attaches at most five layers to a function.
pub const MAX_LAYERS: usize = 5;
/// Lambda's limit on a function's name.
pub const MAX_FUNCTION_NAME_LEN: usize = 64;

/// `#[action(..)]`'s options with a value of fixed shape (`env(..)` and
/// `layers = [..]` are lists the macro reads itself).
pub const ACTION_OPTIONS: &[Opt] = &[
    Opt { name: "memory", shape: Shape::Int { range: MEMORY_MB, unit: "MB" }, example: "memory = 512" },
    Opt { name: "timeout", shape: Shape::Int { range: TIMEOUT_S, unit: "seconds" }, example: "timeout = 30" },
    Opt {
        name: "reserved_concurrency",
        shape: Shape::Int { range: RESERVED_CONCURRENCY, unit: "concurrent executions" },
        example: "reserved_concurrency = 10",
    },
];

/// Environment variables Lambda sets itself and refuses in a function's
/// configuration, plus wirestack's own.
pub const RESERVED_ENV: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];
