//! Account closure (issue 16 §5, P6.3), asked for by the enterprise's admin as a rights request
//! and carried out when the privacy officer completes it.
//!
//! - **Preconditions**, checked when the admin asks and again when the officer completes: no
//!   available balance (transfer it out first), nothing reserved or waiting to be paid out, and
//!   no payment order, batch or transfer in flight.
//! - **Effect**, in the officer's transaction: the enterprise is `closed` with the time (the
//!   retention clock starts then); every login person of it is disabled and all their sessions
//!   end, so nobody can log in or act for it again; open invitations stop working (their inviter
//!   is no longer an active admin). Audited (`enterprise.closed`).

use crate::backend::accounts::sessions::{self, PrincipalKind};
use crate::backend::audit::{self, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::model::conflict::Conflict;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// What stands in the way of closing `enterprise_id`, if anything.
pub async fn blocker(conn: &mut AnyConnection, enterprise_id: &str) -> AppResult<Option<Conflict>> {
    let (available, reserved, pending) =
        crate::backend::ledger::balances(conn, enterprise_id).await?;
    if available != 0 {
        return Ok(Some(Conflict::ClosureHasBalance));
    }
    let busy: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM payment_orders WHERE enterprise_id = $1 \
         AND status IN ('awaiting_confirmation', 'accepted', 'paying', 'suspended')) \
         + (SELECT COUNT(*) FROM transfers WHERE enterprise_id = $1 AND status IN ('requested', 'checked')) \
         + (SELECT COUNT(*) FROM payment_batches WHERE enterprise_id = $1 AND status = 'awaiting_confirmation')",
    )
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    if reserved != 0 || pending != 0 || busy > 0 {
        return Ok(Some(Conflict::ClosureInFlight));
    }
    Ok(None)
}

/// Closes `enterprise_id` in the caller's transaction; returns how many login persons were
/// disabled.
pub async fn close(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    actor: &Actor,
    now: UtcMillis,
) -> AppResult<u64> {
    // Closed first (the row is held from here), then checked: a failed check rolls it back.
    let closed = sqlx::query(
        "UPDATE enterprises SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'active'",
    )
    .bind(enterprise_id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    if closed.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::AlreadyDone));
    }
    if let Some(c) = blocker(conn, enterprise_id).await? {
        return Err(AppError::Conflict(c));
    }
    let people: Vec<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE enterprise_id = $1 ORDER BY id")
            .bind(enterprise_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("UPDATE users SET status = 'disabled', updated_at = $2 WHERE enterprise_id = $1")
        .bind(enterprise_id)
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
    for id in &people {
        sessions::end_all(conn, PrincipalKind::User, id).await?;
    }
    let target = format!("enterprise:{enterprise_id}");
    let detail = format!("people disabled: {}", people.len());
    let event = Event {
        enterprise_id: Some(enterprise_id),
        ..Event::ok(actor, "enterprise.closed", &target, &detail)
    };
    audit::append(conn, &event, now).await?;
    Ok(people.len() as u64)
}
