//! The open API's callbacks (issue 19): the enterprise's admin sets a callback address and gets
//! a signing secret (kept encrypted, bound to the enterprise, shown once); status changes of its
//! payment orders, invoice applications and tasks are queued ([`events`]) in the transaction
//! that makes them, and a worker POSTs each, signed, retrying for 24 hours ([`deliver`]). The
//! portal shows the latest deliveries, and the admin can re-send one. Setting, removing and
//! re-sending are audited; every delivery sent is a sharing event to the enterprise's own
//! systems (P3.1.3), its payload built from their registered fields only (P3.1.4).

pub mod deliver;
pub mod events;

use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::callbacks::{
    CallbackEvent, CallbackSaved, CallbackSettings, DeliveryStatus, DeliveryView,
};
use crate::model::conflict::Conflict;
use crate::model::UtcMillis;

/// The encryption context of an enterprise's signing secret: bound to the enterprise.
fn secret_ctx(enterprise_id: &str) -> String {
    format!("api_callbacks.secret:{enterprise_id}")
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: String,
    event: String,
    subject: String,
    status: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: String,
    created_at: i64,
    next_at: i64,
    delivered_at: Option<i64>,
}

impl DeliveryRow {
    fn view(self) -> AppResult<DeliveryView> {
        let bad = |c: &str| AppError::internal(format!("callback_deliveries.{c} is unknown"));
        let status = DeliveryStatus::from_code(&self.status).ok_or_else(|| bad("status"))?;
        Ok(DeliveryView {
            event: CallbackEvent::from_code(&self.event).ok_or_else(|| bad("event"))?,
            id: self.id,
            subject: self.subject,
            status,
            attempts: self.attempts,
            last_status: self.last_status,
            last_error: self.last_error,
            created_at: UtcMillis(self.created_at),
            next_at: (status == DeliveryStatus::Pending).then_some(UtcMillis(self.next_at)),
            delivered_at: self.delivered_at.map(UtcMillis),
        })
    }
}

/// The enterprise's callback address and its latest 50 deliveries, newest first.
pub async fn settings(state: &AppState, enterprise_id: &str) -> AppResult<CallbackSettings> {
    let mut conn = state.db.conn().await?;
    let set: Option<(String, i64)> =
        sqlx::query_as("SELECT url, set_at FROM api_callbacks WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_optional(&mut *conn)
            .await?;
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT id, event, subject, status, attempts, last_status, last_error, created_at, next_at, \
         delivered_at FROM callback_deliveries WHERE enterprise_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 50",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(CallbackSettings {
        url: set.as_ref().map(|(u, _)| u.clone()),
        set_at: set.map(|(_, at)| UtcMillis(at)),
        deliveries: rows
            .into_iter()
            .map(DeliveryRow::view)
            .collect::<AppResult<_>>()?,
    })
}

/// An address's scheme, host and port, for the audit trail (its path and query may carry the
/// enterprise's own tokens).
fn origin(url: &str) -> String {
    match crate::model::callbacks::target(url) {
        Some(t) => format!(
            "{}://{}:{}",
            if t.https { "https" } else { "http" },
            t.host,
            t.port
        ),
        None => "-".into(),
    }
}

/// Sets the callback address (`None`: removes it, and the deliveries still waiting fail). The
/// first address, or `new_secret`, issues a signing secret, answered this once.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    url: Option<&str>,
    new_secret: bool,
) -> AppResult<CallbackSaved> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let had: Option<String> =
        sqlx::query_scalar("SELECT url FROM api_callbacks WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_optional(&mut *tx)
            .await?;
    let target = format!("api_callback:{enterprise_id}");
    let (action, detail, secret) = match (url, had.is_some()) {
        (None, _) => {
            sqlx::query("DELETE FROM api_callbacks WHERE enterprise_id = $1")
                .bind(enterprise_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE callback_deliveries SET status = 'failed', claimed_until = NULL, \
                 last_error = 'the callback address was removed' \
                 WHERE enterprise_id = $1 AND status = 'pending'",
            )
            .bind(enterprise_id)
            .execute(&mut *tx)
            .await?;
            ("api_callback.remove", String::new(), None)
        }
        (Some(url), true) => {
            let secret = new_secret.then(crate::backend::crypto::random_token);
            sqlx::query(
                "UPDATE api_callbacks SET url = $1, set_by = $2, set_at = $3, \
                 secret_enc = COALESCE($4, secret_enc) WHERE enterprise_id = $5",
            )
            .bind(url)
            .bind(&actor.id)
            .bind(now.0)
            .bind(
                secret
                    .as_ref()
                    .map(|s| state.cipher.encrypt_text(s, &secret_ctx(enterprise_id))),
            )
            .bind(enterprise_id)
            .execute(&mut *tx)
            .await?;
            let detail = format!("url={} new_secret={}", origin(url), secret.is_some());
            ("api_callback.set", detail, secret)
        }
        (Some(url), false) => {
            let secret = crate::backend::crypto::random_token();
            sqlx::query(
                "INSERT INTO api_callbacks (enterprise_id, url, secret_enc, set_by, set_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(enterprise_id)
            .bind(url)
            .bind(
                state
                    .cipher
                    .encrypt_text(&secret, &secret_ctx(enterprise_id)),
            )
            .bind(&actor.id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            let detail = format!("url={} new_secret=true", origin(url));
            ("api_callback.set", detail, Some(secret))
        }
    };
    let event = Event::in_enterprise(actor, enterprise_id, action, &target, &detail);
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(CallbackSaved {
        url: url.map(str::to_string),
        secret,
    })
}

/// Sends a delivery again now, with a new 24-hour window (another enterprise's is not found).
pub async fn resend(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    id: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let set: Option<String> =
        sqlx::query_scalar("SELECT url FROM api_callbacks WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_optional(&mut *tx)
            .await?;
    let done = sqlx::query(
        "UPDATE callback_deliveries SET status = 'pending', window_from = $1, next_at = $1, \
         window_attempts = 0, claimed_until = CASE WHEN claimed_until > $1 THEN claimed_until END \
         WHERE id = $2 AND enterprise_id = $3",
    )
    .bind(now.0)
    .bind(id)
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    if set.is_none() {
        return Err(AppError::Conflict(Conflict::NoCallbackAddress));
    }
    let target = format!("callback_delivery:{id}");
    let event = Event::in_enterprise(actor, enterprise_id, "api_callback.resend", &target, "");
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}
