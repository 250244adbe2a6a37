//! Switching consent-based purposes (P1.2, P6.4): the newest switch is the state; switching is
//! append-only, recorded with time, truncated IP and user agent, and audited. Services ask
//! [`allows`] before processing for such a purpose. Kept apart from the consent centre
//! ([`super::purposes`]) so that the message centre can follow the `promotions` purpose
//! without depending on the policy gate.

use super::audit::{self, Actor, Event};
use super::ids::new_id;
use super::request::ClientMeta;
use super::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::audit::AuditResult;
use crate::model::purpose::Purpose;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// The newest switch of `purpose` by `user_id`: (on, when).
pub(super) async fn latest(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
) -> AppResult<Option<(bool, UtcMillis)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT granted, created_at FROM purpose_consents WHERE user_id = $1 AND purpose = $2 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(purpose.code())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(granted, at)| (granted != 0, UtcMillis(at))))
}

/// Whether `user_id` has switched `purpose` on (P1.2: off until they do). Services call this
/// before processing for a consent-based purpose; a withdrawal stops it from then on (P6.4).
pub async fn allows(conn: &mut AnyConnection, user_id: &str, purpose: Purpose) -> AppResult<bool> {
    Ok(latest(conn, user_id, purpose)
        .await?
        .is_some_and(|(on, _)| on))
}

/// Switches a consent-based purpose on or off for the caller, recorded with time, truncated IP
/// and user agent, and audited.
pub async fn set(
    state: &AppState,
    user_id: &str,
    purpose: Purpose,
    on: bool,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    set_via(state, user_id, purpose, on, actor, meta, "").await
}

/// [`set`], naming in the audit entry how it was switched when not in the consent centre
/// (`unsubscribe link`, `message preferences`).
pub async fn set_via(
    state: &AppState,
    user_id: &str,
    purpose: Purpose,
    on: bool,
    actor: &Actor,
    meta: &ClientMeta,
    via: &str,
) -> AppResult<()> {
    if !purpose.per_user_switch() {
        return Err(AppError::invalid("purpose", Rule::Format));
    }
    let mut tx = state.db.begin().await?;
    // The newest row is the state: a switch never shares its time with the one before.
    let now = match latest(&mut tx, user_id, purpose).await? {
        Some((_, at)) if at.0 >= state.clock.now().0 => UtcMillis(at.0 + 1),
        _ => state.clock.now(),
    };
    sqlx::query(
        "INSERT INTO purpose_consents (id, user_id, purpose, granted, created_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(purpose.code())
    .bind(i64::from(on))
    .bind(now.0)
    .bind(meta.stored_ip())
    .bind(meta.stored_agent())
    .execute(&mut *tx)
    .await?;
    let detail = match via {
        "" => purpose.code().to_string(),
        via => format!("{} via {via}", purpose.code()),
    };
    let event = Event {
        actor,
        enterprise_id: None,
        action: if on {
            "consent.grant"
        } else {
            "consent.withdraw"
        },
        target: &format!("user:{user_id}"),
        result: AuditResult::Ok,
        detail: &detail,
    };
    // Withdrawn: promotions still waiting in the outbox are not sent either (P7.1).
    if purpose == Purpose::Promotions && !on {
        sqlx::query(
            "UPDATE outbox SET status = 'dead', last_error = 'consent to promotions withdrawn' \
             WHERE user_id = $1 AND purpose = 'promotion' AND status = 'pending'",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}
