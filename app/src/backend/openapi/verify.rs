//! Verifying a signed open API request (issue 19). The client signs, with its credential's
//! secret, HMAC-SHA256 over the canonical string
//!
//! ```text
//! METHOD \n PATH \n QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
//! ```
//!
//! (the query exactly as sent, empty when there is none; the timestamp in Unix seconds) and
//! sends `X-Key-Id`, `X-Timestamp`, `X-Nonce` and `X-Signature` (hex). The server refuses a
//! missing header, a timestamp more than [`CLOCK_SKEW_MS`] away, an unknown, revoked, expired
//! or rotated-out key, an address outside the key's allow-list, a wrong signature, a nonce
//! seen within the window, and a route outside the key's scopes — each with its own stable
//! code. `clients/openapi_client.py` signs the same way, independently of this code.

use crate::backend::audit::Actor;
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::audit::ActorKind;
use crate::model::openapi::{ip_allowed, Scope, CLOCK_SKEW_MS};
use crate::model::UtcMillis;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// The parts of a request the signature covers, and who sent it.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub key_id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
    pub ip: IpAddr,
}

/// The string a request's signature is computed over.
pub fn canonical(
    method: &str,
    path: &str,
    query: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "{}\n{path}\n{query}\n{timestamp}\n{nonce}\n{}",
        method.to_ascii_uppercase(),
        crate::backend::crypto::sha256_hex(body)
    )
}

/// Why a request was refused: each has a stable code, its HTTP status and a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    MissingHeaders,
    StaleTimestamp,
    UnknownKey,
    KeyRevoked,
    KeyExpired,
    IpNotAllowed,
    BadSignature,
    ReplayedNonce,
    ScopeMissing,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::MissingHeaders => "missing_signature_headers",
            Refusal::StaleTimestamp => "stale_timestamp",
            Refusal::UnknownKey => "unknown_key",
            Refusal::KeyRevoked => "key_revoked",
            Refusal::KeyExpired => "key_expired",
            Refusal::IpNotAllowed => "ip_not_allowed",
            Refusal::BadSignature => "bad_signature",
            Refusal::ReplayedNonce => "replayed_nonce",
            Refusal::ScopeMissing => "scope_missing",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            Refusal::IpNotAllowed | Refusal::ScopeMissing => 403,
            _ => 401,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::MissingHeaders => {
                "X-Key-Id, X-Timestamp, X-Nonce and X-Signature are required"
            }
            Refusal::StaleTimestamp => {
                "X-Timestamp (Unix seconds) must be within 5 minutes of the server's time"
            }
            Refusal::UnknownKey => "no such key",
            Refusal::KeyRevoked => "the key is revoked",
            Refusal::KeyExpired => "the key has expired (or was rotated and its overlap ended)",
            Refusal::IpNotAllowed => "the request's address is not on the key's allow-list",
            Refusal::BadSignature => "the signature does not match the request",
            Refusal::ReplayedNonce => "this nonce was already used",
            Refusal::ScopeMissing => "the key's scopes do not include this route",
        }
    }
}

/// Nonces seen within the window, per key (in memory: one process serves the API; several
/// would each keep their own, and a replay to another process within five minutes would pass —
/// see the README).
#[derive(Debug, Default)]
pub struct Nonces {
    seen: Mutex<HashMap<(String, String), i64>>,
}

impl Nonces {
    /// Records `nonce` for `key_id` at `now`; false when it was seen within the window.
    pub fn fresh(&self, key_id: &str, nonce: &str, now: UtcMillis) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, at| now.0 - *at <= 2 * CLOCK_SKEW_MS);
        }
        let key = (key_id.to_string(), nonce.to_string());
        match seen.get(&key) {
            Some(at) if now.0 - *at <= 2 * CLOCK_SKEW_MS => false,
            _ => {
                seen.insert(key, now.0);
                true
            }
        }
    }
}

/// Who a verified request comes from.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub credential_id: String,
    pub key_id: String,
    pub enterprise_id: String,
    pub scopes: Vec<Scope>,
    pub ip: IpAddr,
}

impl ApiCaller {
    /// The audit trail's actor: the key, by its id.
    pub fn actor(&self) -> Actor {
        Actor {
            kind: ActorKind::ApiKey,
            id: self.key_id.clone(),
            role: "api".into(),
            ip: self.ip.to_string(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: String,
    enterprise_id: String,
    secret_enc: String,
    scopes: String,
    ip_allow: String,
    expires_at: i64,
    active_until: Option<i64>,
    revoked_at: Option<i64>,
    last_used_at: Option<i64>,
}

/// Reads credential `key_id` of an active enterprise, its secret opened (`None`: no such key).
async fn load(state: &AppState, key_id: &str) -> AppResult<Option<super::keys::Key>> {
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT k.id, k.enterprise_id, k.secret_enc, k.scopes, k.ip_allow, k.expires_at, \
         k.active_until, k.revoked_at, k.last_used_at FROM api_credentials k \
         JOIN enterprises e ON e.id = k.enterprise_id WHERE k.key_id = $1 AND e.status = 'active'",
    )
    .bind(key_id)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(k) = row else {
        return Ok(None);
    };
    let secret = state
        .cipher
        .decrypt_text(&k.secret_enc, &format!("api_credentials.secret:{}", k.id))
        .map_err(|e| crate::error::AppError::internal(format!("api secret unreadable: {e:?}")))?;
    Ok(Some(super::keys::Key {
        scopes: Scope::list_from_stored(&k.scopes, "api_credentials.scopes")?,
        ip_allow: super::stored_allow(&k.ip_allow)?,
        id: k.id,
        enterprise_id: k.enterprise_id,
        secret,
        expires_at: k.expires_at,
        active_until: k.active_until,
        revoked_at: k.revoked_at,
        last_used_at: std::sync::Mutex::new(k.last_used_at),
    }))
}

/// Verifies `req` for a route that needs `scope`. `Ok(Err(refusal))` is a refused request;
/// `Err` a server fault.
pub async fn verify(
    state: &AppState,
    nonces: &Nonces,
    req: &SignedRequest<'_>,
    scope: Scope,
) -> AppResult<Result<ApiCaller, Refusal>> {
    let (Some(key_id), Some(ts), Some(nonce), Some(signature)) =
        (req.key_id, req.timestamp, req.nonce, req.signature)
    else {
        return Ok(Err(Refusal::MissingHeaders));
    };
    if nonce.is_empty() || nonce.len() > 64 {
        return Ok(Err(Refusal::MissingHeaders));
    }
    let now = state.clock.now();
    match ts.parse::<i64>() {
        Ok(secs)
            if (i128::from(secs) * 1000 - i128::from(now.0)).abs() <= i128::from(CLOCK_SKEW_MS) => {
        }
        _ => return Ok(Err(Refusal::StaleTimestamp)),
    }
    let k = match state.api_keys.get(key_id, now) {
        Some(k) => k,
        None => match (state.api_keys.generation(), load(state, key_id).await?) {
            (read_in, Some(k)) => {
                let k = std::sync::Arc::new(k);
                state.api_keys.put(key_id, k.clone(), now, read_in);
                k
            }
            (_, None) => return Ok(Err(Refusal::UnknownKey)),
        },
    };
    if k.revoked_at.is_some() {
        return Ok(Err(Refusal::KeyRevoked));
    }
    if now.0 >= k.expires_at || k.active_until.is_some_and(|u| now.0 >= u) {
        return Ok(Err(Refusal::KeyExpired));
    }
    if !ip_allowed(&k.ip_allow, req.ip) {
        return Ok(Err(Refusal::IpNotAllowed));
    }
    let message = canonical(req.method, req.path, req.query, ts, nonce, req.body);
    let Ok(tag) = hex::decode(signature.trim()) else {
        return Ok(Err(Refusal::BadSignature));
    };
    if !crate::backend::crypto::hmac_sha256_verify(k.secret.as_bytes(), message.as_bytes(), &tag) {
        return Ok(Err(Refusal::BadSignature));
    }
    if !nonces.fresh(key_id, nonce, now) {
        return Ok(Err(Refusal::ReplayedNonce));
    }
    if !k.scopes.contains(&scope) {
        return Ok(Err(Refusal::ScopeMissing));
    }
    // When it was last used, to the minute (a write at most once a minute per key).
    let due = {
        let mut last = k.last_used_at.lock().unwrap_or_else(|p| p.into_inner());
        let due = last.is_none_or(|t| now.0 - t >= 60_000);
        if due {
            *last = Some(now.0);
        }
        due
    };
    if due {
        sqlx::query("UPDATE api_credentials SET last_used_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(&k.id)
            .execute(state.db.pool())
            .await?;
    }
    Ok(Ok(ApiCaller {
        credential_id: k.id.clone(),
        key_id: key_id.to_string(),
        enterprise_id: k.enterprise_id.clone(),
        scopes: k.scopes.clone(),
        ip: req.ip,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The canonical string, as `clients/openapi_client.py` builds it too.
    #[test]
    fn the_canonical_string_covers_method_path_query_time_nonce_and_body() {
        let s = canonical("post", "/openapi/v1/orders", "", "1700000000", "n1", b"{}");
        assert_eq!(
            s,
            "POST\n/openapi/v1/orders\n\n1700000000\nn1\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn a_nonce_is_refused_within_the_window_only() {
        let n = Nonces::default();
        assert!(n.fresh("k", "a", UtcMillis(0)));
        assert!(!n.fresh("k", "a", UtcMillis(1_000)));
        assert!(n.fresh("other", "a", UtcMillis(1_000)), "per key");
        assert!(n.fresh("k", "a", UtcMillis(2 * CLOCK_SKEW_MS + 1)));
    }
}
