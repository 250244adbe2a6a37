//! The outbox: messages waiting for delivery (invitations, review results). Until the
//! messages capability sends them, the console lists them with their status, so nothing is
//! silently dropped. Recipients and bodies are encrypted (bodies may carry invitation links).

use super::crypto::FieldCipher;
use super::db::Db;
use super::ids::new_id;
use crate::error::{AppError, AppResult};
use crate::model::outbox::OutboxItem;
use crate::model::UtcMillis;
use sqlx::{AnyConnection, Row};

pub struct Message<'a> {
    /// `email` or `sms`.
    pub channel: &'a str,
    pub recipient: &'a str,
    pub recipient_masked: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// `invitation`, `application_result`, …
    pub purpose: &'a str,
}

pub async fn enqueue(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    m: &Message<'_>,
    now: UtcMillis,
) -> AppResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient_enc, recipient_masked, subject, body_enc, purpose, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
    )
    .bind(&id)
    .bind(m.channel)
    .bind(cipher.encrypt_text(m.recipient, &format!("outbox.recipient:{id}")))
    .bind(m.recipient_masked)
    .bind(m.subject)
    .bind(cipher.encrypt_text(m.body, &format!("outbox.body:{id}")))
    .bind(m.purpose)
    .bind(now.0)
    .execute(&mut *conn)
    .await
    .map_err(AppError::internal)?;
    Ok(id)
}

/// The newest messages, for the console.
pub async fn list(db: &Db, limit: u32) -> AppResult<Vec<OutboxItem>> {
    let rows = sqlx::query(
        "SELECT id, channel, recipient_masked, subject, purpose, status, created_at, sent_at \
         FROM outbox ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(db.pool())
    .await
    .map_err(AppError::internal)?;
    rows.iter()
        .map(|r| {
            Ok(OutboxItem {
                id: r.try_get("id")?,
                channel: r.try_get("channel")?,
                recipient_masked: r.try_get("recipient_masked")?,
                subject: r.try_get("subject")?,
                purpose: r.try_get("purpose")?,
                status: r.try_get("status")?,
                created_at: UtcMillis(r.try_get("created_at")?),
                sent_at: r.try_get::<Option<i64>, _>("sent_at")?.map(UtcMillis),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::internal)
}
