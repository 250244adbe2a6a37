//! Operator accounts: created from the CLI (or the demo seed), each with roles and a TOTP
//! secret. Logging in takes the password and then a current TOTP code (P5.2: two factors for
//! administrators); the session is usable in the console only after the second step.

use super::login;
use super::sessions::{self, ClientMeta, PrincipalKind, Session};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::FieldCipher;
use crate::backend::ids::new_id;
use crate::backend::{totp, AppState};
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{
    AccountStatus, LoginOutcome, OperatorMe, OperatorRole, OperatorSummary, Password, PersonName,
};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// An operator as stored. Holds the password hash and the encrypted TOTP secret: no `Debug`.
#[derive(Clone)]
pub struct OperatorRow {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<OperatorRole>,
    pub status: AccountStatus,
    pub totp_secret_enc: String,
    pub totp_last_step: i64,
    /// Finished enrolment: only then can they log in.
    pub enrolled: bool,
}

impl OperatorRow {
    pub fn me(&self) -> OperatorMe {
        OperatorMe {
            operator_id: self.id.clone(),
            login: self.login.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
        }
    }
    pub fn has_any(&self, roles: &[OperatorRole]) -> bool {
        crate::model::access::operator_may(&self.roles, roles)
    }
    pub fn role_codes(&self) -> String {
        OperatorRole::list_to_codes(&self.roles)
    }
    pub(super) fn totp_secret(&self, cipher: &FieldCipher) -> AppResult<String> {
        cipher
            .decrypt_text(
                &self.totp_secret_enc,
                &format!("operators.totp:{}", self.id),
            )
            .map_err(AppError::internal)
    }
}

const COLUMNS: &str =
    "id, login, display_name, password_hash, roles, status, totp_secret_enc, totp_last_step, enrolled_at";

/// An operator selected with [`COLUMNS`]. Holds the password hash and the encrypted TOTP
/// secret: no `Debug`, no `Serialize`.
#[derive(sqlx::FromRow)]
struct StoredOperator {
    id: String,
    login: String,
    display_name: String,
    password_hash: String,
    roles: String,
    #[sqlx(try_from = "String")]
    status: AccountStatus,
    totp_secret_enc: String,
    totp_last_step: i64,
    enrolled_at: Option<i64>,
}

impl TryFrom<StoredOperator> for OperatorRow {
    type Error = crate::model::UnknownCode;
    fn try_from(r: StoredOperator) -> Result<Self, Self::Error> {
        Ok(OperatorRow {
            id: r.id,
            login: r.login,
            display_name: r.display_name,
            password_hash: r.password_hash,
            roles: OperatorRole::list_from_stored(&r.roles, "operators.roles")?,
            status: r.status,
            totp_secret_enc: r.totp_secret_enc,
            totp_last_step: r.totp_last_step,
            enrolled: r.enrolled_at.is_some(),
        })
    }
}

/// The operator whose `column` (a fixed column name) equals `value`.
async fn by(
    conn: &mut AnyConnection,
    column: &'static str,
    value: &str,
) -> AppResult<Option<OperatorRow>> {
    let row: Option<StoredOperator> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM operators WHERE {column} = $1"
    )))
    .bind(value)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(OperatorRow::try_from).transpose()?)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> AppResult<Option<OperatorRow>> {
    by(conn, "id", id).await
}

async fn by_login(conn: &mut AnyConnection, login: &str) -> AppResult<Option<OperatorRow>> {
    by(conn, "login", login).await
}

/// An operator's login name: 3-32 characters of a-z, 0-9, `.`, `_`, `-`.
pub fn parse_login(input: &str) -> Result<String, Rule> {
    let s = input.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    let ok = (3..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(s)
    } else {
        Err(Rule::Format)
    }
}

/// What creating an operator gives back: the TOTP secret to enrol in an authenticator app.
/// Shown once; stored only encrypted.
pub struct CreatedOperator {
    pub id: String,
    pub totp_secret: String,
    pub otpauth_uri: String,
}

/// Creates an operator (CLI `create-operator` and the demo seed). `totp_secret` is generated
/// unless given (the demo seed uses a documented one).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    login: &str,
    display_name: &str,
    password: &str,
    roles: &[OperatorRole],
    totp_secret: Option<&str>,
    issuer: &str,
    now: UtcMillis,
) -> AppResult<CreatedOperator> {
    let login = parse_login(login).map_err(|r| AppError::invalid("login", r))?;
    let name = PersonName::parse(display_name).map_err(|r| AppError::invalid("display_name", r))?;
    let password = Password::parse(password).map_err(|r| AppError::invalid("password", r))?;
    if roles.is_empty() {
        return Err(AppError::invalid("roles", Rule::Required));
    }
    let id = new_id();
    let secret = totp_secret
        .map(str::to_string)
        .unwrap_or_else(totp::new_secret);
    let hash = login::hash_password(password.expose().to_string()).await?;
    sqlx::query(
        "INSERT INTO operators (id, login, display_name, password_hash, roles, status, \
         totp_secret_enc, created_at, enrolled_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7)",
    )
    .bind(&id)
    .bind(&login)
    .bind(name.as_str())
    .bind(hash)
    .bind(OperatorRole::list_to_codes(roles))
    .bind(cipher.encrypt_text(&secret, &format!("operators.totp:{id}")))
    .bind(now.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| super::users::unique_conflict(e, crate::model::conflict::Conflict::LoginTaken))?;
    audit::append(
        conn,
        &Event {
            actor: &Actor::system(),
            enterprise_id: None,
            action: "operator.create",
            target: &format!("operator:{id}"),
            result: AuditResult::Ok,
            detail: &format!("{login} roles {}", OperatorRole::list_to_codes(roles)),
        },
        now,
    )
    .await?;
    Ok(CreatedOperator {
        otpauth_uri: totp::otpauth_uri(issuer, &login, &secret),
        id,
        totp_secret: secret,
    })
}

/// Step 1: login name and password. Opens a session that only the TOTP step can use.
pub async fn login_password(
    state: &AppState,
    login_input: &str,
    password: &str,
    old_token: Option<&str>,
    meta: &ClientMeta,
) -> AppResult<String> {
    let now = state.clock.now();
    if !state
        .login_limiter
        .allow(&crate::model::net::rate_key(&meta.ip), now.0)
    {
        return Err(AppError::RateLimited);
    }
    let login_name = parse_login(login_input).map_err(|r| AppError::invalid("login", r))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", Rule::Required));
    }
    let mut conn = state.db.conn().await?;
    let found = by_login(&mut conn, &login_name).await?;
    let Some(op) = found else {
        // No connection is held while the dummy hash runs.
        drop(conn);
        login::burn_time(password.to_string()).await;
        let mut conn = state.db.conn().await?;
        login::log_attempt(
            &mut conn,
            PrincipalKind::Operator,
            None,
            meta,
            LoginOutcome::UnknownLogin,
            now,
        )
        .await?;
        return Err(AppError::BadCredentials);
    };
    drop(conn);
    super::check_credentials(
        state,
        PrincipalKind::Operator,
        &op.id,
        op.status,
        password,
        &op.password_hash,
        meta,
    )
    .await?;
    // Not enrolled (created or reset in the console): its password is an unknown random one,
    // so this is a second lock.
    if !op.enrolled {
        return Err(AppError::BadCredentials);
    }
    let mut tx = state.db.begin().await?;
    if let Some(old) = old_token {
        sessions::end_by_token(&mut tx, old).await?;
    }
    let token = sessions::create(
        &mut tx,
        PrincipalKind::Operator,
        &op.id,
        false,
        meta,
        state.sessions,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Step 2: a current TOTP code. Wrong codes count towards the same lockout as passwords; a
/// code is accepted once only. Returns the session's new token.
pub async fn login_totp(
    state: &AppState,
    session: &Session,
    code: &str,
    meta: &ClientMeta,
) -> AppResult<String> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let op = get(&mut conn, &session.principal_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    drop(conn);
    if !state
        .login_limiter
        .allow(&crate::model::net::rate_key(&meta.ip), now.0)
    {
        return Err(AppError::RateLimited);
    }
    // Wrong codes count towards the same lockout as wrong passwords, claimed before checking.
    let counted =
        match login::claim_attempt(&state.db, PrincipalKind::Operator, &op.id, now).await? {
            login::Claim::Counted(n) => n,
            login::Claim::Locked(until) => return Err(AppError::Locked { until }),
            login::Claim::Busy => return Err(AppError::RateLimited),
        };
    let secret = op.totp_secret(&state.cipher)?;
    let mut tx = state.db.begin().await?;
    let Some(step) = totp::verify(&secret, code, now, op.totp_last_step) else {
        let locked =
            login::settle_failure(&mut tx, PrincipalKind::Operator, &op.id, counted, now).await?;
        if locked.is_some() {
            super::record_lock(
                &mut tx,
                PrincipalKind::Operator,
                &op.id,
                meta,
                "5 wrong codes",
                now,
            )
            .await?;
        }
        login::log_attempt(
            &mut tx,
            PrincipalKind::Operator,
            Some(&op.id),
            meta,
            LoginOutcome::BadTotp,
            now,
        )
        .await?;
        tx.commit().await?;
        return Err(match locked {
            Some(until) => AppError::Locked { until },
            None => AppError::invalid("code", Rule::Mismatch),
        });
    };
    // Conditional: two concurrent uses of one code cannot both pass.
    let used = sqlx::query(
        "UPDATE operators SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(&op.id)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        // The same code was just used by another request: this attempt counts as wrong.
        login::settle_failure(&mut tx, PrincipalKind::Operator, &op.id, counted, now).await?;
        tx.commit().await?;
        return Err(AppError::invalid("code", Rule::Mismatch));
    }
    if !login::settle_success(&mut tx, PrincipalKind::Operator, &op.id, now, true).await? {
        return Err(AppError::Locked {
            until: UtcMillis(now.0 + login::LOCK_MS),
        });
    }
    let Some(token) = sessions::upgrade(&mut tx, session).await? else {
        // The password step's session ended meanwhile: the code is spent, the count settled.
        tx.commit().await?;
        return Err(AppError::Unauthenticated);
    };
    login::log_attempt(
        &mut tx,
        PrincipalKind::Operator,
        Some(&op.id),
        meta,
        LoginOutcome::Ok,
        now,
    )
    .await?;
    audit::append(
        &mut tx,
        &Event {
            actor: &Actor {
                kind: ActorKind::Operator,
                id: op.id.clone(),
                role: op.role_codes(),
                ip: meta.ip.clone(),
            },
            enterprise_id: None,
            action: "operator.login",
            target: &format!("operator:{}", op.id),
            result: AuditResult::Ok,
            detail: "password + TOTP",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Every operator, for the console's operator list.
pub async fn list(state: &AppState, viewer: &str) -> AppResult<Vec<OperatorSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, login, display_name, roles, status, created_at, enrolled_at FROM operators ORDER BY login",
    )
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            OperatorSummary::try_from(r).map(|mut o| {
                o.is_self = o.id == viewer;
                o
            })
        })
        .collect::<Result<_, _>>()?)
}

/// An operator as the console lists it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    login: String,
    display_name: String,
    roles: String,
    #[sqlx(try_from = "String")]
    status: AccountStatus,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    enrolled_at: Option<i64>,
}

impl TryFrom<SummaryRow> for OperatorSummary {
    type Error = crate::model::UnknownCode;
    fn try_from(r: SummaryRow) -> Result<Self, Self::Error> {
        Ok(OperatorSummary {
            id: r.id,
            login: r.login,
            display_name: r.display_name,
            roles: OperatorRole::list_from_stored(&r.roles, "operators.roles")?,
            status: r.status,
            created_at: r.created_at,
            enrolled: r.enrolled_at.is_some(),
            is_self: false,
        })
    }
}
