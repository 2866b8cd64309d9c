//! JSON patterns written in attributes: EventBridge event patterns and
//! Lambda's event filter patterns.

use crate::Mistake;
use serde_json::{Map, Value};

const EVENT_HELP: &str = r#"write `{"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}`"#;
const FILTER_HELP: &str = r#"write `{"eventName": ["INSERT"]}`"#;

/// An EventBridge pattern: a JSON object whose fields are lists of values to
/// match, or objects of such fields.
pub fn event(pattern: &str) -> Result<(), Mistake> {
    fn check(fields: &Map<String, Value>, path: &str) -> Result<(), String> {
        if fields.is_empty() {
            return Err(format!(
                "{} is empty; a pattern matches on at least one field",
                if path.is_empty() { "the pattern" } else { path }
            ));
        }
        for (field, value) in fields {
            let here = if path.is_empty() { format!("`{field}`") } else { format!("{path}.`{field}`") };
            match value {
                Value::Array(values) if values.is_empty() => {
                    return Err(format!("{here} is an empty list, which matches nothing"));
                }
                Value::Array(_) => {}
                Value::Object(inner) => check(inner, &here)?,
                other => return Err(format!("{here} must be a list of values to match: write `[{other}]`")),
            }
        }
        Ok(())
    }
    match serde_json::from_str::<Value>(pattern) {
        Ok(Value::Object(fields)) => check(&fields, "")
            .map_err(|problem| (format!("this event pattern will not match: {problem}"), EVENT_HELP.to_owned())),
        Ok(_) => Err(("an event pattern is a JSON object".to_owned(), EVENT_HELP.to_owned())),
        Err(e) => Err((format!("the event pattern is not JSON: {e}"), EVENT_HELP.to_owned())),
    }
}

/// An event filter pattern of an event source mapping: a JSON object.
pub fn filter(pattern: &str) -> Result<(), Mistake> {
    match serde_json::from_str::<Value>(pattern) {
        Ok(Value::Object(_)) => Ok(()),
        Ok(_) => Err(("a filter pattern is a JSON object".to_owned(), FILTER_HELP.to_owned())),
        Err(e) => Err((format!("the filter pattern is not JSON: {e}"), FILTER_HELP.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn event_patterns_must_be_able_to_match() {
        assert!(super::event(r#"{"source": ["shop"], "detail": {"cents": [{"numeric": [">", 0]}]}}"#).is_ok());
        assert!(super::event(r#"{"source": []}"#).unwrap_err().0.contains("matches nothing"));
        assert!(super::event(r#"{"source": "shop"}"#).unwrap_err().0.contains("must be a list"));
        assert!(super::event("[]").is_err());
        assert!(super::filter(r#"{"eventName": ["INSERT"]}"#).is_ok());
        assert!(super::filter("{").unwrap_err().0.contains("not JSON"));
    }
}
