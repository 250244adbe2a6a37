//! What a message hands its provider (issue 19): built with a [`Provision`] from the fields the
//! sharing register allows the SMS provider or the e-mail relay (P3.1.4), and logged as a
//! sharing event once sent (P3.1.3), about the login person it went to and their enterprise.
//! (A text's wording stays in this process: the SMS provider gets the template's variables.)

use crate::backend::sharing::{self, Whose};
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::outbox::OutboxChannel;
use crate::model::sharing::{codes, Provision, ProvisionError, Recipient};
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
/// and body.
pub(super) fn build<'a>(
    provider: &'a Recipient,
    channel: OutboxChannel,
    recipient: String,
    subject: &str,
    body: String,
    sms: Option<&SmsContent>,
    now: UtcMillis,
) -> Result<Provision<'a>, ProvisionError> {
    let p = Provision::new(provider, now)?.put("outbox.recipient_enc", recipient)?;
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
    let (recipient, body, sms) = row.m.open(&state.cipher).map_err(SendError::Permanent)?;
    let sent = build(
        provider,
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
