//! Accounts: registration with policy acceptance (P0.2), login and lockout, sessions and
//! login history (P5.2), profiles (P1.1.2) and operators with TOTP.

pub mod codes;
pub mod contacts;
mod profile;
pub use profile::{profile, update_profile};
pub mod login;
pub mod operator_admin;
pub mod operators;
pub mod proven_login;
pub mod recovery;
pub mod registration;
pub use registration::Registration;
pub mod sessions;
pub mod users;

use super::audit::{self, Actor, Event};
use super::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{
    AccountStatus, Email, LoginId, LoginMethod, LoginOutcome, Me, Mobile, MyEnterprise, Password,
};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::net::rate_key;
use crate::model::UtcMillis;
use sessions::{ClientMeta, PrincipalKind};
use users::UserRow;

/// Opens a login person's session (a fresh token) and records the successful login.
pub async fn open_user_session(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    user_id: &str,
    meta: &ClientMeta,
    method: LoginMethod,
    now: UtcMillis,
) -> AppResult<String> {
    let token = sessions::create(
        conn,
        PrincipalKind::User,
        user_id,
        true,
        meta,
        state.sessions,
        now,
    )
    .await?;
    login::log_attempt_by(
        conn,
        PrincipalKind::User,
        Some(user_id),
        meta,
        LoginOutcome::Ok,
        method,
        now,
    )
    .await?;
    Ok(token)
}

/// Deletes password-reset, contact-change, rights-request, worker-signing and support codes a day after they expired (used or not): the
/// data map promises it (issue 16 §1). Returns how many went.
pub async fn purge_expired_codes(db: &super::db::Db, now: UtcMillis) -> Result<u64, sqlx::Error> {
    let mut n = 0;
    for sql in [
        "DELETE FROM password_resets WHERE expires_at < $1",
        "DELETE FROM contact_changes WHERE expires_at < $1",
        "DELETE FROM privacy_request_codes WHERE expires_at < $1",
        "DELETE FROM worker_sign_codes WHERE expires_at < $1",
        "DELETE FROM support_verify_codes WHERE expires_at < $1",
    ] {
        n += sqlx::query(sql)
            .bind(now.0 - 86_400_000)
            .execute(db.pool())
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Logs a login person in by mobile or e-mail and password. Rate-limited per IP; five wrong
/// passwords lock the account for 30 minutes. The old session (if any) ends: the new one has
/// a new token. Returns the new token.
pub async fn login_user(
    state: &AppState,
    login_input: &str,
    password: &str,
    old_token: Option<&str>,
    meta: &ClientMeta,
) -> AppResult<String> {
    let now = state.clock.now();
    // Refused before any database work, so a flood costs nothing to store.
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let login_id = LoginId::parse(login_input).map_err(|rule| AppError::invalid("login", rule))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", Rule::Required));
    }
    let mut conn = state.db.conn().await?;
    let found = users::find_by_login(&mut conn, &state.index, &login_id).await?;
    let Some(user) = found else {
        // No connection is held while the dummy hash runs.
        drop(conn);
        login::burn_time(password.to_string()).await;
        let mut conn = state.db.conn().await?;
        login::log_attempt(
            &mut conn,
            PrincipalKind::User,
            None,
            meta,
            LoginOutcome::UnknownLogin,
            now,
        )
        .await?;
        return Err(AppError::BadCredentials);
    };
    drop(conn);
    check_credentials(
        state,
        PrincipalKind::User,
        &user.id,
        user.status,
        password,
        &user.password_hash,
        meta,
    )
    .await?;
    let mut tx = state.db.begin().await?;
    if let Some(old) = old_token {
        sessions::end_by_token(&mut tx, old).await?;
    }
    let token =
        open_user_session(&mut tx, state, &user.id, meta, LoginMethod::Password, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// The shared part of a password check: lock state, status, the password, and the failure
/// count. On failure the attempt is logged and the matching error returned.
#[allow(clippy::too_many_arguments)]
pub async fn check_credentials(
    state: &AppState,
    kind: PrincipalKind,
    id: &str,
    status: AccountStatus,
    candidate: &str,
    stored_hash: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    // Detached: a client that hangs up mid-check cannot leave a claimed attempt unsettled.
    let (state, id) = (state.clone(), id.to_string());
    let (candidate, stored_hash, meta) =
        (candidate.to_string(), stored_hash.to_string(), meta.clone());
    tokio::spawn(async move {
        check_credentials_detached(&state, kind, &id, status, &candidate, &stored_hash, &meta).await
    })
    .await
    .map_err(AppError::internal)?
}

#[allow(clippy::too_many_arguments)]
async fn check_credentials_detached(
    state: &AppState,
    kind: PrincipalKind,
    id: &str,
    status: AccountStatus,
    candidate: &str,
    stored_hash: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    let counted = match login::claim_attempt(&state.db, kind, id, now).await? {
        login::Claim::Counted(n) => n,
        login::Claim::Locked(until) => {
            let mut conn = state.db.conn().await?;
            login::log_attempt(&mut conn, kind, Some(id), meta, LoginOutcome::Locked, now).await?;
            return Err(AppError::Locked { until });
        }
        login::Claim::Busy => return Err(AppError::RateLimited),
    };
    let ok = login::verify_password(candidate.to_string(), stored_hash.to_string()).await;
    let mut tx = state.db.begin().await?;
    if !ok {
        let locked = login::settle_failure(&mut tx, kind, id, counted, now).await?;
        login::log_attempt(
            &mut tx,
            kind,
            Some(id),
            meta,
            LoginOutcome::BadPassword,
            now,
        )
        .await?;
        if locked.is_some() {
            record_lock(&mut tx, kind, id, meta, "5 wrong passwords", now).await?;
        }
        tx.commit().await?;
        return Err(match locked {
            Some(until) => AppError::Locked { until },
            None => AppError::BadCredentials,
        });
    }
    // An operator's count is cleared only after the TOTP step, so that wrong codes and
    // wrong passwords share one allowance.
    if !login::settle_success(&mut tx, kind, id, now, kind == PrincipalKind::User).await? {
        login::log_attempt(&mut tx, kind, Some(id), meta, LoginOutcome::Locked, now).await?;
        tx.commit().await?;
        return Err(AppError::Locked {
            until: UtcMillis(now.0 + login::LOCK_MS),
        });
    }
    if status != AccountStatus::Active {
        login::log_attempt(&mut tx, kind, Some(id), meta, LoginOutcome::Disabled, now).await?;
        tx.commit().await?;
        return Err(AppError::AccountDisabled);
    }
    tx.commit().await?;
    Ok(())
}

/// Checks a logged-in person's password again before a sensitive change (a new contact, a new
/// password, handing over the admin role). Wrong answers count towards the same lockout as
/// wrong logins, so a stolen session cannot be used to guess the password.
pub async fn confirm_password(
    state: &AppState,
    user: &UserRow,
    candidate: &str,
    field: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    let (state, user, candidate) = (state.clone(), user.clone(), candidate.to_string());
    let (field, meta) = (field.to_string(), meta.clone());
    tokio::spawn(async move {
        confirm_password_detached(&state, &user, &candidate, &field, &meta).await
    })
    .await
    .map_err(AppError::internal)?
}

async fn confirm_password_detached(
    state: &AppState,
    user: &UserRow,
    candidate: &str,
    field: &str,
    meta: &ClientMeta,
) -> AppResult<()> {
    if candidate.is_empty() {
        return Err(AppError::invalid(field, Rule::Required));
    }
    let now = state.clock.now();
    let kind = PrincipalKind::User;
    let counted = match login::claim_attempt(&state.db, kind, &user.id, now).await? {
        login::Claim::Counted(n) => n,
        login::Claim::Locked(until) => return Err(AppError::Locked { until }),
        login::Claim::Busy => return Err(AppError::RateLimited),
    };
    let ok = login::verify_password(candidate.to_string(), user.password_hash.clone()).await;
    let mut tx = state.db.begin().await?;
    if ok {
        let settled = login::settle_success(&mut tx, kind, &user.id, now, true).await?;
        tx.commit().await?;
        return if settled {
            Ok(())
        } else {
            Err(AppError::Locked {
                until: UtcMillis(now.0 + login::LOCK_MS),
            })
        };
    }
    let locked = login::settle_failure(&mut tx, kind, &user.id, counted, now).await?;
    login::log_attempt(
        &mut tx,
        kind,
        Some(&user.id),
        meta,
        LoginOutcome::BadPassword,
        now,
    )
    .await?;
    if locked.is_some() {
        record_lock(
            &mut tx,
            kind,
            &user.id,
            meta,
            "5 wrong passwords (confirmation)",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Err(match locked {
        Some(until) => AppError::Locked { until },
        None => AppError::invalid(field, Rule::Mismatch),
    })
}

/// Audits an account lock.
pub async fn record_lock(
    conn: &mut sqlx::AnyConnection,
    kind: PrincipalKind,
    id: &str,
    meta: &ClientMeta,
    why: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let actor = Actor {
        kind: ActorKind::System,
        id: "lockout".into(),
        role: "system".into(),
        ip: meta.ip.clone(),
    };
    audit::append(
        conn,
        &Event {
            actor: &actor,
            enterprise_id: None,
            action: "account.lock",
            target: &format!("{}:{id}", kind.code()),
            result: AuditResult::Ok,
            detail: why,
        },
        now,
    )
    .await
    .map(|_| ())
    .map_err(AppError::internal)
}

/// Ends every session of a login person, on every device.
pub async fn logout_all(state: &AppState, user: &UserRow) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    sessions::end_all(&mut conn, PrincipalKind::User, &user.id).await?;
    Ok(())
}

/// Ends the session with this token.
pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    sessions::end_by_token(&mut conn, token)
        .await
        .map_err(AppError::internal)
}

/// What the UI needs to know about the caller.
pub async fn me(state: &AppState, user: &UserRow) -> AppResult<Me> {
    let enterprise = match (&user.enterprise_id, user.role) {
        (Some(eid), Some(role)) => {
            let name: String = sqlx::query_scalar("SELECT name FROM enterprises WHERE id = $1")
                .bind(eid)
                .fetch_one(state.db.pool())
                .await?;
            let admins = if role == crate::model::account::MemberRole::Admin {
                vec![user.name.clone()]
            } else {
                sqlx::query_scalar(
                    "SELECT name FROM users WHERE enterprise_id = $1 AND role = 'admin' AND status = 'active' ORDER BY name",
                )
                .bind(eid)
                .fetch_all(state.db.pool())
                .await?
            };
            Some(MyEnterprise {
                id: eid.clone(),
                name,
                admins,
                role,
                permissions: match role {
                    crate::model::account::MemberRole::Admin => {
                        crate::model::account::Permission::ALL.to_vec()
                    }
                    crate::model::account::MemberRole::Member => user.permissions.clone(),
                },
            })
        }
        _ => None,
    };
    let mobile = Mobile::parse(&user.mobile(&state.cipher)?)
        .map_err(|_| AppError::internal("a stored contact field no longer parses"))?;
    let email = Email::parse(&user.email(&state.cipher)?)
        .map_err(|_| AppError::internal("a stored contact field no longer parses"))?;
    let mut conn = state.db.conn().await?;
    Ok(Me {
        user_id: user.id.clone(),
        name: user.name.clone(),
        mobile_masked: mobile.masked(),
        email_masked: email.masked(),
        policy_gate: super::policy::gate::gate(
            &mut conn,
            &state.policy_in_force,
            &user.id,
            state.clock.now(),
        )
        .await?,
        unread_messages: super::messages::inbox::unread(&mut conn, &user.id).await?,
        enterprise,
    })
}

/// Changes the caller's password; every other session of theirs ends.
pub async fn change_password(
    state: &AppState,
    user: &UserRow,
    current: &str,
    new: &str,
    keep_handle: &str,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    let new = Password::parse(new).map_err(|r| AppError::invalid("new_password", r))?;
    confirm_password(state, user, current, "current_password", meta).await?;
    let hash = login::hash_password(new.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, &user.id, &hash, now).await?;
    sqlx::query(
        "DELETE FROM sessions WHERE principal_kind = 'user' AND principal_id = $1 AND handle <> $2",
    )
    .bind(&user.id)
    .bind(keep_handle)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: user.enterprise_id.as_deref(),
            action: "password.change",
            target: &format!("user:{}", user.id),
            result: AuditResult::Ok,
            detail: "other sessions ended",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod registration_tests {
    /// Issue 14: the password never shows in a `Debug` rendering.
    #[test]
    fn debug_leaves_the_password_out() {
        let r = super::Registration {
            name: "张三".into(),
            mobile: "13800000000".into(),
            email: "a@example.com".into(),
            password: "Secret-Pass-2026".into(),
            accept: true,
            privacy_version_id: "p".into(),
            terms_version_id: "t".into(),
        };
        let shown = format!("{r:?}");
        assert!(!shown.contains("Secret-Pass-2026"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
