//! The outbox: every message the product sends (invitations, review results, policy
//! notices), written in the same transaction as what it reports, then delivered by the
//! worker in [`super::delivery`]. The console lists each with its delivery status, so nothing
//! is silently dropped. Recipients and bodies are encrypted (bodies may carry invitation
//! links).

use super::crypto::FieldCipher;
use super::db::Db;
use super::ids::new_id;
use crate::error::AppResult;
use crate::model::outbox::{OutboxChannel, OutboxItem, OutboxPurpose, OutboxStatus};
use crate::model::sms::SmsContent;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

pub struct Message<'a> {
    pub channel: OutboxChannel,
    pub recipient: &'a str,
    pub recipient_masked: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub purpose: OutboxPurpose,
    /// A text message's template and variables (the gateway sends these; `body` is the same
    /// text as the phone shows it).
    pub sms: Option<&'a SmsContent>,
}

/// What links a queued message to the rest of the product.
#[derive(Default)]
pub struct Extra<'a> {
    /// The login person it is for (none for an invitee): a withdrawal of consent cancels their
    /// pending promotions.
    pub user_id: Option<&'a str>,
    /// The in-site message it copies, if any (results per person, P5.5).
    pub inbox_id: Option<&'a str>,
    /// A promotion's one-click unsubscribe link (RFC 8058), sent as `List-Unsubscribe`.
    pub unsubscribe_url: &'a str,
    /// The recipient's blind index (a mobile's for the limits per number, an e-mail address's
    /// too): a deletion finds the messages sent to the person by it (P6.3).
    pub recipient_idx: &'a str,
    /// What it reports, as the in-site copy's `source` (`person:<id>`: erased with that person).
    pub source: &'a str,
    /// A stored file sent with an e-mail (an electronic invoice, issue 17).
    pub attachment: Option<Attachment<'a>>,
}

/// A file of the file store attached to an e-mail: it stays sealed there, and the delivery
/// worker opens it when it sends (so the outbox never holds a second copy).
#[derive(Clone, Copy, Debug)]
pub struct Attachment<'a> {
    /// The store's key; the file is sealed under `file:<key>`.
    pub key: &'a str,
    /// The name the recipient sees (`invoice-<number>.pdf`).
    pub name: &'a str,
    /// Its media type (`application/pdf`).
    pub content_type: &'a str,
}

/// Queues `m`. Only [`super::messages`] calls this: services tell people through it.
pub async fn enqueue_with(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    m: &Message<'_>,
    extra: &Extra<'_>,
    now: UtcMillis,
) -> AppResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient_enc, recipient_masked, subject, body_enc, purpose, status, created_at, \
         next_attempt_at, inbox_id, unsubscribe_url, user_id, sms_enc, recipient_idx, source, attachment_key, \
         attachment_name, attachment_type) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(&id)
    .bind(m.channel.code())
    .bind(cipher.encrypt_text(m.recipient, &format!("outbox.recipient:{id}")))
    .bind(m.recipient_masked)
    .bind(m.subject)
    .bind(cipher.encrypt_text(m.body, &format!("outbox.body:{id}")))
    .bind(m.purpose.code())
    .bind(now.0)
    .bind(extra.inbox_id)
    .bind(extra.unsubscribe_url)
    .bind(extra.user_id)
    .bind(
        m.sms
            .map(|c| {
                let json = serde_json::to_string(c).unwrap_or_default();
                cipher.encrypt_text(&json, &format!("outbox.sms:{id}"))
            })
            .unwrap_or_default(),
    )
    .bind(extra.recipient_idx)
    .bind(extra.source)
    .bind(extra.attachment.map(|a| a.key).unwrap_or(""))
    .bind(extra.attachment.map(|a| a.name).unwrap_or(""))
    .bind(extra.attachment.map(|a| a.content_type).unwrap_or(""))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// How long before an account was made a message to its number or address may be its own (an
/// invitation lasts 72 hours; a registration code minutes).
pub const BEFORE_ACCOUNT_MS: i64 = 4 * 86_400_000;

/// The messages without an owner sent to blind index `$2` since [`BEFORE_ACCOUNT_MS`] before
/// login person `$1`'s account was made (earlier ones may be a previous holder's of that number
/// or address; P6.3).
const UNOWNED_TO: &str = "WHERE user_id IS NULL AND recipient_idx = $2 AND created_at >= \
     (SELECT created_at FROM users WHERE id = $1) - ";

/// Makes the [`UNOWNED_TO`] messages login person `user_id`'s (their number or address
/// changed: their deletion will find them by their id).
pub async fn attach_unowned(conn: &mut AnyConnection, user_id: &str, idx: &str) -> AppResult<()> {
    on_unowned(conn, "UPDATE outbox SET user_id = $1", user_id, idx).await
}

/// Deletes the [`UNOWNED_TO`] messages (login person `user_id` is erased).
pub async fn forget_unowned(conn: &mut AnyConnection, user_id: &str, idx: &str) -> AppResult<()> {
    on_unowned(conn, "DELETE FROM outbox", user_id, idx).await
}

async fn on_unowned(
    conn: &mut AnyConnection,
    verb: &'static str,
    user_id: &str,
    idx: &str,
) -> AppResult<()> {
    let sql = format!("{verb} {UNOWNED_TO}{BEFORE_ACCOUNT_MS}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(idx)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An outbox row as the console lists it (codes through `TryFrom`: an unknown one fails).
#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    #[sqlx(try_from = "String")]
    channel: OutboxChannel,
    recipient_masked: String,
    subject: String,
    #[sqlx(try_from = "String")]
    purpose: OutboxPurpose,
    #[sqlx(try_from = "String")]
    status: OutboxStatus,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
    #[sqlx(try_from = "i64")]
    next_attempt_at: UtcMillis,
    last_error: String,
    transport: String,
}

impl From<ItemRow> for OutboxItem {
    fn from(r: ItemRow) -> Self {
        OutboxItem {
            id: r.id,
            channel: r.channel,
            recipient_masked: r.recipient_masked,
            subject: r.subject,
            purpose: r.purpose,
            status: r.status,
            created_at: UtcMillis(r.created_at),
            sent_at: r.sent_at.map(UtcMillis),
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            transport: r.transport,
        }
    }
}

/// The newest messages, for the console.
pub async fn list(db: &Db, limit: u32) -> AppResult<Vec<OutboxItem>> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, channel, recipient_masked, subject, purpose, status, created_at, sent_at, \
         attempts, next_attempt_at, last_error, transport FROM outbox ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(OutboxItem::from).collect())
}
