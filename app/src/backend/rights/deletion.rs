//! Deletion (issue 16 §5, P6.3), carried out by the product when the privacy officer completes
//! a deletion request (the officer has checked its ground: one of the policy's five
//! situations, or the request is refused with `no_deletion_ground`).
//!
//! - **Refused, nothing changed,** while the requester is the only active admin of an
//!   enterprise that is still open (its account needs its admin: hand the role over, or ask for
//!   the closure), or while their enterprise is under a legal hold. The enterprise's row and the
//!   person's are locked first (in the order the members' actions and holds lock them), so a
//!   hand-over, a promotion or a hold at the same moment is either seen or waits.
//! - **Erased as the data map says** (`backend::retention::erase`): the person's messages in
//!   the outbox go first; the answer is then queued to their address, with what the law keeps
//!   (generated from the map: login events, the audit trail's IP addresses, with the configured
//!   periods) and when the backups follow (`--backup-max-days`, which `server backup`
//!   enforces); then the person is anonymised, their login disabled and every session ended.
//!   Once the answer is delivered, housekeeping deletes that message too.

use crate::backend::retention::erase::{self, Erased};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::conflict::Conflict;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

use super::store::RequestRow;

/// What stands in the way of erasing the requester of `row`, if anything (after locking their
/// enterprise's row and theirs).
pub async fn blocker(conn: &mut AnyConnection, row: &RequestRow) -> AppResult<Option<Conflict>> {
    sqlx::query(
        "UPDATE enterprises SET status = status WHERE id = (SELECT enterprise_id FROM users WHERE id = $1)",
    )
    .bind(&row.user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(&row.user_id)
        .execute(&mut *conn)
        .await?;
    // The only active admin of an open enterprise (another active admin may carry on).
    let (enterprise, last_admin): (Option<String>, i64) = sqlx::query_as(
        "SELECT u.enterprise_id, CASE WHEN u.role = 'admin' AND u.status = 'active' \
         AND e.status <> 'closed' THEN (SELECT COUNT(*) FROM users o WHERE o.enterprise_id = \
         u.enterprise_id AND o.role = 'admin' AND o.status = 'active') ELSE 0 END FROM users u \
         LEFT JOIN enterprises e ON e.id = u.enterprise_id WHERE u.id = $1",
    )
    .bind(&row.user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if last_admin == 1 {
        return Ok(Some(Conflict::DeletionAdmin));
    }
    if let Some(eid) = enterprise {
        let held: Option<String> = sqlx::query_scalar(
            "SELECT id FROM legal_holds WHERE enterprise_id = $1 AND released_at IS NULL LIMIT 1",
        )
        .bind(&eid)
        .fetch_optional(&mut *conn)
        .await?;
        if held.is_some() {
            return Ok(Some(Conflict::DeletionHeld));
        }
    }
    Ok(None)
}

/// Before the answer is queued: refuses (see [`blocker`]) or forgets the person's messages.
pub async fn prepare(conn: &mut AnyConnection, row: &RequestRow) -> AppResult<()> {
    if let Some(c) = blocker(conn, row).await? {
        return Err(AppError::Conflict(c));
    }
    erase::forget_messages(conn, &row.user_id).await
}

/// After the answer is queued: erases the person, keeping the request as the record of its
/// answer. The caller removes the returned files once committed.
pub async fn carry_out(
    state: &AppState,
    conn: &mut AnyConnection,
    row: &RequestRow,
    now: UtcMillis,
) -> AppResult<Erased> {
    erase::person(state, conn, &row.user_id, Some(&row.id), now).await
}
