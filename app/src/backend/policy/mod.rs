//! Policy documents (P0.1-P0.4): versions, the current version of each kind, and the first
//! versions, written from [`text`] with the configured operator details.

pub mod acceptance;
pub mod drafts;
pub mod gate;
pub mod in_force;
mod mail;
mod text;

use super::crypto::sha256_hex;
use super::db::Db;
use super::ids::new_id;
use super::Settings;
use crate::error::{AppError, AppResult};
use crate::model::policy::{
    PolicyKind, PolicyPageData, PolicySet, PolicyVersion, PolicyVersionSummary,
};
use crate::model::policy_change::PolicyStatus;
use crate::model::UtcMillis;

fn render(template: &str, settings: &Settings, zh: bool) -> String {
    let lang = if zh {
        crate::i18n::Lang::ZhCn
    } else {
        crate::i18n::Lang::En
    };
    let affiliates = if settings.affiliates.is_empty() {
        if zh {
            "目前没有"
        } else {
            "none at present"
        }
        .to_string()
    } else {
        settings.affiliates.join(crate::i18n::list_separator(lang))
    };
    template
        .replace("{operator}", settings.operator_name.get(lang))
        .replace("{email}", &settings.contact_email)
        .replace("{affiliates}", &affiliates)
        .replace("{region}", settings.storage_region.get(lang))
}

/// The hash of a version's content: both languages, length-prefixed.
pub fn content_hash(zh: &str, en: &str) -> String {
    sha256_hex(format!("{}\n{zh}{}\n{en}", zh.len(), en.len()).as_bytes())
}

/// Publishes version 1.0 of each document if none exists yet (every start, every mode).
pub async fn ensure_initial(
    db: &Db,
    settings: &Settings,
    now: UtcMillis,
) -> Result<(), sqlx::Error> {
    for (kind, zh, en) in [
        (PolicyKind::Privacy, text::PRIVACY_ZH, text::PRIVACY_EN),
        (PolicyKind::Terms, text::TERMS_ZH, text::TERMS_EN),
    ] {
        let mut tx = db.begin().await?;
        let exists = sqlx::query("SELECT id FROM policy_documents WHERE kind = $1 LIMIT 1")
            .bind(kind.code())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            let zh = render(zh, settings, true);
            let en = render(en, settings, false);
            insert(&mut tx, kind, "1.0", now, now, &zh, &en).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Inserts a published version (the first versions; later ones go through [`drafts`]).
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    kind: PolicyKind,
    version: &str,
    published_at: UtcMillis,
    effective_at: UtcMillis,
    zh: &str,
    en: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO policy_documents (id, kind, version, published_at, effective_at, content_zh, \
         content_en, content_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(kind.code())
    .bind(version)
    .bind(published_at.0)
    .bind(effective_at.0)
    .bind(zh)
    .bind(en)
    .bind(content_hash(zh, en))
    .bind(published_at.0)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A version selected with [`SELECT`]; an unknown status fails the read, wherever it is read.
#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: String,
    #[sqlx(try_from = "String")]
    kind: PolicyKind,
    version: String,
    #[sqlx(try_from = "i64")]
    published_at: UtcMillis,
    #[sqlx(try_from = "i64")]
    effective_at: UtcMillis,
    content_zh: String,
    content_en: String,
    content_hash: String,
    material: i64,
    summary_zh: String,
    summary_en: String,
    #[sqlx(try_from = "i64")]
    updated_at: UtcMillis,
    #[sqlx(try_from = "String")]
    status: PolicyStatus,
}

impl From<PolicyRow> for PolicyVersion {
    fn from(r: PolicyRow) -> Self {
        PolicyVersion {
            id: r.id,
            kind: r.kind,
            version: r.version,
            published_at: r.published_at,
            effective_at: r.effective_at,
            content_zh: r.content_zh,
            content_en: r.content_en,
            content_hash: r.content_hash,
            material: r.material != 0,
            summary_zh: r.summary_zh,
            summary_en: r.summary_en,
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const SELECT: &str = "SELECT id, kind, version, published_at, effective_at, content_zh, content_en, content_hash, material, summary_zh, summary_en, updated_at, status FROM policy_documents";

/// Published versions only (drafts and withdrawn versions are never public).
pub(crate) const PUBLISHED: &str = "status = 'published'";

/// The version in force at `now`: the latest whose effective date has come.
pub async fn current(
    conn: &mut sqlx::AnyConnection,
    kind: PolicyKind,
    now: UtcMillis,
) -> AppResult<PolicyVersion> {
    let row: Option<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE kind = $1 AND {PUBLISHED} AND effective_at <= $2 ORDER BY effective_at DESC, published_at DESC LIMIT 1"
    )))
    .bind(kind.code())
    .bind(now.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(PolicyVersion::from).ok_or(AppError::NotFound)
}

pub async fn current_pair(db: &Db, now: UtcMillis) -> AppResult<PolicySet> {
    let mut conn = db.conn().await?;
    Ok(PolicySet {
        privacy: current(&mut conn, PolicyKind::Privacy, now).await?,
        terms: current(&mut conn, PolicyKind::Terms, now).await?,
    })
}

/// A policy page: the requested version (or the current one), the version before it (for the
/// summary of changes and the diff, P9) and the list of versions with their dates (P0.1).
pub async fn page(
    db: &Db,
    kind: PolicyKind,
    version: Option<&str>,
    now: UtcMillis,
) -> AppResult<PolicyPageData> {
    let mut conn = db.conn().await?;
    let current = current(&mut conn, kind, now).await?;
    // Withdrawn versions were announced (and e-mailed): their addresses keep working.
    let rows: Vec<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE kind = $1 AND status IN ('published', 'withdrawn') AND published_at <= $2 \
         ORDER BY effective_at DESC, published_at DESC"
    )))
    .bind(kind.code())
    .bind(now.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut all = Vec::new();
    let mut withdrawn_ids = Vec::new();
    for row in rows {
        if row.status == PolicyStatus::Withdrawn {
            withdrawn_ids.push(row.id.clone());
        }
        all.push(PolicyVersion::from(row));
    }
    let shown = match version {
        None => current.clone(),
        Some(v) => all
            .iter()
            .find(|p| p.version == v)
            .cloned()
            .ok_or(AppError::NotFound)?,
    };
    let withdrawn = withdrawn_ids.contains(&shown.id);
    all.retain(|p| !withdrawn_ids.contains(&p.id) || p.id == shown.id);
    // `all` is newest first: the version before the shown one follows it.
    let previous = all.iter().skip_while(|p| p.id != shown.id).nth(1).cloned();
    let versions = all
        .iter()
        .filter(|p| !withdrawn_ids.contains(&p.id))
        .map(|p| PolicyVersionSummary {
            version: p.version.clone(),
            published_at: p.published_at,
            effective_at: p.effective_at,
            current: p.id == current.id,
            material: p.material,
        })
        .collect();
    Ok(PolicyPageData {
        shown,
        previous,
        versions,
        withdrawn,
    })
}
