//! Forgotten passwords (P5.2; delivery through the outbox, P7.1). A login person asks with
//! their mobile number or e-mail address; if an active account has it, a link goes to its
//! e-mail address. The answer is the same whether or not the account exists, so the form
//! cannot tell anyone who has an account. The link's token is random, kept only as its
//! SHA-256, valid for 30 minutes and once. Setting the new password ends every session of
//! the account, and the user is told by e-mail.

use super::codes;
use super::login;
use super::sessions::{self, ClientMeta, PrincipalKind};
use super::users::{self, UserRow};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::{random_token, sha256_hex};
use crate::backend::ids::new_id;
use crate::backend::messages;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{AccountStatus, LoginId, Password};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::conflict::Conflict;
use crate::model::messages::MessageCategory;
use crate::model::net::rate_key;
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::{Bilingual, UtcMillis};

/// How long a reset link or code works (the code's text says so).
pub const RESET_TTL_MS: i64 = crate::model::sms::CODE_MINUTES * 60_000;
/// Links sent to one account in an hour, at most.
pub const RESETS_PER_HOUR: i64 = 3;

fn actor_of(user: &UserRow, meta: &ClientMeta) -> Actor {
    Actor {
        kind: ActorKind::User,
        id: user.id.clone(),
        role: user
            .role
            .map(|r| r.code())
            .unwrap_or("applicant")
            .to_string(),
        ip: meta.ip.clone(),
    }
}

/// How a reset was sent: a link by e-mail, or a code by text message to the number typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SentBy {
    Email,
    /// To this number (as typed, normalised: `13800000000`).
    Sms(String),
}

/// Sends a reset link (to the account's e-mail) or, when a mobile number was typed and a
/// gateway carries texts, a six-digit code to that number, if an active account has this
/// login; answers the same either way (it depends only on what was typed).
/// `origin` makes the link absolute (`https://platform.example`).
pub async fn request(
    state: &AppState,
    login_input: &str,
    origin: &str,
    meta: &ClientMeta,
) -> AppResult<SentBy> {
    let now = state.clock.now();
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let login_id = LoginId::parse(login_input).map_err(|r| AppError::invalid("login", r))?;
    let by = match &login_id {
        LoginId::Mobile(m) if state.transport.carries(OutboxChannel::Sms) => {
            SentBy::Sms(m.as_str().to_string())
        }
        _ => SentBy::Email,
    };
    let mut conn = state.db.conn().await?;
    let Some(user) = users::find_by_login(&mut conn, &state.index, &login_id).await? else {
        return Ok(by);
    };
    drop(conn);
    if user.status != AccountStatus::Active {
        return Ok(by);
    }
    let mut tx = state.db.begin().await?;
    // Three links an hour per account, so the form cannot be used to flood a mailbox.
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2",
    )
    .bind(&user.id)
    .bind(now.0 - 3_600_000)
    .fetch_one(&mut *tx)
    .await?;
    if recent >= RESETS_PER_HOUR {
        return Ok(by);
    }
    if let (SentBy::Sms(_), LoginId::Mobile(mobile)) = (&by, &login_id) {
        send_code(state, &mut tx, &user, mobile, meta, now).await?;
        tx.commit().await?;
        return Ok(by);
    }
    let token = random_token();
    let id = new_id();
    insert_reset(
        &mut tx,
        &id,
        &user.id,
        &sha256_hex(token.as_bytes()),
        "email",
        meta,
        now,
    )
    .await?;
    let link = format!("{}/reset-password/{token}", origin.trim_end_matches('/'));
    let title = Bilingual::new("重置密码", "Reset your password");
    let body = Bilingual::new(
        format!("{name}，您好：\n\n请在 30 分钟内打开以下链接设置新密码（链接只能使用一次）：\n{link}\n\n如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。", name = user.name),
        format!("Hello {name},\n\nOpen this link within 30 minutes to set a new password (it works once):\n{link}\n\nIf you did not ask for this, ignore this e-mail; your password stays as it is.", name = user.name),
    );
    tell(
        state,
        &mut tx,
        &user,
        meta,
        Step {
            title: &title,
            body: &body,
            purpose: OutboxPurpose::PasswordReset,
            email_only: true,
            action: "password.reset_requested",
            detail: "link sent by e-mail",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(by)
}

/// Records a reset: kept only as a hash, valid [`RESET_TTL_MS`].
#[allow(clippy::too_many_arguments)]
async fn insert_reset(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    user_id: &str,
    hash: &str,
    channel: &str,
    meta: &ClientMeta,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO password_resets (id, user_id, token_hash, expires_at, used_at, ip, created_at, channel) \
         VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
    )
    .bind(id)
    .bind(user_id)
    .bind(hash)
    .bind(now.0 + RESET_TTL_MS)
    .bind(&meta.ip)
    .bind(now.0)
    .bind(channel)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A six-digit code by text message to the account's own number (the number typed, which is
/// the account's), valid 30 minutes, five tries.
async fn send_code(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user: &UserRow,
    mobile: &crate::model::account::Mobile,
    meta: &ClientMeta,
    now: UtcMillis,
) -> AppResult<()> {
    let code = codes::new_code();
    let id = new_id();
    let hash = codes::hash(codes::Table::PasswordResets, &id, &code);
    insert_reset(conn, &id, &user.id, &hash, "sms", meta, now).await?;
    let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_optional(&mut *conn)
        .await?;
    let lang = lang
        .as_deref()
        .and_then(crate::model::Lang::parse)
        .unwrap_or_default();
    messages::send_code(
        state,
        conn,
        messages::CodeTo::Mobile(mobile),
        Some(&user.id),
        &code,
        lang,
        OutboxPurpose::PasswordReset,
        now,
    )
    .await?;
    audit::append(
        conn,
        &Event {
            enterprise_id: user.enterprise_id.as_deref(),
            ..Event::ok(
                &actor_of(user, meta),
                "password.reset_requested",
                &format!("user:{}", user.id),
                "code sent by text message",
            )
        },
        now,
    )
    .await?;
    Ok(())
}

/// A step of a reset: what the user is told (a security notice), and the audit entry.
struct Step<'a> {
    title: &'a Bilingual,
    body: &'a Bilingual,
    purpose: OutboxPurpose,
    /// The link is a secret: by e-mail only, never kept in the inbox.
    email_only: bool,
    action: &'a str,
    detail: &'a str,
}

/// Tells the user (through the message centre) and records the step in the audit log, in the
/// caller's transaction.
async fn tell(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user: &UserRow,
    meta: &ClientMeta,
    step: Step<'_>,
    now: UtcMillis,
) -> AppResult<()> {
    let notice = messages::Notice {
        category: MessageCategory::Security,
        purpose: step.purpose,
        title: step.title,
        body: step.body,
        source: "",
        email_only: step.email_only,
    };
    messages::tell(state, conn, &user.id, &notice, now).await?;
    audit::append(
        conn,
        &Event {
            actor: &actor_of(user, meta),
            enterprise_id: user.enterprise_id.as_deref(),
            action: step.action,
            target: &format!("user:{}", user.id),
            result: AuditResult::Ok,
            detail: step.detail,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The reset a token names, if it can still be used: an unknown token is `NotFound`, a used
/// or expired one a conflict the page words.
async fn usable(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    now: UtcMillis,
) -> AppResult<(String, String)> {
    let row: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1 AND channel = 'email'",
    )
    .bind(sha256_hex(token.trim().as_bytes()))
    .fetch_optional(&mut *conn)
    .await?;
    let (id, user_id, expires_at, used_at) = row.ok_or(AppError::NotFound)?;
    if used_at.is_some() {
        return Err(AppError::Conflict(Conflict::ResetUsed));
    }
    if expires_at <= now.0 {
        return Err(AppError::Conflict(Conflict::ResetExpired));
    }
    Ok((id, user_id))
}

/// Whether a reset link still works (the page asks before showing the form).
pub async fn check(state: &AppState, token: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    usable(&mut conn, token, state.clock.now())
        .await
        .map(|_| ())
}

/// Sets the new password with a reset link: the link is used up, every session of the
/// account ends, the user is told by e-mail, and it is audited.
pub async fn reset(
    state: &AppState,
    token: &str,
    new_password: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    let password = Password::parse(new_password).map_err(|r| AppError::invalid("password", r))?;
    let hash = login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    let (id, user_id) = usable(&mut tx, token, now).await?;
    // Used once: of two requests with the same link, one wins.
    let claimed =
        sqlx::query("UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(&id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::ResetUsed));
    }
    let user = users::get(&mut tx, &user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    finish(state, &mut tx, &user, &hash, meta, "link", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the new password with the code sent by text message to `mobile`: a wrong code counts
/// against the code's five tries, and a wrong code, an unknown number and an expired code are
/// the same answer. The code is used up, every session ends, the user is told, it is audited.
pub async fn reset_with_code(
    state: &AppState,
    mobile: &str,
    code: &str,
    new_password: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let mobile =
        crate::model::account::Mobile::parse(mobile).map_err(|r| AppError::invalid("login", r))?;
    let code = code.trim();
    if !codes::well_formed(code) {
        return Err(AppError::invalid("code", crate::error::Rule::Format));
    }
    let password = Password::parse(new_password).map_err(|r| AppError::invalid("password", r))?;
    let hash = login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    let user = users::find_by_login(&mut tx, &state.index, &LoginId::Mobile(mobile)).await?;
    let Some(user) = user.filter(|u| u.status == AccountStatus::Active) else {
        return Err(AppError::Conflict(Conflict::ResetCodeWrong));
    };
    let live: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, token_hash FROM password_resets WHERE user_id = $1 AND channel = 'sms' \
         AND used_at IS NULL AND expires_at > $2 AND attempts < $3 ORDER BY created_at DESC",
    )
    .bind(&user.id)
    .bind(now.0)
    .bind(codes::TRIES)
    .fetch_all(&mut *tx)
    .await?;
    if codes::redeem(&mut tx, codes::Table::PasswordResets, &live, code, now)
        .await?
        .is_none()
    {
        // The tries taken count.
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::ResetCodeWrong));
    }
    finish(state, &mut tx, &user, &hash, meta, "text-message code", now).await?;
    tx.commit().await?;
    Ok(())
}

/// The end of a reset, in its transaction: the password set, every session ended, every other
/// reset of the account used up, the user told, the step audited.
async fn finish(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user: &UserRow,
    hash: &str,
    meta: &ClientMeta,
    how: &str,
    now: UtcMillis,
) -> AppResult<()> {
    if user.status != AccountStatus::Active {
        // Disabled since the link was sent: the link no longer works.
        return Err(AppError::NotFound);
    }
    users::set_password(&mut *tx, &user.id, hash, now).await?;
    let ended = sessions::end_all(&mut *tx, PrincipalKind::User, &user.id).await?;
    // Any other link of this account stops working too.
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(&user.id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    let title = Bilingual::new("密码已更改", "Your password was changed");
    let body = Bilingual::new(
        format!("{name}，您好：\n\n您的登录密码已于刚才通过“忘记密码”重新设置，所有已登录的设备均已退出。如果这不是您本人的操作，请立即联系企业管理员或平台客服。", name = user.name),
        format!("Hello {name},\n\nYour password was just reset with \"forgotten password\", and every device was logged out. If this was not you, contact your admin or the platform's support at once.", name = user.name),
    );
    tell(
        state,
        tx,
        user,
        meta,
        Step {
            title: &title,
            body: &body,
            purpose: OutboxPurpose::PasswordChanged,
            email_only: false,
            action: "password.reset",
            detail: &format!("by {how}; {ended} sessions ended"),
        },
        now,
    )
    .await
}
