//! Registration with a code (P0.2, P1.1.1; issue 14, enumeration). The form's answer never
//! says whether a mobile number or e-mail address already has an account:
//!
//! 1. [`start`] checks the form, keeps it as a pending registration (contacts encrypted, the
//!    password hashed) and e-mails a six-digit code to the address. If the address already
//!    belongs to a login person, that e-mail says so instead (log in, or reset the password)
//!    and carries no code. The answer is the same either way: "a code went to a***@x.com".
//! 2. [`confirm`] takes the code (30 minutes, five tries, once), then creates the login
//!    person, their policy acceptance and an empty application, and opens a session. Only
//!    someone who holds the mailbox gets this far; if the mobile number is taken by then, they
//!    are told so (a probe costs a mailbox and three codes an hour per address).
//!
//! Pending registrations are deleted by housekeeping a day after they expire.

use super::codes::{self, Table};
use super::sessions::ClientMeta;
use super::{login, open_user_session, users};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::messages::{self, Notice};
use crate::backend::policy::acceptance::{record_acceptance, ACCEPT_AT_SIGNUP};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, FieldError, Rule};
use crate::model::account::{
    Email, Mobile, Password, PendingRegistration, PersonName, RegistrationStarted,
};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::conflict::Conflict;
use crate::model::form::check;
use crate::model::messages::MessageCategory;
use crate::model::net::rate_key;
use crate::model::outbox::OutboxPurpose;
use crate::model::{Bilingual, UtcMillis};

/// How long a registration code works (the e-mail says so).
pub const CODE_TTL_MS: i64 = crate::model::sms::CODE_MINUTES * 60_000;
/// Codes e-mailed to one address in an hour, at most (more get the same answer, no e-mail).
pub const CODES_PER_HOUR: i64 = 3;

/// The registration form (P0.2, P1.1.1). Its `Debug` leaves the password out (issue 14): a
/// form logged while debugging must not put a password in the logs.
#[derive(Clone)]
pub struct Registration {
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub password: String,
    pub accept: bool,
    pub privacy_version_id: String,
    pub terms_version_id: String,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("name", &self.name)
            .field("mobile", &self.mobile)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .field("accept", &self.accept)
            .field("privacy_version_id", &self.privacy_version_id)
            .field("terms_version_id", &self.terms_version_id)
            .finish()
    }
}

fn ctx(column: &str, id: &str) -> String {
    format!("registrations.{column}:{id}")
}

/// Checks the form and e-mails a code (or, to an address that has an account, a note saying
/// so). The answer depends only on what was typed.
pub async fn start(
    state: &AppState,
    r: Registration,
    meta: &ClientMeta,
) -> AppResult<RegistrationStarted> {
    let now = state.clock.now();
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let mut errs: Vec<FieldError> = Vec::new();
    let name = check(&mut errs, "name", PersonName::parse(&r.name));
    let mobile = check(&mut errs, "mobile", Mobile::parse(&r.mobile));
    let email = check(&mut errs, "email", Email::parse(&r.email));
    let password = check(&mut errs, "password", Password::parse(&r.password));
    if !r.accept {
        errs.push(FieldError::new("accept", Rule::MustAccept));
    }
    let (Some(name), Some(mobile), Some(email), Some(password), true) =
        (name, mobile, email, password, errs.is_empty())
    else {
        return Err(AppError::Invalid(errs));
    };
    let hash = login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    current_versions(&mut tx, &r.privacy_version_id, &r.terms_version_id, now).await?;
    let email_idx = state.index.of("email", email.as_str());
    let email_taken = !users::taken(&mut tx, &state.index, None, Some(&email), None)
        .await?
        .is_empty();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE email_idx = $1 AND created_at > $2",
    )
    .bind(&email_idx)
    .bind(now.0 - 3_600_000)
    .fetch_one(&mut *tx)
    .await?;
    let id = new_id();
    let code = codes::new_code();
    sqlx::query(
        "INSERT INTO registrations (id, name, mobile_enc, email_enc, email_idx, email_masked, password_hash, \
         privacy_version_id, terms_version_id, code_hash, attempts, expires_at, used_at, created_at, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, NULL, $12, $13)",
    )
    .bind(&id)
    .bind(name.as_str())
    .bind(state.cipher.encrypt_text(mobile.as_str(), &ctx("mobile", &id)))
    .bind(state.cipher.encrypt_text(email.as_str(), &ctx("email", &id)))
    .bind(&email_idx)
    .bind(email.masked())
    .bind(&hash)
    .bind(&r.privacy_version_id)
    .bind(&r.terms_version_id)
    // A code is stored only when it is sent: a row for an address with an account, or past
    // the hourly limit, keeps a hash nothing matches, so it cannot be guessed at silently.
    .bind(if email_taken || recent >= CODES_PER_HOUR {
        crate::backend::crypto::random_token()
    } else {
        codes::hash(Table::Registrations, &id, &code)
    })
    .bind(now.0 + CODE_TTL_MS)
    .bind(now.0)
    .bind(crate::model::net::truncate_ip(&meta.ip))
    .execute(&mut *tx)
    .await?;
    if recent < CODES_PER_HOUR {
        let (title, body) = if email_taken {
            already_registered()
        } else {
            code_mail(&code)
        };
        let notice = Notice {
            category: MessageCategory::Account,
            purpose: OutboxPurpose::RegistrationCode,
            title: &title,
            body: &body,
            source: "",
            email_only: true,
        };
        messages::tell_address(state, &mut tx, &email, None, &notice, now).await?;
    }
    tx.commit().await?;
    Ok(RegistrationStarted {
        id,
        email_masked: email.masked(),
    })
}

fn code_mail(code: &str) -> (Bilingual, Bilingual) {
    (
        Bilingual::new("注册验证码", "Your registration code"),
        Bilingual::new(
            format!("您的注册验证码为{code}，30 分钟内有效。请在注册页面输入它以完成注册。如果这不是您本人的操作，请忽略本邮件。"),
            format!("Your registration code is {code}. It works for 30 minutes: enter it on the registration page to finish. If you did not ask for it, ignore this e-mail."),
        ),
    )
}

fn already_registered() -> (Bilingual, Bilingual) {
    (
        Bilingual::new("注册验证码", "Your registration code"),
        Bilingual::new(
            "有人（可能是您本人）尝试用此邮箱注册，但它已有账号，因此没有发送验证码。请直接登录；如忘记密码，请在登录页选择“忘记密码”。如果这不是您本人的操作，请忽略本邮件。",
            "Someone, perhaps you, tried to register with this address, but it already has an account, so no code was sent. Log in instead; if you forgot the password, choose \"Forgot password\" on the login page. If this was not you, ignore this e-mail.",
        ),
    )
}

/// The policy versions shown must still be the ones in force (P0.2).
async fn current_versions(
    conn: &mut sqlx::AnyConnection,
    privacy_id: &str,
    terms_id: &str,
    now: UtcMillis,
) -> AppResult<(
    crate::model::policy::PolicyVersion,
    crate::model::policy::PolicyVersion,
)> {
    use crate::backend::policy::current;
    use crate::model::policy::PolicyKind;
    let privacy = current(conn, PolicyKind::Privacy, now).await?;
    let terms = current(conn, PolicyKind::Terms, now).await?;
    if privacy.id != privacy_id || terms.id != terms_id {
        return Err(AppError::Conflict(Conflict::PolicyChanged));
    }
    Ok((privacy, terms))
}

/// A pending registration for its code page: where the code went, and until when.
pub async fn pending(state: &AppState, id: &str) -> AppResult<PendingRegistration> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT email_masked, expires_at FROM registrations WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (email_masked, expires_at) = row.ok_or(AppError::NotFound)?;
    Ok(PendingRegistration {
        email_masked,
        expires_at: UtcMillis(expires_at),
    })
}

/// What a pending registration keeps until its code is entered.
#[derive(sqlx::FromRow)]
struct PendingRow {
    name: String,
    mobile_enc: String,
    email_enc: String,
    password_hash: String,
    privacy_version_id: String,
    terms_version_id: String,
    code_hash: String,
}

/// Empties what a used registration kept for its code (contacts and password hash).
async fn blank(conn: &mut sqlx::AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE registrations SET mobile_enc = '', email_enc = '', password_hash = '' WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the code and registers: the login person, their policy acceptance and an empty
/// application in one transaction, then a session. Returns the session token.
pub async fn confirm(
    state: &AppState,
    id: &str,
    code: &str,
    meta: &ClientMeta,
) -> AppResult<String> {
    let now = state.clock.now();
    // Guesses count against the address's limit too, whatever the registration.
    if !state.login_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    let code = code.trim();
    if !codes::well_formed(code) {
        return Err(AppError::invalid("code", Rule::Format));
    }
    let mut tx = state.db.begin().await?;
    let row: PendingRow = sqlx::query_as(
        "SELECT name, mobile_enc, email_enc, password_hash, privacy_version_id, terms_version_id, code_hash \
         FROM registrations WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict(Conflict::RegistrationCodeWrong))?;
    let candidates = [(id.to_string(), row.code_hash.clone())];
    if codes::redeem(&mut tx, Table::Registrations, &candidates, code, now)
        .await?
        .is_none()
    {
        // The wrong try counts.
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::RegistrationCodeWrong));
    }
    let open = |column: &str, enc: &str| {
        state
            .cipher
            .decrypt_text(enc, &ctx(column, id))
            .map_err(AppError::internal)
    };
    let parse = |e| AppError::internal(format!("a stored registration does not parse: {e:?}"));
    let name = PersonName::parse(&row.name).map_err(parse)?;
    let mobile = Mobile::parse(&open("mobile", &row.mobile_enc)?).map_err(parse)?;
    let email = Email::parse(&open("email", &row.email_enc)?).map_err(parse)?;
    let (privacy, terms) =
        current_versions(&mut tx, &row.privacy_version_id, &row.terms_version_id, now).await?;
    if !users::taken(&mut tx, &state.index, Some(&mobile), Some(&email), None)
        .await?
        .is_empty()
    {
        // The code was right, so the person holds the mailbox: they may learn that the number
        // (or, after a race, the address) is taken. The registration is used up either way.
        blank(&mut tx, id).await?;
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::ContactTaken));
    }
    let user_id = users::insert(
        &mut tx,
        &state.cipher,
        &state.index,
        &users::NewUser {
            enterprise_id: None,
            name: &name,
            mobile: &mobile,
            email: &email,
            password_hash: &row.password_hash,
            role: None,
            permissions: &[],
        },
        now,
    )
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
    sqlx::query(
        "INSERT INTO applications (id, user_id, status, created_at, updated_at) VALUES ($1, $2, 'draft', $3, $3)",
    )
    .bind(new_id())
    .bind(&user_id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    blank(&mut tx, id).await?;
    let actor = Actor {
        kind: ActorKind::User,
        id: user_id.clone(),
        role: "applicant".into(),
        ip: meta.ip.clone(),
    };
    audit::append(
        &mut tx,
        &Event {
            actor: &actor,
            enterprise_id: None,
            action: "account.register",
            target: &format!("user:{user_id}"),
            result: AuditResult::Ok,
            detail: &format!("privacy {} / terms {}", privacy.version, terms.version),
        },
        now,
    )
    .await?;
    let token = open_user_session(&mut tx, state, &user_id, meta, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// Deletes pending registrations a day after they expired (housekeeping).
pub async fn purge_expired(
    db: &crate::backend::db::Db,
    now: UtcMillis,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM registrations WHERE expires_at < $1")
        .bind(now.0 - 86_400_000)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
