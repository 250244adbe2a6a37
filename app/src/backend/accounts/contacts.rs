//! Changing a login person's mobile number or e-mail address (P1.1.2, P5.2): the current
//! password, then a six-digit code sent to the **new** address (a text message or an e-mail);
//! the change takes effect only when the code is entered. A code is kept as a hash, works for
//! 30 minutes and five tries; a newer request for the same kind replaces the older one. The
//! person is told (security notice) once it took effect; every step is audited.

use super::codes;
use super::users::{self, UserRow};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::messages::{self, CodeTo};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{ContactKind, Email, Mobile, PendingContact};
use crate::model::conflict::Conflict;
use crate::model::messages::MessageCategory;
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::{Bilingual, Lang, UtcMillis};
use sqlx::AnyConnection;

/// How long a code works (the text says so).
pub const CODE_TTL_MS: i64 = crate::model::sms::CODE_MINUTES * 60_000;
/// Codes one person may ask for in an hour.
pub const CODES_PER_HOUR: i64 = 5;

/// A new address, parsed.
pub enum NewContact<'a> {
    Mobile(&'a Mobile),
    Email(&'a Email),
}

impl NewContact<'_> {
    fn kind(&self) -> ContactKind {
        match self {
            NewContact::Mobile(_) => ContactKind::Mobile,
            NewContact::Email(_) => ContactKind::Email,
        }
    }
    fn value(&self) -> &str {
        match self {
            NewContact::Mobile(m) => m.as_str(),
            NewContact::Email(e) => e.as_str(),
        }
    }
    fn masked(&self) -> String {
        match self {
            NewContact::Mobile(m) => m.masked(),
            NewContact::Email(e) => e.masked(),
        }
    }
}

/// The language `user_id` chose for messages.
pub async fn lang_of(conn: &mut AnyConnection, user_id: &str) -> AppResult<Lang> {
    let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(lang.as_deref().and_then(Lang::parse).unwrap_or_default())
}

/// Sends a code to `new` for `user`, in the caller's transaction (the password was checked).
pub async fn start(
    state: &AppState,
    conn: &mut AnyConnection,
    user: &UserRow,
    new: NewContact<'_>,
    actor: &Actor,
    now: UtcMillis,
) -> AppResult<()> {
    if matches!(new, NewContact::Mobile(_)) && !state.transport.carries(OutboxChannel::Sms) {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contact_changes WHERE user_id = $1 AND created_at > $2",
    )
    .bind(&user.id)
    .bind(now.0 - 3_600_000)
    .fetch_one(&mut *conn)
    .await?;
    if recent >= CODES_PER_HOUR {
        return Err(AppError::RateLimited);
    }
    let kind = new.kind();
    // A newer request replaces the older one of the same kind.
    sqlx::query(
        "UPDATE contact_changes SET used_at = $3 WHERE user_id = $1 AND kind = $2 AND used_at IS NULL",
    )
    .bind(&user.id)
    .bind(kind.code())
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let id = new_id();
    let code = codes::new_code();
    sqlx::query(
        "INSERT INTO contact_changes (id, user_id, kind, value_enc, value_masked, code_hash, attempts, \
         expires_at, used_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, NULL, $8)",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(kind.code())
    .bind(state.cipher.encrypt_text(new.value(), &format!("contact_changes.value:{id}")))
    .bind(new.masked())
    .bind(codes::hash(codes::Table::ContactChanges, &id, &code))
    .bind(now.0 + CODE_TTL_MS)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let to = match &new {
        NewContact::Mobile(m) => CodeTo::Mobile(m),
        NewContact::Email(e) => CodeTo::Email(e),
    };
    let lang = lang_of(conn, &user.id).await?;
    messages::send_code(
        state,
        conn,
        to,
        Some(&user.id),
        &code,
        lang,
        OutboxPurpose::ContactVerification,
        now,
    )
    .await?;
    let target = format!("user:{}", user.id);
    let event = Event {
        enterprise_id: user.enterprise_id.as_deref(),
        ..Event::ok(
            actor,
            "profile.contact_change_requested",
            &target,
            kind.code(),
        )
    };
    audit::append(conn, &event, now).await?;
    Ok(())
}

/// The changes waiting for their code.
pub async fn pending(
    conn: &mut AnyConnection,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<Vec<PendingContact>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kind, value_masked, expires_at FROM contact_changes \
         WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY kind",
    )
    .bind(user_id)
    .bind(now.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(kind, masked, expires_at)| {
            Ok(PendingContact {
                kind: ContactKind::from_stored(&kind, "contact_changes.kind")?,
                masked,
                expires_at: UtcMillis(expires_at),
            })
        })
        .collect()
}

/// Enters the code for the pending change of `kind`: a right one makes it take effect (unless
/// someone else took the address meanwhile), a wrong one counts against the five tries.
pub async fn confirm(
    state: &AppState,
    user: &UserRow,
    kind: &str,
    code: &str,
    actor: &Actor,
) -> AppResult<()> {
    let now = state.clock.now();
    let kind = ContactKind::from_code(kind).ok_or(AppError::invalid("kind", Rule::Format))?;
    let code = code.trim();
    if !codes::well_formed(code) {
        return Err(AppError::invalid("code", Rule::Format));
    }
    let mut tx = state.db.begin().await?;
    let live: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, code_hash FROM contact_changes WHERE user_id = $1 AND kind = $2 \
         AND used_at IS NULL AND expires_at > $3 AND attempts < $4 ORDER BY created_at DESC",
    )
    .bind(&user.id)
    .bind(kind.code())
    .bind(now.0)
    .bind(codes::TRIES)
    .fetch_all(&mut *tx)
    .await?;
    let Some(id) = codes::redeem(&mut tx, codes::Table::ContactChanges, &live, code, now).await?
    else {
        // The tries taken count.
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::ContactCodeWrong));
    };
    let value_enc: String =
        sqlx::query_scalar("SELECT value_enc FROM contact_changes WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
    let value = state
        .cipher
        .decrypt_text(&value_enc, &format!("contact_changes.value:{id}"))
        .map_err(AppError::internal)?;
    // Only this column changes (a name saved meanwhile is kept); someone may have taken the
    // address since the code was sent: the unique index says so.
    let (new, masked, old) = match kind {
        ContactKind::Mobile => {
            let new = Mobile::parse(&value).map_err(|r| AppError::invalid("mobile", r))?;
            let old = Mobile::parse(&user.mobile(&state.cipher)?).ok();
            (
                new.as_str().to_string(),
                new.masked(),
                old.map(OldContact::Mobile),
            )
        }
        ContactKind::Email => {
            let new = Email::parse(&value).map_err(|r| AppError::invalid("email", r))?;
            let old = Email::parse(&user.email(&state.cipher)?).ok();
            (
                new.as_str().to_string(),
                new.masked(),
                old.map(OldContact::Email),
            )
        }
    };
    let (cipher, index) = (&state.cipher, &state.index);
    users::set_contact(&mut tx, cipher, index, &user.id, kind, &new, now).await?;
    let target = format!("user:{}", user.id);
    let event = Event {
        enterprise_id: user.enterprise_id.as_deref(),
        ..Event::ok(actor, "profile.contact_changed", &target, kind.code())
    };
    audit::append(&mut tx, &event, now).await?;
    let (zh, en) = match kind {
        ContactKind::Mobile => ("手机号", "mobile number"),
        ContactKind::Email => ("邮箱", "e-mail address"),
    };
    let title = Bilingual::new(format!("您的{zh}已更改"), format!("Your {en} was changed"));
    let body = Bilingual::new(
        format!("{name}，您好：\n\n您账号的{zh}已更改为 {masked}。如果这不是您本人的操作，请立即修改密码并联系企业管理员或平台客服。", name = user.name),
        format!("Hello {name},\n\nYour account's {en} is now {masked}. If this was not you, change your password and contact your admin or the platform's support at once.", name = user.name),
    );
    let notice = messages::Notice {
        category: MessageCategory::Security,
        purpose: OutboxPurpose::ContactChanged,
        title: &title,
        body: &body,
        source: "",
        email_only: false,
    };
    messages::tell(state, &mut tx, &user.id, &notice, now).await?;
    // The old address is told too: if someone else made the change, its owner learns of it.
    match &old {
        Some(OldContact::Mobile(m)) => {
            messages::tell_mobile(state, &mut tx, m, &notice, now).await?;
        }
        Some(OldContact::Email(e)) => {
            messages::tell_address(state, &mut tx, e, None, &notice, now).await?;
        }
        None => {}
    }
    // Messages to the old number or address without an owner since shortly before the account
    // was made (an invitation, a code, the notice just queued) are theirs from now on: their
    // deletion finds them by their id (P6.3).
    let old_idx = match &old {
        Some(OldContact::Mobile(m)) => Some(state.index.of("mobile", m.as_str())),
        Some(OldContact::Email(e)) => Some(state.index.of("email", e.as_str())),
        None => None,
    };
    if let Some(idx) = old_idx {
        crate::backend::outbox::attach_unowned(&mut tx, &user.id, &idx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The address a change replaced.
enum OldContact {
    Mobile(Mobile),
    Email(Email),
}
