//! Logging in a login person whose identity another factor proved: a bound WeChat account that
//! confirmed on the phone (issue 15, P1.1.3). The same rules as a password login (P5.2): a
//! disabled person is refused, a locked one waits out the lock, a new session replaces the old
//! one, and the login goes to the login history and the audit log with its method.

use super::audit::{self, Actor, Event};
use super::login;
use super::sessions::{self, ClientMeta, PrincipalKind};
use super::users;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{AccountStatus, LoginMethod, LoginOutcome};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// Logs `user_id` in, inside the caller's transaction. The outer error is a fault; the inner
/// one a refusal (disabled, locked), already written to the history: the caller commits it.
pub async fn login_proven(
    tx: &mut AnyConnection,
    state: &AppState,
    user_id: &str,
    old_token: Option<&str>,
    meta: &ClientMeta,
    method: LoginMethod,
    now: UtcMillis,
) -> AppResult<Result<String, AppError>> {
    let kind = PrincipalKind::User;
    let Some(user) = users::get(tx, user_id).await? else {
        return Ok(Err(AppError::NotFound));
    };
    let locked_until: Option<i64> =
        sqlx::query_scalar::<_, Option<i64>>("SELECT locked_until FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    let refusal = match locked_until.filter(|u| *u > now.0) {
        Some(until) => Some((
            LoginOutcome::Locked,
            AppError::Locked {
                until: UtcMillis(until),
            },
        )),
        None if user.status != AccountStatus::Active => {
            Some((LoginOutcome::Disabled, AppError::AccountDisabled))
        }
        None => None,
    };
    if let Some((outcome, error)) = refusal {
        login::log_attempt_by(tx, kind, Some(user_id), meta, outcome, method, now).await?;
        return Ok(Err(error));
    }
    if let Some(old) = old_token {
        sessions::end_by_token(tx, old).await?;
    }
    let token = super::open_user_session(tx, state, user_id, meta, method, now).await?;
    let actor = Actor {
        kind: ActorKind::User,
        id: user.id.clone(),
        role: user.role_code().into(),
        ip: meta.ip.clone(),
    };
    audit::append(
        tx,
        &Event {
            actor: &actor,
            enterprise_id: user.enterprise_id.as_deref(),
            action: "account.login",
            target: &format!("user:{user_id}"),
            result: AuditResult::Ok,
            detail: &format!("method={}", method.code()),
        },
        now,
    )
    .await?;
    Ok(Ok(token))
}
