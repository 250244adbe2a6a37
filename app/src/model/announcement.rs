//! Service announcements and incident notices shown on the home page and at
//! `/announcements/:id` (P5.5, P7.2: they reach everyone and cannot be unsubscribed).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementKind {
    Service,
    Maintenance,
    Incident,
}

super::codes!(AnnouncementKind {
    Service => "service",
    Maintenance => "maintenance",
    Incident => "incident",
});

pub use super::Bilingual;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub id: String,
    pub kind: AnnouncementKind,
    pub title: Bilingual,
    pub body: Bilingual,
    pub published_at: UtcMillis,
}

/// Largest page of announcements a caller may ask for.
pub const MAX_LIST: u32 = 50;

/// An announcement id as it arrives from a URL: unguessable ids are 32 lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncementId(String);

impl AnnouncementId {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| AnnouncementId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in [
            AnnouncementKind::Service,
            AnnouncementKind::Maintenance,
            AnnouncementKind::Incident,
        ] {
            assert_eq!(AnnouncementKind::from_code(k.code()), Some(k));
        }
        assert_eq!(AnnouncementKind::from_code("promo"), None);
    }

    #[test]
    fn ids_must_look_like_ids() {
        assert!(AnnouncementId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(AnnouncementId::parse("0123456789ABCDEF0123456789abcdef").is_none());
        assert!(AnnouncementId::parse("1' OR '1'='1").is_none());
        assert!(AnnouncementId::parse("").is_none());
    }
}
