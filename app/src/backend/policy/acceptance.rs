//! Acceptance records of the policy documents (P0.2, P9).

use crate::backend::request::ClientMeta;
use crate::error::AppResult;
use crate::model::UtcMillis;

/// How a user accepted the documents: the registration or invitation checkbox, or the
/// re-consent page after a material change (P9).
pub const ACCEPT_AT_SIGNUP: &str = "checkbox_submit";
pub const ACCEPT_AGAIN: &str = "reconsent";

/// Records that a user accepted both documents (P0.2): versions, time, method, truncated IP
/// and user agent.
pub async fn record_acceptance(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    (privacy_id, terms_id): (&str, &str),
    method: &str,
    meta: &ClientMeta,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO policy_acceptances (id, user_id, privacy_version_id, terms_version_id, \
         accepted_at, method, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::backend::ids::new_id())
    .bind(user_id)
    .bind(privacy_id)
    .bind(terms_id)
    .bind(now.0)
    .bind(method)
    .bind(meta.stored_ip())
    .bind(meta.stored_agent())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
