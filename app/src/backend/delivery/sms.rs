//! Text messages (P7.1): the [`SmsGateway`] trait a provider's adapter implements (Alibaba
//! Cloud's `SendSms` in `server::sms`), the [`Routed`] transport that sends e-mail one way and
//! texts the other, and the limits per number ([`crate::model::sms::wait_until`]) the worker
//! keeps before it hands a text to the gateway.

use super::{Outgoing, SendError, SendFuture, Transport};
use crate::error::AppResult;
use crate::model::outbox::OutboxChannel;
use crate::model::sms::{wait_until, SmsContent};
use sqlx::AnyConnection;
use std::sync::Arc;

/// A provider that sends registered templates to mobile numbers.
pub trait SmsGateway: Send + Sync {
    /// Stored with each text it accepted (`aliyun_sms`).
    fn name(&self) -> &'static str;
    /// Sends `sms` to `mobile` (11 digits); `out_id` is ours (the outbox id), which the
    /// provider echoes in its delivery reports.
    fn send<'a>(&'a self, mobile: &'a str, sms: &'a SmsContent, out_id: &'a str) -> SendFuture<'a>;
}

/// E-mail through `email` (SMTP or the development mailbox); texts through the gateway when
/// one is configured, otherwise through `email` if it carries them (the development mailbox
/// does; SMTP does not).
pub struct Routed {
    pub email: Arc<dyn Transport>,
    pub sms: Option<Arc<dyn SmsGateway>>,
}

impl Transport for Routed {
    fn name(&self, channel: OutboxChannel) -> &'static str {
        match (channel, &self.sms) {
            (OutboxChannel::Sms, Some(g)) => g.name(),
            _ => self.email.name(channel),
        }
    }
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a> {
        match (m.channel, &self.sms) {
            (OutboxChannel::Sms, Some(g)) => match &m.sms {
                Some(sms) => g.send(&m.recipient, sms, &m.id),
                None => Box::pin(async {
                    Err(SendError::Permanent(
                        "queued without a template (before the SMS gateway existed)".into(),
                    ))
                }),
            },
            _ => self.email.send(m),
        }
    }
    fn carries(&self, channel: OutboxChannel) -> bool {
        match channel {
            OutboxChannel::Sms => self.sms.is_some() || self.email.carries(channel),
            OutboxChannel::Email => self.email.carries(channel),
        }
    }
    fn is_dev_mailbox(&self) -> bool {
        self.email.is_dev_mailbox()
    }
}

/// When the next text to the number with blind index `idx` may go (`None`: now), from the
/// texts the gateway was handed in the last day.
pub async fn held_until(conn: &mut AnyConnection, idx: &str, now: i64) -> AppResult<Option<i64>> {
    if idx.is_empty() {
        return Ok(None);
    }
    let sent: Vec<i64> = sqlx::query_scalar(
        "SELECT last_attempt_at FROM outbox WHERE recipient_idx = $1 AND channel = 'sms' \
         AND status IN ('sent', 'sending') AND last_attempt_at > $2",
    )
    .bind(idx)
    .bind(now - 86_400_000)
    .fetch_all(&mut *conn)
    .await?;
    Ok(wait_until(&sent, now))
}
