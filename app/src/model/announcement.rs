//! Service announcements and incident notices shown on the home page and at
//! `/announcements/:id` (P5.5, P7.2: they reach everyone and cannot be unsubscribed).

use crate::error::{FieldError, Rule};
use crate::model::messages::MessageCategory;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementKind {
    Service,
    Maintenance,
    Incident,
    /// An offer or news (P7.1): not on the home page, and delivered only to users whose
    /// `promotions` purpose is on, on the channels they keep on.
    Promotion,
}

super::codes!(AnnouncementKind {
    Service => "service",
    Maintenance => "maintenance",
    Incident => "incident",
    Promotion => "promotion",
});

impl AnnouncementKind {
    /// Shown on the home page and at `/announcements/:id` (everything but promotions).
    pub fn is_public(self) -> bool {
        self != AnnouncementKind::Promotion
    }
    /// The message-centre category its inbox copies have: announcements reach everyone
    /// (P7.2), promotions only those who allow them.
    pub fn category(self) -> MessageCategory {
        match self {
            AnnouncementKind::Promotion => MessageCategory::Promotion,
            _ => MessageCategory::Announcement,
        }
    }
}

/// An announcement as an officer writes it, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncementDraft {
    pub kind: AnnouncementKind,
    pub title: Bilingual,
    pub body: Bilingual,
    /// When it is published; `None` for now.
    pub publish_at: Option<UtcMillis>,
}

pub const TITLE_MAX: u32 = 120;
pub const BODY_MAX: u32 = 4000;

impl AnnouncementDraft {
    /// Checks every field; all problems at once, each under its field.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: &str,
        title_zh: &str,
        title_en: &str,
        body_zh: &str,
        body_en: &str,
        publish_at: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = AnnouncementKind::from_code(kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::Required));
        }
        let mut text = |field: &str, value: &str, max: u32| {
            let v = value.trim();
            if v.is_empty() {
                errors.push(FieldError::new(field, Rule::Required));
            } else if v.chars().count() > max as usize {
                errors.push(FieldError::new(field, Rule::TooLong { max }));
            }
            v.to_string()
        };
        let title = Bilingual::new(
            text("title_zh", title_zh, TITLE_MAX),
            text("title_en", title_en, TITLE_MAX),
        );
        let body = Bilingual::new(
            text("body_zh", body_zh, BODY_MAX),
            text("body_en", body_en, BODY_MAX),
        );
        let publish_at = match publish_at.trim() {
            "" => None,
            at => match UtcMillis::china_minute(at) {
                Some(t) => Some(t),
                None => {
                    errors.push(FieldError::new("publish_at", Rule::Format));
                    None
                }
            },
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(AnnouncementDraft {
                kind,
                title,
                body,
                publish_at,
            }),
            _ => Err(errors),
        }
    }
}

/// Where an announcement stands, for the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementStatus {
    Scheduled,
    Published,
    Withdrawn,
}

/// An announcement as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementEntry {
    pub announcement: Announcement,
    pub status: AnnouncementStatus,
    /// When it was delivered to the inboxes.
    pub delivered_at: Option<UtcMillis>,
    /// How many in-site copies were written.
    pub recipients: u32,
}

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
            AnnouncementKind::Promotion,
        ] {
            assert_eq!(AnnouncementKind::from_code(k.code()), Some(k));
        }
        assert_eq!(AnnouncementKind::from_code("promo"), None);
    }

    #[test]
    fn drafts_need_both_languages_and_a_valid_time() {
        let ok = AnnouncementDraft::parse(
            "maintenance",
            "维护",
            "Maintenance",
            "正文",
            "Body",
            "2026-12-01T08:30",
        )
        .unwrap();
        assert_eq!(ok.publish_at, UtcMillis::china_minute("2026-12-01T08:30"));
        assert_eq!(
            ok.publish_at.map(|t| t.china_display()).as_deref(),
            Some("2026-12-01 08:30 (UTC+8)")
        );
        let errs = AnnouncementDraft::parse("promo", " ", "T", "", "B", "tomorrow").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "title_zh", "body_zh", "publish_at"]);
    }

    /// P7.2: announcements reach everyone; promotions follow consent (P7.1).
    #[test]
    fn promotions_are_neither_public_nor_mandatory() {
        assert!(!AnnouncementKind::Promotion.is_public());
        assert!(!AnnouncementKind::Promotion.category().mandatory());
        assert!(AnnouncementKind::Incident.category().mandatory());
    }

    #[test]
    fn ids_must_look_like_ids() {
        assert!(AnnouncementId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(AnnouncementId::parse("0123456789ABCDEF0123456789abcdef").is_none());
        assert!(AnnouncementId::parse("1' OR '1'='1").is_none());
        assert!(AnnouncementId::parse("").is_none());
    }
}
