//! Outgoing messages as the console lists them (no body: it may hold an invitation link).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    pub channel: String,
    pub recipient_masked: String,
    pub subject: String,
    pub purpose: String,
    /// `pending` until the messages capability delivers it.
    pub status: String,
    pub created_at: UtcMillis,
    pub sent_at: Option<UtcMillis>,
}
