//! Event patterns, as EventBridge rules and Lambda's event filters match
//! them: every field of the pattern must match; a list matches if any of
//! its values or rules does (`prefix`, `suffix`, `equals-ignore-case`,
//! `anything-but`, `numeric`, `exists`, `wildcard`); an event's list
//! matches if any element does.

use serde_json::Value;

pub fn matches(pattern: &Value, event: &Value) -> bool {
    let Value::Object(fields) = pattern else { return false };
    fields.iter().all(|(key, expected)| {
        let actual = event.get(key);
        match expected {
            Value::Array(rules) => rules.iter().any(|rule| rule_matches(rule, actual)),
            Value::Object(_) => actual.is_some_and(|actual| matches(expected, actual)),
            _ => false,
        }
    })
}

fn rule_matches(rule: &Value, actual: Option<&Value>) -> bool {
    match rule {
        Value::Object(operator) if operator.len() == 1 => {
            let (name, argument) = operator.iter().next().expect("one entry");
            if name == "exists" {
                return argument.as_bool() == Some(actual.is_some());
            }
            values(actual).any(|value| operator_matches(name, argument, value))
        }
        literal => values(actual).any(|value| value == literal),
    }
}

fn values(actual: Option<&Value>) -> Box<dyn Iterator<Item = &Value> + '_> {
    match actual {
        None => Box::new(std::iter::empty()),
        Some(Value::Array(items)) => Box::new(items.iter()),
        Some(value) => Box::new(std::iter::once(value)),
    }
}

fn operator_matches(name: &str, argument: &Value, value: &Value) -> bool {
    let text = value.as_str();
    match name {
        "prefix" => match (argument, text) {
            (Value::String(prefix), Some(text)) => text.starts_with(prefix.as_str()),
            (Value::Object(_), Some(_)) => argument["equals-ignore-case"]
                .as_str()
                .zip(text)
                .is_some_and(|(p, t)| t.to_lowercase().starts_with(&p.to_lowercase())),
            _ => false,
        },
        "suffix" => argument.as_str().zip(text).is_some_and(|(suffix, text)| text.ends_with(suffix)),
        "equals-ignore-case" => argument.as_str().zip(text).is_some_and(|(a, t)| a.eq_ignore_ascii_case(t)),
        "wildcard" => argument.as_str().zip(text).is_some_and(|(glob, text)| wildcard(glob, text)),
        "anything-but" => match argument {
            Value::Array(excluded) => !excluded.contains(value),
            Value::Object(rule) => {
                rule.iter().next().is_some_and(|(name, argument)| !operator_matches(name, argument, value))
            }
            excluded => excluded != value,
        },
        "numeric" => value.as_f64().is_some_and(|number| numeric(argument, number)),
        _ => false,
    }
}

/// `["<", 10, ">=", 2]`: every comparison holds.
fn numeric(comparisons: &Value, number: f64) -> bool {
    let Some(parts) = comparisons.as_array() else { return false };
    parts.chunks(2).all(|pair| match (pair[0].as_str(), pair.get(1).and_then(Value::as_f64)) {
        (Some("<"), Some(bound)) => number < bound,
        (Some("<="), Some(bound)) => number <= bound,
        (Some("="), Some(bound)) => number == bound,
        (Some(">"), Some(bound)) => number > bound,
        (Some(">="), Some(bound)) => number >= bound,
        _ => false,
    })
}

/// `*` matches any run of characters.
fn wildcard(glob: &str, text: &str) -> bool {
    match glob.split_once('*') {
        None => glob == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else { return false };
            (0..=tail.len()).filter(|i| tail.is_char_boundary(*i)).any(|i| wildcard(rest, &tail[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches;
    use serde_json::json;

    #[test]
    fn patterns_match_as_eventbridge_documents() {
        let event = json!({
            "source": "shop.orders",
            "detail-type": "Order placed",
            "detail": { "cents": 250, "tags": ["gift", "express"], "country": "FR" }
        });
        let cases = [
            (json!({ "source": ["shop.orders"] }), true),
            (json!({ "source": ["other"] }), false),
            (json!({ "detail": { "cents": [{ "numeric": [">", 100, "<=", 250] }] } }), true),
            (json!({ "detail": { "cents": [{ "numeric": [">", 250] }] } }), false),
            (json!({ "detail": { "tags": ["express"] } }), true),
            (json!({ "detail": { "country": [{ "anything-but": ["FR", "DE"] }] } }), false),
            (json!({ "detail": { "country": [{ "anything-but": "DE" }] } }), true),
            (json!({ "source": [{ "prefix": "shop." }] }), true),
            (json!({ "detail-type": [{ "wildcard": "Order *" }] }), true),
            (json!({ "detail": { "coupon": [{ "exists": false }] } }), true),
            (json!({ "detail": { "coupon": [{ "exists": true }] } }), false),
            (json!({ "detail": { "country": [{ "equals-ignore-case": "fr" }] } }), true),
        ];
        for (pattern, expected) in cases {
            assert_eq!(matches(&pattern, &event), expected, "{pattern}");
        }
    }
}
