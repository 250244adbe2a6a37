//! The retention job (issue 16 §6, P4.2): once a day (from 03:00 China time, in the process
//! holding the housekeeping lease) every rule deletes or anonymises the rows whose period is
//! over, leaving alone the rows of enterprises under a legal hold; a dry run counts what a run
//! would do, per rule, and changes nothing. Every run is kept with its counts
//! (`/ops/privacy/retention`); officers place and release holds, with a reason, audited.

pub mod erase;
pub mod holds;

use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::retention::{RetentionRule, RetentionRun, RuleCount};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

const DAY_MS: i64 = 86_400_000;
/// What an anonymised name becomes (the data map's placeholder).
pub const ANON_NAME: &str = "已注销用户";
/// The enterprises under a legal hold now.
const HELD: &str = "SELECT enterprise_id FROM legal_holds WHERE released_at IS NULL";

/// A rule's rows: the table, which rows are due (`$1` is the cutoff), and which of those are
/// held.
struct Selection {
    table: &'static str,
    key: &'static str,
    due: &'static str,
    held: String,
}

fn selection(rule: RetentionRule) -> Selection {
    let users_held = format!("IN (SELECT id FROM users WHERE enterprise_id IN ({HELD}))");
    match rule {
        RetentionRule::LoginEvents => Selection {
            table: "login_events",
            key: "id",
            due: "at < $1",
            held: format!(
                "principal_kind = 'user' AND principal_id IS NOT NULL AND principal_id {users_held}"
            ),
        },
        RetentionRule::Outbox => Selection {
            table: "outbox",
            key: "id",
            due: "status IN ('sent', 'dead') AND COALESCE(sent_at, created_at) < $1",
            held: format!("COALESCE(user_id, '') {users_held}"),
        },
        RetentionRule::Invitations => Selection {
            table: "invites",
            key: "id",
            due: "COALESCE(used_at, expires_at) < $1",
            held: format!("enterprise_id IN ({HELD})"),
        },
        RetentionRule::VisitorConsents => Selection {
            table: "consent_records",
            key: "id",
            due: "user_id IS NULL AND created_at < $1",
            held: "1 = 0".into(),
        },
        RetentionRule::AbandonedApplications => Selection {
            table: "applications",
            key: "id",
            due: "enterprise_id IS NULL AND status IN ('draft', 'more_info', 'rejected') AND updated_at < $1",
            held: "1 = 0".into(),
        },
        RetentionRule::ClosedAccounts => Selection {
            table: "users",
            key: "id",
            due: "anonymised_at IS NULL AND enterprise_id IN \
                  (SELECT id FROM enterprises WHERE status = 'closed' AND closed_at < $1)",
            held: format!("enterprise_id IN ({HELD})"),
        },
        RetentionRule::ClosedEnterprises => Selection {
            table: "enterprises",
            key: "id",
            due: "status = 'closed' AND closed_at < $1 AND anonymised_at IS NULL",
            held: format!("id IN ({HELD})"),
        },
        RetentionRule::OldPaymentOrders => Selection {
            table: "payment_orders",
            key: "id",
            // Only orders that are over (never one still to be paid or returned).
            due: "created_at < $1 AND status IN ('paid', 'failed', 'cancelled', 'returned') \
                  AND payee_name <> '已注销用户'",
            held: format!("enterprise_id IN ({HELD})"),
        },
        RetentionRule::SupportTranscripts => Selection {
            table: "support_tickets",
            key: "id",
            due: "status = 'closed' AND closed_at < $1",
            held: format!("enterprise_id IN ({HELD})"),
        },
        RetentionRule::CallbackDeliveries => Selection {
            table: "callback_deliveries",
            key: "id",
            // A re-send opens a new window: it counts from then.
            due: "status IN ('delivered', 'failed') AND COALESCE(delivered_at, window_from) < $1",
            held: format!("enterprise_id IN ({HELD})"),
        },
    }
}

async fn count(conn: &mut AnyConnection, s: &Selection, cutoff: i64, held: bool) -> AppResult<i64> {
    let not = if held { "" } else { "NOT " };
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE {} AND {not}({})",
        s.table, s.due, s.held
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(cutoff)
        .fetch_one(&mut *conn)
        .await?)
}

/// The keys of the rows a rule acts on now (held ones left out).
async fn due_keys(conn: &mut AnyConnection, s: &Selection, cutoff: i64) -> AppResult<Vec<String>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} AND NOT ({}) ORDER BY {} LIMIT {BATCH}",
        s.key, s.table, s.due, s.held, s.key
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(cutoff)
        .fetch_all(&mut *conn)
        .await?)
}

/// Runs every rule (or counts, for a dry run); the run is kept with its counts.
pub async fn run(state: &AppState, by: &str, dry_run: bool) -> AppResult<RetentionRun> {
    let now = state.clock.now();
    let id = new_id();
    sqlx::query(
        "INSERT INTO retention_runs (id, dry_run, run_by, started_at, counts) VALUES ($1, $2, $3, $4, '[]')",
    )
    .bind(&id)
    .bind(i64::from(dry_run))
    .bind(by)
    .bind(now.0)
    .execute(state.db.pool())
    .await?;
    let mut counts = Vec::new();
    let mut error = None;
    for &rule in RetentionRule::ALL {
        match apply(state, rule, now, dry_run).await {
            Ok(c) => counts.push(c),
            Err(e) => {
                tracing::warn!(rule = rule.code(), error = %e, "a retention rule failed");
                error = Some(format!("{}: {e}", rule.code()));
                break;
            }
        }
    }
    let finished = state.clock.now();
    sqlx::query(
        "UPDATE retention_runs SET finished_at = $2, counts = $3, error = $4 WHERE id = $1",
    )
    .bind(&id)
    .bind(finished.0)
    .bind(serde_json::to_string(&counts).map_err(AppError::internal)?)
    .bind(error.as_deref())
    .execute(state.db.pool())
    .await?;
    Ok(RetentionRun {
        id,
        dry_run,
        by: by.to_string(),
        started_at: now,
        finished_at: Some(finished),
        counts,
        error,
    })
}

/// Rows handled per transaction (a writer holds SQLite's one write lock only this long).
const BATCH: i64 = 500;

/// One rule: counted, and (not a dry run) carried out in transactions of [`BATCH`] rows, each
/// finding its rows again with the hold applied, so a hold placed meanwhile is honoured.
async fn apply(
    state: &AppState,
    rule: RetentionRule,
    now: UtcMillis,
    dry_run: bool,
) -> AppResult<RuleCount> {
    let cutoff = now.0 - i64::from(state.settings.retention.of(rule)) * DAY_MS;
    let s = selection(rule);
    let mut conn = state.db.conn().await?;
    let held = count(&mut conn, &s, cutoff, true).await?;
    if dry_run {
        let rows = count(&mut conn, &s, cutoff, false).await?;
        return Ok(RuleCount { rule, rows, held });
    }
    drop(conn);
    let mut rows = 0;
    loop {
        let mut tx = state.db.begin().await?;
        let keys = due_keys(&mut tx, &s, cutoff).await?;
        if keys.is_empty() {
            break;
        }
        let mut erased = erase::Erased::default();
        for key in &keys {
            match rule {
                RetentionRule::ClosedAccounts => {
                    erase::forget_messages(&mut tx, key).await?;
                    erased.extend(erase::person(state, &mut tx, key, None, now).await?);
                }
                RetentionRule::OldPaymentOrders => erase::payee(state, &mut tx, key).await?,
                RetentionRule::SupportTranscripts => erased
                    .files
                    .extend(crate::backend::support::store::erase(&mut tx, "id = $1", key).await?),
                RetentionRule::ClosedEnterprises => erased
                    .files
                    .extend(erase::enterprise(state, &mut tx, key, now).await?),
                RetentionRule::AbandonedApplications => {
                    let stored: Vec<String> = sqlx::query_scalar(
                        "SELECT storage_key FROM stored_files WHERE application_id = $1",
                    )
                    .bind(key)
                    .fetch_all(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM stored_files WHERE application_id = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                    delete_row(&mut tx, &s, key).await?;
                    erased.files.extend(stored);
                }
                _ => delete_row(&mut tx, &s, key).await?,
            }
        }
        tx.commit().await?;
        rows += keys.len() as i64;
        // The bytes go once their rows are gone: uploaded files, and copies of data.
        erased.remove(state);
    }
    Ok(RuleCount { rule, rows, held })
}

async fn delete_row(conn: &mut AnyConnection, s: &Selection, key: &str) -> AppResult<()> {
    let sql = format!("DELETE FROM {} WHERE {} = $1", s.table, s.key);
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The scheduled run, once a day from 03:00 China time; whether it ran.
pub async fn run_if_due(state: &AppState) -> AppResult<bool> {
    let now = state.clock.now();
    let (_, _, _, hour, ..) = now.china_parts();
    let today = now.china_day_floor();
    if hour < 3 {
        return Ok(false);
    }
    let ran: Option<String> = sqlx::query_scalar(
        "SELECT id FROM retention_runs WHERE run_by = 'schedule' AND dry_run = 0 AND started_at >= $1 LIMIT 1",
    )
    .bind(today.0)
    .fetch_optional(state.db.pool())
    .await?;
    if ran.is_some() {
        return Ok(false);
    }
    let run = run(state, "schedule", false).await?;
    if let Some(e) = run.error {
        return Err(AppError::internal(format!(
            "the retention run stopped at {e}"
        )));
    }
    Ok(true)
}

/// A run (or dry run) an officer asked for, audited.
pub async fn run_by(state: &AppState, actor: &Actor, dry_run: bool) -> AppResult<RetentionRun> {
    let run = run(state, &actor.id, dry_run).await?;
    let action = if dry_run {
        "retention.dry_run"
    } else {
        "retention.run"
    };
    let rows: i64 = run.counts.iter().map(|c| c.rows).sum();
    let detail = format!("rows={rows}");
    let target = format!("retention_run:{}", run.id);
    let event = Event {
        result: if run.error.is_some() {
            crate::model::audit::AuditResult::Failed
        } else {
            crate::model::audit::AuditResult::Ok
        },
        ..Event::ok(actor, action, &target, &detail)
    };
    audit::record(&state.db, &event, state.clock.now()).await?;
    Ok(run)
}

/// Login events past the network-log period, deleted with every housekeeping pass (holds
/// honoured): how many.
pub async fn purge_login_events(state: &AppState) -> AppResult<u64> {
    let c = apply(state, RetentionRule::LoginEvents, state.clock.now(), false).await?;
    Ok(c.rows as u64)
}
