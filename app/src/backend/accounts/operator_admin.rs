//! Operator management by super-admins (`/ops/operators`; P5.1, P5.2): create an operator with
//! roles, change roles, disable and re-enable, reset the password or the authenticator. Every
//! action is audited. The platform always keeps one active super-admin, and nobody disables,
//! resets or re-roles their own account.
//!
//! A new or reset operator enrols through a one-time link (72 hours; only its SHA-256 is
//! stored): they choose a password and confirm one TOTP code, from a new secret shown once as a
//! QR code when the authenticator is new. Until then they cannot log in, and a reset ends
//! their sessions at once. The CLI's `create-operator` stays for the first super-admin.

use super::operators::{self, OperatorRow};
use super::sessions::{self, PrincipalKind};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::{random_token, sha256_hex};
use crate::backend::ids::new_id;
use crate::backend::{totp, AppState};
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{AccountStatus, OperatorRole, Password, PersonName};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::operators::{
    Authenticator, EnrolmentLink, OperatorEnrolment, OperatorReset, ENROLMENT_TTL_MS,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// A password nobody knows: the account cannot log in until it enrols.
async fn unusable_hash() -> AppResult<String> {
    super::login::hash_password(random_token()).await
}

/// Issues a one-time enrolment link for `operator_id` (older open links stop working).
async fn issue_link(
    conn: &mut AnyConnection,
    operator_id: &str,
    new_secret: bool,
    actor: &Actor,
    origin: &str,
    now: UtcMillis,
) -> AppResult<EnrolmentLink> {
    sqlx::query(
        "UPDATE operator_enrolments SET used_at = $2 WHERE operator_id = $1 AND used_at IS NULL",
    )
    .bind(operator_id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let token = random_token();
    let expires_at = UtcMillis(now.0 + ENROLMENT_TTL_MS);
    sqlx::query(
        "INSERT INTO operator_enrolments (id, operator_id, token_hash, new_secret, expires_at, used_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)",
    )
    .bind(new_id())
    .bind(operator_id)
    .bind(sha256_hex(token.as_bytes()))
    .bind(i64::from(new_secret))
    .bind(expires_at.0)
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(EnrolmentLink {
        operator_id: operator_id.to_string(),
        link: format!("{}/ops/enrol/{token}", origin.trim_end_matches('/')),
        expires_at,
    })
}

fn parse_roles(roles: &[String]) -> Result<Vec<OperatorRole>, Rule> {
    let parsed: Vec<OperatorRole> = roles
        .iter()
        .map(|r| OperatorRole::from_code(r.trim()).ok_or(Rule::Format))
        .collect::<Result<_, _>>()?;
    if parsed.is_empty() {
        return Err(Rule::Required);
    }
    Ok(parsed)
}

/// Creates an operator with `roles`; they enrol through the returned link.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    login: &str,
    display_name: &str,
    roles: &[String],
    origin: &str,
) -> AppResult<EnrolmentLink> {
    let mut errors = Vec::new();
    let login = operators::parse_login(login)
        .map_err(|r| errors.push(crate::error::FieldError::new("login", r)));
    let name = PersonName::parse(display_name)
        .map_err(|r| errors.push(crate::error::FieldError::new("display_name", r)));
    let roles =
        parse_roles(roles).map_err(|r| errors.push(crate::error::FieldError::new("roles", r)));
    let (Ok(login), Ok(name), Ok(roles)) = (login, name, roles) else {
        return Err(AppError::Invalid(errors));
    };
    let now = state.clock.now();
    let id = new_id();
    let hash = unusable_hash().await?;
    let mut tx = state.db.begin().await?;
    lock_as_super_admin(&mut tx, actor, "").await?;
    sqlx::query(
        "INSERT INTO operators (id, login, display_name, password_hash, roles, status, totp_secret_enc, created_at, enrolled_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, NULL)",
    )
    .bind(&id)
    .bind(&login)
    .bind(name.as_str())
    .bind(hash)
    .bind(OperatorRole::list_to_codes(&roles))
    .bind(state.cipher.encrypt_text(&totp::new_secret(), &format!("operators.totp:{id}")))
    .bind(now.0)
    .execute(&mut *tx)
    .await
    .map_err(|e| super::users::unique_conflict(e, Conflict::LoginTaken))?;
    let link = issue_link(&mut tx, &id, true, actor, origin, now).await?;
    let detail = format!("{login} roles {}", OperatorRole::list_to_codes(&roles));
    audit::append(
        &mut tx,
        &Event::ok(actor, "operator.create", &format!("operator:{id}"), &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// The operator `id`, for a change by `actor`: refuses one's own account, and an actor who is
/// no longer an active super-admin (a request sent before they were disabled or re-roled).
async fn target(conn: &mut AnyConnection, actor: &Actor, id: &str) -> AppResult<OperatorRow> {
    if id == actor.id {
        return Err(AppError::Conflict(Conflict::OwnOperator));
    }
    lock_as_super_admin(conn, actor, id).await?;
    operators::get(conn, id).await?.ok_or(AppError::NotFound)
}

/// Takes the one lock every change to operators takes — the actor's and the target's rows and
/// every super-admin's (SQLite locks the database on the first write anyway) — and checks that
/// the actor is still an active super-admin. Two super-admins acting on each other at once are
/// serialised, and the second sees the first's change.
async fn lock_as_super_admin(conn: &mut AnyConnection, actor: &Actor, id: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE operators SET status = status WHERE id = $1 OR id = $2 OR roles LIKE '%super_admin%'",
    )
    .bind(id)
    .bind(&actor.id)
    .execute(&mut *conn)
    .await?;
    let me = operators::get(conn, &actor.id).await?;
    let still = me.is_some_and(|m| {
        m.status == AccountStatus::Active
            && m.enrolled
            && m.roles.contains(&OperatorRole::SuperAdmin)
    });
    if !still {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Refuses a change that would leave no active, enrolled super-admin other than `except`.
async fn keep_a_super_admin(conn: &mut AnyConnection, op: &OperatorRow) -> AppResult<()> {
    let is_super = op.roles.contains(&OperatorRole::SuperAdmin)
        && op.status == AccountStatus::Active
        && op.enrolled;
    if !is_super {
        return Ok(());
    }
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT roles FROM operators WHERE id <> $1 AND status = 'active' AND enrolled_at IS NOT NULL",
    )
    .bind(&op.id)
    .fetch_all(&mut *conn)
    .await?;
    let another = others.iter().any(|r| {
        OperatorRole::list_from_stored(r, "operators.roles")
            .is_ok_and(|roles| roles.contains(&OperatorRole::SuperAdmin))
    });
    if another {
        Ok(())
    } else {
        Err(AppError::Conflict(Conflict::LastSuperAdmin))
    }
}

/// Gives operator `id` exactly `roles`. Audited.
pub async fn set_roles(
    state: &AppState,
    actor: &Actor,
    id: &str,
    roles: &[String],
) -> AppResult<()> {
    let roles = parse_roles(roles).map_err(|r| AppError::invalid("roles", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let op = target(&mut tx, actor, id).await?;
    if !roles.contains(&OperatorRole::SuperAdmin) {
        keep_a_super_admin(&mut tx, &op).await?;
    }
    let codes = OperatorRole::list_to_codes(&roles);
    sqlx::query("UPDATE operators SET roles = $2 WHERE id = $1")
        .bind(id)
        .bind(&codes)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{} -> {codes}", op.role_codes());
    audit::append(
        &mut tx,
        &Event::ok(actor, "operator.roles", &format!("operator:{id}"), &detail),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Disables (ending every session) or re-enables operator `id`. Audited.
pub async fn set_status(state: &AppState, actor: &Actor, id: &str, active: bool) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let op = target(&mut tx, actor, id).await?;
    if !active {
        keep_a_super_admin(&mut tx, &op).await?;
        sessions::end_all(&mut tx, PrincipalKind::Operator, id).await?;
        // An open enrolment link stops working too.
        sqlx::query("UPDATE operator_enrolments SET used_at = $2 WHERE operator_id = $1 AND used_at IS NULL")
            .bind(id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
    }
    let status = if active {
        AccountStatus::Active
    } else {
        AccountStatus::Disabled
    };
    sqlx::query("UPDATE operators SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .execute(&mut *tx)
        .await?;
    let action = if active {
        "operator.enable"
    } else {
        "operator.disable"
    };
    audit::append(
        &mut tx,
        &Event::ok(actor, action, &format!("operator:{id}"), &op.login),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Resets operator `id`'s password, or their authenticator and password: their sessions end,
/// they cannot log in until they enrol through the returned link. Audited.
pub async fn reset(
    state: &AppState,
    actor: &Actor,
    id: &str,
    what: OperatorReset,
    origin: &str,
) -> AppResult<EnrolmentLink> {
    let now = state.clock.now();
    let hash = unusable_hash().await?;
    let mut tx = state.db.begin().await?;
    let op = target(&mut tx, actor, id).await?;
    keep_a_super_admin(&mut tx, &op).await?;
    sqlx::query("UPDATE operators SET password_hash = $2, enrolled_at = NULL WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    let new_secret = what == OperatorReset::Totp;
    if new_secret {
        sqlx::query("UPDATE operators SET totp_secret_enc = $2, totp_last_step = 0 WHERE id = $1")
            .bind(id)
            .bind(
                state
                    .cipher
                    .encrypt_text(&totp::new_secret(), &format!("operators.totp:{id}")),
            )
            .execute(&mut *tx)
            .await?;
    }
    sessions::end_all(&mut tx, PrincipalKind::Operator, id).await?;
    let link = issue_link(&mut tx, id, new_secret, actor, origin, now).await?;
    let action = format!("operator.reset_{}", what.code());
    audit::append(
        &mut tx,
        &Event::ok(actor, &action, &format!("operator:{id}"), &op.login),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// The open enrolment a token names: (enrolment id, operator, whether the secret is new).
async fn open(
    conn: &mut AnyConnection,
    token: &str,
    now: UtcMillis,
) -> AppResult<(String, OperatorRow, bool, UtcMillis)> {
    let row: Option<(String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, operator_id, new_secret, expires_at, used_at FROM operator_enrolments WHERE token_hash = $1",
    )
    .bind(sha256_hex(token.trim().as_bytes()))
    .fetch_optional(&mut *conn)
    .await?;
    let (id, operator_id, new_secret, expires_at, used_at) = row.ok_or(AppError::NotFound)?;
    if used_at.is_some() {
        return Err(AppError::Conflict(Conflict::EnrolmentUsed));
    }
    if expires_at <= now.0 {
        return Err(AppError::Conflict(Conflict::EnrolmentExpired));
    }
    let op = operators::get(conn, &operator_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // A disabled operator's link shows nothing and completes nothing.
    if op.status != AccountStatus::Active {
        return Err(AppError::NotFound);
    }
    Ok((id, op, new_secret != 0, UtcMillis(expires_at)))
}

/// What the enrolment page shows: who, and the new authenticator's QR code when there is one.
pub async fn enrolment(state: &AppState, token: &str) -> AppResult<OperatorEnrolment> {
    let mut conn = state.db.conn().await?;
    let (_, op, new_secret, expires_at) = open(&mut conn, token, state.clock.now()).await?;
    let authenticator = if new_secret {
        let secret = op.totp_secret(&state.cipher)?;
        let uri = totp::otpauth_uri(&state.settings.operator_name.en, &op.login, &secret);
        let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(AppError::internal)?;
        let qr_svg = qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build();
        Some(Authenticator {
            otpauth_uri: uri,
            secret,
            qr_svg,
        })
    } else {
        None
    };
    Ok(OperatorEnrolment {
        login: op.login,
        display_name: op.display_name,
        authenticator,
        expires_at,
    })
}

/// Completes an enrolment: the new password, and one current code from the authenticator. The
/// link is used up. Audited as the operator.
pub async fn enrol(
    state: &AppState,
    token: &str,
    password: &str,
    code: &str,
    ip: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    if !state
        .login_limiter
        .allow(&crate::model::net::rate_key(ip), now.0)
    {
        return Err(AppError::RateLimited);
    }
    let password = Password::parse(password).map_err(|r| AppError::invalid("password", r))?;
    // The link first: no password is hashed for a made-up token.
    let mut conn = state.db.conn().await?;
    let (id, op, _, _) = open(&mut conn, token, now).await?;
    // Each try is counted before the code is checked (parallel guesses cannot get past five);
    // a right code is one try too.
    let reserved = sqlx::query(
        "UPDATE operator_enrolments SET failures = failures + 1 WHERE id = $1 AND used_at IS NULL AND failures < $2",
    )
    .bind(&id)
    .bind(ENROLMENT_FAILURES)
    .execute(&mut *conn)
    .await?;
    if reserved.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::EnrolmentUsed));
    }
    let secret = op.totp_secret(&state.cipher)?;
    let Some(step) = totp::verify(&secret, code.trim(), now, op.totp_last_step) else {
        drop(conn);
        let mut tx = state.db.begin().await?;
        // Five wrong codes use the link up (the code is the second factor of a reset link).
        sqlx::query(
            "UPDATE operator_enrolments SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND failures >= $3",
        )
        .bind(&id)
        .bind(now.0)
        .bind(ENROLMENT_FAILURES)
        .execute(&mut *tx)
        .await?;
        let actor = operator_actor(&op, ip);
        let target = format!("operator:{}", op.id);
        let failed = Event {
            result: AuditResult::Failed,
            ..Event::ok(&actor, "operator.enrol", &target, "wrong code")
        };
        audit::append(&mut tx, &failed, now).await?;
        tx.commit().await?;
        return Err(AppError::invalid("code", Rule::Mismatch));
    };
    drop(conn);
    let hash = super::login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    let used = sqlx::query(
        "UPDATE operator_enrolments SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
    )
    .bind(&id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::EnrolmentUsed));
    }
    sqlx::query(
        "UPDATE operators SET password_hash = $2, enrolled_at = $3, totp_last_step = $4, failed_logins = 0, locked_until = NULL WHERE id = $1",
    )
    .bind(&op.id)
    .bind(hash)
    .bind(now.0)
    .bind(step)
    .execute(&mut *tx)
    .await?;
    let actor = operator_actor(&op, ip);
    audit::append(
        &mut tx,
        &Event::ok(
            &actor,
            "operator.enrol",
            &format!("operator:{}", op.id),
            &op.login,
        ),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Wrong codes after which an enrolment link is used up.
const ENROLMENT_FAILURES: i64 = 5;

fn operator_actor(op: &OperatorRow, ip: &str) -> Actor {
    Actor {
        kind: crate::model::audit::ActorKind::Operator,
        id: op.id.clone(),
        role: op.role_codes(),
        ip: ip.to_string(),
    }
}
