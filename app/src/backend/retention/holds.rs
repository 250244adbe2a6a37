//! Legal holds (issue 16 §6, P4.2): an officer puts an enterprise on hold, with a reason (a
//! dispute, an authority's request), and the retention job leaves its rows alone until the
//! hold is released. The console's retention page: the periods, the runs, the holds.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::conflict::Conflict;
use crate::model::retention::{
    LegalHold, RetentionOverview, RetentionRun, RuleCount, HOLD_REASON_MAX,
};
use crate::model::UtcMillis;

fn seal_reason(state: &AppState, id: &str, reason: &str) -> String {
    state
        .cipher
        .encrypt_text(reason, &format!("legal_holds.reason:{id}"))
}

/// Puts the enterprise with `credit_code` on hold.
pub async fn place(
    state: &AppState,
    actor: &Actor,
    credit_code: &str,
    reason: &str,
) -> AppResult<String> {
    let reason = crate::model::form::parse_multiline(reason, HOLD_REASON_MAX)
        .map_err(|rule| AppError::invalid("reason", rule))?;
    let code = credit_code.trim().to_uppercase();
    if code.is_empty() {
        return Err(AppError::invalid("credit_code", Rule::Required));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let eid: Option<String> =
        sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(&code)
            .fetch_optional(&mut *tx)
            .await?;
    let eid = eid.ok_or_else(|| AppError::invalid("credit_code", Rule::Mismatch))?;
    // The enterprise's row is locked (as a deletion's check locks it): a deletion at the same
    // moment either sees this hold or is done before it.
    sqlx::query("UPDATE enterprises SET status = status WHERE id = $1")
        .bind(&eid)
        .execute(&mut *tx)
        .await?;
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM legal_holds WHERE enterprise_id = $1 AND released_at IS NULL",
    )
    .bind(&eid)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_some() {
        return Err(AppError::Conflict(Conflict::AlreadyDone));
    }
    let id = new_id();
    // One open hold per enterprise (a unique index): a second placed at the same moment finds
    // the first.
    let placed = sqlx::query(
        "INSERT INTO legal_holds (id, enterprise_id, reason_enc, placed_by, placed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(&eid)
    .bind(seal_reason(state, &id, &reason))
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if placed.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::AlreadyDone));
    }
    let target = format!("legal_hold:{id}");
    let event = Event {
        enterprise_id: Some(&eid),
        ..Event::ok(actor, "retention.hold_placed", &target, "")
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Releases a hold: the next run applies the rules to the enterprise again.
pub async fn release(state: &AppState, actor: &Actor, id: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let eid: Option<String> =
        sqlx::query_scalar("SELECT enterprise_id FROM legal_holds WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let eid = eid.ok_or(AppError::NotFound)?;
    let done = sqlx::query(
        "UPDATE legal_holds SET released_at = $2, released_by = $3 WHERE id = $1 AND released_at IS NULL",
    )
    .bind(id)
    .bind(now.0)
    .bind(&actor.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::AlreadyDone));
    }
    let target = format!("legal_hold:{id}");
    let event = Event {
        enterprise_id: Some(&eid),
        ..Event::ok(actor, "retention.hold_released", &target, "")
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The console's page: the configured periods, the last 30 runs, the holds (open first).
pub async fn page(state: &AppState) -> AppResult<RetentionOverview> {
    let mut conn = state.db.conn().await?;
    type RunRow = (
        String,
        i64,
        String,
        i64,
        Option<i64>,
        String,
        Option<String>,
    );
    let rows: Vec<RunRow> = sqlx::query_as(
        "SELECT r.id, r.dry_run, COALESCE(o.display_name, r.run_by), r.started_at, r.finished_at, \
         r.counts, r.error FROM retention_runs r LEFT JOIN operators o ON o.id = r.run_by \
         ORDER BY r.started_at DESC, r.id LIMIT 30",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut runs = Vec::new();
    for (id, dry, by, started, finished, counts, error) in rows {
        let counts: Vec<RuleCount> = serde_json::from_str(&counts).map_err(AppError::internal)?;
        runs.push(RetentionRun {
            id,
            dry_run: dry != 0,
            by,
            started_at: UtcMillis(started),
            finished_at: finished.map(UtcMillis),
            counts,
            error,
        });
    }
    type HoldRow = (String, String, String, String, String, i64, Option<i64>);
    let rows: Vec<HoldRow> = sqlx::query_as(
        "SELECT h.id, h.enterprise_id, e.name, h.reason_enc, COALESCE(o.display_name, h.placed_by), \
         h.placed_at, h.released_at FROM legal_holds h JOIN enterprises e ON e.id = h.enterprise_id \
         LEFT JOIN operators o ON o.id = h.placed_by \
         ORDER BY h.released_at IS NOT NULL, h.placed_at DESC LIMIT 100",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut holds = Vec::new();
    for (id, enterprise_id, enterprise, reason_enc, placed_by, placed_at, released_at) in rows {
        let reason = state
            .cipher
            .decrypt_text(&reason_enc, &format!("legal_holds.reason:{id}"))
            .map_err(AppError::internal)?;
        holds.push(LegalHold {
            id,
            enterprise_id,
            enterprise,
            reason,
            placed_by,
            placed_at: UtcMillis(placed_at),
            released_at: released_at.map(UtcMillis),
        });
    }
    Ok(RetentionOverview {
        days: state.settings.retention,
        runs,
        holds,
    })
}
