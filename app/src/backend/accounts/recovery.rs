//! Forgotten passwords (P5.2; delivery through the outbox, P7.1). A login person asks with
//! their mobile number or e-mail address; if an active account has it, a link goes to its
//! e-mail address. The answer is the same whether or not the account exists, so the form
//! cannot tell anyone who has an account. The link's token is random, kept only as its
//! SHA-256, valid for 30 minutes and once. Setting the new password ends every session of
//! the account, and the user is told by e-mail.

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
use crate::model::outbox::OutboxPurpose;
use crate::model::{Bilingual, UtcMillis};

/// How long a reset link works.
pub const RESET_TTL_MS: i64 = 30 * 60_000;
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

/// Sends a reset link if an active account has this login; answers the same either way.
/// `origin` makes the link absolute (`https://platform.example`).
pub async fn request(
    state: &AppState,
    login_input: &str,
    origin: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let login_id = LoginId::parse(login_input).map_err(|r| AppError::invalid("login", r))?;
    let mut conn = state.db.conn().await?;
    let Some(user) = users::find_by_login(&mut conn, &state.index, &login_id).await? else {
        return Ok(());
    };
    drop(conn);
    if user.status != AccountStatus::Active {
        return Ok(());
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
        return Ok(());
    }
    let token = random_token();
    sqlx::query(
        "INSERT INTO password_resets (id, user_id, token_hash, expires_at, used_at, ip, created_at) \
         VALUES ($1, $2, $3, $4, NULL, $5, $6)",
    )
    .bind(new_id())
    .bind(&user.id)
    .bind(sha256_hex(token.as_bytes()))
    .bind(now.0 + RESET_TTL_MS)
    .bind(&meta.ip)
    .bind(now.0)
    .execute(&mut *tx)
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
        "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
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
    if user.status != AccountStatus::Active {
        // Disabled since the link was sent: the link no longer works.
        return Err(AppError::NotFound);
    }
    users::set_password(&mut tx, &user.id, &hash, now).await?;
    let ended = sessions::end_all(&mut tx, PrincipalKind::User, &user.id).await?;
    // Any other link of this account stops working too.
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(&user.id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    let title = Bilingual::new("密码已更改", "Your password was changed");
    let body = Bilingual::new(
        format!("{name}，您好：\n\n您的登录密码已于刚才通过“忘记密码”重新设置，所有已登录的设备均已退出。如果这不是您本人的操作，请立即联系企业管理员或平台客服。", name = user.name),
        format!("Hello {name},\n\nYour password was just reset with a \"forgotten password\" link, and every device was logged out. If this was not you, contact your admin or the platform's support at once.", name = user.name),
    );
    tell(
        state,
        &mut tx,
        &user,
        meta,
        Step {
            title: &title,
            body: &body,
            purpose: OutboxPurpose::PasswordChanged,
            email_only: false,
            action: "password.reset",
            detail: &format!("{ended} sessions ended"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
