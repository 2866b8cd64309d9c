//! Schedules: each `schedule` trigger fires on its rate (first one rate
//! after the server starts) or at each minute its cron expression names
//! (UTC), and on demand from the page; the action gets EventBridge's
//! "Scheduled Event", asynchronously.

use super::clock::{iso8601_seconds, now_ms, Civil};
use super::{function, Dev, ACCOUNT, REGION};
use crate::trigger::TriggerKind;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use wirestack_aws::schedule::{firing, Firing};

const MINUTE_MS: u64 = 60_000;

/// The first firing after `ms`.
fn next_after(firing: &Firing, ms: u64) -> Option<u64> {
    match firing {
        Firing::Every { minutes } => Some(ms + minutes * MINUTE_MS),
        Firing::Cron(fields) => {
            let first = (ms / MINUTE_MS + 1) * MINUTE_MS;
            // Within about four years, every valid expression fires.
            (0..4 * 366 * 24 * 60).map(|i| first + i * MINUTE_MS).find(|at| allows(fields, &Civil::at(*at)))
        }
    }
}

/// Whether each field allows its part of the moment (`None`: any).
fn allows(fields: &[Option<Vec<u32>>], at: &Civil) -> bool {
    let parts = [at.minute, at.hour, at.day, at.month, at.weekday, at.year as u32];
    fields.iter().zip(parts).all(|(allowed, part)| allowed.as_ref().is_none_or(|values| values.contains(&part)))
}

/// A timer per `schedule` trigger.
pub fn start(dev: &Arc<Dev>) {
    for action in &dev.app.actions {
        for trigger in &action.triggers {
            let TriggerKind::Schedule(schedule) = &trigger.kind else { continue };
            match firing(&schedule.expression) {
                Some(firing) => {
                    tokio::spawn(tick(dev.clone(), action.name.clone(), schedule.expression.clone(), firing));
                }
                None => eprintln!(
                    "warning: `{}` of `{}` fires only on demand here (from the page)",
                    schedule.expression, action.name
                ),
            }
        }
    }
}

async fn tick(dev: Arc<Dev>, action: String, expression: String, firing: Firing) {
    let mut from = now_ms();
    while let Some(at) = next_after(&firing, from) {
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
        "time": iso8601_seconds(now_ms()),
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
        let next = |expression: &str, ms| next_after(&firing(expression).unwrap(), ms);
        // Friday 2026-11-27 19:41 UTC: the next weekday 06:00 is Monday the 30th.
        let friday = 1_795_808_460_000;
        assert_eq!(next("rate(5 minutes)", friday), Some(friday + 5 * MINUTE_MS));
        let monday_six = friday + (2 * 24 * 60 + 10 * 60 + 19) * MINUTE_MS;
        assert_eq!(next("cron(0 6 ? * MON-FRI *)", friday), Some(monday_six));
        assert_eq!(next("cron(*/15 * * * ? *)", friday), Some(friday + 4 * MINUTE_MS));
        assert_eq!(next("cron(0 0 29 FEB ? 2027-2028)", friday), Some(1_835_395_200_000), "2028-02-29");
    }
}
