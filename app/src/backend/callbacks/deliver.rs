//! Delivering callbacks (issue 19). A pass claims the deliveries that are due (a lease, so two
//! processes never send one at the same time), signs each and hands it to a [`Sender`]:
//!
//! - a 2xx answer → **delivered**;
//! - anything else (another status, a redirect — never followed —, a timeout, a refused
//!   address) → tried again after a doubling back-off ([`next_attempt`]) for 24 hours from the
//!   window's start, then **failed** (the portal's re-send opens a new window).
//!
//! The signature: `X-Signature` = hex HMAC-SHA256 of `"{X-Timestamp}\n{X-Callback-Id}\n{body}"`
//! with the enterprise's signing secret (`X-Timestamp` in Unix seconds). Every delivery that
//! left the platform (the sender connected) is a sharing event to the enterprise's own systems
//! with the fields its payload carries (P3.1.3).

use super::secret_ctx;
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::callbacks::next_attempt;
use crate::model::sharing::codes;
use crate::model::UtcMillis;
use std::future::Future;
use std::pin::Pin;

/// How long a pass may hold a delivery it is sending.
const LEASE_MS: i64 = 60_000;
/// Deliveries sent in one pass at most (at once: a slow receiver holds up no other).
const BATCH: i64 = 50;

/// A callback as it is sent.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: String,
    pub url: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: String,
}

/// What the receiver did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// It answered with this status (its answer read up to the size limit; the start kept for
    /// the log when it is not 2xx).
    Answered { status: u16, excerpt: String },
    /// The request may have reached it, but no answer came (timeout, connection dropped).
    NoAnswer(String),
    /// Nothing was sent: the address is refused (not public in production, or unresolvable).
    Refused(String),
}

/// Sends one callback (the server's HTTP client, with its SSRF protection).
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, c: &'a Outgoing) -> Pin<Box<dyn Future<Output = Sent> + Send + 'a>>;
}

/// The signature of a callback's body at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, id: &str, body: &str) -> String {
    let msg = format!("{timestamp}\n{id}\n{body}");
    hex::encode(crate::backend::crypto::hmac_sha256(
        secret.as_bytes(),
        msg.as_bytes(),
    ))
}

/// What a pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: u32,
    pub retrying: u32,
    pub failed: u32,
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: String,
    enterprise_id: String,
    subject: String,
    payload: String,
    fields: String,
    window_attempts: i64,
    window_from: i64,
    url: String,
    secret_enc: String,
}

/// One pass: sends what is due (at most [`BATCH`], at once) and records each result.
pub async fn tick(state: &AppState, sender: &dyn Sender) -> AppResult<Pass> {
    let now = state.clock.now();
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT d.id, d.enterprise_id, d.subject, d.payload, d.fields, d.window_attempts, d.window_from, \
         c.url, c.secret_enc FROM callback_deliveries d \
         JOIN api_callbacks c ON c.enterprise_id = d.enterprise_id \
         WHERE d.status = 'pending' AND d.next_at <= $1 \
         AND (d.claimed_until IS NULL OR d.claimed_until < $1) \
         ORDER BY d.next_at, d.id LIMIT $2",
    )
    .bind(now.0)
    .bind(BATCH)
    .fetch_all(state.db.pool())
    .await?;
    let mut claimed = Vec::new();
    let lease = now.0 + LEASE_MS;
    for d in due {
        let won = sqlx::query(
            "UPDATE callback_deliveries SET claimed_until = $1 WHERE id = $2 AND status = 'pending' \
             AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(lease)
        .bind(&d.id)
        .bind(now.0)
        .execute(state.db.pool())
        .await?;
        if won.rows_affected() == 1 {
            claimed.push(d);
        }
    }
    let sends = claimed.into_iter().map(|d| async move {
        let secret = state
            .cipher
            .decrypt_text(&d.secret_enc, &secret_ctx(&d.enterprise_id));
        let sent = match secret {
            Ok(secret) => {
                let ts = now.0.div_euclid(1000);
                let out = Outgoing {
                    signature: sign(&secret, ts, &d.id, &d.payload),
                    id: d.id.clone(),
                    url: d.url.clone(),
                    timestamp: ts,
                    body: d.payload.clone(),
                };
                sender.send(&out).await
            }
            Err(_) => Sent::Refused("the signing secret cannot be read".into()),
        };
        (d, sent)
    });
    let results = futures_util::future::join_all(sends).await;
    let mut pass = Pass::default();
    for (d, sent) in results {
        let outcome = record(state, &d, &sent, lease).await;
        match outcome {
            Ok(Outcome::Delivered) => pass.delivered += 1,
            Ok(Outcome::Retrying) => pass.retrying += 1,
            Ok(Outcome::Failed) => pass.failed += 1,
            Err(e) => {
                tracing::error!(error = ?e, id = %d.id, "a callback's result was not recorded")
            }
        }
    }
    Ok(pass)
}

enum Outcome {
    Delivered,
    Retrying,
    Failed,
}

/// Writes one attempt's result (and, when it left the platform, its sharing event) at once.
/// The result is written only while the delivery is still as it was claimed (`lease`, its
/// window): a re-send or the address's removal meanwhile wins.
async fn record(state: &AppState, d: &DueRow, sent: &Sent, lease: i64) -> AppResult<Outcome> {
    let now = state.clock.now();
    let attempts = d.window_attempts + 1;
    let (status, error, left) = match sent {
        Sent::Answered { status, .. } if (200..300).contains(status) => {
            (Some(i64::from(*status)), String::new(), true)
        }
        Sent::Answered { status, excerpt } => {
            let e = format!(
                "HTTP {status} {}",
                excerpt.chars().take(200).collect::<String>()
            );
            (Some(i64::from(*status)), e.trim().to_string(), true)
        }
        Sent::NoAnswer(e) => (None, e.clone(), true),
        Sent::Refused(e) => (None, e.clone(), false),
    };
    let delivered = error.is_empty();
    let next = next_attempt(UtcMillis(d.window_from), attempts, now);
    let (code, outcome) = match (delivered, next) {
        (true, _) => ("delivered", Outcome::Delivered),
        (false, Some(_)) => ("pending", Outcome::Retrying),
        (false, None) => ("failed", Outcome::Failed),
    };
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE callback_deliveries SET status = $1, attempts = attempts + 1, \
         window_attempts = window_attempts + 1, last_status = $2, last_error = $3, next_at = $4, \
         claimed_until = NULL, delivered_at = CASE WHEN $1 = 'delivered' THEN $5 ELSE delivered_at END \
         WHERE id = $6 AND status = 'pending' AND claimed_until = $7 AND window_from = $8",
    )
    .bind(code)
    .bind(status)
    .bind(&error)
    .bind(next.unwrap_or(now).0)
    .bind(now.0)
    .bind(&d.id)
    .bind(lease)
    .bind(d.window_from)
    .execute(&mut *tx)
    .await?;
    // What left is logged whatever became of the delivery meanwhile.
    if left {
        match crate::backend::sharing::find(&mut tx, codes::ENTERPRISE_API).await? {
            Some(r) => {
                let fields: Vec<String> = d
                    .fields
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect();
                let whose = crate::backend::sharing::Whose {
                    enterprise_id: Some(&d.enterprise_id),
                    user_id: None,
                };
                let reference = format!("callback:{}", d.subject);
                crate::backend::sharing::record_fields(
                    &mut tx, &r, &fields, whose, &reference, now,
                )
                .await?;
            }
            None => tracing::error!(
                "no enterprise_api recipient: a callback's sharing event is not logged"
            ),
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// The callback worker: a pass every `every` with the state's sender, until the task is dropped.
pub async fn run(state: AppState, every: std::time::Duration) {
    loop {
        let sender = state.callbacks.clone();
        match tick(&state, sender.as_ref()).await {
            Ok(p) if p != Pass::default() => tracing::info!(?p, "callback pass"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "callback pass failed"),
        }
        tokio::time::sleep(every).await;
    }
}
