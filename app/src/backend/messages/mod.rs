//! The messages capability (P7.1, P7.2; delivery for P1.1.2, P5.2, P5.5 and P9): the one way
//! the product tells anyone anything. A service calls [`tell`] for a login person or
//! [`tell_address`] for someone without an account yet (an invitee), in its own transaction;
//! this module decides the channels from the category, the person's preferences and their
//! `promotions` purpose ([`crate::model::messages::delivers`]), writes the in-site message and
//! queues e-mail and SMS in the outbox, which [`super::delivery`] delivers. No service writes to
//! the outbox or a transport itself.

pub mod inbox;
pub mod prefs;

use super::crypto::FieldCipher;
use super::outbox::{self, Message};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{Email, Mobile};
use crate::model::messages::{delivers, Channel, MessageCategory};
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::{Bilingual, Lang, UtcMillis};
use sqlx::AnyConnection;

/// What to tell.
pub struct Notice<'a> {
    pub category: MessageCategory,
    pub purpose: OutboxPurpose,
    pub title: &'a Bilingual,
    pub body: &'a Bilingual,
    /// What it reports (`announcement:<id>`, `incident:<id>`), so that results can be shown per
    /// person; empty for one-off messages.
    pub source: &'a str,
    /// The body carries a secret (a password-reset link): it goes by e-mail only and is not kept
    /// in the inbox.
    pub email_only: bool,
}

/// Where a message went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Told {
    /// The in-site message, when one was written.
    pub inbox_id: Option<String>,
    /// Every channel it was written or queued on.
    pub channels: Vec<Channel>,
}

/// The person being told, as [`tell`] reads them.
#[derive(sqlx::FromRow)]
struct Recipient {
    email_enc: String,
    mobile_enc: String,
    #[sqlx(try_from = "String")]
    lang: LangCode,
}

/// A stored language tag.
struct LangCode(Lang);

impl TryFrom<String> for LangCode {
    type Error = crate::model::UnknownCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Lang::parse(&s)
            .map(LangCode)
            .ok_or_else(|| crate::model::UnknownCode::new("Lang", "users.lang", &s))
    }
}

/// Tells login person `user_id` about `notice` on every channel their preferences allow, in the
/// caller's transaction (a message goes out exactly when what it reports is committed).
pub async fn tell(
    state: &AppState,
    conn: &mut AnyConnection,
    user_id: &str,
    notice: &Notice<'_>,
    now: UtcMillis,
) -> AppResult<Told> {
    let person: Recipient =
        sqlx::query_as("SELECT email_enc, mobile_enc, lang FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    let choices = prefs::choices(conn, user_id, notice.category).await?;
    let allowed = notice.category == MessageCategory::Promotion
        && super::purpose_switch::allows(conn, user_id, crate::model::purpose::Purpose::Promotions)
            .await?;
    let on = |channel| delivers(notice.category, choices.get(&channel).copied(), allowed);
    let mut told = Told::default();
    if !notice.email_only && on(Channel::InSite) {
        told.inbox_id = Some(inbox::write(conn, user_id, notice, now).await?);
        told.channels.push(Channel::InSite);
    }
    let lang = person.lang.0;
    let unsubscribe = (notice.category == MessageCategory::Promotion)
        .then(|| prefs::unsubscribe_url(state, user_id));
    let cipher = &state.cipher;
    let email = on(Channel::Email)
        .then(|| open(cipher, &person.email_enc, "users.email", user_id))
        .flatten();
    if let Some(email) = email {
        let masked = Email::parse(&email).map(|e| e.masked()).unwrap_or_default();
        let mut body = notice.body.get(lang).to_string();
        if let Some(url) = &unsubscribe {
            body.push_str(&match lang {
                Lang::ZhCn => format!("\n\n不想再收到推广消息？退订：{url}"),
                Lang::En => format!("\n\nNo more promotions? Unsubscribe: {url}"),
            });
        }
        let m = Message {
            channel: OutboxChannel::Email,
            recipient: &email,
            recipient_masked: &masked,
            subject: notice.title.get(lang),
            body: &body,
            purpose: notice.purpose,
        };
        let extra = outbox::Extra {
            user_id: Some(user_id),
            inbox_id: told.inbox_id.as_deref(),
            unsubscribe_url: unsubscribe.as_deref().unwrap_or(""),
        };
        outbox::enqueue_with(conn, cipher, &m, &extra, now).await?;
        told.channels.push(Channel::Email);
    }
    let mobile =
        (!notice.email_only && on(Channel::Sms) && state.transport.carries(OutboxChannel::Sms))
            .then(|| open(cipher, &person.mobile_enc, "users.mobile", user_id))
            .flatten();
    if let Some(mobile) = mobile {
        let masked = Mobile::parse(&mobile)
            .map(|m| m.masked())
            .unwrap_or_default();
        let text = sms_text(notice, lang);
        let m = Message {
            channel: OutboxChannel::Sms,
            recipient: &mobile,
            recipient_masked: &masked,
            subject: notice.title.get(lang),
            body: &text,
            purpose: notice.purpose,
        };
        let extra = outbox::Extra {
            user_id: Some(user_id),
            inbox_id: told.inbox_id.as_deref(),
            unsubscribe_url: "",
        };
        outbox::enqueue_with(conn, cipher, &m, &extra, now).await?;
        told.channels.push(Channel::Sms);
    }
    Ok(told)
}

/// A text message: the title and the body. (The carriers' opt-out wording, "拒收请回复T", comes
/// with an SMS gateway that reports the replies; until then no text promises it.)
fn sms_text(notice: &Notice<'_>, lang: Lang) -> String {
    format!("{}：{}", notice.title.get(lang), notice.body.get(lang))
}

/// A stored contact in clear; one that no longer decrypts is logged and that channel skipped,
/// so that one damaged row never holds up a notice to everyone else.
fn open(cipher: &FieldCipher, enc: &str, column: &str, id: &str) -> Option<String> {
    match cipher.decrypt_text(enc, &format!("{column}:{id}")) {
        Ok(clear) => Some(clear),
        Err(e) => {
            tracing::warn!(user = %id, column, error = ?e, "a channel skipped: the stored contact does not decrypt");
            None
        }
    }
}

/// Someone without an account yet (an invitee): e-mail, and a text message when a gateway can
/// carry it, both in both languages. Returns the channels used.
pub async fn tell_address(
    state: &AppState,
    conn: &mut AnyConnection,
    email: &Email,
    mobile: Option<&Mobile>,
    notice: &Notice<'_>,
    now: UtcMillis,
) -> AppResult<Vec<Channel>> {
    let subject = format!("{} / {}", notice.title.zh, notice.title.en);
    let body = format!("{}\n\n{}", notice.body.zh, notice.body.en);
    let mut used = vec![];
    let mut to = vec![(
        OutboxChannel::Email,
        Channel::Email,
        email.as_str(),
        email.masked(),
    )];
    if let Some(m) = mobile.filter(|_| !notice.email_only) {
        to.push((OutboxChannel::Sms, Channel::Sms, m.as_str(), m.masked()));
    }
    for (channel, used_as, recipient, masked) in to {
        if !state.transport.carries(channel) {
            continue;
        }
        let m = Message {
            channel,
            recipient,
            recipient_masked: &masked,
            subject: &subject,
            body: &body,
            purpose: notice.purpose,
        };
        outbox::enqueue(conn, &state.cipher, &m, now).await?;
        used.push(used_as);
    }
    Ok(used)
}
