//! Registration with a code (P0.2, P1.1.1; issue 14, enumeration). The form's answer never
//! says whether a mobile number or e-mail address already has an account:
//!
//! 1. [`start`] checks the form, keeps it as a pending registration (contacts encrypted, the
//!    password hashed) and e-mails a six-digit code to the address. If the address already
//!    belongs to a login person, that e-mail says so instead (log in, or reset the password)
//!    and carries no code. The answer is the same either way: "a code went to a***@x.com".
//! 2. [`confirm`] takes the e-mailed code (30 minutes, five tries, once). When an SMS gateway
//!    can send texts, the number is confirmed next, the same way: a code texted to it, or, to
//!    a number that has an account, a text saying so with no code; the answer is again the
//!    same ("a code went to 139****6666"). Texts go only to someone who proved the mailbox,
//!    so nobody can make the platform text any number from the form alone.
//! 3. The last right code creates the login person, their policy acceptance and an empty
//!    application, and opens a session. Only someone who holds the mailbox and the phone gets
//!    this far, so nobody learns whether a contact they do not hold has an account. Without an
//!    SMS gateway (development only: production refuses to register without one) the
//!    e-mailed code is the last, and the mailbox's holder is told there if the number is taken.
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
    Email, Mobile, Password, PendingRegistration, PersonName, RegistrationStarted, RegistrationStep,
};
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::conflict::Conflict;
use crate::model::form::check;
use crate::model::messages::MessageCategory;
use crate::model::net::rate_key;
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::Lang;
use crate::model::{Bilingual, UtcMillis};

/// How long a registration code works (the e-mail says so).
pub const CODE_TTL_MS: i64 = crate::model::sms::CODE_MINUTES * 60_000;
/// Codes e-mailed to one address, or texted to one number, in an hour, at most (more get the
/// same answer, and nothing is sent).
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
    let texts = state.transport.carries(OutboxChannel::Sms);
    if state.settings.production && !texts {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    let hash = login::hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    current_versions(&mut tx, &r.privacy_version_id, &r.terms_version_id, now).await?;
    let email_idx = state.index.of("email", email.as_str());
    lock_contact(&mut tx, state, &email_idx).await?;
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
    let step = if texts {
        Table::RegistrationEmail
    } else {
        Table::Registrations
    };
    sqlx::query(
        "INSERT INTO registrations (id, name, mobile_enc, email_enc, email_idx, email_masked, password_hash, \
         privacy_version_id, terms_version_id, code_hash, attempts, expires_at, used_at, created_at, ip, \
         mobile_idx, mobile_masked) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, NULL, $12, $13, $14, $15)",
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
        codes::hash(step, &id, &code)
    })
    .bind(now.0 + CODE_TTL_MS)
    .bind(now.0)
    .bind(crate::model::net::truncate_ip(&meta.ip))
    .bind(if texts { state.index.of("mobile", mobile.as_str()) } else { String::new() })
    .bind(if texts { mobile.masked() } else { String::new() })
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
        mobile_masked: texts.then(|| mobile.masked()),
    })
}

/// Serialises the registrations of one contact (its keyed hash), so that parallel forms
/// cannot pass an hourly limit together.
async fn lock_contact(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    idx: &str,
) -> Result<(), sqlx::Error> {
    crate::backend::db::lock_key(conn, state.db.engine(), idx).await
}

/// The e-mailed code was right: texts a code to the number (or, to a number with an account,
/// a note saying so, with no code) and makes that code the registration's next, with its own
/// five tries and 30 minutes. Three texts an hour per number at most; past that nothing is sent
/// and the code stored matches nothing.
async fn text_code(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    id: &str,
    mobile: &Mobile,
    now: UtcMillis,
) -> AppResult<()> {
    let mobile_idx = state.index.of("mobile", mobile.as_str());
    lock_contact(tx, state, &mobile_idx).await?;
    let taken = !users::taken(tx, &state.index, Some(mobile), None, None)
        .await?
        .is_empty();
    // This registration's own step counts (its e-mail was confirmed just now).
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE mobile_idx = $1 AND email_confirmed_at > $2",
    )
    .bind(&mobile_idx)
    .bind(now.0 - 3_600_000)
    .fetch_one(&mut *tx)
    .await?;
    let send = recent <= CODES_PER_HOUR;
    let code = codes::new_code();
    sqlx::query(
        "UPDATE registrations SET code_hash = $2, attempts = 0, expires_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(if send && !taken {
        codes::hash(Table::Registrations, id, &code)
    } else {
        crate::backend::crypto::random_token()
    })
    .bind(now.0 + CODE_TTL_MS)
    .execute(&mut *tx)
    .await?;
    if !send {
        return Ok(());
    }
    if taken {
        let title = number_registered();
        let notice = Notice {
            category: MessageCategory::Account,
            purpose: OutboxPurpose::RegistrationCode,
            title: &title,
            body: &title,
            source: "",
            email_only: false,
        };
        messages::tell_mobile(state, tx, mobile, &notice, now).await?;
    } else {
        let to = messages::CodeTo::Mobile(mobile);
        let purpose = OutboxPurpose::RegistrationCode;
        messages::send_code(state, tx, to, None, &code, Lang::ZhCn, purpose, now).await?;
    }
    Ok(())
}

/// The text to a number that already has an account (the SMS notice template's title: at most
/// 35 characters).
fn number_registered() -> Bilingual {
    Bilingual::new(
        "有人用此号码注册，但它已有账号，请直接登录",
        "This number already has an account: log in",
    )
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

/// A pending registration for its code page: where its codes go, which is asked for now, and
/// until when.
pub async fn pending(state: &AppState, id: &str) -> AppResult<PendingRegistration> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let row: Option<(String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT email_masked, mobile_masked, email_confirmed_at, expires_at FROM registrations \
         WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (email_masked, mobile_masked, confirmed, expires_at) = row.ok_or(AppError::NotFound)?;
    Ok(PendingRegistration {
        email_masked,
        step: match (mobile_masked.is_empty(), confirmed) {
            (false, Some(_)) => RegistrationStep::Text,
            _ => RegistrationStep::Email,
        },
        mobile_masked: (!mobile_masked.is_empty()).then_some(mobile_masked),
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
    email_idx: String,
    /// `''` when the number is not confirmed by a text (no SMS gateway).
    mobile_masked: String,
    mobile_idx: String,
    /// Set once the e-mailed code was right (then the texted code is asked for).
    email_confirmed_at: Option<i64>,
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

/// Wrong tries of one contact's codes in a day, at most: past them, every code for that contact
/// is refused until the day has passed (with five tries a code and three codes an hour, a
/// guesser would otherwise get 360 tries a day).
pub const TRIES_PER_DAY: i64 = 20;

/// What a right code did.
pub enum Confirmed {
    /// The e-mailed code: a code was texted to the number, which is asked for next.
    Texted,
    /// The last code: the login person exists; their session token.
    Registered(String),
}

/// Takes the code asked for now (the e-mailed one, then the texted one). The last creates the
/// login person, their policy acceptance and an empty application in one transaction, then a
/// session.
pub async fn confirm(
    state: &AppState,
    id: &str,
    code: &str,
    meta: &ClientMeta,
) -> AppResult<Confirmed> {
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
        "SELECT name, mobile_enc, email_enc, password_hash, privacy_version_id, terms_version_id, code_hash, \
         email_idx, mobile_masked, mobile_idx, email_confirmed_at \
         FROM registrations WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict(Conflict::RegistrationCodeWrong))?;
    let email_step = !row.mobile_masked.is_empty() && row.email_confirmed_at.is_none();
    if tries_today(&mut tx, &row, email_step, now).await? >= TRIES_PER_DAY {
        return Err(AppError::Conflict(Conflict::RegistrationCodeWrong));
    }
    let table = if email_step {
        Table::RegistrationEmail
    } else {
        Table::Registrations
    };
    let candidates = [(id.to_string(), row.code_hash.clone())];
    if codes::redeem(&mut tx, table, &candidates, code, now)
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
    if email_step {
        text_code(state, &mut tx, id, &mobile, now).await?;
        tx.commit().await?;
        return Ok(Confirmed::Texted);
    }
    let (privacy, terms) =
        current_versions(&mut tx, &row.privacy_version_id, &row.terms_version_id, now).await?;
    if !users::taken(&mut tx, &state.index, Some(&mobile), Some(&email), None)
        .await?
        .is_empty()
    {
        // The codes were right, so the person holds the contacts they were sent to: they may
        // learn that one is taken (after a race, or the number when no code could be texted).
        // The registration is used up either way.
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
    let token = open_user_session(
        &mut tx,
        state,
        &user_id,
        meta,
        crate::model::account::LoginMethod::Registration,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Confirmed::Registered(token))
}

/// The tries taken in the last day at the codes of the contact whose code is asked for now:
/// the address's e-mailed codes, or the number's texted ones.
async fn tries_today(
    conn: &mut sqlx::AnyConnection,
    row: &PendingRow,
    email_step: bool,
    now: UtcMillis,
) -> Result<i64, sqlx::Error> {
    let (sql, idx) = if email_step || row.mobile_masked.is_empty() {
        (
            "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM registrations \
             WHERE email_idx = $1 AND created_at > $2 AND email_confirmed_at IS NULL",
            &row.email_idx,
        )
    } else {
        (
            "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM registrations \
             WHERE mobile_idx = $1 AND created_at > $2 AND email_confirmed_at IS NOT NULL",
            &row.mobile_idx,
        )
    };
    sqlx::query_scalar(sql)
        .bind(idx)
        .bind(now.0 - 86_400_000)
        .fetch_one(&mut *conn)
        .await
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
