//! New versions of the worker service agreement (issue 18 §2). The privacy officer publishes
//! one from the console; workers sign the newest ([`super::current`]). The agreement's §6
//! promises that "when the platform changes this agreement it publishes a new version and tells
//! you; a new version applies once you sign it": publishing texts every worker whose signature
//! in force is of an earlier version (template `agreement_changed`), with a link of their own to
//! read and sign the new one, in the publishing transaction (the outbox spaces the texts by each
//! number's limits). Until they sign it, their earlier signature stands: orders to them are not
//! held back.

use super::{current_locked, new_invite, InviteFor};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::sha256_hex;
use crate::backend::messages;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::agreement::{check_agreement, AgreementAdmin, AgreementInput, AgreementVersion};
use crate::model::conflict::Conflict;
use crate::model::error::{FieldError, Rule};
use crate::model::sms::SmsContent;
use crate::model::{Lang, UtcMillis};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// What a version's hash covers: the Chinese text, a line holding NUL, the English text.
pub fn content_hash(zh: &str, en: &str) -> String {
    sha256_hex(format!("{zh}\n\0\n{en}").as_bytes())
}

/// Each worker of an open business account whose signature is in force (their latest, not
/// released): the worker, the version, their enterprise and its name, their sealed mobile. A
/// closed account's workers are not texted (nobody there can pay them).
const SIGNED_IN_FORCE: &str = "SELECT s.worker_id, s.enterprise_id, s.agreement_id, e.name AS enterprise_name, \
     w.mobile_enc FROM worker_signatures s JOIN workers w ON w.id = s.worker_id \
     JOIN enterprises e ON e.id = s.enterprise_id \
     WHERE s.released_at IS NULL AND e.status = 'active' AND NOT EXISTS (SELECT 1 FROM worker_signatures t \
     WHERE t.worker_id = s.worker_id AND (t.signed_at > s.signed_at OR (t.signed_at = s.signed_at AND t.id > s.id))) \
     ORDER BY s.enterprise_id, s.worker_id";

#[derive(sqlx::FromRow)]
struct InForce {
    worker_id: String,
    enterprise_id: String,
    agreement_id: String,
    enterprise_name: String,
    mobile_enc: String,
}

async fn in_force(conn: &mut AnyConnection) -> AppResult<Vec<InForce>> {
    Ok(sqlx::query_as(SIGNED_IN_FORCE)
        .fetch_all(&mut *conn)
        .await?)
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    version: String,
    content_zh: String,
    content_en: String,
    content_hash: String,
    published_at: i64,
    published_by: String,
}

/// Every version, newest first, with how many workers hold a signature of it in force and how
/// many were texted about it.
pub async fn list(state: &AppState) -> AppResult<AgreementAdmin> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT a.id, a.version, a.content_zh, a.content_en, a.content_hash, a.published_at, \
         COALESCE(o.display_name, '') AS published_by FROM worker_agreements a \
         LEFT JOIN operators o ON o.id = a.published_by ORDER BY a.published_at DESC, a.id DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    let signed = in_force(&mut conn).await?;
    let told: Vec<(String, i64)> = sqlx::query_as(
        "SELECT notice_for, COUNT(*) FROM worker_sign_invites WHERE notice_for IS NOT NULL GROUP BY notice_for",
    )
    .fetch_all(&mut *conn)
    .await?;
    let told: HashMap<String, i64> = told.into_iter().collect();
    let versions = rows
        .into_iter()
        .map(|r| AgreementVersion {
            signed: signed.iter().filter(|s| s.agreement_id == r.id).count() as i64,
            told: told.get(&r.id).copied().unwrap_or(0),
            id: r.id,
            version: r.version,
            content_zh: r.content_zh,
            content_en: r.content_en,
            content_hash: r.content_hash,
            published_at: UtcMillis(r.published_at),
            published_by: r.published_by,
        })
        .collect();
    Ok(AgreementAdmin {
        versions,
        signed_workers: signed.len() as i64,
    })
}

/// Publishes `input` as the version workers sign from now on, and texts every worker who
/// signed an earlier one a link to read and sign it (`origin`: the site's, for the links).
/// Returns how many were texted. Audited.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    input: &AgreementInput,
    origin: &str,
) -> AppResult<i64> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Two publications, and a publication and a signature, take turns on the newest version.
    let latest = current_locked(&mut tx).await?;
    let label = check_agreement(
        input,
        Some((&latest.version, &latest.content_zh, &latest.content_en)),
    )?;
    let version = label.to_string();
    let (zh, en) = (input.content_zh.trim(), input.content_en.trim());
    let id = crate::backend::ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO worker_agreements (id, version, content_zh, content_en, content_hash, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&version)
    .bind(zh)
    .bind(en)
    .bind(content_hash(zh, en))
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await;
    match inserted {
        // "1.1" after "1.01": the same label written two ways.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "version",
                Rule::NotNewer,
            )]))
        }
        other => other?,
    };
    let signed = in_force(&mut tx).await?;
    for s in &signed {
        let to = InviteFor {
            worker_id: &s.worker_id,
            enterprise_id: &s.enterprise_id,
            created_by: None,
            notice_for: Some(&id),
        };
        let (mobile, link) = new_invite(state, &mut tx, to, &s.mobile_enc, origin, now).await?;
        let sms = SmsContent::agreement_changed(&version, &s.enterprise_name, &link, Lang::ZhCn);
        if !messages::send_signing_link(state, &mut tx, &mobile, &sms, now).await? {
            // The promise is to tell them: no text gateway, no new version.
            return Err(AppError::Conflict(Conflict::SmsUnavailable));
        }
    }
    let detail = format!("version {version}; {} workers texted", signed.len());
    let target = format!("worker_agreement:{id}");
    let event = Event::ok(actor, "worker_agreement.publish", &target, &detail);
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(signed.len() as i64)
}

#[cfg(test)]
mod tests {
    /// The first version's hash, written by hand into migration 0032, is the rule's.
    #[test]
    fn the_shipped_version_hash_follows_the_rule() {
        let sql = include_str!("../../../migrations/sqlite/0032_worker_signing.sql");
        let texts = sql
            .split("('agreement-1-0', '1.0', '")
            .nth(1)
            .expect("the first version");
        let (zh, rest) = texts.split_once("', '").expect("the Chinese text");
        let (en, rest) = rest.split_once("', '").expect("the English text");
        let hash = &rest[..64];
        let (zh, en) = (zh.replace("''", "'"), en.replace("''", "'"));
        assert_eq!(super::content_hash(&zh, &en), hash);
    }
}
