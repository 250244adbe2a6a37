//! The 15-day clock of a rights request (P10.2): its due date, the days left in China calendar
//! days, the badge's tone, and the instants the digest and housekeeping count from.

use super::{DAY_MS, DUE_DAYS, LAPSE_DAYS};
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// How the clock stands for an open request (P10.2): the tone of its badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueTone {
    /// 10 days or more left.
    Green,
    /// 5 to 9 days left.
    Amber,
    /// Under 5 days left.
    Red,
    /// Past the due date.
    Overdue,
}

/// The due date of a request submitted — verified — at `submitted` (P10.2).
pub fn due_at(submitted: UtcMillis) -> UtcMillis {
    UtcMillis(submitted.0 + DUE_DAYS * DAY_MS)
}

/// Unverified requests submitted before this instant lapse at `now`.
pub fn lapse_before(now: UtcMillis) -> UtcMillis {
    UtcMillis(now.0 - LAPSE_DAYS * DAY_MS)
}

/// Days left until `due` at `now`, in China calendar days (P10.2: "within 15 days" is a date):
/// 15 on the day of submission, 0 on the due date, negative — the days overdue — after it.
pub fn days_left(due: UtcMillis, now: UtcMillis) -> i64 {
    (due.china_day_floor().0 - now.china_day_floor().0) / DAY_MS
}

/// Requests due before this instant are overdue at `now` (their due date is past).
pub fn overdue_before(now: UtcMillis) -> UtcMillis {
    now.china_day_floor()
}

/// Requests due before this instant (and not overdue) are due within five days: red.
pub fn due_soon_before(now: UtcMillis) -> UtcMillis {
    UtcMillis(now.china_day_floor().0 + 5 * DAY_MS)
}

/// The badge's tone for `days_left` (the anchor's scale: ≥ 10 green, 5–9 amber, < 5 red).
pub fn due_tone(days_left: i64) -> DueTone {
    match days_left {
        d if d < 0 => DueTone::Overdue,
        d if d < 5 => DueTone::Red,
        d if d < 10 => DueTone::Amber,
        _ => DueTone::Green,
    }
}

/// Where a request's clock stands, computed by the server's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub due_at: UtcMillis,
    /// China calendar days to the due date; negative: days overdue. Meaningless once answered.
    pub days_left: i64,
    pub tone: DueTone,
}

impl Due {
    /// The clock of a request due at `due_at`, seen at `now`.
    pub fn of(due_at: UtcMillis, now: UtcMillis) -> Due {
        let days_left = days_left(due_at, now);
        Due {
            due_at,
            days_left,
            tone: due_tone(days_left),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P10.2: due 15 days after submission; the badge is green at 10 days or more, amber at
    /// 5–9, red under 5 (the due date itself included), and overdue from the next day. Days are
    /// China calendar days, so the time of day never changes the count.
    #[test]
    fn p10_2_the_clock_and_its_badge() {
        // 2027-01-15 23:30 China time (15:30 UTC).
        let t0 =
            UtcMillis(1_800_000_000_000 - 1_800_000_000_000 % DAY_MS + 15 * 3_600_000 + 1_800_000);
        let at = |days: i64, ms: i64| UtcMillis(t0.0 + days * DAY_MS + ms);
        let due = due_at(t0);
        assert_eq!(due.0 - t0.0, 15 * DAY_MS);
        assert_eq!(days_left(due, t0), 15);
        assert_eq!(
            days_left(due, at(0, 1_800_000)),
            14,
            "past midnight China time: a day less"
        );
        assert_eq!(due_tone(days_left(due, at(5, 0))), DueTone::Green);
        assert_eq!(days_left(due, at(6, 0)), 9);
        assert_eq!(due_tone(9), DueTone::Amber);
        assert_eq!(due_tone(5), DueTone::Amber);
        assert_eq!(days_left(due, at(11, 0)), 4);
        assert_eq!(due_tone(4), DueTone::Red);
        assert_eq!(days_left(due, at(15, 0)), 0, "the due date");
        assert_eq!(due_tone(0), DueTone::Red);
        assert_eq!(days_left(due, at(15, 1_800_000)), -1, "the next day");
        assert_eq!(due_tone(-1), DueTone::Overdue);
        assert_eq!(days_left(due, at(17, 0)), -2);
        assert!(overdue_before(at(15, 1_800_000)).0 > due.0);
        assert!(overdue_before(at(15, 0)).0 <= due.0);
        assert!(due_soon_before(at(11, 0)).0 > due.0);
        assert!(due_soon_before(at(10, 0)).0 <= due.0);
    }
}
