//! The message centre (消息中心, P7.1, P7.2): what a login person is told, in which category,
//! on which channels, and the rules of their preferences. Shared by the browser (the
//! preferences page shows the same locks the server enforces) and the server.
//!
//! - Service announcements and security notices reach everyone on every channel and cannot be
//!   turned off (P7.2).
//! - Promotions reach only users whose consent purpose allows them (P1.2): the switch in the
//!   consent centre, the promotion preference here and a one-click unsubscribe are one fact,
//!   the `promotions` purpose.
//! - Account and funds notices are on until the user turns a channel off.

use super::{Bilingual, Lang, UtcMillis};
use serde::{Deserialize, Serialize};

/// What a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageCategory {
    /// Service announcements: maintenance, incidents, notices, policy changes (P7.2, P9).
    Announcement,
    /// Logins, passwords, contact changes (P5.2).
    Security,
    /// The business account: application decisions, members.
    Account,
    /// Prepayments, payment orders, transfers, bills.
    Funds,
    /// Offers and news (P7.1): only with the `promotions` purpose switched on.
    Promotion,
    /// Answers to the person's privacy requests (issue 16, P6.5, P10.2): always delivered, as
    /// the law asks for the answer and a refusal's reason to reach them.
    Privacy,
    /// The task library: review decisions, tasks closed at their end date (issue 18).
    Tasks,
    /// Customer service: replies to the person's tickets (issue 18 §3).
    Support,
}

super::codes!(MessageCategory {
    Announcement => "announcement",
    Security => "security",
    Account => "account",
    Funds => "funds",
    Promotion => "promotion",
    Privacy => "privacy",
    Tasks => "tasks",
    Support => "support",
});

impl MessageCategory {
    /// Whether the user may turn this category off: service announcements and security notices
    /// always reach them (P7.2).
    pub fn mandatory(self) -> bool {
        matches!(
            self,
            MessageCategory::Announcement | MessageCategory::Security | MessageCategory::Privacy
        )
    }
}

/// How a message reaches a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The message centre's inbox.
    InSite,
    Email,
    Sms,
}

super::codes!(Channel {
    InSite => "in_site",
    Email => "email",
    Sms => "sms",
});

/// Whether a message of `category` goes out on a channel, given the user's stored choice for
/// that category and channel (`None`: never chosen) and whether their `promotions` purpose is on.
pub fn delivers(category: MessageCategory, choice: Option<bool>, promotions_allowed: bool) -> bool {
    match category {
        c if c.mandatory() => true,
        MessageCategory::Promotion => promotions_allowed && choice.unwrap_or(true),
        _ => choice.unwrap_or(true),
    }
}

/// One switch on the preferences page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub category: MessageCategory,
    pub channel: Channel,
    /// Whether messages of this category go out on this channel now.
    pub on: bool,
    /// Cannot be switched (mandatory categories).
    pub locked: bool,
}

/// The preferences page: every category × channel, the promotions purpose, and the language
/// e-mails and text messages are written in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub switches: Vec<Preference>,
    /// The consent centre's `promotions` purpose (P1.2): off means no promotion on any channel.
    pub promotions_allowed: bool,
    pub lang: Lang,
}

/// One in-site message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub id: String,
    pub category: MessageCategory,
    pub title: Bilingual,
    pub body: Bilingual,
    pub created_at: UtcMillis,
    pub read_at: Option<UtcMillis>,
}

/// A page of the inbox, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub messages: Vec<InboxMessage>,
    pub unread: u32,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
}

/// Messages per inbox page.
pub const INBOX_PAGE: u32 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    /// P7.2: announcements and security notices cannot be turned off on any channel.
    #[test]
    fn mandatory_categories_ignore_choices() {
        for category in [MessageCategory::Announcement, MessageCategory::Security] {
            assert!(delivers(category, Some(false), false));
            assert!(delivers(category, None, false));
        }
    }

    /// P7.1, P1.2: a promotion needs the purpose on, and then the channel not turned off.
    #[test]
    fn promotions_need_the_purpose_and_the_channel() {
        let p = MessageCategory::Promotion;
        assert!(!delivers(p, None, false));
        assert!(!delivers(p, Some(true), false));
        assert!(delivers(p, None, true));
        assert!(!delivers(p, Some(false), true));
    }

    #[test]
    fn other_categories_follow_the_choice() {
        assert!(delivers(MessageCategory::Funds, None, false));
        assert!(!delivers(MessageCategory::Funds, Some(false), true));
        assert!(delivers(MessageCategory::Account, Some(true), false));
    }

    #[test]
    fn codes_round_trip() {
        for &c in MessageCategory::ALL {
            assert_eq!(MessageCategory::from_code(c.code()), Some(c));
        }
        for &c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
        assert_eq!(MessageCategory::from_code("spam"), None);
    }
}
