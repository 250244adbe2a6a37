//! The open API's credentials (issue 19; portal `/portal/business/api`, the enterprise's admin):
//! issuing one (a public key id and a random secret, shown once and kept encrypted, bound to its
//! row), rotating it (a successor with the same scopes; the old secret works for
//! [`ROTATION_OVERLAP_MS`] more), revoking it, and reading the one a signed request names
//! ([`verify`]). Every change is audited; every use is audited by key id (by the server's API
//! layer).

pub mod keys;
pub mod shown_once;
pub mod verify;

use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::openapi::{
    parse_ip_allow, CredentialDraft, CredentialView, IssuedSecret, Scope, ROTATION_OVERLAP_MS,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// The encryption context of a credential's secret: bound to its row.
fn secret_ctx(id: &str) -> String {
    format!("api_credentials.secret:{id}")
}

/// A new key id: `ak_` and 20 hex digits (public: it names the credential in every request).
fn new_key_id() -> String {
    format!("ak_{}", &crate::backend::ids::new_id()[..20])
}

/// A new secret: 256 random bits, hex.
fn new_secret() -> String {
    crate::backend::crypto::random_token()
}

struct Issue<'a> {
    enterprise_id: &'a str,
    name: &'a str,
    scopes: &'a [Scope],
    ip_allow: &'a str,
    expires_at: UtcMillis,
}

async fn insert(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &Actor,
    i: &Issue<'_>,
    now: UtcMillis,
) -> AppResult<IssuedSecret> {
    let id = crate::backend::ids::new_id();
    let key_id = new_key_id();
    let secret = new_secret();
    let scopes: Vec<&str> = i.scopes.iter().map(|s| s.code()).collect();
    sqlx::query(
        "INSERT INTO api_credentials (id, enterprise_id, key_id, name, secret_enc, scopes, ip_allow, \
         created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(i.enterprise_id)
    .bind(&key_id)
    .bind(i.name)
    .bind(state.cipher.encrypt_text(&secret, &secret_ctx(&id)))
    .bind(scopes.join(","))
    .bind(i.ip_allow)
    .bind(&actor.id)
    .bind(now.0)
    .bind(i.expires_at.0)
    .execute(&mut *conn)
    .await?;
    Ok(IssuedSecret {
        id,
        key_id,
        secret,
        expires_at: i.expires_at,
    })
}

/// Issues a credential for the admin's enterprise; the secret is returned this once.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    d: &CredentialDraft,
) -> AppResult<IssuedSecret> {
    let now = state.clock.now();
    let ip_allow: Vec<String> = d.ip_allow.iter().map(|r| r.to_string()).collect();
    let issue = Issue {
        enterprise_id,
        name: &d.name,
        scopes: &d.scopes,
        ip_allow: &ip_allow.join(","),
        expires_at: UtcMillis(now.0 + i64::from(d.valid_days) * 86_400_000),
    };
    let mut tx = state.db.begin().await?;
    let issued = insert(state, &mut tx, actor, &issue, now).await?;
    let detail = format!(
        "key={} scopes={} ip_allow={} days={}",
        issued.key_id,
        d.scopes
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(","),
        issue.ip_allow,
        d.valid_days
    );
    let target = format!("api_credential:{}", issued.id);
    let event = Event::in_enterprise(
        actor,
        enterprise_id,
        "api_credential.create",
        &target,
        &detail,
    );
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    // Verification reads the credentials again (keys::KeyCache).
    state.api_keys.clear();
    Ok(issued)
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: String,
    key_id: String,
    name: String,
    scopes: String,
    ip_allow: String,
    created_at: i64,
    expires_at: i64,
    active_until: Option<i64>,
    revoked_at: Option<i64>,
    last_used_at: Option<i64>,
}

fn scopes_of(stored: &str) -> AppResult<Vec<Scope>> {
    Ok(Scope::list_from_stored(stored, "api_credentials.scopes")?)
}

/// The enterprise's credentials, newest first (never a secret).
pub async fn list(state: &AppState, enterprise_id: &str) -> AppResult<Vec<CredentialView>> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let rows: Vec<ViewRow> = sqlx::query_as(
        "SELECT id, key_id, name, scopes, ip_allow, created_at, expires_at, active_until, revoked_at, \
         last_used_at FROM api_credentials WHERE enterprise_id = $1 ORDER BY created_at DESC, id",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let (expires, until, revoked) = (
                UtcMillis(r.expires_at),
                r.active_until.map(UtcMillis),
                r.revoked_at.map(UtcMillis),
            );
            Ok(CredentialView {
                status: CredentialView::status_at(now, expires, until, revoked),
                id: r.id,
                key_id: r.key_id,
                name: r.name,
                scopes: scopes_of(&r.scopes)?,
                ip_allow: r
                    .ip_allow
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                created_at: UtcMillis(r.created_at),
                expires_at: expires,
                until,
                revoked_at: revoked,
                last_used_at: r.last_used_at.map(UtcMillis),
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct Current {
    name: String,
    scopes: String,
    ip_allow: String,
    expires_at: i64,
    active_until: Option<i64>,
    revoked_at: Option<i64>,
}

/// The enterprise's credential `id` as it stands, locked for a change by a no-op update first
/// (PostgreSQL; SQLite's writer holds the database); another enterprise's is not found.
async fn current(conn: &mut AnyConnection, enterprise_id: &str, id: &str) -> AppResult<Current> {
    let locked =
        sqlx::query("UPDATE api_credentials SET id = id WHERE id = $1 AND enterprise_id = $2")
            .bind(id)
            .bind(enterprise_id)
            .execute(&mut *conn)
            .await?;
    if locked.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(sqlx::query_as(
        "SELECT name, scopes, ip_allow, expires_at, active_until, revoked_at FROM api_credentials \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Rotates credential `id`: a successor with the same name, scopes, allow-list and expiry; the
/// old secret keeps working for [`ROTATION_OVERLAP_MS`]. The new secret is returned this once.
pub async fn rotate(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    id: &str,
) -> AppResult<IssuedSecret> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let c = current(&mut tx, enterprise_id, id).await?;
    let ended = c.revoked_at.is_some() || now.0 >= c.expires_at || c.active_until.is_some();
    if ended {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::CredentialEnded,
        ));
    }
    let scopes = scopes_of(&c.scopes)?;
    let issue = Issue {
        enterprise_id,
        name: &c.name,
        scopes: &scopes,
        ip_allow: &c.ip_allow,
        expires_at: UtcMillis(c.expires_at),
    };
    let issued = insert(state, &mut tx, actor, &issue, now).await?;
    let until = now.0 + ROTATION_OVERLAP_MS;
    sqlx::query("UPDATE api_credentials SET active_until = $1, rotated_to = $2 WHERE id = $3")
        .bind(until.min(c.expires_at))
        .bind(&issued.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = format!(
        "new_key={} old_until={}",
        issued.key_id,
        UtcMillis(until).rfc3339()
    );
    let target = format!("api_credential:{id}");
    let event = Event::in_enterprise(
        actor,
        enterprise_id,
        "api_credential.rotate",
        &target,
        &detail,
    );
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    // Verification reads the credentials again (keys::KeyCache).
    state.api_keys.clear();
    Ok(issued)
}

/// Revokes credential `id` at once (again: nothing changes).
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    id: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let c = current(&mut tx, enterprise_id, id).await?;
    if c.revoked_at.is_some() {
        return Ok(());
    }
    sqlx::query("UPDATE api_credentials SET revoked_at = $1 WHERE id = $2")
        .bind(now.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let target = format!("api_credential:{id}");
    let event = Event::in_enterprise(actor, enterprise_id, "api_credential.revoke", &target, "");
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    // Verification reads the credentials again (keys::KeyCache).
    state.api_keys.clear();
    Ok(())
}

/// Whether `ip_allow` as stored parses (it always should: it was parsed when issued).
pub(crate) fn stored_allow(stored: &str) -> AppResult<Vec<crate::model::openapi::IpRange>> {
    parse_ip_allow(stored)
        .map_err(|_| AppError::internal(format!("api_credentials.ip_allow unreadable: {stored}")))
}
