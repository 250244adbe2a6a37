//! The admin's changes to login persons (P1.1.2): role and permissions, disable and
//! re-enable, admin hand-over, withdrawing invitations. Each change locks the enterprise's
//! row first, so changes run one at a time and an active admin always remains.

use super::{enterprise_of, log};
use crate::backend::accounts::sessions::{self, PrincipalKind};
use crate::backend::accounts::users::{self, UserRow};
use crate::backend::audit::Actor;
use crate::backend::request::ClientMeta;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{AccountStatus, MemberRole, Permission};
use crate::model::conflict::Conflict;
use sqlx::AnyConnection;

/// Starts an admin's change: locks the enterprise's row (PostgreSQL; SQLite transactions hold
/// the write lock already), so that changes to one enterprise's login persons run one at a
/// time, then re-reads the caller inside the transaction: someone demoted or disabled a
/// moment ago is no longer an admin. Returns the enterprise id.
pub(super) async fn lock_as_admin(conn: &mut AnyConnection, admin: &UserRow) -> AppResult<String> {
    let eid = enterprise_of(admin)?.to_string();
    sqlx::query("UPDATE enterprises SET status = status WHERE id = $1")
        .bind(&eid)
        .execute(&mut *conn)
        .await?;
    let me = users::get(conn, &admin.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if me.enterprise_id.as_deref() != Some(eid.as_str())
        || me.role != Some(MemberRole::Admin)
        || me.status != AccountStatus::Active
    {
        return Err(AppError::Forbidden);
    }
    Ok(eid)
}

/// A login person of the admin's own enterprise (others are `NotFound`, and so is one erased
/// after a deletion (P6.3): nobody brings an erased account back).
async fn colleague(conn: &mut AnyConnection, admin: &UserRow, id: &str) -> AppResult<UserRow> {
    let erased: Option<Option<i64>> =
        sqlx::query_scalar("SELECT anonymised_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if erased.flatten().is_some() {
        return Err(AppError::NotFound);
    }
    users::get(conn, id)
        .await?
        .filter(|u| u.enterprise_id.is_some() && u.enterprise_id == admin.enterprise_id)
        .ok_or(AppError::NotFound)
}

async fn active_admins(conn: &mut AnyConnection, enterprise_id: &str) -> AppResult<i64> {
    let n = sqlx::query_scalar(
        "SELECT COUNT(*) AS n FROM users WHERE enterprise_id = $1 AND role = 'admin' AND status = 'active'",
    )
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Sets a colleague's role and permissions. Admins change their own role only by handing it
/// over; the last active admin cannot be demoted.
pub async fn set_access(
    state: &AppState,
    admin: &UserRow,
    id: &str,
    role: MemberRole,
    permissions: &[Permission],
    actor: &Actor,
) -> AppResult<()> {
    let now = state.clock.now();
    if id == admin.id {
        return Err(AppError::Conflict(Conflict::OwnRole));
    }
    let mut tx = state.db.begin().await?;
    let eid = &lock_as_admin(&mut tx, admin).await?;
    let target = colleague(&mut tx, admin, id).await?;
    let perms = if role == MemberRole::Admin {
        Permission::ALL.to_vec()
    } else {
        permissions.to_vec()
    };
    sqlx::query("UPDATE users SET role = $1, permissions = $2, updated_at = $3 WHERE id = $4")
        .bind(role.code())
        .bind(Permission::list_to_codes(&perms))
        .bind(now.0)
        .bind(&target.id)
        .execute(&mut *tx)
        .await?;
    if active_admins(&mut tx, eid).await? == 0 {
        return Err(AppError::Conflict(Conflict::LastAdmin));
    }
    if role != MemberRole::Admin {
        drop_open_invites(&mut tx, &target.id).await?;
    }
    log(
        &mut tx,
        actor,
        eid,
        "member.access",
        &format!("user:{id}"),
        &format!("{} {}", role.code(), Permission::list_to_codes(&perms)),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Disables (ending their sessions) or re-enables a colleague.
pub async fn set_status(
    state: &AppState,
    admin: &UserRow,
    id: &str,
    active: bool,
    actor: &Actor,
) -> AppResult<()> {
    let now = state.clock.now();
    if id == admin.id {
        return Err(AppError::Conflict(Conflict::OwnStatus));
    }
    let mut tx = state.db.begin().await?;
    let eid = &lock_as_admin(&mut tx, admin).await?;
    let target = colleague(&mut tx, admin, id).await?;
    sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(
            if active {
                AccountStatus::Active
            } else {
                AccountStatus::Disabled
            }
            .code(),
        )
        .bind(now.0)
        .bind(&target.id)
        .execute(&mut *tx)
        .await?;
    if !active {
        sessions::end_all(&mut tx, PrincipalKind::User, &target.id).await?;
        if active_admins(&mut tx, eid).await? == 0 {
            return Err(AppError::Conflict(Conflict::LastAdmin));
        }
    }
    let action = if active {
        "member.enable"
    } else {
        "member.disable"
    };
    if !active {
        drop_open_invites(&mut tx, &target.id).await?;
    }
    log(&mut tx, actor, eid, action, &format!("user:{id}"), "", now).await?;
    Ok(tx.commit().await?)
}

/// Hands the admin role to an active colleague (the current password confirms it); the
/// former admin becomes a member with every permission.
pub async fn transfer_admin(
    state: &AppState,
    admin: &UserRow,
    id: &str,
    password: &str,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    if id == admin.id {
        return Err(AppError::Conflict(Conflict::OwnRole));
    }
    crate::backend::accounts::confirm_password(state, admin, password, "password", meta).await?;
    let mut tx = state.db.begin().await?;
    let eid = &lock_as_admin(&mut tx, admin).await?;
    let target = colleague(&mut tx, admin, id).await?;
    if target.status != AccountStatus::Active {
        return Err(AppError::Conflict(Conflict::MemberDisabled));
    }
    for (uid, role) in [
        (&target.id, MemberRole::Admin),
        (&admin.id, MemberRole::Member),
    ] {
        sqlx::query("UPDATE users SET role = $1, permissions = $2, updated_at = $3 WHERE id = $4")
            .bind(role.code())
            .bind(Permission::list_to_codes(Permission::ALL))
            .bind(now.0)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
    }
    drop_open_invites(&mut tx, &admin.id).await?;
    log(
        &mut tx,
        actor,
        eid,
        "member.transfer_admin",
        &format!("user:{id}"),
        "",
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

pub async fn revoke_invite(
    state: &AppState,
    admin: &UserRow,
    id: &str,
    actor: &Actor,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let eid = &lock_as_admin(&mut tx, admin).await?;
    let r =
        sqlx::query("DELETE FROM invites WHERE id = $1 AND enterprise_id = $2 AND used_at IS NULL")
            .bind(id)
            .bind(eid)
            .execute(&mut *tx)
            .await?;
    if r.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    log(
        &mut tx,
        actor,
        eid,
        "invite.revoke",
        &format!("invite:{id}"),
        "",
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Someone who stops being an active admin takes their open invitations with them: the list
/// never shows an invitation that can no longer be accepted.
async fn drop_open_invites(conn: &mut AnyConnection, inviter: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM invites WHERE invited_by = $1 AND used_at IS NULL")
        .bind(inviter)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
