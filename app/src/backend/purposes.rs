//! The consent centre's service (P1.2, P1.3, P6.4): the state of every processing purpose for
//! a user and the user's whole consent history. Switching, and the check other services make
//! before processing for a consent-based purpose, are [`super::purpose_switch`]'s.

pub use super::purpose_switch::{allows, set, set_via};

use super::purpose_switch::latest;
use super::AppState;
use crate::error::AppResult;
use crate::model::purpose::{
    Area, ConsentCentre, HistoryEntry, HistoryKind, Purpose, PurposeState,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

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
    let gate = super::policy::gate::gate(&mut conn, &state.policy_in_force, user_id, now).await?;
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
