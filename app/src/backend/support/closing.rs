//! Closing a ticket (issue 18 §3): by the customer or support, by housekeeping once resolved
//! or waiting for a customer who does not answer, and the rating its opener may then give.

use super::{log, store, tell, visible, Party};
use crate::backend::accounts::users::UserRow;
use crate::backend::audit::Actor;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::conflict::Conflict;
use crate::model::support::{
    SystemNote, TicketStatus, TicketStep, RESOLVED_CLOSE_DAYS, WAITING_CLOSE_DAYS,
};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

/// The customer (or an operator) closes the ticket: no more replies; it may be rated.
pub async fn close(state: &AppState, actor: &Actor, party: Party<'_>, id: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    visible(&mut tx, party, id).await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let done = close_locked(
        state,
        &mut tx,
        &t,
        matches!(party, Party::Operator { .. }),
        now,
    )
    .await?;
    if !done {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    log(
        &mut tx,
        actor,
        &t.enterprise_id,
        "support.close",
        id,
        "",
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

async fn close_locked(
    state: &AppState,
    conn: &mut AnyConnection,
    t: &store::Locked,
    tell_customer: bool,
    now: UtcMillis,
) -> AppResult<bool> {
    let Some(to) = t.status.after(TicketStep::Close) else {
        return Ok(false);
    };
    if !store::set_status(conn, &t.id, t.status, to, "closed_at = $3", now).await? {
        return Ok(false);
    }
    store::note(conn, &t.id, SystemNote::Closed, now).await?;
    if tell_customer {
        let title = Bilingual::new(
            format!("您的工单已关闭：{}", t.subject),
            format!("Your ticket was closed: {}", t.subject),
        );
        let text = Bilingual::new(
            format!("工单“{}”已关闭。欢迎在“客户服务”中评价本次服务。", t.subject),
            format!("The ticket \"{}\" is closed. You are welcome to rate the service under Customer service.", t.subject),
        );
        tell(state, conn, &t.opened_by, &title, &text, &t.id, now).await?;
    }
    Ok(true)
}

/// The customer who opened a closed ticket rates the service once (1–5, with a note).
pub async fn rate(
    state: &AppState,
    actor: &Actor,
    user: &UserRow,
    id: &str,
    rating: u8,
    note: &str,
) -> AppResult<()> {
    let note = match note.trim() {
        "" => String::new(),
        n => crate::model::form::parse_multiline(n, crate::model::support::RATING_NOTE_MAX)
            .map_err(|r| AppError::invalid("note", r))?,
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    visible(&mut tx, Party::Customer(user), id).await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if t.opened_by != user.id {
        return Err(AppError::Conflict(Conflict::NotTicketOpener));
    }
    if t.status != TicketStatus::Closed || t.rating.is_some() {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    sqlx::query(
        "UPDATE support_tickets SET rating = $2, rating_note = $3, rated_at = $4, updated_at = $4 \
         WHERE id = $1 AND rating IS NULL",
    )
    .bind(id)
    .bind(i64::from(rating))
    .bind(&note)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    log(
        &mut tx,
        actor,
        &t.enterprise_id,
        "support.rate",
        id,
        &rating.to_string(),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Housekeeping: resolved tickets nobody answered for [`RESOLVED_CLOSE_DAYS`], and tickets
/// waiting for a customer who did not answer for [`WAITING_CLOSE_DAYS`], close (their customers
/// told; their retention period starts). How many.
pub async fn close_resolved(state: &AppState) -> AppResult<u32> {
    let now = state.clock.now();
    let day = 86_400_000;
    let (resolved_before, waiting_before) = (
        now.0 - RESOLVED_CLOSE_DAYS * day,
        now.0 - WAITING_CLOSE_DAYS * day,
    );
    const DUE: &str = "((status = 'resolved' AND resolved_at < $1) \
         OR (status = 'waiting_customer' AND updated_at < $2))";
    let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM support_tickets WHERE {DUE} LIMIT 500"
    )))
    .bind(resolved_before)
    .bind(waiting_before)
    .fetch_all(state.db.pool())
    .await?;
    let mut closed = 0;
    for id in ids {
        let mut tx = state.db.begin().await?;
        let Some(t) = store::lock(&mut tx, &id).await? else {
            continue;
        };
        // Still due once locked (a reply meanwhile keeps it open).
        let due: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM support_tickets WHERE id = $3 AND {DUE}"
        )))
        .bind(resolved_before)
        .bind(waiting_before)
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        if due.is_some() && close_locked(state, &mut tx, &t, true, now).await? {
            let detail = t.status.code();
            let system = Actor::system();
            log(
                &mut tx,
                &system,
                &t.enterprise_id,
                "support.close",
                &id,
                detail,
                now,
            )
            .await?;
            tx.commit().await?;
            closed += 1;
        }
    }
    Ok(closed)
}
