//! Times are stored and computed in UTC (milliseconds since the Unix epoch) and shown in
//! China time (UTC+8), with the zone stated.

use serde::{Deserialize, Serialize};

/// A UTC instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UtcMillis(pub i64);

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
    fn handles_leap_days_and_times_before_the_epoch() {
        assert_eq!(UtcMillis(951_782_400_000).rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(UtcMillis(-1_000).rfc3339(), "1969-12-31T23:59:59Z");
        assert_eq!(
            UtcMillis(0).plus_minutes(90).rfc3339(),
            "1970-01-01T01:30:00Z"
        );
    }
}
