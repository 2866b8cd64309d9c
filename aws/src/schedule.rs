//! The EventBridge schedule grammar: `rate(value unit)` and six-field `cron(..)`.
//! Checked here so a typo fails the build instead of the deploy.

use crate::{suggest, Mistake};

const UNITS: &[&str] = &["minute", "minutes", "hour", "hours", "day", "days"];
const MONTHS: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A valid expression, or what is wrong with it and the fix.
pub fn check(expression: &str) -> Result<(), Mistake> {
    problem(expression).map_or(Ok(()), Err)
}

/// The first problem as (message, help), or `None` when the expression is valid.
pub fn problem(expression: &str) -> Option<Mistake> {
    let expression = expression.trim();
    let grammars: [(&str, Grammar); 2] = [("rate(", rate), ("cron(", cron)];
    for (prefix, grammar) in grammars {
        if let Some(body) = expression.strip_prefix(prefix) {
            return match body.strip_suffix(')') {
                Some(body) => grammar(body).err(),
                None => Some(unclosed(expression)),
            };
        }
    }
    Some((
        format!("`{expression}` is not a schedule expression"),
        "write `rate(5 minutes)` or `cron(0 12 * * ? *)` (minutes hours day-of-month month day-of-week year)"
            .to_owned(),
    ))
}

/// When a valid expression fires: a rate, or the values each cron field
/// allows (`None` for `?`), for timers that run schedules (the dev
/// server's). `None` for an invalid expression, and for one using `L`, `W`
/// or `#`, which need more of a calendar than a set of values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Firing {
    Every {
        minutes: u64,
    },
    /// Minutes, hours, day-of-month, month, day-of-week (1 = Sunday), year.
    Cron(Vec<Option<Vec<u32>>>),
}

pub fn firing(expression: &str) -> Option<Firing> {
    if problem(expression).is_some() {
        return None;
    }
    let expression = expression.trim();
    if let Some(body) = expression.strip_prefix("rate(").and_then(|b| b.strip_suffix(')')) {
        let parts: Vec<&str> = body.split_whitespace().collect();
        let [value, unit] = parts[..] else { return None };
        let minutes = match unit.trim_end_matches('s') {
            "minute" => 1,
            "hour" => 60,
            _ => 24 * 60,
        };
        return Some(Firing::Every { minutes: value.parse::<u64>().ok()? * minutes });
    }
    let body = expression.strip_prefix("cron(")?.strip_suffix(')')?;
    let fields = body.split_whitespace().zip(&FIELDS).map(|(text, field)| match text {
        "?" => Some(None),
        _ => text.split(',').map(|item| item_values(item, field)).collect::<Option<Vec<_>>>().map(|v| Some(v.concat())),
    });
    fields.collect::<Option<Vec<_>>>().map(Firing::Cron)
}

/// The values one cron item allows: `*`, `n`, `a-b`, with `/step`.
fn item_values(item: &str, field: &Field) -> Option<Vec<u32>> {
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, step.parse::<usize>().ok()?),
        None => (item, 1),
    };
    let (from, to) = match (range, range.split_once('-')) {
        ("*", _) => field.range,
        (_, Some((from, to))) => (number(from, field)?, number(to, field)?),
        (_, None) if item.contains('/') => (number(range, field)?, field.range.1),
        (_, None) => (number(range, field)?, number(range, field)?),
    };
    Some((from..=to).step_by(step).collect())
}

/// A value by number or name (`MON`, `JAN`, counted from the field's low).
fn number(text: &str, field: &Field) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    match field.names.iter().position(|name| *name == upper) {
        Some(index) => Some(field.range.0 + index as u32),
        None => text.parse().ok(),
    }
}

fn unclosed(expression: &str) -> (String, String) {
    (format!("`{expression}` is missing its closing `)`"), format!("write `{expression})`"))
}

/// Checks the text between `rate(`/`cron(` and `)`.
type Grammar = fn(&str) -> Result<(), Mistake>;

fn rate(body: &str) -> Result<(), Mistake> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [value, unit] = parts[..] else {
        return Err((
            format!("`rate({body})` needs a value and a unit"),
            "write `rate(5 minutes)`, `rate(1 hour)` or `rate(7 days)`".to_owned(),
        ));
    };
    let value: u32 = match value.parse() {
        Ok(v) if v > 0 => v,
        _ => {
            return Err((
                format!("`{value}` is not a positive whole number"),
                "a rate counts whole units, from 1: `rate(5 minutes)`".to_owned(),
            ))
        }
    };
    if !UNITS.contains(&unit) {
        return Err((format!("unknown rate unit `{unit}`"), suggest::help(unit, "units", UNITS)));
    }
    let singular = !unit.ends_with('s');
    if value == 1 && !singular {
        let fixed = unit.trim_end_matches('s');
        return Err((format!("a rate of 1 takes the singular unit, not `{unit}`"), format!("write `rate(1 {fixed})`")));
    }
    if value > 1 && singular {
        return Err((
            format!("a rate of {value} takes the plural unit, not `{unit}`"),
            format!("write `rate({value} {unit}s)`"),
        ));
    }
    Ok(())
}

/// One cron field's rules.
struct Field {
    name: &'static str,
    range: (u32, u32),
    names: &'static [&'static str],
    /// Characters beyond `, - * /` that the field allows.
    special: &'static str,
}

const FIELDS: [Field; 6] = [
    Field { name: "minutes", range: (0, 59), names: &[], special: "" },
    Field { name: "hours", range: (0, 23), names: &[], special: "" },
    Field { name: "day-of-month", range: (1, 31), names: &[], special: "?LW" },
    Field { name: "month", range: (1, 12), names: MONTHS, special: "" },
    Field { name: "day-of-week", range: (1, 7), names: WEEKDAYS, special: "?L#" },
    Field { name: "year", range: (1970, 2199), names: &[], special: "" },
];

fn cron(body: &str) -> Result<(), Mistake> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    if fields.len() != 6 {
        return Err((
            format!("a cron expression has 6 fields, this one has {}", fields.len()),
            "write minutes, hours, day-of-month, month, day-of-week and year: `cron(0 12 * * ? *)`".to_owned(),
        ));
    }
    for (text, field) in fields.iter().zip(&FIELDS) {
        for item in text.split(',') {
            cron_item(item, field).map_err(|why| {
                (
                    format!("`{item}` is not valid in the {} field: {why}", field.name),
                    format!(
                        "use values {}-{}{} with `,` `-` `*` `/`{}",
                        field.range.0,
                        field.range.1,
                        if field.names.is_empty() {
                            String::new()
                        } else {
                            format!(" or {}-{}", field.names[0], field.names[field.names.len() - 1])
                        },
                        field.special.chars().map(|c| format!(" `{c}`")).collect::<String>()
                    ),
                )
            })?;
        }
    }
    let (day_of_month, day_of_week) = (fields[2], fields[4]);
    if (day_of_month == "?") == (day_of_week == "?") {
        return Err((
            "exactly one of day-of-month and day-of-week must be `?`".to_owned(),
            "put `?` in one of them: `cron(0 12 * * ? *)` runs daily at 12:00 UTC".to_owned(),
        ));
    }
    Ok(())
}

fn cron_item(item: &str, field: &Field) -> Result<(), String> {
    if item.is_empty() {
        return Err("empty item".to_owned());
    }
    if item == "*" {
        return Ok(());
    }
    if item == "?" {
        return if field.special.contains('?') {
            Ok(())
        } else {
            Err("`?` only fits day-of-month or day-of-week".to_owned())
        };
    }
    if let Some((base, step)) = item.split_once('/') {
        step.parse::<u32>()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| format!("step `{step}` must be a positive number"))?;
        return if base == "*" { Ok(()) } else { range_or_value(base, field) };
    }
    if field.special.contains('L') && (item == "L" || item == "LW") {
        return Ok(());
    }
    if field.special.contains('W') {
        if let Some(day) = item.strip_suffix('W') {
            return value(day, field);
        }
    }
    if field.special.contains('#') {
        if let Some((day, nth)) = item.split_once('#') {
            nth.parse::<u32>()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .ok_or_else(|| format!("`#{nth}` must be 1 to 5"))?;
            return value(day, field);
        }
        if let Some(day) = item.strip_suffix('L') {
            return value(day, field);
        }
    }
    range_or_value(item, field)
}

fn range_or_value(item: &str, field: &Field) -> Result<(), String> {
    match item.split_once('-') {
        Some((from, to)) => value(from, field).and_then(|()| value(to, field)),
        None => value(item, field),
    }
}

fn value(text: &str, field: &Field) -> Result<(), String> {
    if field.names.contains(&text.to_ascii_uppercase().as_str()) {
        return Ok(());
    }
    let (low, high) = field.range;
    match text.parse::<u32>() {
        Ok(n) if (low..=high).contains(&n) => Ok(()),
        Ok(n) => Err(format!("{n} is outside {low}-{high}")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::{firing, problem, Firing};

    #[test]
    fn firing_reads_rates_and_cron_fields_as_values() {
        assert_eq!(firing("rate(1 hour)"), Some(Firing::Every { minutes: 60 }));
        assert_eq!(firing("rate(7 days)"), Some(Firing::Every { minutes: 7 * 24 * 60 }));
        let Some(Firing::Cron(fields)) = firing("cron(0/20 6,18 ? JAN-MAR MON-FRI *)") else { panic!() };
        assert_eq!(fields[0], Some(vec![0, 20, 40]));
        assert_eq!(fields[1], Some(vec![6, 18]));
        assert_eq!(fields[2], None);
        assert_eq!(fields[3], Some(vec![1, 2, 3]));
        assert_eq!(fields[4], Some(vec![2, 3, 4, 5, 6]));
        assert_eq!(fields[5].as_ref().map(Vec::len), Some(230));
        assert_eq!(firing("cron(15 10 L * ? 2027)"), None, "`L` needs a calendar");
        assert_eq!(firing("cron(0 12 * *)"), None, "invalid");
    }

    #[test]
    fn accepts_what_eventbridge_accepts() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(7 days)",
            "cron(0 12 * * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0 10 ? * 6#3 *)",
            "cron(15 10 L * ? 2027)",
            "cron(0 0 15W JAN,JUN ? *)",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_with_a_reason() {
        for bad in [
            "rate(5 minute)",
            "rate(1 minutes)",
            "rate(0 minutes)",
            "rate(5 fortnights)",
            "rate(5)",
            "rate(5 minutes",
            "cron(0 12 * * *)",
            "cron(0 12 * * * *)",
            "cron(0 12 ? * ? *)",
            "cron(60 12 * * ? *)",
            "cron(0 24 * * ? *)",
            "cron(0 12 * 13 ? *)",
            "cron(0 12 ? * MON-FRY *)",
            "cron(0 12 * * ? 1969)",
            "cron(0/0 * * * ? *)",
            "every day",
        ] {
            assert!(problem(bad).is_some(), "{bad} should be rejected");
        }
    }
}
