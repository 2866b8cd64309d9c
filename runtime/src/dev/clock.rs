//! The stand-ins' clock: milliseconds since the Unix epoch (which, unlike
//! `Instant`, survive a restart), and the calendar for timestamps and cron.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// As [`now_ms`], to the microsecond (for timings).
pub fn now_ms_f64() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// A UTC moment, by its calendar fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 1 (Sunday) to 7 (Saturday), as AWS cron counts.
    pub weekday: u32,
}

impl Civil {
    pub fn at(ms: u64) -> Civil {
        let seconds = (ms / 1000) as i64;
        let days = seconds.div_euclid(86_400);
        let of_day = seconds.rem_euclid(86_400) as u32;
        let (year, month, day) = from_days(days);
        Civil {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
            // 1970-01-01 was a Thursday (5).
            weekday: ((days + 4).rem_euclid(7) + 1) as u32,
        }
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `2026-11-27T19:41:00.000Z` (S3, SNS, Kinesis).
pub fn iso8601(ms: u64) -> String {
    format!("{}.{:03}Z", iso8601_seconds(ms).trim_end_matches('Z'), ms % 1000)
}

/// `2026-11-27T19:41:00Z` (EventBridge).
pub fn iso8601_seconds(ms: u64) -> String {
    let c = Civil::at(ms);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

/// `Fri, 27 Nov 2026 19:41:00 GMT` (HTTP's `Last-Modified`).
pub fn http_date(ms: u64) -> String {
    let c = Civil::at(ms);
    let (day, month) = (DAYS[c.weekday as usize - 1], MONTHS[c.month as usize - 1]);
    format!("{day}, {:02} {month} {} {:02}:{:02}:{:02} GMT", c.day, c.year, c.hour, c.minute, c.second)
}

/// `27/Nov/2026:19:41:00 +0000` (API Gateway's request time).
pub fn request_time(ms: u64) -> String {
    let c = Civil::at(ms);
    let month = MONTHS[c.month as usize - 1];
    format!("{:02}/{month}/{}:{:02}:{:02}:{:02} +0000", c.day, c.year, c.hour, c.minute, c.second)
}

/// Year, month, day of the day `days` after 1970-01-01 (Howard Hinnant's
/// civil-from-days).
fn from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_fields_match_known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        // 2026-11-27 19:41:00.250 UTC, a Friday.
        let friday = 1_795_808_460_250;
        assert_eq!(iso8601(friday), "2026-11-27T19:41:00.250Z");
        assert_eq!(iso8601_seconds(friday), "2026-11-27T19:41:00Z");
        assert_eq!(http_date(friday), "Fri, 27 Nov 2026 19:41:00 GMT");
        assert_eq!(request_time(friday), "27/Nov/2026:19:41:00 +0000");
        assert_eq!(Civil::at(friday).weekday, 6);
        // 2024-02-29, a leap day, a Thursday.
        assert_eq!(
            Civil::at(1_709_164_800_000),
            Civil { year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0, weekday: 5 }
        );
    }
}
