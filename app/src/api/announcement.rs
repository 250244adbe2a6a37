//! Announcements (P5.5, P7.2): the public list and page, and writing them in the console.

use crate::error::AppError;
use crate::model::announcement::{Announcement, AnnouncementEntry};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::model::access::roles::PRIVACY_OFFICERS;

/// The newest published announcements. Public.
#[server(prefix = "/api", endpoint = "announcements")]
pub async fn list_announcements(limit: u32) -> Result<Vec<Announcement>, AppError> {
    let state = super::access::public()?;
    crate::backend::announcement::latest(&state.db, state.clock.now(), limit).await
}

/// One published announcement; unknown, malformed or unpublished ids are `NotFound`. Public.
#[server(prefix = "/api", endpoint = "announcement")]
pub async fn get_announcement(id: String) -> Result<Announcement, AppError> {
    let state = super::access::public()?;
    crate::backend::announcement::get(&state.db, state.clock.now(), &id).await
}

/// Every announcement and promotion with its state, for the console. Super-admins and privacy
/// officers.
#[server(prefix = "/api", endpoint = "all_announcements")]
pub async fn all_announcements() -> Result<Vec<AnnouncementEntry>, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::announcement::author::list(&caller.state).await
}

/// Writes a new announcement (`id` empty) or edits one; `publish_at` is China time
/// (`YYYY-MM-DDTHH:MM`), empty for now. Super-admins and privacy officers; audited (P7.2).
#[server(prefix = "/api", endpoint = "save_announcement")]
#[allow(clippy::too_many_arguments)]
pub async fn save_announcement(
    id: Option<String>,
    kind: String,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    publish_at: Option<String>,
) -> Result<String, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let draft = crate::model::announcement::AnnouncementDraft::parse(
        &kind,
        &title_zh,
        &title_en,
        &body_zh,
        &body_en,
        publish_at.as_deref().unwrap_or(""),
    )
    .map_err(AppError::Invalid)?;
    let id = id.filter(|i| !i.trim().is_empty());
    crate::backend::announcement::author::save(
        &caller.state,
        &caller.actor(),
        id.as_deref().map(str::trim),
        &draft,
    )
    .await
}

/// Withdraws an announcement. Super-admins and privacy officers; audited.
#[server(prefix = "/api", endpoint = "withdraw_announcement")]
pub async fn withdraw_announcement(id: String) -> Result<(), AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::announcement::author::withdraw(&caller.state, &caller.actor(), id.trim()).await
}
