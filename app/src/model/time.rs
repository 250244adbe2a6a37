//! Times are stored and computed in UTC (milliseconds since the Unix epoch) and shown in
//! China time (UTC+8), with the zone stated.

use serde::{Deserialize, Serialize};

/// A UTC instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UtcMillis(pub i64);

/// For typed rows: `#[sqlx(try_from = "i64")] created_at: UtcMillis`.
impl From<i64> for UtcMillis {
    fn from(ms: i64) -> Self {
        UtcMillis(ms)
    }
}

const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

impl UtcMillis {
    #[cfg(feature = "ssr")]
    pub fn now() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        UtcMillis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    pub fn plus_minutes(self, minutes: i64) -> Self {
        UtcMillis(self.0.saturating_add(minutes.saturating_mul(60_000)))
    }

    /// `2026-11-29 08:19 (UTC+8)`.
    pub fn china_display(self) -> String {
        let (y, mo, d, h, mi, _) = civil(self.0.saturating_add(CHINA_OFFSET_MS));
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} (UTC+8)")
    }

    /// `2026-11-29T08:19`: China time as an `<input type="datetime-local">` holds it (the
    /// inverse of [`UtcMillis::china_minute`]).
    pub fn china_input(self) -> String {
        let (y, mo, d, h, mi, _) = civil(self.0.saturating_add(CHINA_OFFSET_MS));
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}")
    }

    /// China time's (year, month, day, hour, minute, second).
    pub fn china_parts(self) -> (i64, u32, u32, u32, u32, u32) {
        civil(self.0.saturating_add(CHINA_OFFSET_MS))
    }

    /// `2026-11-29`, the China-time calendar date.
    pub fn china_date(self) -> String {
        let (y, mo, d, ..) = civil(self.0.saturating_add(CHINA_OFFSET_MS));
        format!("{y:04}-{mo:02}-{d:02}")
    }

    /// RFC 3339 in UTC, for exports and logs: `2026-11-29T00:19:25Z`.
    pub fn rfc3339(self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.0);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

impl UtcMillis {
    /// `2026-11`, the China-time calendar month.
    pub fn china_month(self) -> String {
        let (y, mo, ..) = civil(self.0.saturating_add(CHINA_OFFSET_MS));
        format!("{y:04}-{mo:02}")
    }

    /// The instant a China-time calendar day (`2026-11-29`) begins; `None` if it is not a
    /// real date.
    /// `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`) read as China time.
    pub fn china_minute(s: &str) -> Option<UtcMillis> {
        let (date, time) = s.trim().split_once(['T', ' '])?;
        let (h, m) = time.split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
        if !(0..24).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        let day = UtcMillis::china_day_start(date)?;
        Some(UtcMillis(day.0 + h * 3_600_000 + m * 60_000))
    }

    pub fn china_day_start(date: &str) -> Option<UtcMillis> {
        let mut parts = date.trim().splitn(3, '-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.parse().ok()?;
        if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(UtcMillis(
            days_from_civil(y, m, d) * 86_400_000 - CHINA_OFFSET_MS,
        ))
    }

    /// The China-time month (`2026-11`, exactly this form) as `[start, end)` instants.
    pub fn china_month_bounds(month: &str) -> Option<(UtcMillis, UtcMillis)> {
        let b = month.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return None;
        }
        let (y, m): (i64, u32) = (month[..4].parse().ok()?, month[5..].parse().ok()?);
        if m == 0 || m > 12 || y == 0 {
            return None;
        }
        let start = UtcMillis::china_day_start(&format!("{y:04}-{m:02}-01"))?;
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let end = UtcMillis(days_from_civil(ny, nm, 1) * 86_400_000 - CHINA_OFFSET_MS);
        Some((start, end))
    }

    /// The start of this instant's China-time day.
    pub fn china_day_floor(self) -> UtcMillis {
        let local = self.0.saturating_add(CHINA_OFFSET_MS);
        UtcMillis(local.div_euclid(86_400_000) * 86_400_000 - CHINA_OFFSET_MS)
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Splits milliseconds since the epoch into a proleptic Gregorian date and time
/// (Howard Hinnant's `civil_from_days`).
fn civil(ms: i64) -> (i64, u32, u32, u32, u32, u32) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (sod / 3600) as u32,
        (sod % 3600 / 60) as u32,
        (sod % 60) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_utc_and_china_time() {
        assert_eq!(UtcMillis(0).rfc3339(), "1970-01-01T00:00:00Z");
        // 2026-11-29T00:19:25Z
        let t = UtcMillis(1_795_911_565_000);
        assert_eq!(t.rfc3339(), "2026-11-29T00:19:25Z");
        assert_eq!(t.china_display(), "2026-11-29 08:19 (UTC+8)");
        // 16:30 UTC is already the next day in China.
        let late = UtcMillis(1_795_969_800_000);
        assert_eq!(late.rfc3339(), "2026-11-29T16:30:00Z");
        assert_eq!(late.china_date(), "2026-11-30");
    }

    #[test]
    fn china_days_and_months_round_trip() {
        let start = UtcMillis::china_day_start("2026-11-29").unwrap();
        assert_eq!(start.rfc3339(), "2026-11-28T16:00:00Z");
        assert_eq!(start.china_date(), "2026-11-29");
        assert_eq!(UtcMillis(start.0 + 5_000_000).china_day_floor(), start);
        assert_eq!(UtcMillis::china_day_start("2026-02-29"), None);
        assert!(UtcMillis::china_day_start("2028-02-29").is_some());
        assert_eq!(UtcMillis::china_day_start("2026-13-01"), None);
        assert_eq!(UtcMillis::china_day_start("yesterday"), None);
        let (a, b) = UtcMillis::china_month_bounds("2026-12").unwrap();
        assert_eq!(a.rfc3339(), "2026-11-30T16:00:00Z");
        assert_eq!(b.rfc3339(), "2026-12-31T16:00:00Z");
        assert_eq!(a.china_month(), "2026-12");
        assert_eq!(UtcMillis(b.0 - 1).china_month(), "2026-12");
        assert_eq!(UtcMillis::china_month_bounds("2026-00"), None);
        for odd in ["2026-1", "+2026-01", " 2026-01", "2026-001", "20a6-01"] {
            assert_eq!(UtcMillis::china_month_bounds(odd), None, "{odd}");
        }
    }

    #[test]
    fn handles_leap_days_and_times_before_the_epoch() {
        assert_eq!(UtcMillis(951_782_400_000).rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(UtcMillis(-1_000).rfc3339(), "1969-12-31T23:59:59Z");
        assert_eq!(
            UtcMillis(0).plus_minutes(90).rfc3339(),
            "1970-01-01T01:30:00Z"
        );
    }
}
