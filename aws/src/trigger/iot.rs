//! `#[trigger(iot = "SELECT * FROM 'sensors/+/reading'")]`: an AWS IoT topic
//! rule that invokes the action with each MQTT message it selects.

use super::{no_rules, Delivers, Kind, Target};
use crate::option::Shape;
use crate::Mistake;

/// The kind's name, as written.
pub const NAME: &str = "iot";

pub const KIND: Kind = Kind {
    name: NAME,
    target: Target {
        shape: Shape::Text { grammar: sql },
        optional: false,
        example: "iot = \"SELECT * FROM 'sensors/+/reading'\"",
    },
    options: &[],
    delivers: Delivers::Payload,
    raw_events: &[],
    check: no_rules,
};

/// AWS IoT's limits on a topic filter: bytes, and forward slashes.
pub const MAX_TOPIC_BYTES: usize = 256;
pub const MAX_TOPIC_SLASHES: usize = 7;

const SQL_HELP: &str = "write `SELECT * FROM 'sensors/+/reading'`, optionally followed by `WHERE ..`";

/// A rule's SQL as far as it can be checked here: `SELECT <fields> FROM
/// '<topic filter>' [WHERE <condition>]`, with a valid MQTT topic filter.
/// (The fields and the condition are IoT SQL that only AWS evaluates.)
pub fn sql(statement: &str) -> Result<(), Mistake> {
    let (fields, filter, _) = parts(statement)?;
    if fields.trim().is_empty() {
        return Err(("the rule selects nothing between `SELECT` and `FROM`".to_owned(), SQL_HELP.to_owned()));
    }
    topic_filter(filter)
}

/// The topic filter a rule's SQL reads from, if the SQL has the shape `sql`
/// accepts.
pub fn topic(statement: &str) -> Option<&str> {
    parts(statement).ok().map(|(_, filter, _)| filter)
}

/// `(fields, topic filter, rest)` of `SELECT fields FROM 'filter' rest`.
fn parts(statement: &str) -> Result<(&str, &str, &str), Mistake> {
    let statement = statement.trim();
    let Some(rest) = keyword(statement, "SELECT") else {
        return Err(("a topic rule's SQL starts with `SELECT`".to_owned(), SQL_HELP.to_owned()));
    };
    let upper = rest.to_ascii_uppercase();
    let Some(from) = upper.find(" FROM ").or_else(|| upper.find("FROM '").filter(|at| *at == 0)) else {
        return Err(("a topic rule's SQL reads `FROM` a topic filter".to_owned(), SQL_HELP.to_owned()));
    };
    let fields = &rest[..from];
    let after = rest[from..].trim_start();
    let after = after[4..].trim_start();
    let Some(quoted) = after.strip_prefix('\'') else {
        return Err(("the topic filter after `FROM` is quoted with `'`".to_owned(), SQL_HELP.to_owned()));
    };
    let Some(end) = quoted.find('\'') else {
        return Err(("the topic filter after `FROM` is missing its closing `'`".to_owned(), SQL_HELP.to_owned()));
    };
    let rest = quoted[end + 1..].trim();
    if !rest.is_empty() && keyword(rest, "WHERE").is_none() {
        return Err((format!("`{rest}` after the topic filter is not a `WHERE` clause"), SQL_HELP.to_owned()));
    }
    Ok((fields, &quoted[..end], rest))
}

/// The text after `word` (any case) and a space, if `text` starts so.
fn keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace)).then(|| rest.trim_start())
}

/// An MQTT topic filter as AWS IoT accepts it: levels split by `/`, where
/// `+` stands alone in its level and `#` alone in the last; at most 256
/// bytes and 7 slashes.
pub fn topic_filter(filter: &str) -> Result<(), Mistake> {
    let example = "write a filter such as `sensors/+/reading` or `sensors/#`".to_owned();
    if filter.is_empty() {
        return Err(("the topic filter is empty".to_owned(), example));
    }
    if filter.len() > MAX_TOPIC_BYTES {
        return Err((format!("the topic filter is {} bytes; AWS IoT allows {MAX_TOPIC_BYTES}", filter.len()), example));
    }
    let slashes = filter.matches('/').count();
    if slashes > MAX_TOPIC_SLASHES {
        return Err((
            format!("the topic filter `{filter}` has {slashes} slashes; AWS IoT allows {MAX_TOPIC_SLASHES}"),
            "use a shallower topic, or `#` for everything below a level".to_owned(),
        ));
    }
    let levels: Vec<&str> = filter.split('/').collect();
    for (index, level) in levels.iter().enumerate() {
        if level.contains('#') && (*level != "#" || index + 1 != levels.len()) {
            return Err((
                format!("`#` in topic filter `{filter}` must be a whole level, and the last"),
                "write `sensors/#` to match everything below `sensors`".to_owned(),
            ));
        }
        if level.contains('+') && *level != "+" {
            return Err((
                format!("`+` in topic filter `{filter}` must be a whole level"),
                "write `sensors/+/reading` to match one level".to_owned(),
            ));
        }
        if level.contains('\0') {
            return Err((format!("topic filter `{filter}` contains a NUL character"), example));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rules_of_the_documented_shape() {
        for ok in [
            "SELECT * FROM 'sensors/+/reading'",
            "select temperature, device FROM 'sensors/#' WHERE temperature > 30",
            "SELECT * FROM '$aws/events/presence/connected/+'",
            "SELECT * FROM 'a'",
        ] {
            assert_eq!(sql(ok), Ok(()), "{ok}");
        }
        assert_eq!(topic("SELECT * FROM 'sensors/+/reading' WHERE x = 1"), Some("sensors/+/reading"));
    }

    #[test]
    fn refuses_what_aws_iot_refuses() {
        let refused = |statement: &str| sql(statement).unwrap_err().0;
        assert!(refused("sensors/+/reading").contains("starts with `SELECT`"));
        assert!(refused("SELECT * sensors").contains("`FROM`"));
        assert!(refused("SELECT * FROM sensors").contains("quoted"));
        assert!(refused("SELECT * FROM 'sensors").contains("closing"));
        assert!(refused("SELECT  FROM 'sensors'").contains("selects nothing"));
        assert!(refused("SELECT * FROM 'sensors' ORDER BY x").contains("not a `WHERE`"));
        assert!(refused("SELECT * FROM 'sensors/#/x'").contains("`#`"));
        assert!(refused("SELECT * FROM 'sensors/a+/x'").contains("`+`"));
        assert!(refused("SELECT * FROM ''").contains("empty"));
        assert!(refused("SELECT * FROM 'a/b/c/d/e/f/g/h/i'").contains("slashes"));
        assert!(refused(&format!("SELECT * FROM '{}'", "a".repeat(257))).contains("bytes"));
    }
}
