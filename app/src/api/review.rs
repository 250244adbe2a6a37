//! The operator console's review work (P1.1.1, P5.1): the application queue and decisions,
//! enterprise look-ups, and the outbox of messages waiting for delivery.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::application::ApplicationStatus;
use crate::model::application::{ApplicationSummary, ApplicationView, DecisionDone};
use crate::model::outbox::OutboxItem;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::model::access::roles::{ENTERPRISE_VIEWERS, PRIVACY_OFFICERS, REVIEWERS};

/// Applications in `status` (default: submitted), oldest first.
#[server(prefix = "/api", endpoint = "review_queue")]
pub async fn review_queue(status: Option<String>) -> Result<Vec<ApplicationSummary>, AppError> {
    let caller = super::access::operator(REVIEWERS).await?;
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => ApplicationStatus::Submitted,
        Some(s) => {
            ApplicationStatus::from_code(s).ok_or_else(|| AppError::BadRequest("status".into()))?
        }
    };
    crate::backend::applications::queue(&caller.state, status).await
}

/// One application with its materials. The look is audited.
#[server(prefix = "/api", endpoint = "review_application")]
pub async fn review_application(id: String) -> Result<ApplicationView, AppError> {
    let caller = super::access::operator(REVIEWERS).await?;
    crate::backend::applications::review_view(&caller.state, &id, &caller.actor()).await
}

/// Approve, reject (with a reason) or ask for more material (with a message); answers what
/// was done and to whom, which the review page confirms.
#[server(prefix = "/api", endpoint = "decide_application")]
pub async fn decide_application(
    id: String,
    decision: String,
    message: Option<String>,
    override_reason: Option<String>,
) -> Result<DecisionDone, AppError> {
    let caller = super::access::operator(REVIEWERS).await?;
    let decision = crate::model::application::Decision::from_code(&decision)
        .ok_or_else(|| AppError::BadRequest("decision".into()))?;
    crate::backend::applications::decide(
        &caller.state,
        &id,
        decision,
        message.as_deref().unwrap_or(""),
        override_reason.as_deref().unwrap_or(""),
        &caller.actor(),
    )
    .await
}

/// Messages waiting for delivery. Super-admins and privacy officers.
#[server(prefix = "/api", endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxItem>, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::outbox::list(&caller.state.db, 100).await
}

/// Every enterprise, optionally filtered by name or credit code. Reviewers and support.
#[server(prefix = "/api", endpoint = "list_enterprises")]
pub async fn list_enterprises(
    q: Option<String>,
) -> Result<Vec<crate::model::business::EnterpriseSummary>, AppError> {
    let caller = super::access::operator(ENTERPRISE_VIEWERS).await?;
    crate::backend::business::list(
        &caller.state.db,
        q.as_deref().filter(|s| !s.trim().is_empty()),
    )
    .await
}

/// One enterprise with its login persons; the look is audited. Reviewers and support.
#[server(prefix = "/api", endpoint = "enterprise_detail")]
pub async fn enterprise_detail(
    id: String,
) -> Result<crate::model::business::EnterpriseDetail, AppError> {
    let caller = super::access::operator(ENTERPRISE_VIEWERS).await?;
    crate::backend::business::detail(&caller.state, &id, &caller.actor()).await
}
