//! The `users` store: enterprise login persons, including applicants whose business account
//! is not open yet. Mobile and e-mail are encrypted (bound to the row) and found through
//! their blind index (P4.3).

use crate::backend::crypto::{BlindIndex, FieldCipher};
use crate::backend::ids::new_id;
use crate::error::{AppError, AppResult, FieldError, Rule};
use crate::model::account::{
    AccountStatus, Email, LoginId, MemberRole, Mobile, Permission, PersonName,
};
use crate::model::conflict::Conflict;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// A login person as stored. Holds the password hash and the encrypted contacts: no `Debug`.
#[derive(Clone)]
pub struct UserRow {
    pub id: String,
    pub enterprise_id: Option<String>,
    pub name: String,
    pub mobile_enc: String,
    pub email_enc: String,
    pub password_hash: String,
    pub role: Option<MemberRole>,
    pub permissions: Vec<Permission>,
    /// `active` or `disabled`.
    pub status: AccountStatus,
}

impl UserRow {
    /// A login person of an open business account who holds `needs` (admins hold every
    /// permission; `None` asks only for membership).
    pub fn holds(&self, needs: Option<Permission>) -> bool {
        use crate::model::access::{member_may, MemberNeeds};
        let needs = needs.map_or(MemberNeeds::Member, MemberNeeds::Permission);
        match (&self.enterprise_id, self.role) {
            (Some(_), Some(role)) => member_may(role, &self.permissions, needs),
            _ => false,
        }
    }
    pub fn mobile(&self, cipher: &FieldCipher) -> AppResult<String> {
        cipher
            .decrypt_text(&self.mobile_enc, &format!("users.mobile:{}", self.id))
            .map_err(AppError::internal)
    }
    pub fn email(&self, cipher: &FieldCipher) -> AppResult<String> {
        cipher
            .decrypt_text(&self.email_enc, &format!("users.email:{}", self.id))
            .map_err(AppError::internal)
    }
    /// The role code recorded in audit entries.
    pub fn role_code(&self) -> &'static str {
        self.role.map(MemberRole::code).unwrap_or("applicant")
    }
}

pub const COLUMNS: &str =
    "id, enterprise_id, name, mobile_enc, email_enc, password_hash, role, permissions, status";

/// A login person selected with [`COLUMNS`]; `try_into()` gives the [`UserRow`]. Holds the
/// password hash and the encrypted contacts: no `Debug`, no `Serialize`.
#[derive(sqlx::FromRow)]
pub struct StoredUser {
    id: String,
    enterprise_id: Option<String>,
    name: String,
    mobile_enc: String,
    email_enc: String,
    password_hash: String,
    role: Option<String>,
    permissions: String,
    #[sqlx(try_from = "String")]
    status: AccountStatus,
}

impl TryFrom<StoredUser> for UserRow {
    type Error = crate::model::UnknownCode;
    fn try_from(r: StoredUser) -> Result<Self, Self::Error> {
        Ok(UserRow {
            id: r.id,
            enterprise_id: r.enterprise_id,
            name: r.name,
            mobile_enc: r.mobile_enc,
            email_enc: r.email_enc,
            password_hash: r.password_hash,
            role: r
                .role
                .as_deref()
                .map(|c| MemberRole::from_stored(c, "users.role"))
                .transpose()?,
            permissions: Permission::list_from_stored(&r.permissions, "users.permissions")?,
            status: r.status,
        })
    }
}

/// The login person whose `column` (a fixed column name) equals `value`.
async fn by(
    conn: &mut AnyConnection,
    column: &'static str,
    value: &str,
) -> AppResult<Option<UserRow>> {
    let row: Option<StoredUser> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE {column} = $1"
    )))
    .bind(value)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(UserRow::try_from).transpose()?)
}

/// The active login person whose live session `token` names, with that session: what every
/// request of a logged-in user starts from (server functions and plain routes alike).
pub async fn by_session(
    state: &crate::backend::AppState,
    token: &str,
) -> AppResult<Option<(super::sessions::Session, UserRow)>> {
    let session = super::sessions::lookup(
        &state.db,
        super::sessions::PrincipalKind::User,
        token,
        state.sessions,
        state.clock.now(),
    )
    .await?;
    with_user(state, session).await
}

/// [`by_session`] without touching the session's idle timer ([`super::sessions::peek`]).
pub async fn by_session_untouched(
    state: &crate::backend::AppState,
    token: &str,
) -> AppResult<Option<(super::sessions::Session, UserRow)>> {
    let session = super::sessions::peek(
        &state.db,
        super::sessions::PrincipalKind::User,
        token,
        state.sessions,
        state.clock.now(),
    )
    .await?;
    with_user(state, session).await
}

async fn with_user(
    state: &crate::backend::AppState,
    session: Option<super::sessions::Session>,
) -> AppResult<Option<(super::sessions::Session, UserRow)>> {
    let Some(session) = session else {
        return Ok(None);
    };
    let mut conn = state.db.conn().await?;
    let user = get(&mut conn, &session.principal_id)
        .await?
        .filter(|u| u.status == AccountStatus::Active);
    Ok(user.map(|u| (session, u)))
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> AppResult<Option<UserRow>> {
    by(conn, "id", id).await
}

pub async fn find_by_login(
    conn: &mut AnyConnection,
    index: &BlindIndex,
    login: &LoginId,
) -> AppResult<Option<UserRow>> {
    let (column, idx) = match login {
        LoginId::Mobile(m) => ("mobile_idx", index.of("mobile", m.as_str())),
        LoginId::Email(e) => ("email_idx", index.of("email", e.as_str())),
    };
    by(conn, column, &idx).await
}

/// Field errors for a mobile or e-mail that another login person already uses.
pub async fn taken(
    conn: &mut AnyConnection,
    index: &BlindIndex,
    mobile: Option<&Mobile>,
    email: Option<&Email>,
    except_user: Option<&str>,
) -> AppResult<Vec<FieldError>> {
    taken_among(conn, index, mobile, email, except_user, None).await
}

/// [`taken`], counting only the login persons of `enterprise` when given: an enterprise's
/// admin may learn that a contact is already one of theirs, never that it is someone else's
/// (issue 14, enumeration).
async fn taken_among(
    conn: &mut AnyConnection,
    index: &BlindIndex,
    mobile: Option<&Mobile>,
    email: Option<&Email>,
    except_user: Option<&str>,
    enterprise: Option<&str>,
) -> AppResult<Vec<FieldError>> {
    let mut errs = Vec::new();
    let except = except_user.unwrap_or("");
    let within = enterprise.unwrap_or("");
    let checks = [
        ("mobile", mobile.map(|m| index.of("mobile", m.as_str()))),
        ("email", email.map(|e| index.of("email", e.as_str()))),
    ];
    for (field, idx) in checks {
        let Some(idx) = idx else { continue };
        let hit = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM users WHERE {field}_idx = $1 AND id <> $2 AND ($3 = '' OR enterprise_id = $3)"
        )))
        .bind(idx)
        .bind(except)
        .bind(within)
        .fetch_optional(&mut *conn)
        .await?;
        if hit.is_some() {
            errs.push(FieldError::new(field, Rule::Taken));
        }
    }
    Ok(errs)
}

/// The contacts already held by a login person of `enterprise` (an invitation's check).
pub async fn contacts_taken_in(
    state: &crate::backend::AppState,
    mobile: Option<&Mobile>,
    email: Option<&Email>,
    enterprise: &str,
) -> AppResult<Vec<FieldError>> {
    let mut conn = state.db.conn().await?;
    taken_among(
        &mut conn,
        &state.index,
        mobile,
        email,
        None,
        Some(enterprise),
    )
    .await
}

/// [`taken`] on a connection of its own.
pub async fn contacts_taken(
    state: &crate::backend::AppState,
    mobile: Option<&Mobile>,
    email: Option<&Email>,
    except_user: Option<&str>,
) -> AppResult<Vec<FieldError>> {
    let mut conn = state.db.conn().await?;
    taken(&mut conn, &state.index, mobile, email, except_user).await
}

pub struct NewUser<'a> {
    pub enterprise_id: Option<&'a str>,
    pub name: &'a PersonName,
    pub mobile: &'a Mobile,
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Option<MemberRole>,
    pub permissions: &'a [Permission],
}

/// Inserts a login person. A concurrent insert of the same mobile or e-mail is a conflict.
pub async fn insert(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    index: &BlindIndex,
    u: &NewUser<'_>,
    now: UtcMillis,
) -> AppResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, enterprise_id, name, mobile_enc, mobile_idx, email_enc, email_idx, \
         password_hash, role, permissions, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $11)",
    )
    .bind(&id)
    .bind(u.enterprise_id)
    .bind(u.name.as_str())
    .bind(cipher.encrypt_text(u.mobile.as_str(), &format!("users.mobile:{id}")))
    .bind(index.of("mobile", u.mobile.as_str()))
    .bind(cipher.encrypt_text(u.email.as_str(), &format!("users.email:{id}")))
    .bind(index.of("email", u.email.as_str()))
    .bind(u.password_hash)
    .bind(u.role.map(MemberRole::code))
    .bind(Permission::list_to_codes(u.permissions))
    .bind(now.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_conflict(e, Conflict::ContactTaken))?;
    Ok(id)
}

/// Maps a unique-constraint violation to a conflict; anything else is internal.
pub fn unique_conflict(e: sqlx::Error, conflict: Conflict) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::Conflict(conflict),
        _ => AppError::internal(e),
    }
}

/// Sets a login person's mobile number or e-mail address (already verified; `value` is the
/// parsed `Mobile` or `Email` as text). Only that column changes; an address someone else has
/// is a conflict.
pub async fn set_contact(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    index: &BlindIndex,
    id: &str,
    kind: crate::model::account::ContactKind,
    value: &str,
    now: UtcMillis,
) -> AppResult<()> {
    use crate::model::account::ContactKind;
    let (sql, field) = match kind {
        ContactKind::Mobile => (
            "UPDATE users SET mobile_enc = $1, mobile_idx = $2, updated_at = $3 WHERE id = $4",
            "mobile",
        ),
        ContactKind::Email => (
            "UPDATE users SET email_enc = $1, email_idx = $2, updated_at = $3 WHERE id = $4",
            "email",
        ),
    };
    sqlx::query(sql)
        .bind(cipher.encrypt_text(value, &format!("users.{field}:{id}")))
        .bind(index.of(field, value))
        .bind(now.0)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_conflict(e, Conflict::ContactTaken))?;
    Ok(())
}

/// Sets a login person's name.
pub async fn set_name(
    conn: &mut AnyConnection,
    id: &str,
    name: &PersonName,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name.as_str())
        .bind(now.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
