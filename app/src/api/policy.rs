//! Policy documents (P0.1-P0.4, P9): the public pages and notices, the privacy officer's
//! drafts and scheduling, and a user's re-consent.
// A draft is saved as one form of eight fields, which the generated client code passes one
// by one.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::policy::{PolicyKind, PolicyPageData, PolicySet};
use crate::model::policy_change::{PolicyAdminList, PolicyDraftView, PolicyNotice, PolicyUpdate};
use crate::model::UtcMillis;
use leptos::prelude::*;

/// A policy page: `version` or, when absent, the version in force; with the list of versions.
#[server(prefix = "/api", endpoint = "policy_page")]
pub async fn policy_page(
    kind: PolicyKind,
    version: Option<String>,
) -> Result<PolicyPageData, AppError> {
    let state = super::access::public()?;
    crate::backend::policy::page(&state.db, kind, version.as_deref(), state.clock.now()).await
}

/// The versions a registration accepts now (P0.2).
#[server(prefix = "/api", endpoint = "current_policies")]
pub async fn current_policies() -> Result<PolicySet, AppError> {
    let state = super::access::public()?;
    crate::backend::policy::current_pair(&state.db, state.clock.now()).await
}

/// The privacy officer (super-admins pass too).
#[cfg(feature = "ssr")]
async fn officer() -> crate::error::AppResult<super::access::OperatorCaller> {
    super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await
}

/// Versions announced to everyone: waiting for their date, or recently in force (P9). Public.
#[server(prefix = "/api", endpoint = "policy_notices")]
pub async fn policy_notices() -> Result<Vec<PolicyNotice>, AppError> {
    let state = super::access::public()?;
    crate::backend::policy::gate::notices(&state).await
}

/// Every version of both documents, for the privacy officer.
#[server(prefix = "/api", endpoint = "policy_versions")]
pub async fn policy_versions() -> Result<PolicyAdminList, AppError> {
    let caller = officer().await?;
    let days = caller.state.settings.policy_notice_days;
    crate::backend::policy::drafts::list(&caller.state, days).await
}

/// One version with the version in force, for the editor and its diff.
#[server(prefix = "/api", endpoint = "policy_draft")]
pub async fn policy_draft(id: String) -> Result<PolicyDraftView, AppError> {
    let caller = officer().await?;
    let days = caller.state.settings.policy_notice_days;
    crate::backend::policy::drafts::view(&caller.state, &id, days).await
}

/// Starts a draft of `kind` from the version in force, and opens it.
#[server(prefix = "/api", endpoint = "start_policy_draft")]
pub async fn start_policy_draft(kind: PolicyKind) -> Result<String, AppError> {
    let caller = officer().await?;
    let id = crate::backend::policy::drafts::start(&caller.state, kind, &caller.actor()).await?;
    leptos_axum::redirect(&format!("/ops/privacy/policies/{id}"));
    Ok(id)
}

/// Saves a draft (`updated_at`: the last edit the form was opened on).
#[server(prefix = "/api", endpoint = "save_policy_draft")]
pub async fn save_policy_draft(
    id: String,
    updated_at: i64,
    version: String,
    material: Option<String>,
    summary_zh: String,
    summary_en: String,
    content_zh: String,
    content_en: String,
) -> Result<(), AppError> {
    let caller = officer().await?;
    let input = crate::model::policy_change::DraftInput {
        version,
        material: material.as_deref() == Some("on"),
        summary_zh,
        summary_en,
        content_zh,
        content_en,
    };
    crate::backend::policy::drafts::save(&caller.state, &id, updated_at, &input, &caller.actor())
        .await
}

/// Publishes a draft to take effect on `effective_date` (China time, `YYYY-MM-DD`) (P9).
#[server(prefix = "/api", endpoint = "schedule_policy")]
pub async fn schedule_policy(
    id: String,
    updated_at: i64,
    effective_date: String,
) -> Result<UtcMillis, AppError> {
    let caller = officer().await?;
    let days = caller.state.settings.policy_notice_days;
    let at = crate::backend::policy::drafts::schedule(
        &caller.state,
        &id,
        updated_at,
        &effective_date,
        days,
        &caller.actor(),
    )
    .await?;
    leptos_axum::redirect("/ops/privacy/policies");
    Ok(at)
}

/// Withdraws a published version before it takes effect.
#[server(prefix = "/api", endpoint = "withdraw_policy")]
pub async fn withdraw_policy(id: String) -> Result<(), AppError> {
    let caller = officer().await?;
    crate::backend::policy::drafts::withdraw(&caller.state, &id, &caller.actor()).await
}

/// What the caller must accept again, if anything (the re-consent page, P9).
#[server(prefix = "/api", endpoint = "policy_update_page")]
pub async fn policy_update_page() -> Result<PolicyUpdate, AppError> {
    let caller = super::access::user().await?;
    crate::backend::policy::gate::update_page(&caller.state, &caller.user.id).await
}

/// Accepts (`answer` = `accept`) or declines (`decline`) the versions in force that the page
/// showed (P9). Accepting opens the portal again; declining leaves the privacy centre, account
/// security and logout.
#[server(prefix = "/api", endpoint = "answer_policy_update")]
pub async fn answer_policy_update(
    answer: String,
    privacy_version_id: String,
    terms_version_id: String,
) -> Result<(), AppError> {
    use crate::model::policy_change::PolicyAnswer;
    let caller = super::access::user().await?;
    let answer = PolicyAnswer::from_code(&answer)
        .ok_or_else(|| AppError::invalid("answer", crate::error::Rule::Format))?;
    crate::backend::policy::gate::answer(
        &caller.state,
        &caller.user.id,
        answer,
        (&privacy_version_id, &terms_version_id),
        &caller.actor(),
        &caller.meta,
    )
    .await?;
    leptos_axum::redirect(match answer {
        PolicyAnswer::Accept => "/portal",
        PolicyAnswer::Decline => "/portal/privacy",
    });
    Ok(())
}
