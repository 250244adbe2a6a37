//! Delivery of the outbox (P7.1; delivery for P1.1.2 and P9). A worker claims the messages
//! that are due, hands each to a [`Transport`] and records the result:
//!
//! - **sent** when the transport accepted it (with the transport's name and the message's
//!   `Message-ID`, which is fixed per message);
//! - **pending** again after a temporary failure, due after a back-off that doubles and is
//!   jittered ([`backoff_ms`]);
//! - **dead** after [`MAX_ATTEMPTS`], at once when the transport refuses it for good (an SMTP
//!   5xx), and when a worker stopped while sending it: it may or may not have gone out, and a
//!   message is never sent twice without an operator's decision (the console's re-send, which
//!   is audited).
//!
//! Transports: SMTP ([`smtp::SmtpTransport`], configured with `--smtp-host`), or in
//! development the [`DevMailbox`], which delivers to the console's mailbox page. Texts go
//! through an [`sms::SmsGateway`] when one is configured ([`sms::Routed`]), otherwise to the
//! development mailbox; each number gets at most one a minute and ten a day (a text over the
//! limit waits, counted as `held`).

pub mod sms;
pub mod smtp;

use super::audit::{self, Actor, Event};
use super::crypto::FieldCipher;
use super::db::Db;
use super::AppState;

mod shared;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::outbox::{backoff_ms, MailboxMessage, OutboxChannel, OutboxStatus, MAX_ATTEMPTS};
use crate::model::sms::SmsContent;
use crate::model::UtcMillis;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How long a worker may hold a message it is sending before it counts as interrupted.
pub const LEASE_MS: i64 = 120_000;

/// One message, rendered for a transport.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The outbox row's id.
    pub id: String,
    pub channel: OutboxChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `<id@domain>`: the same on every attempt, so a receiver can tell a repeat.
    pub message_id: String,
    /// A promotion's one-click unsubscribe link (`List-Unsubscribe`, RFC 8058); empty for others.
    pub unsubscribe_url: String,
    /// A text message's template and variables (what an SMS gateway sends).
    pub sms: Option<SmsContent>,
    /// A file sent with an e-mail (an electronic invoice), opened from the file store.
    pub attachment: Option<OutgoingFile>,
}

/// An e-mail's attachment in clear, as the transport sends it.
#[derive(Clone)]
pub struct OutgoingFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for OutgoingFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}, {} bytes)",
            self.name,
            self.content_type,
            self.bytes.len()
        )
    }
}

/// Why a transport did not deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// Try again later (a refused connection, a 4xx reply).
    Temporary(String),
    /// Never going to work (a 5xx reply, a malformed address).
    Permanent(String),
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Where messages go.
pub trait Transport: Send + Sync {
    /// Stored with each delivered message (`smtp`, `dev_mailbox`).
    fn name(&self, channel: OutboxChannel) -> &'static str;
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a>;
    /// Whether messages of this channel can go anywhere (no SMS is queued without a gateway).
    fn carries(&self, channel: OutboxChannel) -> bool;
    /// Whether the console's development mailbox shows what was delivered.
    fn is_dev_mailbox(&self) -> bool {
        false
    }
}

/// The development transport: nothing leaves the machine; every message is kept (encrypted,
/// as in the outbox) and shown in full on the console's mailbox page.
pub struct DevMailbox;

impl Transport for DevMailbox {
    fn name(&self, _channel: OutboxChannel) -> &'static str {
        "dev_mailbox"
    }
    fn send<'a>(&'a self, _m: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async { Ok(()) })
    }
    fn carries(&self, _channel: OutboxChannel) -> bool {
        true
    }
    fn is_dev_mailbox(&self) -> bool {
        true
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub sent: u32,
    pub retried: u32,
    pub dead: u32,
    /// Texts held back by the limits per number (one a minute, ten a day).
    pub held: u32,
}

/// A message as stored: the recipient and the body encrypted (bound to the row).
#[derive(sqlx::FromRow)]
struct Sealed {
    id: String,
    #[sqlx(try_from = "String")]
    channel: OutboxChannel,
    recipient_enc: String,
    subject: String,
    body_enc: String,
    sms_enc: String,
    attachment_key: String,
    attachment_name: String,
    attachment_type: String,
}

impl Sealed {
    /// The recipient, the body and a text's template in clear.
    fn open(&self, cipher: &FieldCipher) -> Result<(String, String, Option<SmsContent>), String> {
        let open = |enc: &str, what: &str| {
            cipher
                .decrypt_text(enc, &format!("outbox.{what}:{}", self.id))
                .map_err(|e| format!("the {what} does not decrypt: {e:?}"))
        };
        let sms = match self.sms_enc.as_str() {
            "" => None,
            enc => Some(
                serde_json::from_str(&open(enc, "sms")?)
                    .map_err(|e| format!("the text's template does not read: {e}"))?,
            ),
        };
        Ok((
            open(&self.recipient_enc, "recipient")?,
            open(&self.body_enc, "body")?,
            sms,
        ))
    }
}

/// A due message as the worker reads it.
#[derive(sqlx::FromRow)]
struct DueRow {
    #[sqlx(flatten)]
    m: Sealed,
    resends: i64,
    unsubscribe_url: String,
    purpose: String,
    user_id: Option<String>,
    recipient_idx: String,
    created_at: i64,
}

/// The domain of Message-IDs: the configured sender's, or the public origin's host.
fn id_domain(state: &AppState) -> String {
    let from = state.settings.mail_from.as_str();
    from.rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// One pass: marks interrupted sends dead, then claims and sends what is due (at most 50).
/// A problem with one message never holds up the others.
pub async fn tick(state: &AppState, transport: &dyn Transport) -> AppResult<Tick> {
    tick_until(state, transport, &AtomicBool::new(false)).await
}

/// [`tick`], stopping between two messages once `stop` is set (a graceful shutdown never
/// cuts a send in half).
pub async fn tick_until(
    state: &AppState,
    transport: &dyn Transport,
    stop: &AtomicBool,
) -> AppResult<Tick> {
    // Announcements whose time has come join the inboxes and the outbox first.
    if let Err(e) = super::announcement::author::deliver_due(state).await {
        tracing::error!(error = ?e, "announcements could not be delivered");
    }
    let now = state.clock.now().0;
    let mut t = Tick::default();
    let stale = sqlx::query(
        "UPDATE outbox SET status = 'dead', claimed_until = NULL, \
         last_error = 'interrupted while sending: it may or may not have been delivered' \
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now)
    .execute(state.db.pool())
    .await?;
    t.dead += stale.rows_affected() as u32;
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT id, channel, recipient_enc, subject, body_enc, sms_enc, attachment_key, attachment_name, attachment_type, \
         resends, unsubscribe_url, purpose, user_id, recipient_idx, created_at FROM outbox \
         WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, created_at, id LIMIT 50",
    )
    .bind(now)
    .fetch_all(state.db.pool())
    .await?;
    let domain = id_domain(state);
    for row in due {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        // A promotion to someone who withdrew consent since it was queued is refused when its
        // payload is built (`shared::prepare`: no provision without consent, P3.1.1, P7.1).
        // A number gets one text a minute and ten a day: a text over the limit waits.
        if row.m.channel == OutboxChannel::Sms {
            let mut conn = state.db.conn().await?;
            if let Some(until) = sms::held_until(&mut conn, &row.recipient_idx, now).await? {
                // A code that would arrive after it stopped working is not sent at all.
                let code_minutes = match row.purpose.as_str() {
                    "password_reset"
                    | "contact_verification"
                    | "worker_signing_code"
                    | "support_verification" => Some(crate::model::sms::CODE_MINUTES),
                    "rights_verification" => Some(crate::model::rights::CODE_MINUTES),
                    _ => None,
                };
                if let Some(minutes) = code_minutes.filter(|m| until > row.created_at + m * 60_000)
                {
                    sqlx::query(
                        "UPDATE outbox SET status = 'dead', last_error = $2 WHERE id = $1 AND status = 'pending'",
                    )
                    .bind(&row.m.id)
                    .bind(format!("held past the code's {minutes} minutes by this number's limit: not sent"))
                    .execute(&mut *conn)
                    .await?;
                    t.dead += 1;
                    continue;
                }
                sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
                )
                .bind(&row.m.id)
                .bind(until)
                .bind("held: this number's limit of text messages (one a minute, ten a day)")
                .execute(&mut *conn)
                .await?;
                t.held += 1;
                continue;
            }
        }
        if let Some(outcome) = deliver_one(state, transport, &row, &domain).await? {
            match outcome {
                Outcome::Sent => t.sent += 1,
                Outcome::Retried => t.retried += 1,
                Outcome::Dead => t.dead += 1,
            }
        }
    }
    Ok(t)
}

enum Outcome {
    Sent,
    Retried,
    Dead,
}

/// Claims one due message (a compare-and-set: of two workers one wins; the lease runs from
/// the claim), hands it to the transport and records the result. `None` when another worker
/// had it.
async fn deliver_one(
    state: &AppState,
    transport: &dyn Transport,
    row: &DueRow,
    domain: &str,
) -> AppResult<Option<Outcome>> {
    let provider = shared::provider(state, row.m.channel).await?;
    let claimed_at = state.clock.now().0;
    let attempts: Option<i64> = sqlx::query_scalar(
        "UPDATE outbox SET status = 'sending', claimed_until = $2, attempts = attempts + 1, last_attempt_at = $3 \
         WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $3 RETURNING attempts",
    )
    .bind(&row.m.id)
    .bind(claimed_at + LEASE_MS)
    .bind(claimed_at)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(attempts) = attempts else {
        return Ok(None);
    };
    // Fixed across automatic retries; an operator's re-send gets a new one.
    let message_id = if row.resends == 0 {
        format!("<{}@{domain}>", row.m.id)
    } else {
        format!("<{}.r{}@{domain}>", row.m.id, row.resends)
    };
    // What the provider gets is built from its registered fields (P3.1.4).
    let now = UtcMillis(claimed_at);
    let outgoing = shared::prepare(state, &provider, row, &message_id, now).await;
    let result = match &outgoing {
        Ok((m, _)) => transport.send(m).await,
        Err(e) => Err(e.clone()),
    };
    let done = state.clock.now().0;
    if let (Ok(()), Ok((_, sent))) = (&result, &outgoing) {
        shared::log_sent(
            state,
            sent,
            row.user_id.as_deref(),
            &row.purpose,
            UtcMillis(done),
        )
        .await;
    }
    let (outcome, recorded) = match result {
        Ok(()) => (
            Outcome::Sent,
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $2, claimed_until = NULL, last_error = '', \
                 transport = $3, message_id = $4 WHERE id = $1 AND status = 'sending'",
            )
            .bind(&row.m.id)
            .bind(done)
            .bind(transport.name(row.m.channel))
            .bind(&message_id)
            .execute(state.db.pool())
            .await,
        ),
        Err(SendError::Temporary(e)) if attempts < MAX_ATTEMPTS => {
            let e = redact(&e);
            tracing::warn!(message = %row.m.id, attempts, error = %e, "delivery failed; will retry");
            let jitter = 0.5 + rand::random::<f64>();
            (
                Outcome::Retried,
                sqlx::query(
                    "UPDATE outbox SET status = 'pending', next_attempt_at = $2, claimed_until = NULL, \
                     last_error = $3 WHERE id = $1 AND status = 'sending'",
                )
                .bind(&row.m.id)
                .bind(done + backoff_ms(attempts - 1, jitter))
                .bind(e)
                .execute(state.db.pool())
                .await,
            )
        }
        Err(SendError::Temporary(e) | SendError::Permanent(e)) => {
            let e = redact(&e);
            tracing::warn!(message = %row.m.id, attempts, error = %e, "delivery given up");
            (
                Outcome::Dead,
                sqlx::query(
                    "UPDATE outbox SET status = 'dead', claimed_until = NULL, last_error = $2 \
                     WHERE id = $1 AND status = 'sending'",
                )
                .bind(&row.m.id)
                .bind(e)
                .execute(state.db.pool())
                .await,
            )
        }
    };
    match recorded {
        Ok(r) if r.rows_affected() == 1 => {}
        Ok(_) => {
            tracing::error!(message = %row.m.id, "the delivery result found the message no longer sending (its lease ran out)")
        }
        Err(e) => {
            tracing::error!(message = %row.m.id, error = %e, "could not record the delivery result")
        }
    }
    Ok(Some(outcome))
}

/// The message's attachment, opened from the file store. A file that is gone fails the message
/// for good (sending it without its file would mislead); one the store cannot read now is tried
/// again later.
async fn attachment(state: &AppState, m: &Sealed) -> Result<Option<OutgoingFile>, SendError> {
    if m.attachment_key.is_empty() {
        return Ok(None);
    }
    match super::files::open_sealed(state, &m.attachment_key, &m.attachment_key).await {
        Ok(Some(bytes)) => Ok(Some(OutgoingFile {
            name: m.attachment_name.clone(),
            content_type: m.attachment_type.clone(),
            bytes,
        })),
        Ok(None) => Err(SendError::Permanent(
            "the attachment is no longer stored".into(),
        )),
        Err(e) => Err(SendError::Temporary(format!(
            "the attachment does not open: {e:?}"
        ))),
    }
}

/// An error for the console and the log: at most 500 characters, with any e-mail address
/// (SMTP servers repeat the recipient) masked, as recipients are encrypted at rest.
fn redact(e: &str) -> String {
    e.split(' ')
        .map(|w| if w.contains('@') { "***" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect()
}

/// Sends a dead (or sent) message again: pending now, with a fresh count of attempts.
/// Audited (P5.1).
pub async fn resend(state: &AppState, actor: &Actor, id: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT status, purpose, user_id FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let (status, purpose, user_id) = row.ok_or(AppError::NotFound)?;
    let status = OutboxStatus::from_stored(&status, "outbox.status")?;
    // A promotion goes again only to someone who still allows promotions (P7.1).
    let withdrawn = match (purpose.as_str(), &user_id) {
        ("promotion", Some(user)) => {
            !super::purpose_switch::allows(
                &mut tx,
                user,
                crate::model::purpose::Purpose::Promotions,
            )
            .await?
        }
        _ => false,
    };
    if !status.resendable() || withdrawn {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::NotResendable,
        ));
    }
    // Only from dead or sent: a message a worker holds is not touched.
    let reset = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = '', \
         claimed_until = NULL, resends = resends + 1 WHERE id = $1 AND status IN ('dead', 'sent')",
    )
    .bind(id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if reset.rows_affected() != 1 {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::NotResendable,
        ));
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: None,
            action: "outbox.resend",
            target: &format!("outbox:{id}"),
            result: AuditResult::Ok,
            detail: status.code(),
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// What the development mailbox delivered, newest first, in full.
#[derive(sqlx::FromRow)]
struct MailboxRow {
    #[sqlx(flatten)]
    m: Sealed,
    message_id: String,
    sent_at: Option<i64>,
    unsubscribe_url: String,
}

pub async fn dev_mailbox(
    db: &Db,
    cipher: &FieldCipher,
    limit: u32,
) -> AppResult<Vec<MailboxMessage>> {
    let rows: Vec<MailboxRow> = sqlx::query_as(
        "SELECT id, channel, recipient_enc, subject, body_enc, sms_enc, attachment_key, attachment_name, attachment_type, \
         message_id, sent_at, unsubscribe_url FROM outbox \
         WHERE status = 'sent' AND transport = 'dev_mailbox' ORDER BY sent_at DESC, id LIMIT $1",
    )
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            let (recipient, body, _) = r.m.open(cipher).map_err(AppError::internal)?;
            Ok(MailboxMessage {
                id: r.m.id,
                channel: r.m.channel,
                recipient,
                subject: r.m.subject,
                body,
                message_id: r.message_id,
                delivered_at: r.sent_at.map(UtcMillis),
                unsubscribe_url: r.unsubscribe_url,
                attachment: r.m.attachment_name,
            })
        })
        .collect()
}

/// The delivery worker: a pass every `every`, until `stop` is set (it then finishes the
/// message in hand and returns).
pub async fn run(state: AppState, every: std::time::Duration, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        let transport = state.transport.clone();
        match tick_until(&state, transport.as_ref(), &stop).await {
            Ok(t) if t != Tick::default() => tracing::info!(?t, "delivery pass"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "delivery pass failed"),
        }
        tokio::time::sleep(every).await;
    }
}
