//! Customer service (客户服务, issue 18 §3, P1.1.7): the pure rules the portal, the console and
//! the server share — a ticket's fields, its life cycle, the identity verification an operator
//! needs before the account panel opens, and the timeliness targets.
//!
//! ```text
//!            customer writes            operator replies
//! open ───────────────────────▶ open ──────────────────▶ waiting for customer
//!   │                                                      │  ▲
//!   │                                      customer replies│  │operator replies
//!   │                                                      ▼  │
//!   └──────────── resolve (operator) ◀──────────── waiting for us
//! resolved ──customer replies──▶ waiting for us;  any but closed ──close──▶ closed (final)
//! ```
//!
//! A resolved ticket closes by itself [`RESOLVED_CLOSE_DAYS`] days later; a closed one may be
//! rated once (1–5 and a note).

use super::application::FileKind;
use super::error::{FieldError, Rule};
use super::form::{check, parse_multiline, parse_text};
use super::UtcMillis;
use serde::{Deserialize, Serialize};

/// What a ticket is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketCategory {
    Account,
    Funds,
    Invoice,
    Task,
    Privacy,
    Other,
}

super::codes!(TicketCategory {
    Account => "account",
    Funds => "funds",
    Invoice => "invoice",
    Task => "task",
    Privacy => "privacy",
    Other => "other",
});

/// Where a ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// New: nobody at the platform has answered yet.
    Open,
    /// The operator answered; the customer's turn.
    WaitingCustomer,
    /// The customer answered; the platform's turn.
    WaitingUs,
    /// The operator considers it solved (the customer may still reply, which reopens it).
    Resolved,
    /// Over: no more replies; it may be rated.
    Closed,
}

super::codes!(TicketStatus {
    Open => "open",
    WaitingCustomer => "waiting_customer",
    WaitingUs => "waiting_us",
    Resolved => "resolved",
    Closed => "closed",
});

/// What moves a ticket on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketStep {
    CustomerReply,
    OperatorReply,
    Resolve,
    Close,
}

impl TicketStatus {
    /// The status after `step`, if `step` applies.
    pub fn after(self, step: TicketStep) -> Option<TicketStatus> {
        use TicketStatus as S;
        use TicketStep as A;
        match (self, step) {
            (S::Closed, _) => None,
            (_, A::Close) => Some(S::Closed),
            (S::Open, A::CustomerReply) => Some(S::Open),
            (_, A::CustomerReply) => Some(S::WaitingUs),
            (_, A::OperatorReply) => Some(S::WaitingCustomer),
            (S::Resolved, A::Resolve) => None,
            (_, A::Resolve) => Some(S::Resolved),
        }
    }

    /// The platform owes the next step (the queue's "waiting for us").
    pub fn ours(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::WaitingUs)
    }
}

/// Who wrote a message of the thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Operator,
    /// The platform's own notes in the thread (verification asked and given, closed…).
    System,
}

super::codes!(Author { Customer => "customer", Operator => "operator", System => "system" });

/// How the customer proves who they are before account details are discussed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyMethod {
    /// A code texted to the registered mobile, typed on the ticket's page.
    SmsCode,
    /// A confirmation button on the ticket's page in the logged-in portal.
    Portal,
}

super::codes!(VerifyMethod { SmsCode => "sms_code", Portal => "portal" });

/// The ticket's verification state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    NotRequested,
    Requested { method: VerifyMethod, at: UtcMillis },
    Verified { method: VerifyMethod, at: UtcMillis },
}

impl Verification {
    /// From the stored columns (`verify_method` empty before a request).
    pub fn from_parts(
        method: Option<VerifyMethod>,
        requested: Option<i64>,
        verified: Option<i64>,
    ) -> Self {
        match (method, requested, verified) {
            (Some(method), _, Some(at)) => Verification::Verified {
                method,
                at: UtcMillis(at),
            },
            (Some(method), Some(at), None) => Verification::Requested {
                method,
                at: UtcMillis(at),
            },
            _ => Verification::NotRequested,
        }
    }
    pub fn verified(self) -> bool {
        matches!(self, Verification::Verified { .. })
    }
}

/// Limits of the forms.
pub const SUBJECT_MAX: u32 = 80;
pub const BODY_MAX: u32 = 4000;
pub const RATING_NOTE_MAX: u32 = 500;
/// Attachments per ticket.
pub const MAX_ATTACHMENTS: usize = 10;
/// Days after which a resolved ticket nobody answered closes by itself.
pub const RESOLVED_CLOSE_DAYS: i64 = 7;

/// The new-ticket form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketForm {
    pub category: String,
    pub subject: String,
    pub body: String,
}

/// A parsed new ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    pub category: TicketCategory,
    pub subject: String,
    pub body: String,
}

impl TicketInput {
    pub fn parse(f: &TicketForm) -> Result<TicketInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let category = check(
            &mut errs,
            "category",
            TicketCategory::from_code(f.category.trim()).ok_or(Rule::Required),
        );
        let subject = check(&mut errs, "subject", parse_text(&f.subject, SUBJECT_MAX));
        let body = check(&mut errs, "body", parse_reply(&f.body));
        match (category, subject, body) {
            (Some(category), Some(subject), Some(body)) if errs.is_empty() => Ok(TicketInput {
                category,
                subject,
                body,
            }),
            _ => Err(errs),
        }
    }
}

/// A message of the thread: 1 to [`BODY_MAX`] characters.
pub fn parse_reply(body: &str) -> Result<String, Rule> {
    parse_multiline(body, BODY_MAX)
}

/// A satisfaction rating: a whole number from 1 to 5.
pub fn parse_rating(input: &str) -> Result<u8, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    match s.parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        Ok(_) => Err(Rule::OutOfRange),
        Err(_) => Err(Rule::Format),
    }
}

/// The platform's timeliness targets (configuration), in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            first_response_minutes: 4 * 60,
            resolution_minutes: 72 * 60,
        }
    }
}

/// A ticket's two timers: when the first answer and the resolution are due, and whether they
/// are (or were) late.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeliness {
    pub first_response_due: UtcMillis,
    pub resolution_due: UtcMillis,
    /// No answer by the due time (still none, or it came late).
    pub first_response_overdue: bool,
    /// Not resolved by the due time (still open, or resolved late).
    pub resolution_overdue: bool,
}

impl Targets {
    /// The timers of a ticket opened at `created`, first answered at `first_response`, resolved
    /// (or closed) at `resolved`, seen at `now`.
    pub fn timeliness(
        self,
        created: UtcMillis,
        first_response: Option<UtcMillis>,
        resolved: Option<UtcMillis>,
        now: UtcMillis,
    ) -> Timeliness {
        let first_response_due =
            UtcMillis(created.0 + i64::from(self.first_response_minutes) * 60_000);
        let resolution_due = UtcMillis(created.0 + i64::from(self.resolution_minutes) * 60_000);
        let late = |done: Option<UtcMillis>, due: UtcMillis| done.unwrap_or(now).0 > due.0;
        Timeliness {
            first_response_due,
            resolution_due,
            first_response_overdue: late(first_response, first_response_due),
            resolution_overdue: late(resolved, resolution_due),
        }
    }
}

/// A ticket as the lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// The login person who opened it.
    pub opened_by: String,
    pub category: TicketCategory,
    pub subject: String,
    pub status: TicketStatus,
    pub verification: Verification,
    pub created_at: UtcMillis,
    pub updated_at: UtcMillis,
    pub first_response_at: Option<UtcMillis>,
    pub resolved_at: Option<UtcMillis>,
    pub closed_at: Option<UtcMillis>,
    pub timeliness: Timeliness,
}

impl TicketSummary {
    /// Late on either timer while it is still the platform's to act on.
    pub fn overdue(&self) -> bool {
        self.status != TicketStatus::Closed
            && (self.timeliness.first_response_overdue && self.first_response_at.is_none()
                || self.timeliness.resolution_overdue && self.resolved_at.is_none())
    }
}

/// A file attached to a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
}

/// One message of the thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    pub id: String,
    pub author: Author,
    /// The writer's name (an operator's as "客服" plus their name; the system's empty).
    pub author_name: String,
    pub body: String,
    pub at: UtcMillis,
    pub attachments: Vec<AttachmentView>,
}

/// A ticket's page, for the customer and for the operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    pub ticket: TicketSummary,
    pub messages: Vec<ThreadMessage>,
    /// The rating given after closing, and its note.
    pub rating: Option<(u8, String)>,
    /// How long the conversation is kept (the data map's rule for transcripts).
    pub kept_days_after_close: u32,
    /// The caller is the one who may verify (the person who opened it).
    pub may_verify: bool,
    /// The last digits of the registered mobile a code goes to.
    pub mobile_hint: String,
}

/// The customer's support home: their tickets, a fresh form key, the recording notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportHome {
    pub tickets: Vec<TicketSummary>,
    pub key: String,
    pub kept_days_after_close: u32,
}

/// The console's queue and its targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportQueue {
    pub tickets: Vec<TicketSummary>,
    pub targets: Targets,
}

/// A login person as the account panel shows them (contacts masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelPerson {
    pub name: String,
    pub role: Option<super::account::MemberRole>,
    pub status: super::account::AccountStatus,
    pub mobile: String,
}

/// A recent payment order as the account panel shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelOrder {
    pub order_id: String,
    pub payee: String,
    pub amount: super::Fen,
    pub status: super::funds::OrderStatus,
    pub at: UtcMillis,
}

/// The enterprise's money as the account panel shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelFunds {
    pub available: super::Fen,
    pub reserved: super::Fen,
    pub orders: Vec<PanelOrder>,
}

/// The enterprise's account details, opened from a verified ticket (every look audited with
/// the ticket's id). Only what the verified person may see in the portal themselves: the
/// money with the funds permission, the invoices with the finance permission, the login
/// persons for the admin (`None`: not theirs to discuss).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPanel {
    pub enterprise_name: String,
    pub credit_code: String,
    pub status: super::business::EnterpriseStatus,
    pub opened_at: UtcMillis,
    pub funds: Option<PanelFunds>,
    pub people: Option<Vec<PanelPerson>>,
    pub invoices_waiting: Option<i64>,
}

/// The platform's own notes in a thread, stored as codes and shown in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemNote {
    VerifyAskedCode,
    VerifyAskedPortal,
    VerifiedCode,
    VerifiedPortal,
    Resolved,
    Closed,
}

super::codes!(SystemNote {
    VerifyAskedCode => "note:verify_asked_code",
    VerifyAskedPortal => "note:verify_asked_portal",
    VerifiedCode => "note:verified_code",
    VerifiedPortal => "note:verified_portal",
    Resolved => "note:resolved",
    Closed => "note:closed",
});

/// Days after which a ticket waiting for the customer, unanswered, closes by itself.
pub const WAITING_CLOSE_DAYS: i64 = 14;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_7_the_ticket_life_cycle() {
        use TicketStatus as S;
        use TicketStep as A;
        assert_eq!(S::Open.after(A::CustomerReply), Some(S::Open));
        assert_eq!(S::Open.after(A::OperatorReply), Some(S::WaitingCustomer));
        assert_eq!(
            S::WaitingCustomer.after(A::CustomerReply),
            Some(S::WaitingUs)
        );
        assert_eq!(
            S::WaitingUs.after(A::OperatorReply),
            Some(S::WaitingCustomer)
        );
        assert_eq!(S::WaitingUs.after(A::Resolve), Some(S::Resolved));
        assert_eq!(S::Resolved.after(A::Resolve), None);
        assert_eq!(S::Resolved.after(A::CustomerReply), Some(S::WaitingUs));
        assert_eq!(S::Resolved.after(A::Close), Some(S::Closed));
        for step in [A::CustomerReply, A::OperatorReply, A::Resolve, A::Close] {
            assert_eq!(S::Closed.after(step), None, "closed is final");
        }
        assert!(S::Open.ours() && S::WaitingUs.ours() && !S::WaitingCustomer.ours());
    }

    #[test]
    fn p1_1_7_tickets_parse_with_field_errors() {
        let ok = TicketInput::parse(&TicketForm {
            category: "funds".into(),
            subject: " 充值未到账 ".into(),
            body: "昨天转账\r\n还没到".into(),
        })
        .unwrap();
        assert_eq!(ok.category, TicketCategory::Funds);
        assert_eq!(ok.subject, "充值未到账");
        assert_eq!(ok.body, "昨天转账\n还没到");
        let errs = TicketInput::parse(&TicketForm {
            category: "nonsense".into(),
            subject: "x".repeat(81),
            body: " ".into(),
        })
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["category", "subject", "body"]);
        assert_eq!(parse_rating("5"), Ok(5));
        assert_eq!(parse_rating("0"), Err(Rule::OutOfRange));
        assert_eq!(parse_rating("五"), Err(Rule::Format));
        assert_eq!(parse_rating(""), Err(Rule::Required));
    }

    #[test]
    fn p1_1_7_timers_flag_late_answers_and_resolutions() {
        let t = Targets {
            first_response_minutes: 60,
            resolution_minutes: 600,
        };
        let created = UtcMillis(1_000_000);
        let min = |m: i64| UtcMillis(created.0 + m * 60_000);
        let fresh = t.timeliness(created, None, None, min(30));
        assert!(!fresh.first_response_overdue && !fresh.resolution_overdue);
        assert_eq!(fresh.first_response_due, min(60));
        let late = t.timeliness(created, None, None, min(61));
        assert!(late.first_response_overdue && !late.resolution_overdue);
        let answered_in_time = t.timeliness(created, Some(min(59)), None, min(500));
        assert!(!answered_in_time.first_response_overdue);
        let answered_late = t.timeliness(created, Some(min(90)), None, min(500));
        assert!(answered_late.first_response_overdue);
        let unresolved = t.timeliness(created, Some(min(5)), None, min(601));
        assert!(unresolved.resolution_overdue);
        let resolved = t.timeliness(created, Some(min(5)), Some(min(300)), min(9000));
        assert!(!resolved.resolution_overdue);
    }

    #[test]
    fn p1_1_7_verification_reads_from_its_columns() {
        use Verification as V;
        assert_eq!(V::from_parts(None, None, None), V::NotRequested);
        let asked = V::from_parts(Some(VerifyMethod::Portal), Some(5), None);
        assert_eq!(
            asked,
            V::Requested {
                method: VerifyMethod::Portal,
                at: UtcMillis(5)
            }
        );
        assert!(!asked.verified());
        assert!(V::from_parts(Some(VerifyMethod::SmsCode), Some(5), Some(9)).verified());
    }
}
