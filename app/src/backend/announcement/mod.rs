//! Announcements service: what the public home page and `/announcements/:id` show.

pub mod author;
mod store;

pub use store::insert;

use crate::error::{AppError, AppResult};
use crate::model::announcement::{Announcement, AnnouncementId, MAX_LIST};
use crate::model::UtcMillis;

use super::db::{internal, Db};

/// The newest published announcements; `limit` is clamped to 1..=[`MAX_LIST`].
pub async fn latest(db: &Db, now: UtcMillis, limit: u32) -> AppResult<Vec<Announcement>> {
    store::list_published(db.pool(), now, limit.clamp(1, MAX_LIST))
        .await
        .map_err(internal)
}

/// One published announcement. A malformed or unknown id, or one scheduled for later, is
/// `NotFound`, so ids cannot be probed.
pub async fn get(db: &Db, now: UtcMillis, id: &str) -> AppResult<Announcement> {
    let id = AnnouncementId::parse(id).ok_or(AppError::NotFound)?;
    store::find_published(db.pool(), id.as_str(), now)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}
