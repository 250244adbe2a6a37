//! SQL for announcements, identical on SQLite and PostgreSQL.

use crate::model::announcement::{Announcement, AnnouncementKind, Bilingual};
use crate::model::UtcMillis;
use sqlx::any::AnyExecutor;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The selected columns, as a literal so that every statement stays a static string.
macro_rules! columns {
    () => {
        "id, kind, title_zh, title_en, body_zh, body_en, published_at"
    };
}

fn from_row(row: &AnyRow) -> Result<Announcement, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let kind = AnnouncementKind::parse(&kind).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "kind".into(),
        source: format!("unknown announcement kind {kind:?}").into(),
    })?;
    Ok(Announcement {
        id: row.try_get("id")?,
        kind,
        title: Bilingual {
            zh: row.try_get("title_zh")?,
            en: row.try_get("title_en")?,
        },
        body: Bilingual {
            zh: row.try_get("body_zh")?,
            en: row.try_get("body_en")?,
        },
        published_at: UtcMillis(row.try_get("published_at")?),
    })
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
        " FROM announcements WHERE published_at <= $1 ORDER BY published_at DESC, id LIMIT $2"
    );
    let rows = sqlx::query(sql)
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(ex)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn find_published<'e>(
    ex: impl AnyExecutor<'e>,
    id: &str,
    now: UtcMillis,
) -> Result<Option<Announcement>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM announcements WHERE id = $1 AND published_at <= $2"
    );
    let row = sqlx::query(sql)
        .bind(id)
        .bind(now.0)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert<'e>(
    ex: impl AnyExecutor<'e>,
    a: &Announcement,
    now: UtcMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO announcements (id, kind, title_zh, title_en, body_zh, body_en, published_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&a.id)
    .bind(a.kind.as_str())
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
