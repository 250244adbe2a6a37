//! Message preferences (P7.1, P7.2) and one-click unsubscribe (RFC 8058).
//!
//! Choices are stored per user, category and channel; a pair never chosen is on. Mandatory
//! categories cannot be stored off. The promotions switch is the consent centre's
//! `promotions` purpose itself ([`crate::backend::purposes`]), so the two pages, and the
//! unsubscribe link, change one fact and record it the same way (time, truncated IP, user
//! agent, audit).

use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::{hmac_sha256, hmac_sha256_verify};
use crate::backend::request::ClientMeta;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::messages::{delivers, Channel, MessageCategory, Preference, Preferences};
use crate::model::purpose::Purpose;
use crate::model::Lang;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// The stored choices of `user_id` for `category`, by channel.
pub async fn choices(
    conn: &mut AnyConnection,
    user_id: &str,
    category: MessageCategory,
) -> AppResult<HashMap<Channel, bool>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT channel, enabled FROM message_preferences WHERE user_id = $1 AND category = $2",
    )
    .bind(user_id)
    .bind(category.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(c, on)| {
            Ok((
                Channel::from_stored(&c, "message_preferences.channel")?,
                on != 0,
            ))
        })
        .collect::<Result<_, crate::model::UnknownCode>>()
        .map_err(AppError::from)
}

/// The caller's preferences page.
pub async fn get(state: &AppState, user_id: &str) -> AppResult<Preferences> {
    let mut conn = state.db.conn().await?;
    let promotions_allowed =
        crate::backend::purpose_switch::allows(&mut conn, user_id, Purpose::Promotions).await?;
    let mut switches = Vec::new();
    for &category in MessageCategory::ALL {
        let chosen = choices(&mut conn, user_id, category).await?;
        for &channel in Channel::ALL {
            switches.push(Preference {
                category,
                channel,
                on: delivers(category, chosen.get(&channel).copied(), promotions_allowed),
                locked: category.mandatory(),
            });
        }
    }
    let lang: String = sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Preferences {
        switches,
        promotions_allowed,
        lang: Lang::parse(&lang).unwrap_or_default(),
    })
}

/// Turns `category` on `channel` on or off for the caller. Audited.
pub async fn set(
    state: &AppState,
    actor: &Actor,
    category: MessageCategory,
    channel: Channel,
    on: bool,
) -> AppResult<()> {
    if category.mandatory() {
        return Err(AppError::invalid("category", Rule::Mandatory));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO message_preferences (user_id, category, channel, enabled, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, category, channel) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
    )
    .bind(&actor.id)
    .bind(category.code())
    .bind(channel.code())
    .bind(i64::from(on))
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "{} {} {}",
        category.code(),
        channel.code(),
        if on { "on" } else { "off" }
    );
    let event = Event {
        actor,
        enterprise_id: None,
        action: "messages.preference",
        target: &format!("user:{}", actor.id),
        result: AuditResult::Ok,
        detail: &detail,
    };
    audit::append(&mut tx, &event, now).await?;
    Ok(tx.commit().await?)
}

/// The language of the caller's e-mails and text messages.
pub async fn set_lang(state: &AppState, user_id: &str, lang: Lang) -> AppResult<()> {
    sqlx::query("UPDATE users SET lang = $2 WHERE id = $1")
        .bind(user_id)
        .bind(lang.code())
        .execute(state.db.pool())
        .await?;
    Ok(())
}

fn mac(state: &AppState, user_id: &str) -> [u8; 32] {
    hmac_sha256(
        state.session_key.as_bytes(),
        format!("unsubscribe:promotions:{user_id}").as_bytes(),
    )
}

/// The signed one-click link carried by every promotion (`List-Unsubscribe`, RFC 8058). It
/// names the user and is signed with the server's key, so it works without a login and cannot
/// be made for anyone else.
pub fn unsubscribe_url(state: &AppState, user_id: &str) -> String {
    let origin = state
        .settings
        .public_origin
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    format!(
        "{origin}/unsubscribe/{user_id}.{}",
        hex::encode(mac(state, user_id))
    )
}

/// Unsubscribes the user a link names from promotions on every channel: the `promotions`
/// purpose is withdrawn, recorded and audited as a withdrawal in the consent centre would be
/// (P7.1, P6.4). A forged or damaged link is `NotFound`; a second use changes nothing.
pub async fn unsubscribe(state: &AppState, token: &str, meta: &ClientMeta) -> AppResult<()> {
    let (user_id, tag) = token.split_once('.').ok_or(AppError::NotFound)?;
    let tag = hex::decode(tag).map_err(|_| AppError::NotFound)?;
    let signed = format!("unsubscribe:promotions:{user_id}");
    if !hmac_sha256_verify(state.session_key.as_bytes(), signed.as_bytes(), &tag) {
        return Err(AppError::NotFound);
    }
    withdraw_promotions(state, user_id, meta, "unsubscribe link").await
}

/// A reply that opts out of promotions (回R, 回T, 退订…) to a text, as the SMS provider reports
/// it: the consent of the login person with that mobile number is withdrawn, recorded as any
/// withdrawal ("promotions via SMS reply"). A number nobody has, or a reply that is not an
/// opt-out, changes nothing. Returns whether a withdrawal was recorded.
pub async fn opt_out_by_reply(
    state: &AppState,
    mobile: &str,
    reply: &str,
    meta: &ClientMeta,
) -> AppResult<bool> {
    if !crate::model::sms::is_opt_out(reply) {
        return Ok(false);
    }
    // The provider may send +86 or 86 before the 11 digits.
    let digits: String = mobile.chars().filter(char::is_ascii_digit).collect();
    let national = digits
        .strip_prefix("86")
        .filter(|d| d.len() == 11)
        .unwrap_or(&digits);
    let Ok(mobile) = crate::model::account::Mobile::parse(national) else {
        return Ok(false);
    };
    let mut conn = state.db.conn().await?;
    let user: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE mobile_idx = $1")
        .bind(state.index.of("mobile", mobile.as_str()))
        .fetch_optional(&mut *conn)
        .await?;
    drop(conn);
    let Some(user_id) = user else {
        return Ok(false);
    };
    withdraw_promotions(state, &user_id, meta, "SMS reply").await?;
    Ok(true)
}

/// Withdraws `user_id`'s consent to promotions on their own behalf (a link or a reply, without
/// a login), unless it is withdrawn already.
async fn withdraw_promotions(
    state: &AppState,
    user_id: &str,
    meta: &ClientMeta,
    via: &str,
) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    let role: Option<Option<String>> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let role = role.ok_or(AppError::NotFound)?;
    if !crate::backend::purpose_switch::allows(&mut conn, user_id, Purpose::Promotions).await? {
        return Ok(());
    }
    drop(conn);
    let actor = Actor {
        kind: ActorKind::User,
        id: user_id.to_string(),
        role: role.unwrap_or_else(|| "applicant".into()),
        ip: meta.ip.clone(),
    };
    crate::backend::purpose_switch::set_via(
        state,
        user_id,
        Purpose::Promotions,
        false,
        &actor,
        meta,
        via,
    )
    .await
}
