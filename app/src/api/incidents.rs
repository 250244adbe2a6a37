//! Security incidents (P5.5; console `/ops/privacy/incidents`): the record, notifying every
//! affected person, and the public notice. Super-admins and privacy officers; audited.
// The record's form has one argument per field (the server macro's client code too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::incident::{Incident, IncidentSummary};
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::access::roles::PRIVACY_OFFICERS;

/// Every incident, newest discovery first.
#[server(prefix = "/api", endpoint = "list_incidents")]
pub async fn list_incidents() -> Result<Vec<IncidentSummary>, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::incidents::list(&caller.state).await
}

/// One incident with its timeline, the affected count and the results per person.
#[server(prefix = "/api", endpoint = "get_incident")]
pub async fn get_incident(id: String) -> Result<Incident, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::incidents::get(&caller.state, id.trim()).await
}

/// Records an incident (`id` empty) or a change to it (kept in the timeline). Times are China
/// time (`YYYY-MM-DDTHH:MM`); `enterprises` are credit codes, one per line.
#[server(prefix = "/api", endpoint = "save_incident")]
pub async fn save_incident(
    id: Option<String>,
    title_zh: String,
    title_en: String,
    what_happened: String,
    discovered_at: String,
    impact: String,
    measures: String,
    advice_zh: String,
    advice_en: String,
    remedies: String,
    reported_at: Option<String>,
    enterprises: String,
) -> Result<String, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let form = crate::model::incident::IncidentForm {
        title_zh,
        title_en,
        what_happened,
        discovered_at,
        impact,
        measures,
        advice_zh,
        advice_en,
        remedies,
        reported_at: reported_at.unwrap_or_default(),
        enterprises,
    };
    let id = id.filter(|i| !i.trim().is_empty());
    let saved = crate::backend::incidents::save(
        &caller.state,
        &caller.actor(),
        id.as_deref().map(str::trim),
        &form,
    )
    .await?;
    leptos_axum::redirect(&format!("/ops/privacy/incidents/{saved}"));
    Ok(saved)
}

/// Notifies every affected person (in-site, e-mail, SMS), once; `expected` is the number the
/// officer confirmed.
#[server(prefix = "/api", endpoint = "notify_incident")]
pub async fn notify_incident(id: String, expected: u32) -> Result<u32, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::incidents::notify(&caller.state, &caller.actor(), id.trim(), expected).await
}

/// Publishes the public incident announcement made from the record.
#[server(prefix = "/api", endpoint = "announce_incident")]
pub async fn announce_incident(id: String) -> Result<String, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::incidents::announce(&caller.state, &caller.actor(), id.trim()).await
}
