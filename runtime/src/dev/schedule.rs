//! Schedules: each `schedule` trigger fires on its rate (first one rate
//! after the server starts) or at each minute its cron expression names
//! (UTC), and on demand from the page; the action gets EventBridge's
//! "Scheduled Event", asynchronously.

use super::clock::{iso8601, now_ms, Civil};
use super::{function, Dev, ACCOUNT, REGION};
use crate::trigger::TriggerKind;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

const MINUTE_MS: u64 = 60_000;

/// When a schedule fires.
#[derive(Clone, Debug, PartialEq)]
pub enum Every {
    /// Every so many milliseconds.
    Rate(u64),
    Cron(Box<Cron>),
}

/// A six-field AWS cron expression, each field as the values it allows.
#[derive(Clone, Debug, PartialEq)]
pub struct Cron {
    minutes: Vec<u32>,
    hours: Vec<u32>,
    days: Option<Vec<u32>>,
    months: Vec<u32>,
    weekdays: Option<Vec<u32>>,
    years: Vec<u32>,
}

impl Every {
    /// `rate(5 minutes)` or `cron(0 6 ? * MON-FRI *)`; `None` for forms
    /// this server does not run (`L`, `W`, `#`), which then fire only on
    /// demand.
    pub fn parse(expression: &str) -> Option<Every> {
        if let Some(rate) = expression.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
            let (count, unit) = rate.trim().split_once(' ')?;
            let count: u64 = count.parse().ok()?;
            let unit_ms = match unit.trim_end_matches('s') {
                "minute" => MINUTE_MS,
                "hour" => 60 * MINUTE_MS,
                "day" => 24 * 60 * MINUTE_MS,
                _ => return None,
            };
            return Some(Every::Rate(count * unit_ms));
        }
        let fields: Vec<&str> = expression.strip_prefix("cron(")?.strip_suffix(')')?.split_whitespace().collect();
        let [minutes, hours, days, months, weekdays, years] = fields[..] else { return None };
        const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
        const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        let any = |field: &str, low, high, names: &[&str]| {
            if field == "?" {
                Some(None)
            } else {
                values(field, low, high, names).map(Some)
            }
        };
        Some(Every::Cron(Box::new(Cron {
            minutes: values(minutes, 0, 59, &[])?,
            hours: values(hours, 0, 23, &[])?,
            days: any(days, 1, 31, &[])?,
            months: values(months, 1, 12, &MONTHS)?,
            weekdays: any(weekdays, 1, 7, &DAYS)?,
            years: values(years, 1970, 2199, &[])?,
        })))
    }

    /// The first firing after `ms`.
    pub fn next_after(&self, ms: u64) -> Option<u64> {
        match self {
            Every::Rate(every) => Some(ms + every),
            Every::Cron(cron) => {
                let first = (ms / MINUTE_MS + 1) * MINUTE_MS;
                // Within about four years, every valid expression fires.
                (0..4 * 366 * 24 * 60).map(|i| first + i * MINUTE_MS).find(|at| cron.allows(&Civil::at(*at)))
            }
        }
    }
}

impl Cron {
    fn allows(&self, at: &Civil) -> bool {
        self.minutes.contains(&at.minute)
            && self.hours.contains(&at.hour)
            && self.months.contains(&at.month)
            && self.years.contains(&(at.year as u32))
            && self.days.as_ref().is_none_or(|d| d.contains(&at.day))
            && self.weekdays.as_ref().is_none_or(|d| d.contains(&at.weekday))
    }
}

/// A field's allowed values: `*`, `n`, `a-b`, `*/s`, `a/s`, `a-b/s`,
/// comma-separated, with names (`MON`, `JAN`) counted from `low`.
fn values(field: &str, low: u32, high: u32, names: &[&str]) -> Option<Vec<u32>> {
    let number = |text: &str| -> Option<u32> {
        let found = names.iter().position(|n| n.eq_ignore_ascii_case(text)).map(|i| low + i as u32);
        found.or_else(|| text.parse().ok()).filter(|n| (low..=high).contains(n))
    };
    let mut allowed = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (from, to) = match range {
            "*" => (low, high),
            _ => match range.split_once('-') {
                Some((a, b)) => (number(a)?, number(b)?),
                None if part.contains('/') => (number(range)?, high),
                None => (number(range)?, number(range)?),
            },
        };
        allowed.extend((from..=to).step_by(step as usize));
    }
    Some(allowed)
}

/// A timer per `schedule` trigger.
pub fn start(dev: &Arc<Dev>) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            let TriggerKind::Schedule(schedule) = &trigger.kind else { continue };
            match Every::parse(&schedule.expression) {
                Some(every) => {
                    tokio::spawn(tick(dev.clone(), action.name.clone(), schedule.expression.clone(), every));
                }
                None => eprintln!(
                    "warning: `{}` of `{}` fires only on demand here (from the page)",
                    schedule.expression, action.name
                ),
            }
        }
    }
}

async fn tick(dev: Arc<Dev>, action: String, expression: String, every: Every) {
    let mut from = now_ms();
    while let Some(at) = every.next_after(from) {
        tokio::time::sleep(Duration::from_millis(at.saturating_sub(now_ms()))).await;
        fire(&dev, &action, &expression);
        from = at;
    }
}

/// Fires `action`'s schedule `expression` now.
pub fn fire(dev: &Arc<Dev>, action: &str, expression: &str) {
    function::push(dev, action, format!("schedule {expression}"), event(action));
}

fn event(action: &str) -> Value {
    json!({
        "version": "0",
        "id": format!("dev-{}", now_ms()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": iso8601(now_ms() / 1000 * 1000).replace(".000", ""),
        "region": REGION,
        "resources": [format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/{action}-schedule")],
        "detail": {},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_crons_fire_when_aws_would() {
        assert_eq!(Every::parse("rate(5 minutes)"), Some(Every::Rate(5 * MINUTE_MS)));
        assert_eq!(Every::parse("rate(1 hour)"), Some(Every::Rate(60 * MINUTE_MS)));
        // Friday 2026-11-27 19:41 UTC: the next weekday 06:00 is Monday the 30th.
        let friday = 1_795_808_460_000;
        let monday_six = 1_795_808_460_000 + (2 * 24 * 60 + 10 * 60 + 19) * MINUTE_MS;
        let weekdays = Every::parse("cron(0 6 ? * MON-FRI *)").unwrap();
        assert_eq!(weekdays.next_after(friday), Some(monday_six));
        let quarter_hours = Every::parse("cron(*/15 * * * ? *)").unwrap();
        assert_eq!(quarter_hours.next_after(friday), Some(friday + 4 * MINUTE_MS));
        assert_eq!(Every::parse("cron(0 12 L * ? *)"), None);
    }
}
