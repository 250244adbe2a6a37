//! Re-consent after a material change (P9): which versions a user must accept, the gate that
//! keeps business functions closed until they do, accepting and declining, and the notices of
//! versions about to take effect or just taken effect.

use super::acceptance::{record_acceptance, ACCEPT_AGAIN};
use super::in_force::InForceCache;
use super::{current_pair, PolicyRow, PUBLISHED, SELECT};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::request::ClientMeta;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::policy::{PolicyKind, PolicyVersion};
use crate::model::policy_change::{
    PolicyAnswer, PolicyGate, PolicyNotice, PolicyUpdate, RECENT_NOTICE_DAYS,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// The documents `user_id` must accept again now, and when the newest of those versions
/// took effect (a decline counts only if it came after).
struct Unmet {
    kinds: Vec<PolicyKind>,
    since: i64,
}

async fn unmet(
    conn: &mut AnyConnection,
    cache: &InForceCache,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<Unmet> {
    // Each acceptance names the versions in force when it was given, so the newest one holds
    // the newest versions the user accepted.
    let accepted: Option<(i64, i64)> = sqlx::query_as(
        "SELECT p.effective_at AS pe, t.effective_at AS te FROM policy_acceptances a \
         JOIN policy_documents p ON p.id = a.privacy_version_id \
         JOIN policy_documents t ON t.id = a.terms_version_id \
         WHERE a.user_id = $1 ORDER BY a.accepted_at DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (pe, te) = accepted.unwrap_or((i64::MIN, i64::MIN));
    let mut out = Unmet {
        kinds: Vec::new(),
        since: i64::MIN,
    };
    // The newest material version of each kind in force: the user must have accepted it or a
    // later one.
    let in_force = cache.at(conn, now.0).await?;
    for (kind, accepted_at) in [(PolicyKind::Privacy, pe), (PolicyKind::Terms, te)] {
        if let Some(at) = in_force.of(kind) {
            if at > accepted_at {
                out.kinds.push(kind);
                out.since = out.since.max(at);
            }
        }
    }
    Ok(out)
}

/// The gate for what `unmet` found: `None` when nothing waits; otherwise whether (and when)
/// the user declined since.
async fn gate_of(
    conn: &mut AnyConnection,
    user_id: &str,
    u: &Unmet,
) -> AppResult<Option<PolicyGate>> {
    if u.kinds.is_empty() {
        return Ok(None);
    }
    let declined: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(declined_at) AS at FROM policy_declines WHERE user_id = $1 AND declined_at >= $2",
    )
    .bind(user_id)
    .bind(u.since)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(PolicyGate {
        declined_at: declined.map(UtcMillis),
    }))
}

/// The gate for `user_id` (P9): `None` when they have accepted every material version in
/// force; otherwise whether (and when) they declined since.
pub async fn gate(
    conn: &mut AnyConnection,
    cache: &InForceCache,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<Option<PolicyGate>> {
    let u = unmet(conn, cache, user_id, now).await?;
    gate_of(conn, user_id, &u).await
}

/// Refuses business functions to a user who has not accepted the versions in force.
pub async fn require_accepted(state: &AppState, user_id: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    if unmet(
        &mut conn,
        &state.policy_in_force,
        user_id,
        state.clock.now(),
    )
    .await?
    .kinds
    .is_empty()
    {
        Ok(())
    } else {
        Err(AppError::PolicyNotAccepted)
    }
}

/// The re-consent page: the versions in force of the documents the user must accept again.
pub async fn update_page(state: &AppState, user_id: &str) -> AppResult<PolicyUpdate> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let u = unmet(&mut conn, &state.policy_in_force, user_id, now).await?;
    let gate = gate_of(&mut conn, user_id, &u).await?;
    drop(conn);
    let set = current_pair(&state.db, now).await?;
    let (privacy_id, terms_id) = (set.privacy.id.clone(), set.terms.id.clone());
    let versions = [set.privacy, set.terms]
        .into_iter()
        .filter(|v| u.kinds.contains(&v.kind))
        .collect();
    Ok(PolicyUpdate {
        versions,
        gate,
        privacy_id,
        terms_id,
    })
}

/// A user's answer on the re-consent page, about the versions the page showed (P9). A
/// repeated submit, with nothing waiting, records nothing; an answer about versions no longer
/// in force is refused (`policy_changed`).
pub async fn answer(
    state: &AppState,
    user_id: &str,
    answer: PolicyAnswer,
    (privacy_id, terms_id): (&str, &str),
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if unmet(&mut tx, &state.policy_in_force, user_id, now)
        .await?
        .kinds
        .is_empty()
    {
        return Ok(());
    }
    let privacy = super::current(&mut tx, PolicyKind::Privacy, now).await?;
    let terms = super::current(&mut tx, PolicyKind::Terms, now).await?;
    if privacy.id != privacy_id || terms.id != terms_id {
        return Err(AppError::Conflict(Conflict::PolicyChanged));
    }
    let ids = (privacy.id.as_str(), terms.id.as_str());
    match answer {
        PolicyAnswer::Accept => {
            record_acceptance(&mut tx, user_id, ids, ACCEPT_AGAIN, meta, now).await?;
        }
        PolicyAnswer::Decline => {
            sqlx::query(
                "INSERT INTO policy_declines (id, user_id, privacy_version_id, terms_version_id, \
                 declined_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new_id())
            .bind(user_id)
            .bind(ids.0)
            .bind(ids.1)
            .bind(now.0)
            .bind(meta.stored_ip())
            .bind(meta.stored_agent())
            .execute(&mut *tx)
            .await?;
        }
    }
    let detail = format!("privacy {} terms {}", privacy.version, terms.version);
    let event = Event {
        actor,
        enterprise_id: None,
        action: match answer {
            PolicyAnswer::Accept => "policy.accept",
            PolicyAnswer::Decline => "policy.decline",
        },
        target: &format!("user:{user_id}"),
        result: AuditResult::Ok,
        detail: &detail,
    };
    audit::append(&mut tx, &event, now).await?;
    Ok(tx.commit().await?)
}

/// Versions announced to users (P9): published, later than a document's first version, and
/// either waiting for their date or in force for less than [`RECENT_NOTICE_DAYS`].
pub async fn notices(state: &AppState) -> AppResult<Vec<PolicyNotice>> {
    let now = state.clock.now();
    let since = now.0 - RECENT_NOTICE_DAYS * 86_400_000;
    let rows: Vec<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} d WHERE {PUBLISHED} AND published_at <= $1 AND effective_at > $2 AND EXISTS \
         (SELECT 1 FROM policy_documents e WHERE e.kind = d.kind AND e.status = 'published' \
         AND e.effective_at < d.effective_at) ORDER BY effective_at DESC"
    )))
    .bind(now.0)
    .bind(since)
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(PolicyVersion::from)
        .map(|d| PolicyNotice {
            in_force: d.effective_at <= now,
            kind: d.kind,
            version: d.version,
            material: d.material,
            published_at: d.published_at,
            effective_at: d.effective_at,
            summary_zh: d.summary_zh,
            summary_en: d.summary_en,
        })
        .collect())
}
