//! Server-side sessions (P5.2), the same on both engines. The browser holds a random token in
//! an HttpOnly cookie; the database holds only its SHA-256, so a leaked table cannot be
//! replayed. A session ends after an idle period or an absolute lifetime, whichever is first,
//! and a new token is issued at every login (no fixation).

use crate::backend::crypto::{random_token, sha256_hex};
use crate::backend::db::Db;
use crate::backend::ids::new_id;
use crate::model::account::{device_summary, SessionInfo};
use crate::model::UtcMillis;

/// Enterprise login persons and operators have separate cookies and separate sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    Operator,
}

impl PrincipalKind {
    pub fn code(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Operator => "operator",
        }
    }
    /// The cookie that carries this kind's session token (strictly necessary, P2.1).
    pub fn cookie_name(self) -> &'static str {
        match self {
            PrincipalKind::User => "esp_session",
            PrincipalKind::Operator => "esp_ops_session",
        }
    }
}

/// Session lifetimes (configurable; MLPS baseline: idle logout after 10-30 minutes).
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_ms: 30 * 60_000,
            absolute_ms: 12 * 3_600_000,
        }
    }
}

/// A live session.
#[derive(Clone, Debug)]
pub struct Session {
    pub id_hash: String,
    pub handle: String,
    pub principal_id: String,
    pub second_factor_ok: bool,
}

pub use crate::backend::request::ClientMeta;

/// Creates a session and returns its token (for the cookie).
pub async fn create(
    conn: &mut sqlx::AnyConnection,
    kind: PrincipalKind,
    principal_id: &str,
    second_factor_ok: bool,
    meta: &ClientMeta,
    policy: SessionPolicy,
    now: UtcMillis,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, handle, principal_kind, principal_id, second_factor_ok, \
         created_at, last_seen_at, expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)",
    )
    .bind(sha256_hex(token.as_bytes()))
    .bind(&new_id()[..16])
    .bind(kind.code())
    .bind(principal_id)
    .bind(i64::from(second_factor_ok))
    .bind(now.0)
    .bind(now.0 + policy.absolute_ms)
    .bind(&meta.ip)
    .bind(truncate_ua(&meta.user_agent))
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

fn truncate_ua(ua: &str) -> String {
    ua.chars().take(300).collect()
}

/// The live session for `token`, touching its idle timer. Expired sessions are deleted.
pub async fn lookup(
    db: &Db,
    kind: PrincipalKind,
    token: &str,
    policy: SessionPolicy,
    now: UtcMillis,
) -> Result<Option<Session>, sqlx::Error> {
    find(db, kind, token, policy, now, true).await
}

/// The live session for `token`, without touching its idle timer: for what a page does by
/// itself (a stream of live updates must not keep a forgotten tab logged in).
pub async fn peek(
    db: &Db,
    kind: PrincipalKind,
    token: &str,
    policy: SessionPolicy,
    now: UtcMillis,
) -> Result<Option<Session>, sqlx::Error> {
    find(db, kind, token, policy, now, false).await
}

async fn find(
    db: &Db,
    kind: PrincipalKind,
    token: &str,
    policy: SessionPolicy,
    now: UtcMillis,
    touch: bool,
) -> Result<Option<Session>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = sha256_hex(token.as_bytes());
    let row: Option<LiveRow> = sqlx::query_as(
        "SELECT handle, principal_id, second_factor_ok, last_seen_at, expires_at FROM sessions \
         WHERE id_hash = $1 AND principal_kind = $2",
    )
    .bind(&id_hash)
    .bind(kind.code())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (last_seen, expires) = (row.last_seen_at, row.expires_at);
    if now.0 >= expires || now.0 - last_seen >= policy.idle_ms {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&id_hash)
            .execute(db.pool())
            .await?;
        return Ok(None);
    }
    // Touch at most every 30 s, to keep reads cheap.
    if touch && now.0 - last_seen > 30_000 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now.0)
            .bind(&id_hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(Session {
        id_hash,
        handle: row.handle,
        principal_id: row.principal_id,
        second_factor_ok: row.second_factor_ok != 0,
    }))
}

/// A session found by its token's hash, before the expiry checks.
#[derive(sqlx::FromRow)]
struct LiveRow {
    handle: String,
    principal_id: String,
    second_factor_ok: i64,
    last_seen_at: i64,
    expires_at: i64,
}

/// Ends the session with this token (logout, or rotation at login).
pub async fn end_by_token(conn: &mut sqlx::AnyConnection, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(sha256_hex(token.as_bytes()))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends one of a principal's sessions by its public handle.
pub async fn end_by_handle(
    db: &Db,
    kind: PrincipalKind,
    principal_id: &str,
    handle: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM sessions WHERE principal_kind = $1 AND principal_id = $2 AND handle = $3",
    )
    .bind(kind.code())
    .bind(principal_id)
    .bind(handle)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Ends every session of a principal (logout everywhere, disabling a member, password change).
pub async fn end_all(
    conn: &mut sqlx::AnyConnection,
    kind: PrincipalKind,
    principal_id: &str,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE principal_kind = $1 AND principal_id = $2")
        .bind(kind.code())
        .bind(principal_id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected())
}

/// A principal's live sessions, newest first.
pub async fn list(
    db: &Db,
    kind: PrincipalKind,
    principal_id: &str,
    current_handle: &str,
    policy: SessionPolicy,
    now: UtcMillis,
) -> Result<Vec<SessionInfo>, sqlx::Error> {
    let rows: Vec<InfoRow> = sqlx::query_as(
        "SELECT handle, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE principal_kind = $1 AND principal_id = $2 AND expires_at > $3 AND last_seen_at > $4 \
         ORDER BY created_at DESC",
    )
    .bind(kind.code())
    .bind(principal_id)
    .bind(now.0)
    .bind(now.0 - policy.idle_ms)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            current: r.handle == current_handle,
            handle: r.handle,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            ip: r.ip,
            device: device_summary(&r.user_agent),
        })
        .collect())
}

/// A live session as its owner lists it.
#[derive(sqlx::FromRow)]
struct InfoRow {
    handle: String,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    #[sqlx(try_from = "i64")]
    last_seen_at: UtcMillis,
    ip: String,
    user_agent: String,
}

/// Marks a session's second factor as passed, under a new token (rotation). `None` when the
/// session ended meanwhile.
pub async fn upgrade(
    conn: &mut sqlx::AnyConnection,
    old: &Session,
) -> Result<Option<String>, sqlx::Error> {
    let token = random_token();
    let r =
        sqlx::query("UPDATE sessions SET id_hash = $1, second_factor_ok = 1 WHERE id_hash = $2")
            .bind(sha256_hex(token.as_bytes()))
            .bind(&old.id_hash)
            .execute(&mut *conn)
            .await?;
    Ok((r.rows_affected() == 1).then_some(token))
}

/// Deletes sessions that have expired (a background job runs this).
pub async fn purge_expired(
    db: &Db,
    policy: SessionPolicy,
    now: UtcMillis,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now.0)
        .bind(now.0 - policy.idle_ms)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
