//! Customer service's SQL (issue 18 §3): tickets read into summaries, the thread and its
//! files, guarded status changes, and erasure.

use crate::error::AppResult;
use crate::model::application::FileKind;
use crate::model::support::{
    AttachmentView, Author, Targets, ThreadMessage, TicketCategory, TicketStatus, TicketSummary,
    Verification, VerifyMethod,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

const COLUMNS: &str = "t.id, t.enterprise_id, e.name AS enterprise_name, u.name AS opened_by, \
    t.category, t.subject, t.status, t.verify_method, t.verify_requested_at, t.verified_at, \
    t.created_at, t.updated_at, t.first_response_at, t.resolved_at, t.closed_at";

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: String,
    enterprise_id: String,
    enterprise_name: String,
    opened_by: String,
    #[sqlx(try_from = "String")]
    category: TicketCategory,
    subject: String,
    #[sqlx(try_from = "String")]
    status: TicketStatus,
    verify_method: String,
    verify_requested_at: Option<i64>,
    verified_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    #[sqlx(try_from = "i64")]
    updated_at: UtcMillis,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
}

impl TicketRow {
    fn summary(self, targets: Targets, now: UtcMillis) -> AppResult<TicketSummary> {
        let method = match self.verify_method.as_str() {
            "" => None,
            code => Some(VerifyMethod::from_stored(
                code,
                "support_tickets.verify_method",
            )?),
        };
        let first_response_at = self.first_response_at.map(UtcMillis);
        let resolved_at = self.resolved_at.map(UtcMillis);
        let closed_at = self.closed_at.map(UtcMillis);
        Ok(TicketSummary {
            timeliness: targets.timeliness(
                self.created_at,
                first_response_at,
                resolved_at.or(closed_at),
                now,
            ),
            id: self.id,
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name,
            opened_by: self.opened_by,
            category: self.category,
            subject: self.subject,
            status: self.status,
            verification: Verification::from_parts(
                method,
                self.verify_requested_at,
                self.verified_at,
            ),
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_response_at,
            resolved_at,
            closed_at,
        })
    }
}

/// Tickets matching `filter` (with `$1`… bound to `args`), at most 500: the newest (a
/// customer's list), or with `oldest_first` the oldest (the queue: the longest waiting are never
/// the ones left out).
pub async fn summaries(
    conn: &mut AnyConnection,
    filter: &str,
    args: &[&str],
    targets: Targets,
    now: UtcMillis,
    oldest_first: bool,
) -> AppResult<Vec<TicketSummary>> {
    let order = if oldest_first { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM support_tickets t JOIN enterprises e ON e.id = t.enterprise_id \
         JOIN users u ON u.id = t.opened_by WHERE {filter} ORDER BY t.created_at {order}, t.id LIMIT 500"
    );
    let mut q = sqlx::query_as::<_, TicketRow>(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.into_iter().map(|r| r.summary(targets, now)).collect()
}

/// What a step on a ticket needs to know, its row locked for the transaction (an update that
/// changes nothing: two steps at once take turns on both engines).
#[derive(sqlx::FromRow)]
pub struct Locked {
    pub id: String,
    pub enterprise_id: String,
    pub opened_by: String,
    pub subject: String,
    #[sqlx(try_from = "String")]
    pub status: TicketStatus,
    pub verify_method: String,
    pub verified_at: Option<i64>,
    pub rating: Option<i64>,
}

pub async fn lock(conn: &mut AnyConnection, id: &str) -> AppResult<Option<Locked>> {
    sqlx::query("UPDATE support_tickets SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_as(
        "SELECT id, enterprise_id, opened_by, subject, status, verify_method, verified_at, rating \
         FROM support_tickets WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Moves a ticket from `from` to `to`, setting `extra` (SQL with `$3` = now) too.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    from: TicketStatus,
    to: TicketStatus,
    extra: &str,
    now: UtcMillis,
) -> AppResult<bool> {
    let sets = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    let sql = format!(
        "UPDATE support_tickets SET status = $4, updated_at = $3{sets} WHERE id = $1 AND status = $2"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(from.code())
        .bind(now.0)
        .bind(to.code())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends one of the platform's notes (stored as its code, shown in the reader's language).
pub async fn note(
    conn: &mut AnyConnection,
    ticket_id: &str,
    note: crate::model::support::SystemNote,
    now: UtcMillis,
) -> AppResult<String> {
    add_message(conn, ticket_id, Author::System, "", "", note.code(), now).await
}

/// Appends a message to the thread; its id.
pub async fn add_message(
    conn: &mut AnyConnection,
    ticket_id: &str,
    author: Author,
    author_id: &str,
    author_name: &str,
    body: &str,
    now: UtcMillis,
) -> AppResult<String> {
    let id = crate::backend::ids::new_id();
    sqlx::query(
        "INSERT INTO support_messages (id, ticket_id, seq, author, author_id, author_name, body, created_at) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM support_messages WHERE ticket_id = $2), \
         $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(ticket_id)
    .bind(author.code())
    .bind(author_id)
    .bind(author_name)
    .bind(body)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: String,
    #[sqlx(try_from = "String")]
    author: Author,
    author_name: String,
    body: String,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: String,
    message_id: String,
    file_name: String,
    kind: String,
    size_bytes: i64,
}

/// The thread, oldest first, with each message's files.
pub async fn thread(conn: &mut AnyConnection, ticket_id: &str) -> AppResult<Vec<ThreadMessage>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, author, author_name, body, created_at FROM support_messages \
         WHERE ticket_id = $1 ORDER BY seq",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    let files: Vec<AttachmentRow> = sqlx::query_as(
        "SELECT id, message_id, file_name, kind, size_bytes FROM support_attachments \
         WHERE ticket_id = $1 ORDER BY created_at, id",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut attachments = Vec::new();
        for f in files.iter().filter(|f| f.message_id == r.id) {
            let kind = FileKind::from_mime(&f.kind).ok_or_else(|| {
                crate::model::UnknownCode::new("FileKind", "support_attachments.kind", &f.kind)
            })?;
            attachments.push(AttachmentView {
                id: f.id.clone(),
                name: f.file_name.clone(),
                kind,
                size: f.size_bytes,
            });
        }
        out.push(ThreadMessage {
            id: r.id,
            author: r.author,
            author_name: r.author_name,
            body: r.body,
            at: r.created_at,
            attachments,
        });
    }
    Ok(out)
}

/// A ticket's rating and its note, once given.
pub async fn rating(conn: &mut AnyConnection, id: &str) -> AppResult<Option<(u8, String)>> {
    let row: Option<(Option<i64>, String)> =
        sqlx::query_as("SELECT rating, rating_note FROM support_tickets WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(r, note)| Some((u8::try_from(r?).ok()?, note))))
}

/// An attached file's row: whose ticket it is on, and what to send.
#[derive(sqlx::FromRow)]
pub struct FileRow {
    pub id: String,
    pub ticket_id: String,
    pub enterprise_id: String,
    pub opened_by: String,
    pub file_name: String,
    pub kind: String,
}

pub async fn file(conn: &mut AnyConnection, id: &str) -> AppResult<Option<FileRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.ticket_id, t.enterprise_id, t.opened_by, a.file_name, a.kind \
         FROM support_attachments a JOIN support_tickets t ON t.id = a.ticket_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Deletes the tickets `filter` selects (`$1` bound to `arg`) with their threads, files and
/// codes; the stored files to delete once committed.
pub async fn erase(conn: &mut AnyConnection, filter: &str, arg: &str) -> AppResult<Vec<String>> {
    let which = format!("SELECT id FROM support_tickets WHERE {filter}");
    let files: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM support_attachments WHERE ticket_id IN ({which})"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    // The notices that told the customer of the ticket go with it (they may quote a reply).
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM inbox_messages WHERE source IN (SELECT 'support_ticket:' || id FROM support_tickets WHERE {filter})"
    )))
    .bind(arg)
    .execute(&mut *conn)
    .await?;
    for table in [
        "support_attachments",
        "support_messages",
        "support_verify_codes",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE ticket_id IN ({which})"
        )))
        .bind(arg)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM support_tickets WHERE {filter}"
    )))
    .bind(arg)
    .execute(&mut *conn)
    .await?;
    Ok(files)
}
