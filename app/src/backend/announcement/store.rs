//! SQL for announcements, identical on SQLite and PostgreSQL.

use crate::model::announcement::{Announcement, AnnouncementKind, Bilingual};
use crate::model::UtcMillis;
use sqlx::any::AnyExecutor;

/// The selected columns, as a literal so that every statement stays a static string.
macro_rules! columns {
    () => {
        "id, kind, title_zh, title_en, body_zh, body_en, published_at"
    };
}

/// An announcement as `columns!()` selects it.
#[derive(sqlx::FromRow)]
pub(super) struct AnnouncementRow {
    id: String,
    #[sqlx(try_from = "String")]
    kind: AnnouncementKind,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    published_at: i64,
}

impl From<AnnouncementRow> for Announcement {
    fn from(r: AnnouncementRow) -> Self {
        Announcement {
            id: r.id,
            kind: r.kind,
            title: Bilingual {
                zh: r.title_zh,
                en: r.title_en,
            },
            body: Bilingual {
                zh: r.body_zh,
                en: r.body_en,
            },
            published_at: UtcMillis(r.published_at),
        }
    }
}

/// Announcements published at or before `now`, newest first.
pub async fn list_published<'e>(
    ex: impl AnyExecutor<'e>,
    now: UtcMillis,
    limit: u32,
) -> Result<Vec<Announcement>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM announcements WHERE published_at <= $1 AND withdrawn_at IS NULL AND kind <> 'promotion' ORDER BY published_at DESC, id LIMIT $2"
    );
    let rows: Vec<AnnouncementRow> = sqlx::query_as(sql)
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(ex)
        .await?;
    Ok(rows.into_iter().map(Announcement::from).collect())
}

pub async fn find_published<'e>(
    ex: impl AnyExecutor<'e>,
    id: &str,
    now: UtcMillis,
) -> Result<Option<Announcement>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM announcements WHERE id = $1 AND published_at <= $2 AND withdrawn_at IS NULL AND kind <> 'promotion'"
    );
    let row: Option<AnnouncementRow> = sqlx::query_as(sql)
        .bind(id)
        .bind(now.0)
        .fetch_optional(ex)
        .await?;
    Ok(row.map(Announcement::from))
}

pub async fn insert<'e>(
    ex: impl AnyExecutor<'e>,
    a: &Announcement,
    now: UtcMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO announcements (id, kind, title_zh, title_en, body_zh, body_en, published_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&a.id)
    .bind(a.kind.code())
    .bind(&a.title.zh)
    .bind(&a.title.en)
    .bind(&a.body.zh)
    .bind(&a.body.en)
    .bind(a.published_at.0)
    .bind(now.0)
    .execute(ex)
    .await?;
    Ok(())
}
