//! The messages capability (P7.1, P7.2; delivery for P1.1.2, P5.2, P5.5 and P9): the one way
//! the product tells anyone anything. A service calls [`tell`] for a login person or
//! [`tell_address`] for someone without an account yet (an invitee), in its own transaction;
//! this module decides the channels from the category, the person's preferences and their
//! `promotions` purpose ([`crate::model::messages::delivers`]), writes the in-site message and
//! queues e-mail and SMS in the outbox, which [`super::delivery`] delivers; [`send_file`] e-mails
//! a stored file (an electronic invoice) to the addresses given for it. No service writes to
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
use crate::model::sms::SmsContent;
use crate::model::{Bilingual, Lang, UtcMillis};
use sqlx::AnyConnection;

/// What to tell.
pub struct Notice<'a> {
    pub category: MessageCategory,
    pub purpose: OutboxPurpose,
    pub title: &'a Bilingual,
    pub body: &'a Bilingual,
    /// What it reports (`announcement:<id>`, `incident:<id>`), so that results can be shown per
    /// person; [`about_person`] for a notice naming someone other than its recipient (erased
    /// with that person, P6.3); empty for one-off messages.
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
            sms: None,
        };
        let idx = state.index.of("email", &email);
        let extra = outbox::Extra {
            user_id: Some(user_id),
            inbox_id: told.inbox_id.as_deref(),
            unsubscribe_url: unsubscribe.as_deref().unwrap_or(""),
            recipient_idx: &idx,
            source: notice.source,
            attachment: None,
        };
        outbox::enqueue_with(conn, cipher, &m, &extra, now).await?;
        told.channels.push(Channel::Email);
    }
    let mobile =
        (!notice.email_only && on(Channel::Sms) && state.transport.carries(OutboxChannel::Sms))
            .then(|| open(cipher, &person.mobile_enc, "users.mobile", user_id))
            .flatten()
            .and_then(|m| Mobile::parse(&m).ok());
    if let Some(mobile) = mobile {
        let title = notice.title.get(lang);
        let sms = if notice.category == MessageCategory::Promotion {
            SmsContent::promotion(title, lang)
        } else {
            SmsContent::notice(title, lang)
        };
        let links = outbox::Extra {
            user_id: Some(user_id),
            inbox_id: told.inbox_id.as_deref(),
            source: notice.source,
            ..Default::default()
        };
        queue_sms(state, conn, &mobile, links, &sms, notice.purpose, now).await?;
        told.channels.push(Channel::Sms);
    }
    Ok(told)
}

/// Queues a text message to `mobile` (a template and its variables; see
/// [`crate::model::sms`]), with the number's blind index for the limits per number; `links`
/// says whom it is for and what it reports.
async fn queue_sms(
    state: &AppState,
    conn: &mut AnyConnection,
    mobile: &Mobile,
    links: outbox::Extra<'_>,
    sms: &SmsContent,
    purpose: OutboxPurpose,
    now: UtcMillis,
) -> AppResult<String> {
    let text = sms.text();
    let m = Message {
        channel: OutboxChannel::Sms,
        recipient: mobile.as_str(),
        recipient_masked: &mobile.masked(),
        subject: &text.chars().take(40).collect::<String>(),
        body: &text,
        purpose,
        sms: Some(sms),
    };
    let idx = state.index.of("mobile", mobile.as_str());
    let extra = outbox::Extra {
        recipient_idx: &idx,
        ..links
    };
    outbox::enqueue_with(conn, &state.cipher, &m, &extra, now).await
}

/// The enterprise's active admins (login person ids), whom enterprise-wide notices reach.
pub async fn admins_of(conn: &mut AnyConnection, enterprise_id: &str) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM users WHERE enterprise_id = $1 AND role = 'admin' AND status = 'active' ORDER BY id",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The `source` of a notice that names login person `user_id` to someone else (a join request
/// to an enterprise's admins): their deletion deletes it (P6.3).
pub fn about_person(user_id: &str) -> String {
    format!("person:{user_id}")
}

/// A notice by text message to a number that is not (or no longer) a login person's (the old
/// number after a change), in the platform's first language.
pub async fn tell_mobile(
    state: &AppState,
    conn: &mut AnyConnection,
    mobile: &Mobile,
    notice: &Notice<'_>,
    now: UtcMillis,
) -> AppResult<bool> {
    if !state.transport.carries(OutboxChannel::Sms) {
        return Ok(false);
    }
    let sms = SmsContent::notice(&notice.title.zh, Lang::ZhCn);
    let links = outbox::Extra::default();
    queue_sms(state, conn, mobile, links, &sms, notice.purpose, now).await?;
    Ok(true)
}

/// An invitation to sign the worker service agreement (issue 18), or the news of its new
/// version: a text (`sms`: [`SmsContent::signing_link`] or [`SmsContent::agreement_changed`])
/// to a worker — not a login person — with the signing page's link, in Chinese (the worker has
/// no language on record). `false` when no gateway carries text messages.
pub async fn send_signing_link(
    state: &AppState,
    conn: &mut AnyConnection,
    mobile: &Mobile,
    sms: &SmsContent,
    now: UtcMillis,
) -> AppResult<bool> {
    if !state.transport.carries(OutboxChannel::Sms) {
        return Ok(false);
    }
    let links = outbox::Extra::default();
    queue_sms(
        state,
        conn,
        mobile,
        links,
        sms,
        OutboxPurpose::WorkerSigning,
        now,
    )
    .await?;
    Ok(true)
}

/// Where a one-time code goes: a text to a mobile number or an e-mail.
pub enum CodeTo<'a> {
    Mobile(&'a Mobile),
    Email(&'a Email),
}

/// Sends a one-time code (a password reset, a new mobile number or e-mail address) straight
/// to `to`, whatever the preferences (the person asked for it); it is never kept in the inbox.
/// `false` when no gateway carries text messages.
#[allow(clippy::too_many_arguments)]
pub async fn send_code(
    state: &AppState,
    conn: &mut AnyConnection,
    to: CodeTo<'_>,
    user_id: Option<&str>,
    code: &str,
    lang: Lang,
    purpose: OutboxPurpose,
    now: UtcMillis,
) -> AppResult<bool> {
    let sms = match purpose {
        OutboxPurpose::RightsVerification => SmsContent::request_code(code, lang),
        _ => SmsContent::code(code, lang),
    };
    match to {
        CodeTo::Mobile(mobile) => {
            if !state.transport.carries(OutboxChannel::Sms) {
                return Ok(false);
            }
            let links = outbox::Extra {
                user_id,
                ..Default::default()
            };
            queue_sms(state, conn, mobile, links, &sms, purpose, now).await?;
        }
        CodeTo::Email(email) => {
            let subject = match lang {
                Lang::ZhCn => "验证码",
                Lang::En => "Your verification code",
            };
            let m = Message {
                channel: OutboxChannel::Email,
                recipient: email.as_str(),
                recipient_masked: &email.masked(),
                subject,
                body: &sms.text(),
                purpose,
                sms: None,
            };
            let idx = state.index.of("email", email.as_str());
            let extra = outbox::Extra {
                user_id,
                recipient_idx: &idx,
                ..Default::default()
            };
            outbox::enqueue_with(conn, &state.cipher, &m, &extra, now).await?;
        }
    }
    Ok(true)
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

/// Someone without an account yet (an invitee), or a login person at an address that is no
/// longer theirs: e-mail, and a text message when a gateway can carry it, both in both
/// languages. Returns the channels used.
pub async fn tell_address(
    state: &AppState,
    conn: &mut AnyConnection,
    email: &Email,
    mobile: Option<&Mobile>,
    notice: &Notice<'_>,
    now: UtcMillis,
) -> AppResult<Vec<Channel>> {
    let mut used = vec![];
    if email_both_languages(state, conn, email, notice, None, now).await? {
        used.push(Channel::Email);
    }
    let mobile =
        mobile.filter(|_| !notice.email_only && state.transport.carries(OutboxChannel::Sms));
    if let Some(mobile) = mobile {
        // Someone without an account has no language yet: the platform's first one.
        let sms = SmsContent::notice(&notice.title.zh, Lang::ZhCn);
        let links = outbox::Extra::default();
        queue_sms(state, conn, mobile, links, &sms, notice.purpose, now).await?;
        used.push(Channel::Sms);
    }
    Ok(used)
}

/// An e-mail in both languages (the recipient has no account, hence no language) to `email`,
/// with `attachment` if any; `false` when no transport carries e-mail.
async fn email_both_languages(
    state: &AppState,
    conn: &mut AnyConnection,
    email: &Email,
    notice: &Notice<'_>,
    attachment: Option<outbox::Attachment<'_>>,
    now: UtcMillis,
) -> AppResult<bool> {
    if !state.transport.carries(OutboxChannel::Email) {
        return Ok(false);
    }
    let subject = format!("{} / {}", notice.title.zh, notice.title.en);
    let body = format!("{}\n\n{}", notice.body.zh, notice.body.en);
    let m = Message {
        channel: OutboxChannel::Email,
        recipient: email.as_str(),
        recipient_masked: &email.masked(),
        subject: &subject,
        body: &body,
        purpose: notice.purpose,
        sms: None,
    };
    let idx = state.index.of("email", email.as_str());
    let extra = outbox::Extra {
        recipient_idx: &idx,
        source: notice.source,
        attachment,
        ..Default::default()
    };
    outbox::enqueue_with(conn, &state.cipher, &m, &extra, now).await?;
    Ok(true)
}

/// A document (an electronic invoice, issue 17) e-mailed with its stored file attached to each
/// of `emails` — addresses the enterprise gave for receiving it, not login persons — in both
/// languages. Returns how many were queued (none when no transport carries e-mail).
pub async fn send_file(
    state: &AppState,
    conn: &mut AnyConnection,
    emails: &[Email],
    notice: &Notice<'_>,
    attachment: outbox::Attachment<'_>,
    now: UtcMillis,
) -> AppResult<usize> {
    let mut queued = 0;
    for email in emails {
        if email_both_languages(state, conn, email, notice, Some(attachment), now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
