//! Password checks with lockout (P5.2): five wrong passwords lock an account for 30 minutes,
//! and every attempt, good or bad, is written to the login history (kept 180 days or more).

use super::sessions::{ClientMeta, PrincipalKind};
use crate::backend::db::Db;
use crate::backend::ids::new_id;
use crate::backend::password::{self, PasswordHashString};
use crate::error::{AppError, AppResult};
use crate::model::account::{device_summary, LoginEvent};
use crate::model::UtcMillis;
use sqlx::{AnyConnection, Row};
use std::sync::LazyLock;

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 30 * 60_000;
/// Login events are kept at least this long (MLPS baseline: 180 days).
pub const LOGIN_LOG_RETENTION_MS: i64 = 190 * 24 * 3_600_000;

/// Verifies a password off the async threads (argon2 is deliberately slow).
pub async fn verify_password(candidate: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&candidate, &PasswordHashString(stored)))
        .await
        .unwrap_or(false)
}

/// Hashes a password off the async threads.
pub async fn hash_password(plain: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&plain).0)
        .await
        .map_err(AppError::internal)
}

/// Spends the same time as a real check when the login is unknown, so that timing does not
/// tell which logins exist.
pub async fn burn_time(candidate: String) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| password::hash("dummy-Password-1").0);
    let _ = verify_password(candidate, DUMMY.clone()).await;
}

/// The table whose lockout columns apply.
fn table(kind: PrincipalKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        PrincipalKind::User => (
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
        ),
        PrincipalKind::Operator => (
            "UPDATE operators SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            "UPDATE operators SET failed_logins = 0, locked_until = $1 WHERE id = $2",
            "UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = $1",
        ),
    }
}

/// Counts a wrong password; returns the lock end when this failure locked the account.
pub async fn register_failure(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    id: &str,
    now: UtcMillis,
) -> AppResult<Option<UtcMillis>> {
    let (count_sql, lock_sql, _) = table(kind);
    let row = sqlx::query(count_sql)
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(AppError::internal)?;
    let failures: i64 = row.try_get("failed_logins").map_err(AppError::internal)?;
    if failures >= MAX_FAILURES {
        let until = UtcMillis(now.0 + LOCK_MS);
        sqlx::query(lock_sql)
            .bind(until.0)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(AppError::internal)?;
        return Ok(Some(until));
    }
    Ok(None)
}

pub async fn clear_failures(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    id: &str,
) -> AppResult<()> {
    let (_, _, clear_sql) = table(kind);
    sqlx::query(clear_sql)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(AppError::internal)?;
    Ok(())
}

/// Writes one login attempt to the history.
pub async fn log_attempt(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    principal_id: Option<&str>,
    meta: &ClientMeta,
    outcome: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO login_events (id, principal_kind, principal_id, at, ip, user_agent, success, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(kind.code())
    .bind(principal_id)
    .bind(now.0)
    .bind(&meta.ip)
    .bind(meta.user_agent.chars().take(300).collect::<String>())
    .bind(i64::from(outcome == "ok"))
    .bind(outcome)
    .execute(&mut *conn)
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

/// A principal's own login history, newest first.
pub async fn history(
    db: &Db,
    kind: PrincipalKind,
    principal_id: &str,
    limit: u32,
) -> AppResult<Vec<LoginEvent>> {
    let rows = sqlx::query(
        "SELECT at, ip, user_agent, success, outcome FROM login_events \
         WHERE principal_kind = $1 AND principal_id = $2 ORDER BY at DESC LIMIT $3",
    )
    .bind(kind.code())
    .bind(principal_id)
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(db.pool())
    .await
    .map_err(AppError::internal)?;
    rows.iter()
        .map(|r| {
            let ua: String = r.try_get("user_agent")?;
            Ok(LoginEvent {
                at: UtcMillis(r.try_get("at")?),
                ip: r.try_get("ip")?,
                device: device_summary(&ua),
                success: r.try_get::<i64, _>("success")? != 0,
                outcome: r.try_get("outcome")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::internal)
}

/// Deletes login events older than the retention period.
pub async fn purge_old_events(db: &Db, now: UtcMillis) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM login_events WHERE at < $1")
        .bind(now.0 - LOGIN_LOG_RETENTION_MS)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
