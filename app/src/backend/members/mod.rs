//! Login persons (P1.1.2): the admin invites them through a one-time, expiring link, sets
//! each one's role (admin, or member with per-area permissions), disables and re-enables
//! them, and hands the admin role over. An enterprise always keeps an active admin.

use super::accounts::login;
use super::accounts::users::{self, UserRow};
use super::audit::{self, Actor, Event};
use super::crypto::{random_token, sha256_hex};
use super::ids::new_id;
use super::policy::acceptance::{record_acceptance, ACCEPT_AT_SIGNUP};
use super::request::ClientMeta;
use super::AppState;
use crate::error::{AppError, AppResult, FieldError, Rule};
use crate::model::account::{Email, MemberRole, Mobile, Password, Permission, PersonName};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::conflict::Conflict;
use crate::model::form::check;
use crate::model::members::{
    InviteCreated, InviteDetails, InviteView, MemberView, MembersPage, INVITE_TTL_MS,
};
use crate::model::policy::PolicyKind;
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

mod admin;

pub use admin::{revoke_invite, set_access, set_status, transfer_admin};

pub(crate) fn enterprise_of(user: &UserRow) -> AppResult<&str> {
    user.enterprise_id.as_deref().ok_or(AppError::Forbidden)
}

pub(crate) async fn log(
    conn: &mut AnyConnection,
    actor: &Actor,
    enterprise: &str,
    action: &str,
    target: &str,
    detail: &str,
    now: UtcMillis,
) -> AppResult<()> {
    audit::append(
        conn,
        &Event {
            actor,
            enterprise_id: Some(enterprise),
            action,
            target,
            result: AuditResult::Ok,
            detail,
        },
        now,
    )
    .await
    .map(|_| ())
    .map_err(AppError::internal)
}

/// An open invitation as the members page lists it (the e-mail still encrypted).
#[derive(sqlx::FromRow)]
struct InviteRow {
    id: String,
    name: String,
    email_enc: String,
    #[sqlx(try_from = "String")]
    role: MemberRole,
    permissions: String,
    #[sqlx(try_from = "i64")]
    expires_at: UtcMillis,
}

pub async fn list(state: &AppState, me: &UserRow) -> AppResult<MembersPage> {
    let eid = enterprise_of(me)?;
    let now = state.clock.now();
    let rows: Vec<users::StoredUser> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM users WHERE enterprise_id = $1 ORDER BY created_at, id",
        users::COLUMNS
    )))
    .bind(eid)
    .fetch_all(state.db.pool())
    .await?;
    let mut members = Vec::new();
    for r in rows {
        let u = users::UserRow::try_from(r)?;
        let mobile = Mobile::parse(&u.mobile(&state.cipher)?)
            .map(|m| m.masked())
            .unwrap_or_default();
        let email = Email::parse(&u.email(&state.cipher)?)
            .map(|e| e.masked())
            .unwrap_or_default();
        members.push(MemberView {
            is_self: u.id == me.id,
            role: u.role.unwrap_or(MemberRole::Member),
            permissions: if u.role == Some(MemberRole::Admin) {
                Permission::ALL.to_vec()
            } else {
                u.permissions.clone()
            },
            id: u.id,
            name: u.name,
            mobile_masked: mobile,
            email_masked: email,
            status: u.status,
        });
    }
    let rows: Vec<InviteRow> = sqlx::query_as(
        "SELECT id, name, email_enc, role, permissions, expires_at FROM invites \
         WHERE enterprise_id = $1 AND used_at IS NULL ORDER BY created_at DESC",
    )
    .bind(eid)
    .fetch_all(state.db.pool())
    .await?;
    let mut invites = Vec::new();
    for r in rows {
        let email = state
            .cipher
            .decrypt_text(&r.email_enc, &format!("invites.email:{}", r.id))
            .map_err(AppError::internal)?;
        invites.push(InviteView {
            id: r.id,
            name: r.name,
            email_masked: Email::parse(&email).map(|e| e.masked()).unwrap_or_default(),
            role: r.role,
            permissions: Permission::list_from_stored(&r.permissions, "invites.permissions")?,
            expired: r.expires_at.0 <= now.0,
            expires_at: r.expires_at,
        });
    }
    Ok(MembersPage { members, invites })
}

/// Invites a login person. The link is returned once and queued in the outbox.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    state: &AppState,
    admin: &UserRow,
    origin: &str,
    name: &str,
    mobile: &str,
    email: &str,
    role: Option<MemberRole>,
    permissions: &[Permission],
    actor: &Actor,
) -> AppResult<InviteCreated> {
    let eid = enterprise_of(admin)?;
    let now = state.clock.now();
    let mut errs = Vec::new();
    let name = check(&mut errs, "name", PersonName::parse(name));
    let mobile = check(&mut errs, "mobile", Mobile::parse(mobile));
    let email = check(&mut errs, "email", Email::parse(email));
    let role = check(&mut errs, "role", role.ok_or(Rule::Required));
    // Only the enterprise's own people count: whether a contact has an account elsewhere is
    // not the inviting admin's to learn (issue 14). Such an invitee is told, at the link,
    // that the contact is taken.
    errs.extend(users::contacts_taken_in(state, mobile.as_ref(), email.as_ref(), eid).await?);
    let (Some(name), Some(mobile), Some(email), Some(role), true) =
        (name, mobile, email, role, errs.is_empty())
    else {
        return Err(AppError::Invalid(errs));
    };
    let id = new_id();
    let token = random_token();
    let expires_at = UtcMillis(now.0 + INVITE_TTL_MS);
    let perms = if role == MemberRole::Admin {
        Permission::ALL.to_vec()
    } else {
        permissions.to_vec()
    };
    // Absolute, so that a copied link works wherever it is pasted.
    let link = format!("{}/invite/{token}", origin.trim_end_matches('/'));
    let mut tx = state.db.begin().await?;
    admin::lock_as_admin(&mut tx, admin).await?;
    sqlx::query(
        "INSERT INTO invites (id, enterprise_id, token_hash, name, mobile_enc, email_enc, role, permissions, invited_by, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(eid)
    .bind(sha256_hex(token.as_bytes()))
    .bind(name.as_str())
    .bind(state.cipher.encrypt_text(mobile.as_str(), &format!("invites.mobile:{id}")))
    .bind(state.cipher.encrypt_text(email.as_str(), &format!("invites.email:{id}")))
    .bind(role.code())
    .bind(Permission::list_to_codes(&perms))
    .bind(&admin.id)
    .bind(expires_at.0)
    .bind(now.0)
    .execute(&mut *tx)
    .await
    ?;
    let title = Bilingual::new("企业账户邀请", "Invitation to a business account");
    let body = Bilingual::new(
        format!("{} 邀请您加入企业账户，请在 72 小时内打开链接设置密码：{link}", admin.name),
        format!("{} invites you to join their business account; open this link within 72 hours to set your password: {link}", admin.name),
    );
    let notice = crate::backend::messages::Notice {
        category: crate::model::messages::MessageCategory::Account,
        purpose: crate::model::outbox::OutboxPurpose::Invitation,
        title: &title,
        body: &body,
        // It names the inviting admin: erased with them (P6.3).
        source: &crate::backend::messages::about_person(&admin.id),
        email_only: false,
    };
    crate::backend::messages::tell_address(state, &mut tx, &email, Some(&mobile), &notice, now)
        .await?;
    log(
        &mut tx,
        actor,
        eid,
        "member.invite",
        &format!("invite:{id}"),
        &format!("{} {}", role.code(), Permission::list_to_codes(&perms)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(InviteCreated { link, expires_at })
}

/// An open invitation by its token: its row id, enterprise, name, contacts, role, perms.
struct OpenInvite {
    id: String,
    enterprise_id: String,
    enterprise_name: String,
    name: String,
    mobile: String,
    email: String,
    role: MemberRole,
    permissions: Vec<Permission>,
}

/// An invitation by its token hash, with its enterprise's name (contacts still encrypted).
#[derive(sqlx::FromRow)]
struct OpenInviteRow {
    id: String,
    enterprise_id: String,
    enterprise_name: String,
    name: String,
    mobile_enc: String,
    email_enc: String,
    #[sqlx(try_from = "String")]
    role: MemberRole,
    permissions: String,
    expires_at: i64,
    used_at: Option<i64>,
}

async fn open_invite(
    state: &AppState,
    conn: &mut AnyConnection,
    token: &str,
) -> AppResult<OpenInvite> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let row: OpenInviteRow = sqlx::query_as(
        "SELECT i.id, i.enterprise_id, e.name AS enterprise_name, i.name, i.mobile_enc, i.email_enc, i.role, \
         i.permissions, i.expires_at, i.used_at FROM invites i JOIN enterprises e ON e.id = i.enterprise_id \
         WHERE i.token_hash = $1",
    )
    .bind(sha256_hex(token.as_bytes()))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.used_at.is_some() {
        return Err(AppError::Conflict(Conflict::InviteUsed));
    }
    if row.expires_at <= state.clock.now().0 {
        return Err(AppError::Conflict(Conflict::InviteExpired));
    }
    let id = row.id;
    Ok(OpenInvite {
        mobile: state
            .cipher
            .decrypt_text(&row.mobile_enc, &format!("invites.mobile:{id}"))
            .map_err(AppError::internal)?,
        email: state
            .cipher
            .decrypt_text(&row.email_enc, &format!("invites.email:{id}"))
            .map_err(AppError::internal)?,
        enterprise_id: row.enterprise_id,
        enterprise_name: row.enterprise_name,
        name: row.name,
        role: row.role,
        permissions: Permission::list_from_stored(&row.permissions, "invites.permissions")?,
        id,
    })
}

pub async fn preview(state: &AppState, token: &str) -> AppResult<InviteDetails> {
    let mut conn = state.db.conn().await?;
    let inv = open_invite(state, &mut conn, token).await?;
    Ok(InviteDetails {
        enterprise_name: inv.enterprise_name,
        name: inv.name,
        email_masked: Email::parse(&inv.email)
            .map(|e| e.masked())
            .unwrap_or_default(),
        mobile_masked: Mobile::parse(&inv.mobile)
            .map(|m| m.masked())
            .unwrap_or_default(),
        role: inv.role,
    })
}

/// Accepts an invitation: sets the password, accepts the current policy and terms (P0.2), and
/// logs in. The link works once. Returns the session token.
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    state: &AppState,
    token: &str,
    password: &str,
    accepted: bool,
    privacy_version_id: &str,
    terms_version_id: &str,
    meta: &ClientMeta,
) -> AppResult<String> {
    let now = state.clock.now();
    let mut errs: Vec<FieldError> = Vec::new();
    let password = check(&mut errs, "password", Password::parse(password));
    if !accepted {
        errs.push(FieldError::new("accept", Rule::MustAccept));
    }
    let (Some(password), true) = (password, errs.is_empty()) else {
        return Err(AppError::Invalid(errs));
    };
    if !state
        .login_limiter
        .allow(&crate::model::net::rate_key(&meta.ip), now.0)
    {
        return Err(AppError::RateLimited);
    }
    // The (slow) password hash is computed only for a link that works.
    {
        let mut conn = state.db.conn().await?;
        open_invite(state, &mut conn, token).await?;
    }
    let hash = login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    let inv = open_invite(state, &mut tx, token).await?;
    // One use only, even when two browsers race: the conditional update decides.
    let claimed = sqlx::query("UPDATE invites SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now.0)
        .bind(&inv.id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::InviteUsed));
    }
    // An invitation is only as good as its inviter's authority: one from an admin who has
    // since been demoted or disabled no longer works.
    let inviter_ok = sqlx::query(
        "SELECT u.id FROM invites i JOIN users u ON u.id = i.invited_by \
         WHERE i.id = $1 AND u.enterprise_id = i.enterprise_id AND u.role = 'admin' AND u.status = 'active'",
    )
    .bind(&inv.id)
    .fetch_optional(&mut *tx)
    .await
    ?
    .is_some();
    if !inviter_ok {
        return Err(AppError::Conflict(Conflict::InviteRevoked));
    }
    let privacy = super::policy::current(&mut tx, PolicyKind::Privacy, now).await?;
    let terms = super::policy::current(&mut tx, PolicyKind::Terms, now).await?;
    if privacy.id != privacy_version_id || terms.id != terms_version_id {
        return Err(AppError::Conflict(Conflict::PolicyChanged));
    }
    let name =
        PersonName::parse(&inv.name).map_err(|_| AppError::internal("stored invite name"))?;
    let mobile =
        Mobile::parse(&inv.mobile).map_err(|_| AppError::internal("stored invite mobile"))?;
    let email = Email::parse(&inv.email).map_err(|_| AppError::internal("stored invite email"))?;
    let user_id = users::insert(
        &mut tx,
        &state.cipher,
        &state.index,
        &users::NewUser {
            enterprise_id: Some(&inv.enterprise_id),
            name: &name,
            mobile: &mobile,
            email: &email,
            password_hash: &hash,
            role: Some(inv.role),
            permissions: &inv.permissions,
        },
        now,
    )
    .await?;
    sqlx::query("UPDATE invites SET used_by = $1 WHERE id = $2")
        .bind(&user_id)
        .bind(&inv.id)
        .execute(&mut *tx)
        .await?;
    record_acceptance(
        &mut tx,
        &user_id,
        (&privacy.id, &terms.id),
        ACCEPT_AT_SIGNUP,
        meta,
        now,
    )
    .await?;
    let actor = Actor {
        kind: ActorKind::User,
        id: user_id.clone(),
        role: inv.role.code().into(),
        ip: meta.ip.clone(),
    };
    log(
        &mut tx,
        &actor,
        &inv.enterprise_id,
        "member.join",
        &format!("invite:{}", inv.id),
        "",
        now,
    )
    .await?;
    let token = crate::backend::accounts::open_user_session(
        &mut tx,
        state,
        &user_id,
        meta,
        crate::model::account::LoginMethod::Invitation,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}
