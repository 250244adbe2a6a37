//! Password checks with lockout (P5.2): five wrong passwords lock an account for 30 minutes,
//! and every attempt, good or bad, is written to the login history (kept 180 days or more).

use super::sessions::{ClientMeta, PrincipalKind};
use crate::backend::db::Db;
use crate::backend::ids::new_id;
use crate::backend::password::{self, PasswordHashString};
use crate::error::{AppError, AppResult};
use crate::model::account::{device_summary, LoginEvent, LoginMethod, LoginOutcome};
use crate::model::UtcMillis;
use sqlx::AnyConnection;
use std::sync::LazyLock;

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 30 * 60_000;

/// At most this many argon2 computations run at once (each takes ~19 MiB and tens of ms):
/// a flood of logins queues instead of exhausting memory.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        tokio::sync::Semaphore::new(cpus * 2)
    });
    &PERMITS
}

/// Verifies a password off the async threads (argon2 is deliberately slow).
pub async fn verify_password(candidate: String, stored: String) -> bool {
    let Ok(_permit) = hashing_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || password::verify(&candidate, &PasswordHashString(stored)))
        .await
        .unwrap_or(false)
}

/// Hashes a password off the async threads.
pub async fn hash_password(plain: String) -> AppResult<String> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(AppError::internal)?;
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

/// The lockout statements of each kind's table.
struct LockSql {
    claim: &'static str,
    locked_until: &'static str,
    success: &'static str,
    /// Like `success`, but keeps the count (an operator's password step: the TOTP step that
    /// follows shares the allowance).
    keep: &'static str,
    lock: &'static str,
    /// Five attempts counted and none settled (abandoned or in flight): lock, so that the
    /// account recovers by itself after the lock instead of staying saturated.
    saturated: &'static str,
}

fn sql(kind: PrincipalKind) -> LockSql {
    match kind {
        PrincipalKind::User => LockSql {
            claim: "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 \
                    AND (locked_until IS NULL OR locked_until <= $2) AND failed_logins < $3 RETURNING failed_logins",
            locked_until: "SELECT locked_until FROM users WHERE id = $1",
            success: "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 \
                      AND (locked_until IS NULL OR locked_until <= $2)",
            keep: "UPDATE users SET failed_logins = failed_logins WHERE id = $1 \
                   AND (locked_until IS NULL OR locked_until <= $2)",
            lock: "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
            saturated: "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2 \
                        AND failed_logins >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
        },
        PrincipalKind::Operator => LockSql {
            claim: "UPDATE operators SET failed_logins = failed_logins + 1 WHERE id = $1 \
                    AND (locked_until IS NULL OR locked_until <= $2) AND failed_logins < $3 RETURNING failed_logins",
            locked_until: "SELECT locked_until FROM operators WHERE id = $1",
            success: "UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = $1 \
                      AND (locked_until IS NULL OR locked_until <= $2)",
            keep: "UPDATE operators SET failed_logins = failed_logins WHERE id = $1 \
                   AND (locked_until IS NULL OR locked_until <= $2)",
            lock: "UPDATE operators SET failed_logins = 0, locked_until = $1 WHERE id = $2",
            saturated: "UPDATE operators SET failed_logins = 0, locked_until = $1 WHERE id = $2 \
                        AND failed_logins >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
        },
    }
}

/// The outcome of claiming an attempt.
pub enum Claim {
    /// Go ahead; this is the n-th attempt since the last success or lock.
    Counted(i64),
    Locked(UtcMillis),
    /// Attempts already in flight use up the allowance; try again in a moment.
    Busy,
}

/// Counts an attempt *before* the secret is checked, in one conditional update, so that
/// parallel guesses cannot get past the limit: a locked account, or one with five attempts
/// counted, gets no more.
pub async fn claim_attempt(
    db: &Db,
    kind: PrincipalKind,
    id: &str,
    now: UtcMillis,
) -> AppResult<Claim> {
    let q = sql(kind);
    let counted: Option<i64> = sqlx::query_scalar(q.claim)
        .bind(id)
        .bind(now.0)
        .bind(MAX_FAILURES)
        .fetch_optional(db.pool())
        .await?;
    if let Some(n) = counted {
        return Ok(Claim::Counted(n));
    }
    let until: Option<i64> = sqlx::query_scalar::<_, Option<i64>>(q.locked_until)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .flatten();
    if let Some(u) = until.filter(|u| *u > now.0) {
        return Ok(Claim::Locked(UtcMillis(u)));
    }
    // The allowance is used up by attempts that never settled: that is a lock too.
    let lock_until = UtcMillis(now.0 + LOCK_MS);
    let locked = sqlx::query(q.saturated)
        .bind(lock_until.0)
        .bind(id)
        .bind(MAX_FAILURES)
        .bind(now.0)
        .execute(db.pool())
        .await?;
    Ok(if locked.rows_affected() == 1 {
        Claim::Locked(lock_until)
    } else {
        Claim::Busy
    })
}

/// After a right secret: clears the count (with `clear`; otherwise keeps it), unless a
/// parallel attempt locked the account meanwhile (then false).
pub async fn settle_success(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    id: &str,
    now: UtcMillis,
    clear: bool,
) -> AppResult<bool> {
    let q = sql(kind);
    let r = sqlx::query(if clear { q.success } else { q.keep })
        .bind(id)
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// After a wrong secret: the fifth counted attempt locks the account for 30 minutes.
/// Returns the lock's end when this failure locked it.
pub async fn settle_failure(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    id: &str,
    counted: i64,
    now: UtcMillis,
) -> AppResult<Option<UtcMillis>> {
    if counted < MAX_FAILURES {
        return Ok(None);
    }
    let until = UtcMillis(now.0 + LOCK_MS);
    sqlx::query(sql(kind).lock)
        .bind(until.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(until))
}

/// Writes one password login attempt to the history.
pub async fn log_attempt(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    principal_id: Option<&str>,
    meta: &ClientMeta,
    outcome: LoginOutcome,
    now: UtcMillis,
) -> AppResult<()> {
    log_attempt_by(
        conn,
        kind,
        principal_id,
        meta,
        outcome,
        LoginMethod::Password,
        now,
    )
    .await
}

/// Writes one login attempt, made by `method`, to the history.
pub async fn log_attempt_by(
    conn: &mut AnyConnection,
    kind: PrincipalKind,
    principal_id: Option<&str>,
    meta: &ClientMeta,
    outcome: LoginOutcome,
    method: LoginMethod,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO login_events (id, principal_kind, principal_id, at, ip, user_agent, success, outcome, method) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(kind.code())
    .bind(principal_id)
    .bind(now.0)
    .bind(&meta.ip)
    .bind(meta.stored_agent())
    .bind(i64::from(outcome == LoginOutcome::Ok))
    .bind(outcome.code())
    .bind(method.code())
    .execute(&mut *conn)
    .await
    ?;
    Ok(())
}

/// A principal's own login history, newest first.
pub async fn history(
    db: &Db,
    kind: PrincipalKind,
    principal_id: &str,
    limit: u32,
) -> AppResult<Vec<LoginEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT at, ip, user_agent, success, outcome, method FROM login_events \
         WHERE principal_kind = $1 AND principal_id = $2 ORDER BY at DESC LIMIT $3",
    )
    .bind(kind.code())
    .bind(principal_id)
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(LoginEvent::from).collect())
}

/// A login attempt as its principal's history lists it.
#[derive(sqlx::FromRow)]
struct EventRow {
    #[sqlx(try_from = "i64")]
    at: UtcMillis,
    ip: String,
    user_agent: String,
    success: i64,
    #[sqlx(try_from = "String")]
    outcome: LoginOutcome,
    #[sqlx(try_from = "String")]
    method: LoginMethod,
}

impl From<EventRow> for LoginEvent {
    fn from(r: EventRow) -> Self {
        LoginEvent {
            at: r.at,
            ip: r.ip,
            device: device_summary(&r.user_agent),
            success: r.success != 0,
            outcome: r.outcome,
            method: r.method,
        }
    }
}
