//! Background jobs: housekeeping that keeps stored data within its promised lifetimes.
//!
//! - Expired sessions are deleted (P5.2: idle and absolute limits).
//! - Last month's bills are stored once the month is over (P1.1.5).
//! - The audit chain's head is sealed (issue 14: a recomputed chain shows against the seals).
//! - Pending registrations are deleted a day after their code expired (issue 14), and so are
//!   password-reset and contact-change codes (the data map's promise, issue 16).
//! - WeChat scan-login tickets and OAuth states, with the identities they held, are deleted an
//!   hour after they expired (issue 15).
//! - Rights-request codes go a day after they expired, unverified requests lapse after seven
//!   days, and the privacy office gets its daily digest of open requests (issue 16); copies of
//!   people's data left unbuilt are built, and those past their 7 days deleted.
//! - Login events older than the retention period are deleted; they are kept at least 180
//!   days (P5.2, MLPS log retention), here 190.
//! - Messages to erased persons (the answer to their deletion) are deleted once delivered
//!   (P6.3).
//!
//! With several server processes on one database (issue 14 §5), a pass runs in the process
//! that holds the `housekeeping` lease ([`app::backend::leases`]); the others skip it.

use app::backend::accounts::sessions;
use app::backend::AppState;
use std::time::Duration;

/// How often housekeeping runs.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// One housekeeping pass; returns (sessions removed, login events removed).
pub async fn housekeeping(state: &AppState) -> Result<(u64, u64), sqlx::Error> {
    let now = state.clock.now();
    let s = sessions::purge_expired(&state.db, state.sessions, now).await?;
    // Login events past the network-log period (the retention rule, holds honoured).
    let e = match app::backend::retention::purge_login_events(state).await {
        Ok(n) => n,
        Err(err) => {
            tracing::warn!(error = %err, "purging old login events failed; will retry");
            0
        }
    };
    // The last messages to erased persons (the answer to their deletion), once delivered.
    if let Err(err) = app::backend::retention::erase::purge_delivered_to_erased(state).await {
        tracing::warn!(error = %err, "purging messages to erased persons failed; will retry");
    }
    app::backend::accounts::registration::purge_expired(&state.db, now).await?;
    app::backend::wechat::tickets::purge_expired(&state.db, now).await?;
    app::backend::accounts::purge_expired_codes(&state.db, now).await?;
    if let Err(err) = app::backend::audit::seal(&state.db, &state.audit_key, now).await {
        tracing::warn!(error = %err, "sealing the audit chain failed; will retry");
    }
    // Unverified rights requests lapse after seven days; the privacy office's daily digest of
    // rights requests (issue 16, P10.2).
    if let Err(err) = app::backend::rights::lapse_unverified(state).await {
        tracing::warn!(error = %err, "lapsing unverified rights requests failed; will retry");
    }
    if let Err(err) = app::backend::rights::digest::send_if_due(state).await {
        tracing::warn!(error = %err, "the rights-request digest failed; will retry");
    }
    // Copies of people's data: builds whose process stopped are taken over, and copies whose
    // 7 days are over are deleted (issue 16 §3).
    if let Err(err) = app::backend::rights::export::run_pending(state).await {
        tracing::warn!(error = %err, "building copies of data failed; will retry");
    }
    if let Err(err) = app::backend::rights::export::expire(state).await {
        tracing::warn!(error = %err, "deleting expired copies of data failed; will retry");
    }
    // Open tasks past their end date close (issue 18).
    if let Err(err) = app::backend::tasks::close_ended(state).await {
        tracing::warn!(error = %err, "closing ended tasks failed; will retry");
    }
    // Resolved support tickets nobody answered close after a week (issue 18 §3).
    if let Err(err) = app::backend::support::close_resolved(state).await {
        tracing::warn!(error = %err, "closing resolved support tickets failed; will retry");
    }
    // Retention (issue 16 §6, P4.2): once a day from 03:00 China time.
    if let Err(err) = app::backend::retention::run_if_due(state).await {
        tracing::warn!(error = %err, "the retention job failed; will retry");
    }
    // Month end: last month's bills are stored once the month is over.
    if let Err(err) = app::backend::funds::close_last_month(state).await {
        tracing::warn!(error = %err, "storing last month's bills failed; will retry");
    }
    Ok((s, e))
}

/// The housekeeping lease lasts a little less than the interval, so that the holder's next
/// tick finds it expired or its own, and another process takes over within one interval of
/// the holder stopping.
const LEASE_MS: i64 = (INTERVAL.as_millis() as i64) * 9 / 10;

/// One pass if this process (`holder`) holds the housekeeping lease; `None` when another
/// process does.
pub async fn housekeeping_leased(
    state: &AppState,
    holder: &str,
) -> Result<Option<(u64, u64)>, sqlx::Error> {
    let now = state.clock.now();
    if !app::backend::leases::claim(&state.db, "housekeeping", holder, now, LEASE_MS).await? {
        return Ok(None);
    }
    housekeeping(state).await.map(Some)
}

/// Runs housekeeping every [`INTERVAL`] until the task is dropped.
pub async fn run(state: AppState) {
    let holder = app::backend::ids::new_id();
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        match housekeeping_leased(&state, &holder).await {
            Ok(Some((s, e))) if s + e > 0 => {
                tracing::info!(sessions = s, login_events = e, "housekeeping")
            }
            Ok(Some(_)) => {}
            Ok(None) => tracing::debug!("housekeeping: another process holds the lease"),
            Err(err) => tracing::warn!(error = %err, "housekeeping failed; will retry"),
        }
    }
}
