//! Consent records (P2.1, P2.2): every cookie decision, with the proof a user or regulator
//! asks for — consent id, categories, revision, method, language, user agent, truncated IP,
//! time. A visitor's records are linked to their account when they log in.

use crate::backend::db::Db;
use crate::backend::request::ClientMeta;
use crate::error::AppError;
use crate::model::consent::{ConsentMethod, ConsentRecordView, CookieCategory, COOKIE_REVISION};
use crate::model::UtcMillis;

/// One decision to record.
pub struct Decision<'a> {
    pub consent_id: &'a str,
    pub user_id: Option<&'a str>,
    pub convenience: bool,
    pub method: ConsentMethod,
    pub lang: &'a str,
}

pub async fn record(
    db: &Db,
    d: &Decision<'_>,
    meta: &ClientMeta,
    now: UtcMillis,
) -> Result<(), AppError> {
    let categories = if d.convenience {
        [CookieCategory::Necessary, CookieCategory::Convenience]
            .map(CookieCategory::code)
            .join(",")
    } else {
        CookieCategory::Necessary.code().to_string()
    };
    let user_agent = meta.stored_agent();
    sqlx::query(
        "INSERT INTO consent_records (id, consent_id, user_id, categories, revision, method, lang, user_agent, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(crate::backend::ids::new_id())
    .bind(d.consent_id)
    .bind(d.user_id)
    .bind(categories)
    .bind(i64::from(COOKIE_REVISION))
    .bind(d.method.code())
    .bind(d.lang)
    .bind(user_agent)
    .bind(meta.stored_ip())
    .bind(now.0)
    .execute(db.pool())
    .await
    ?;
    Ok(())
}

/// Links a visitor's earlier decisions to the account they just logged in to.
pub async fn link_to_user(db: &Db, consent_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consent_records SET user_id = $1 WHERE consent_id = $2 AND user_id IS NULL",
    )
    .bind(user_id)
    .bind(consent_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// One cookie decision as the user's history shows it.
#[derive(sqlx::FromRow)]
struct RecordRow {
    consent_id: String,
    categories: String,
    revision: i64,
    #[sqlx(try_from = "String")]
    method: ConsentMethod,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

impl TryFrom<RecordRow> for ConsentRecordView {
    type Error = AppError;
    fn try_from(r: RecordRow) -> Result<Self, AppError> {
        Ok(ConsentRecordView {
            consent_id: r.consent_id,
            categories: CookieCategory::list_from_stored(
                &r.categories,
                "consent_records.categories",
            )?,
            revision: u32::try_from(r.revision).map_err(|_| {
                AppError::internal(format!(
                    "consent_records.revision out of range: {}",
                    r.revision
                ))
            })?,
            method: r.method,
            at: r.created_at,
        })
    }
}

/// The user's own decisions, newest first.
pub async fn history(db: &Db, user_id: &str) -> Result<Vec<ConsentRecordView>, AppError> {
    let rows: Vec<RecordRow> = sqlx::query_as(
        "SELECT consent_id, categories, revision, method, created_at FROM consent_records \
         WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 200",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(ConsentRecordView::try_from).collect()
}
