//! What a message hands its provider (issue 19): built with a [`Provision`] from the fields the
//! sharing register allows the SMS provider or the e-mail relay (P3.1.4), and logged as a
//! sharing event once sent (P3.1.3), about the login person it went to and their enterprise.
//! (A text's wording stays in this process: the SMS provider gets the template's variables.)

use crate::backend::sharing::{self, Whose};
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::provision::Consent;
use crate::model::purpose::Purpose;
use crate::model::sharing::{codes, Provision, ProvisionError, Recipient};

/// Why a promotion was not sent.
pub(super) const CONSENT_WITHDRAWN: &str = "consent to promotions withdrawn";
use crate::model::sms::SmsContent;
use crate::model::UtcMillis;

/// The register's recipient that `channel`'s messages go to.
pub(super) async fn provider(state: &AppState, channel: OutboxChannel) -> AppResult<Recipient> {
    let code = match channel {
        OutboxChannel::Sms => codes::SMS_PROVIDER,
        OutboxChannel::Email => codes::MAIL_RELAY,
    };
    let mut conn = state.db.conn().await?;
    sharing::recipient(&mut conn, code).await
}

/// The payload for the provider: the address, and the text's variables or the e-mail's subject
/// and body — on the person's `consent` for a consent-based message (a promotion), on the
/// provider's registered basis otherwise (P3.1.1).
#[allow(clippy::too_many_arguments)]
pub(super) fn build<'a>(
    provider: &'a Recipient,
    consent: Option<&Consent>,
    channel: OutboxChannel,
    recipient: String,
    subject: &str,
    body: String,
    sms: Option<&SmsContent>,
    now: UtcMillis,
) -> Result<Provision<'a>, ProvisionError> {
    let p = match consent {
        Some(c) => Provision::with_consent(provider, c, now)?,
        None => Provision::new(provider, now)?,
    };
    let p = p.put("outbox.recipient_enc", recipient)?;
    match (channel, sms) {
        (OutboxChannel::Sms, Some(sms)) => p.put("outbox.sms_enc", sms.param_json()),
        (OutboxChannel::Sms, None) => Ok(p),
        (OutboxChannel::Email, _) => p
            .put("outbox.subject", subject)?
            .put("outbox.body_enc", body),
    }
}

/// Logs a sent message (`purpose`: the outbox's, as the reference). A failure to log is
/// reported, never undoes the delivery.
pub(super) async fn log_sent(
    state: &AppState,
    sent: &Provision<'_>,
    user_id: Option<&str>,
    purpose: &str,
    now: UtcMillis,
) {
    let result = async {
        let mut conn = state.db.conn().await?;
        let enterprise = match user_id {
            Some(u) => sharing::enterprise_of(&mut conn, u).await?,
            None => None,
        };
        let whose = Whose {
            enterprise_id: enterprise.as_deref(),
            user_id,
        };
        sharing::record(&mut conn, sent, whose, purpose, now).await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "could not log a message's sharing event");
    }
}

/// The message `row` as its provider gets it, built from the provider's registered fields, and
/// what was put in (for the log). A message that cannot be opened or built fails for good.
pub(super) async fn prepare<'a>(
    state: &AppState,
    provider: &'a Recipient,
    row: &super::DueRow,
    message_id: &str,
    now: UtcMillis,
) -> Result<(super::Outgoing, Provision<'a>), super::SendError> {
    use super::SendError;
    let (ch, subject) = (row.m.channel, row.m.subject.as_str());
    // A promotion rests on its person's consent as it stands now (P3.1.1, P7.1): without it,
    // nothing goes to the provider.
    let consent = if row.purpose == OutboxPurpose::Promotion.code() {
        let Some(user) = row.user_id.as_deref() else {
            return Err(SendError::Permanent(
                "a promotion without its person".into(),
            ));
        };
        let consent = async {
            let mut conn = state.db.conn().await?;
            sharing::consent(&mut conn, user, Purpose::Promotions).await
        }
        .await
        .map_err(|e| SendError::Temporary(e.to_string()))?;
        Some(consent.ok_or_else(|| SendError::Permanent(CONSENT_WITHDRAWN.into()))?)
    } else {
        None
    };
    let (recipient, body, sms) = row.m.open(&state.cipher).map_err(SendError::Permanent)?;
    let sent = build(
        provider,
        consent.as_ref(),
        ch,
        recipient,
        subject,
        body.clone(),
        sms.as_ref(),
        now,
    )
    .map_err(|e| SendError::Permanent(e.to_string()))?;
    let attachment = super::attachment(state, &row.m).await?;
    // An e-mail's subject and body are the relay's; a text's wording stays here (the
    // development mailbox shows it), its variables go to the provider.
    let email = ch == OutboxChannel::Email;
    let m = super::Outgoing {
        id: row.m.id.clone(),
        channel: ch,
        recipient: sent.get("outbox.recipient_enc").to_string(),
        subject: if email {
            sent.get("outbox.subject").to_string()
        } else {
            row.m.subject.clone()
        },
        body: if email {
            sent.get("outbox.body_enc").to_string()
        } else {
            body
        },
        message_id: message_id.to_string(),
        unsubscribe_url: row.unsubscribe_url.clone(),
        sms,
        attachment,
    };
    Ok((m, sent))
}
