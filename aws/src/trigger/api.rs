//! `#[api(METHOD "/path", auth = pool)]`: a route on the app's HTTP API.
//! Written as its own attribute; registered as a trigger of kind `api`,
//! whose target is the path and whose `method` is an option.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::{Opt, Shape};

/// The methods a route may name; `ANY` matches every method.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

/// The kind's name, as written.
pub const NAME: &str = "api";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target {
        shape: Shape::Text { grammar: |path| crate::path::parse(path).map(drop) },
        optional: false,
        example: "#[api(GET \"/orders/{id}\")]",
    },
    options: &[
        Opt {
            name: "method",
            shape: Shape::Choice { names: METHODS, what: "HTTP method", plural: "methods" },
            example: "GET",
        },
        Opt { name: "auth", shape: Shape::Singleton, example: "auth = my_user_pool" },
    ],
    delivers: Delivers::Request,
    raw_events: &[],
    check: no_rules,
};
