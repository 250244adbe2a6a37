//! The inbox of the message centre (消息中心, P7.1): in-site messages per login person, read one
//! by one or all at once. A person only ever reaches their own messages: every statement is
//! bound to the caller's user id.

use super::Notice;
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::messages::{Inbox, InboxMessage, MessageCategory, INBOX_PAGE};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

pub(super) async fn write(
    conn: &mut AnyConnection,
    user_id: &str,
    notice: &Notice<'_>,
    now: UtcMillis,
) -> AppResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO inbox_messages (id, user_id, category, title_zh, title_en, body_zh, body_en, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(notice.category.code())
    .bind(&notice.title.zh)
    .bind(&notice.title.en)
    .bind(&notice.body.zh)
    .bind(&notice.body.en)
    .bind(notice.source)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    #[sqlx(try_from = "String")]
    category: MessageCategory,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    read_at: Option<i64>,
}

impl From<Row> for InboxMessage {
    fn from(r: Row) -> Self {
        InboxMessage {
            id: r.id,
            category: r.category,
            title: Bilingual::new(r.title_zh, r.title_en),
            body: Bilingual::new(r.body_zh, r.body_en),
            created_at: r.created_at,
            read_at: r.read_at.map(UtcMillis),
        }
    }
}

/// A cursor: the creation time and id of the last message shown.
fn parse_cursor(c: &str) -> AppResult<(i64, String)> {
    c.split_once('.')
        .and_then(|(at, id)| Some((at.parse().ok()?, id.to_string())))
        .ok_or_else(|| AppError::invalid("cursor", crate::error::Rule::Format))
}

/// The caller's messages, newest first, from `cursor`; with the unread count.
pub async fn list(state: &AppState, user_id: &str, cursor: Option<&str>) -> AppResult<Inbox> {
    let (before_at, before_id) = match cursor.filter(|c| !c.is_empty()) {
        Some(c) => parse_cursor(c)?,
        None => (i64::MAX, String::new()),
    };
    let mut conn = state.db.conn().await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, category, title_zh, title_en, body_zh, body_en, created_at, read_at FROM inbox_messages \
         WHERE user_id = $1 AND (created_at < $2 OR (created_at = $2 AND id > $3)) \
         ORDER BY created_at DESC, id LIMIT $4",
    )
    .bind(user_id)
    .bind(before_at)
    .bind(&before_id)
    .bind(i64::from(INBOX_PAGE) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut messages: Vec<InboxMessage> = rows.into_iter().map(InboxMessage::from).collect();
    let next_cursor = (messages.len() > INBOX_PAGE as usize).then(|| {
        messages.truncate(INBOX_PAGE as usize);
        let last = &messages[messages.len() - 1];
        format!("{}.{}", last.created_at.0, last.id)
    });
    Ok(Inbox {
        messages,
        unread: unread(&mut conn, user_id).await?,
        next_cursor,
    })
}

/// How many of the caller's messages are unread (the top bar's badge).
pub async fn unread(conn: &mut AnyConnection, user_id: &str) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox_messages WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks one of the caller's messages read. Someone else's id, or an unknown one, is
/// `NotFound`; a message already read stays read at its first time.
pub async fn mark_read(state: &AppState, user_id: &str, id: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    let mine: Option<String> =
        sqlx::query_scalar("SELECT id FROM inbox_messages WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    mine.ok_or(AppError::NotFound)?;
    sqlx::query(
        "UPDATE inbox_messages SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(state.clock.now().0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks every unread message of the caller read; returns how many.
pub async fn mark_all_read(state: &AppState, user_id: &str) -> AppResult<u32> {
    let done = sqlx::query(
        "UPDATE inbox_messages SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .bind(state.clock.now().0)
    .execute(state.db.pool())
    .await?;
    Ok(u32::try_from(done.rows_affected()).unwrap_or(u32::MAX))
}
