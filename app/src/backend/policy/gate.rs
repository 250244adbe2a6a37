//! Re-consent after a material change (P9): which versions a user must accept, the gate that
//! keeps business functions closed until they do, accepting and declining, and the notices of
//! versions about to take effect or just taken effect.

use super::{current_pair, read, PUBLISHED, SELECT};
use crate::backend::accounts::sessions::ClientMeta;
use crate::backend::accounts::{record_acceptance, ACCEPT_AGAIN};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::policy::{PolicyKind, PolicyVersion};
use crate::model::policy_change::{
    notice_visible, PolicyGate, PolicyNotice, PolicyUpdate, RECENT_NOTICE_DAYS,
};
use crate::model::UtcMillis;
use sqlx::{AnyConnection, Row};

fn db_err(e: sqlx::Error) -> AppError {
    AppError::internal(e)
}

/// The newest material version of `kind` in force: a user must have accepted it or a later one.
async fn required(
    conn: &mut AnyConnection,
    kind: PolicyKind,
    now: UtcMillis,
) -> AppResult<Option<UtcMillis>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(effective_at) AS at FROM policy_documents \
         WHERE kind = $1 AND {PUBLISHED} AND material = 1 AND effective_at <= $2"
    )))
    .bind(kind.code())
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let at: Option<i64> = row.try_get("at").map_err(db_err)?;
    Ok(at.map(UtcMillis))
}

/// Which documents `user_id` must accept again now (empty: none).
async fn unmet(
    conn: &mut AnyConnection,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<Vec<PolicyKind>> {
    let privacy = required(conn, PolicyKind::Privacy, now).await?;
    let terms = required(conn, PolicyKind::Terms, now).await?;
    // Each acceptance names the versions in force when it was given, so the newest one holds
    // the newest versions the user accepted.
    let accepted = sqlx::query(
        "SELECT p.effective_at AS pe, t.effective_at AS te FROM policy_acceptances a \
         JOIN policy_documents p ON p.id = a.privacy_version_id \
         JOIN policy_documents t ON t.id = a.terms_version_id \
         WHERE a.user_id = $1 ORDER BY a.accepted_at DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?;
    let (pe, te) = match accepted {
        Some(r) => (
            r.try_get::<i64, _>("pe").map_err(db_err)?,
            r.try_get::<i64, _>("te").map_err(db_err)?,
        ),
        None => (i64::MIN, i64::MIN),
    };
    let mut kinds = Vec::new();
    if privacy.is_some_and(|at| at.0 > pe) {
        kinds.push(PolicyKind::Privacy);
    }
    if terms.is_some_and(|at| at.0 > te) {
        kinds.push(PolicyKind::Terms);
    }
    Ok(kinds)
}

/// The gate for `user_id` (P9): `None` when they have accepted every material version in
/// force; otherwise whether (and when) they declined since.
pub async fn gate(
    conn: &mut AnyConnection,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<Option<PolicyGate>> {
    if unmet(conn, user_id, now).await?.is_empty() {
        return Ok(None);
    }
    let newest = [PolicyKind::Privacy, PolicyKind::Terms];
    let mut since = i64::MIN;
    for kind in newest {
        if let Some(at) = required(conn, kind, now).await? {
            since = since.max(at.0);
        }
    }
    let row = sqlx::query(
        "SELECT MAX(declined_at) AS at FROM policy_declines WHERE user_id = $1 AND declined_at >= $2",
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let declined: Option<i64> = row.try_get("at").map_err(db_err)?;
    Ok(Some(PolicyGate {
        declined_at: declined.map(UtcMillis),
    }))
}

/// Refuses business functions to a user who has not accepted the versions in force.
pub async fn require_accepted(state: &AppState, user_id: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    match gate(&mut conn, user_id, state.clock.now()).await? {
        None => Ok(()),
        Some(_) => Err(AppError::PolicyNotAccepted),
    }
}

/// The re-consent page: the versions in force of the documents the user must accept again.
pub async fn update_page(state: &AppState, user_id: &str) -> AppResult<PolicyUpdate> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let kinds = unmet(&mut conn, user_id, now).await?;
    let gate = gate(&mut conn, user_id, now).await?;
    let mut versions = Vec::new();
    for kind in kinds {
        versions.push(super::current(&mut conn, kind, now).await?);
    }
    drop(conn);
    let set = current_pair(&state.db, now).await?;
    Ok(PolicyUpdate {
        versions,
        gate,
        privacy_id: set.privacy.id,
        terms_id: set.terms.id,
    })
}

/// The versions a re-consent page showed: the user's answer is about these.
pub struct Shown<'a> {
    pub privacy_id: &'a str,
    pub terms_id: &'a str,
}

async fn record(
    state: &AppState,
    user_id: &str,
    shown: &Shown<'_>,
    actor: &Actor,
    meta: &ClientMeta,
    accept: bool,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await.map_err(db_err)?;
    if gate(&mut tx, user_id, now).await?.is_none() {
        // Nothing waits for an answer (a repeated submit): nothing to record.
        return Ok(());
    }
    let privacy = super::current(&mut tx, PolicyKind::Privacy, now).await?;
    let terms = super::current(&mut tx, PolicyKind::Terms, now).await?;
    if privacy.id != shown.privacy_id || terms.id != shown.terms_id {
        return Err(AppError::Conflict("policy_changed".into()));
    }
    let set = crate::model::policy::PolicySet { privacy, terms };
    let ids = (set.privacy.id.as_str(), set.terms.id.as_str());
    if accept {
        record_acceptance(&mut tx, user_id, ids, ACCEPT_AGAIN, meta, now).await?;
    } else {
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
        .await
        .map_err(db_err)?;
    }
    let detail = format!(
        "privacy {} terms {}",
        set.privacy.version, set.terms.version
    );
    let event = Event {
        actor,
        enterprise_id: None,
        action: if accept {
            "policy.accept"
        } else {
            "policy.decline"
        },
        target: &format!("user:{user_id}"),
        result: "ok",
        detail: &detail,
    };
    audit::append(&mut tx, &event, now).await.map_err(db_err)?;
    tx.commit().await.map_err(db_err)
}

/// Records that the user accepted the versions in force, which the page showed (P9).
pub async fn accept(
    state: &AppState,
    user_id: &str,
    shown: &Shown<'_>,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    record(state, user_id, shown, actor, meta, true).await
}

/// Records that the user declined the versions in force: the gate stays closed (P9).
pub async fn decline(
    state: &AppState,
    user_id: &str,
    shown: &Shown<'_>,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    record(state, user_id, shown, actor, meta, false).await
}

/// Versions announced to users (P9): published, later than a document's first version, and
/// either waiting for their date or in force for less than [`RECENT_NOTICE_DAYS`].
pub async fn notices(state: &AppState) -> AppResult<Vec<PolicyNotice>> {
    let now = state.clock.now();
    let since = now.0 - RECENT_NOTICE_DAYS * 86_400_000;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} d WHERE {PUBLISHED} AND published_at <= $1 AND effective_at > $2 AND EXISTS \
         (SELECT 1 FROM policy_documents e WHERE e.kind = d.kind AND e.status = 'published' \
         AND e.effective_at < d.effective_at) ORDER BY effective_at DESC"
    )))
    .bind(now.0)
    .bind(since)
    .fetch_all(state.db.pool())
    .await
    .map_err(db_err)?;
    let docs: Vec<PolicyVersion> = rows
        .iter()
        .map(read)
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    Ok(docs
        .into_iter()
        .filter(|d| notice_visible(d.effective_at, now))
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
