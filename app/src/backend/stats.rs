//! De-identified statistics (issue 16 §1, P1.4): counts and sums over the whole platform, read
//! from columns that hold no personal information (the test below checks [`READS`] against the
//! data map, so a query that starts reading a personal column fails it).

use super::AppState;
use crate::error::AppResult;
use crate::model::funds::OrderStatus;
use crate::model::stats::{MonthVolume, PlatformStats, StatusCount, MONTHS};
use crate::model::{Fen, UtcMillis};

/// Every `(table, column)` the statistics read.
pub const READS: &[(&str, &str)] = &[
    ("enterprises", "status"),
    ("users", "status"),
    ("applications", "status"),
    ("payment_orders", "status"),
    ("payment_orders", "amount"),
    ("payment_orders", "fee"),
    ("payment_orders", "paid_at"),
];

/// The statistics as they are now.
pub async fn platform(state: &AppState) -> AppResult<PlatformStats> {
    let mut conn = state.db.conn().await?;
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let enterprises_active = count("SELECT COUNT(*) FROM enterprises WHERE status = 'active'")
        .fetch_one(&mut *conn)
        .await?;
    let enterprises_closed = count("SELECT COUNT(*) FROM enterprises WHERE status = 'closed'")
        .fetch_one(&mut *conn)
        .await?;
    let people_active = count("SELECT COUNT(*) FROM users WHERE status = 'active'")
        .fetch_one(&mut *conn)
        .await?;
    let applications_waiting =
        count("SELECT COUNT(*) FROM applications WHERE status = 'submitted'")
            .fetch_one(&mut *conn)
            .await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM payment_orders GROUP BY status ORDER BY status",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut orders = Vec::new();
    for status in OrderStatus::ALL {
        let n = rows
            .iter()
            .find(|(s, _)| s == status.code())
            .map_or(0, |(_, n)| *n);
        orders.push(StatusCount {
            status: *status,
            count: n,
        });
    }
    if let Some((s, _)) = rows
        .iter()
        .find(|(s, _)| OrderStatus::from_code(s).is_none())
    {
        OrderStatus::from_stored(s, "payment_orders.status")?;
    }
    let mut months = Vec::with_capacity(MONTHS);
    let mut month = state.clock.now().china_month();
    for _ in 0..MONTHS {
        let (start, end) = UtcMillis::china_month_bounds(&month)
            .ok_or_else(|| crate::error::AppError::internal("a month without bounds"))?;
        let (paid, amount, fees): (i64, i64, i64) = sqlx::query_as(
            // PostgreSQL sums BIGINT as NUMERIC: cast back.
            "SELECT COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT), CAST(COALESCE(SUM(fee), 0) AS BIGINT) FROM payment_orders \
             WHERE status IN ('paid', 'returned') AND paid_at >= $1 AND paid_at < $2",
        )
        .bind(start.0)
        .bind(end.0)
        .fetch_one(&mut *conn)
        .await?;
        months.push(MonthVolume {
            month: month.clone(),
            paid,
            amount: Fen(amount),
            fees: Fen(fees),
        });
        month = UtcMillis(start.0 - 1).china_month();
    }
    Ok(PlatformStats {
        enterprises_active,
        enterprises_closed,
        people_active,
        applications_waiting,
        orders,
        months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::data_map::{table, Holds};

    /// P1.4: the statistics read no column the data map marks as a person's (personal or
    /// sensitive) — only technical columns and the enterprises' own figures.
    #[test]
    fn p1_4_statistics_read_no_personal_column() {
        for (t, c) in READS {
            let map = table(t).unwrap_or_else(|| panic!("{t} is in the data map"));
            let field = map.fields.iter().find(|f| f.column == *c);
            match field {
                None => assert!(map.technical.contains(c), "{t}.{c} is in the data map"),
                Some(f) => assert_eq!(f.holds, Holds::Enterprise, "{t}.{c} holds {:?}", f.holds),
            }
        }
    }
}
