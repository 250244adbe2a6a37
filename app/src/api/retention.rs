//! Retention (issue 16 §6, P4.2): the console's page of runs and holds, a run or a dry run on
//! demand, and legal holds. Privacy officers; every action audited.

use crate::error::AppError;
use crate::model::retention::{RetentionOverview, RetentionRun};
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::access::roles::PRIVACY_OFFICERS;

/// The periods, the runs (newest first) and the holds.
#[server(prefix = "/api", endpoint = "retention_page")]
pub async fn retention_page() -> Result<RetentionOverview, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::retention::holds::page(&caller.state).await
}

/// Runs the retention rules now: `dry` = `false` deletes and anonymises; anything else is a
/// dry run (counts only, changes nothing).
#[server(prefix = "/api", endpoint = "run_retention")]
pub async fn run_retention(dry: Option<String>) -> Result<RetentionRun, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let dry = dry.as_deref() != Some("false");
    crate::backend::retention::run_by(&caller.state, &caller.actor(), dry).await
}

/// Puts the enterprise with the credit code on a legal hold, with the reason.
#[server(prefix = "/api", endpoint = "place_legal_hold")]
pub async fn place_legal_hold(credit_code: String, reason: String) -> Result<String, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::retention::holds::place(&caller.state, &caller.actor(), &credit_code, &reason)
        .await
}

/// Releases a legal hold.
#[server(prefix = "/api", endpoint = "release_legal_hold")]
pub async fn release_legal_hold(id: String) -> Result<(), AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::retention::holds::release(&caller.state, &caller.actor(), id.trim()).await
}
