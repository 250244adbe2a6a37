//! Public announcements (P5.5, P7.2).

use crate::error::AppError;
use crate::model::announcement::Announcement;
use leptos::prelude::*;

/// The newest published announcements. Public.
#[server(prefix = "/api", endpoint = "announcements")]
pub async fn list_announcements(limit: u32) -> Result<Vec<Announcement>, AppError> {
    let state = super::access::public()?;
    crate::backend::announcement::latest(&state.db, limit).await
}

/// One published announcement; unknown, malformed or unpublished ids are `NotFound`. Public.
#[server(prefix = "/api", endpoint = "announcement")]
pub async fn get_announcement(id: String) -> Result<Announcement, AppError> {
    let state = super::access::public()?;
    crate::backend::announcement::get(&state.db, &id).await
}
