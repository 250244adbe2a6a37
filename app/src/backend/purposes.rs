//! The consent centre's service (P1.2, P1.3, P6.4): the state of every processing purpose for
//! a user, switching consent-based ones (append-only, audited), the check other services make
//! before processing for such a purpose, and the user's whole consent history.

use super::audit::{self, Actor, Event};
use super::ids::new_id;
use super::request::ClientMeta;
use super::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::audit::AuditResult;
use crate::model::purpose::{
    Area, ConsentCentre, HistoryEntry, HistoryKind, Purpose, PurposeState,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// The newest switch of `purpose` by `user_id`: (on, when).
async fn latest(
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

/// The portal areas `user_id` uses most, from their own audited actions of the last 90 days
/// (P1.2): only with personalised features switched on. Switched off, nothing is read.
pub async fn frequent_areas(state: &AppState, user_id: &str) -> AppResult<Vec<Area>> {
    let mut conn = state.db.conn().await?;
    if !allows(&mut conn, user_id, Purpose::Personalisation).await? {
        return Ok(Vec::new());
    }
    let since = state.clock.now().0 - 90 * 86_400_000;
    let actions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT action, COUNT(*) AS n FROM audit_log WHERE actor_kind = 'user' AND actor_id = $1 \
         AND result = 'ok' AND at >= $2 GROUP BY action",
    )
    .bind(user_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(crate::model::purpose::frequent_areas(&actions, 3))
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
        detail: purpose.code(),
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The consent centre for `user_id`: every purpose, with the browser's convenience-cookie
/// choice, the gate, and the history newest first.
pub async fn centre(
    state: &AppState,
    user_id: &str,
    convenience_cookies: bool,
) -> AppResult<ConsentCentre> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let mut purposes = Vec::new();
    for &purpose in Purpose::ALL {
        let switched = if purpose.per_user_switch() {
            latest(&mut conn, user_id, purpose).await?
        } else {
            None
        };
        let on = match purpose {
            Purpose::ConvenienceCookies => convenience_cookies,
            p if p.per_user_switch() => switched.is_some_and(|(on, _)| on),
            _ => true,
        };
        purposes.push(PurposeState {
            purpose,
            basis: purpose.basis(),
            on,
            changed_at: switched.map(|(_, at)| at),
        });
    }
    let gate = super::policy::gate::gate(&mut conn, user_id, now).await?;
    let history = history(&mut conn, state, user_id).await?;
    Ok(ConsentCentre {
        purposes,
        history,
        gate,
    })
}

/// Policy acceptances and declines, cookie decisions and purpose switches, newest first.
async fn history(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: &str,
) -> AppResult<Vec<HistoryEntry>> {
    let mut out = Vec::new();
    const DECISIONS: &str = "SELECT a.{at} AS at, p.version AS pv, t.version AS tv FROM {table} a \
        JOIN policy_documents p ON p.id = a.privacy_version_id \
        JOIN policy_documents t ON t.id = a.terms_version_id WHERE a.user_id = $1";
    for (table, at, kind) in [
        (
            "policy_acceptances",
            "accepted_at",
            HistoryKind::PolicyAccepted,
        ),
        (
            "policy_declines",
            "declined_at",
            HistoryKind::PolicyDeclined,
        ),
    ] {
        let sql = DECISIONS.replace("{table}", table).replace("{at}", at);
        let decisions: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
        for (at, pv, tv) in decisions {
            out.push(HistoryEntry {
                at: UtcMillis(at),
                kind,
                detail: format!("privacy {pv} · terms {tv}"),
            });
        }
    }
    let switches: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT purpose, granted, created_at FROM purpose_consents WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for (purpose, granted, created_at) in switches {
        out.push(HistoryEntry {
            at: UtcMillis(created_at),
            kind: if granted != 0 {
                HistoryKind::PurposeOn
            } else {
                HistoryKind::PurposeOff
            },
            detail: purpose,
        });
    }
    for c in super::consent::history(&state.db, user_id).await? {
        out.push(HistoryEntry {
            at: c.at,
            kind: HistoryKind::CookieChoice,
            detail: format!(
                "{} · {}",
                c.categories
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
                    .join(","),
                c.method.code()
            ),
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.at));
    Ok(out)
}
