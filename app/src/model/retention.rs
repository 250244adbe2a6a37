//! Retention (issue 16 §6, P4.2): the rules the daily job applies, what a run (or a dry run)
//! did, and legal holds. Model side, so the console renders them.

use crate::model::data_map::Category;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// A retention rule: which rows go (or lose their personal fields) once their period is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionRule {
    /// Login events older than the network-log period (网络安全法 Art. 21).
    LoginEvents,
    /// Sent or given-up outbox messages older than the network-log period (the message itself
    /// stays in the person's message centre while the account exists).
    Outbox,
    /// Invitations used or expired more than the invitation period ago.
    Invitations,
    /// Visitors' cookie decisions (no account) older than the visitor-consent period.
    VisitorConsents,
    /// Applications that never opened an account (draft, more material asked, rejected), with
    /// their files, untouched for the application period.
    AbandonedApplications,
    /// The login persons of an enterprise closed more than the closed-account period ago:
    /// their names, contact details and credentials anonymised; their sessions, bindings,
    /// messages and preferences deleted.
    ClosedAccounts,
    /// An enterprise closed more than the closed-account period ago: its application's files
    /// and texts (the name and credit code stay with the books), its registered address and
    /// business scope, its withdrawal account and open invitations.
    ClosedEnterprises,
    /// Payment orders older than the accounting archives' period: the payee's name, ID,
    /// account and mobile numbers anonymised (the amounts stay with the books).
    OldPaymentOrders,
    /// Support tickets closed longer ago than the data map's transcript period (P1.1.7): the
    /// ticket, its recorded conversation and its files.
    SupportTranscripts,
    /// Callback deliveries to an enterprise's own system (issue 19) delivered or given up
    /// longer ago than the network-log period: a transport log, as the outbox is.
    CallbackDeliveries,
}

super::codes!(RetentionRule {
    LoginEvents => "login_events",
    Outbox => "outbox",
    Invitations => "invitations",
    VisitorConsents => "visitor_consents",
    AbandonedApplications => "abandoned_applications",
    ClosedAccounts => "closed_accounts",
    ClosedEnterprises => "closed_enterprises",
    OldPaymentOrders => "old_payment_orders",
    SupportTranscripts => "support_transcripts",
    CallbackDeliveries => "callback_deliveries",
});

/// What a rule does to the rows it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    Delete,
    Anonymise,
}

impl RetentionRule {
    /// The data-map category of what it removes (a dry run groups by it).
    pub fn category(self) -> Category {
        match self {
            RetentionRule::LoginEvents => Category::Activity,
            RetentionRule::Outbox => Category::Communication,
            RetentionRule::Invitations => Category::Contact,
            RetentionRule::VisitorConsents => Category::Consent,
            RetentionRule::AbandonedApplications => Category::Business,
            RetentionRule::ClosedAccounts => Category::Identity,
            RetentionRule::ClosedEnterprises => Category::Business,
            RetentionRule::OldPaymentOrders => Category::IdNumber,
            RetentionRule::SupportTranscripts => Category::Communication,
            RetentionRule::CallbackDeliveries => Category::Transaction,
        }
    }

    pub fn action(self) -> RetentionAction {
        match self {
            RetentionRule::ClosedAccounts
            | RetentionRule::ClosedEnterprises
            | RetentionRule::OldPaymentOrders => RetentionAction::Anonymise,
            _ => RetentionAction::Delete,
        }
    }
}

/// The periods, in days (configuration; these are the defaults, documented in the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionDays {
    /// 30 years (会计档案管理办法: accounting vouchers and books).
    pub accounting: u32,
    /// 190 days (网络安全法 Art. 21: network logs at least six months).
    pub network_logs: u32,
    /// After an enterprise is closed, its people's details are kept this long (for questions
    /// and complaints about the closure), then anonymised.
    pub closed_account: u32,
    /// An application that never opened an account.
    pub application: u32,
    /// An invitation after it was used or expired.
    pub invitation: u32,
    /// A visitor's cookie decision (a year, then the banner asks again anyway).
    pub visitor_consent: u32,
}

impl Default for RetentionDays {
    fn default() -> Self {
        RetentionDays {
            accounting: 30 * 365,
            network_logs: 190,
            closed_account: 90,
            application: 180,
            invitation: 30,
            visitor_consent: 365,
        }
    }
}

impl RetentionDays {
    /// The period of a rule.
    pub fn of(&self, rule: RetentionRule) -> u32 {
        match rule {
            RetentionRule::LoginEvents
            | RetentionRule::Outbox
            | RetentionRule::CallbackDeliveries => self.network_logs,
            RetentionRule::Invitations => self.invitation,
            RetentionRule::VisitorConsents => self.visitor_consent,
            RetentionRule::AbandonedApplications => self.application,
            RetentionRule::ClosedAccounts | RetentionRule::ClosedEnterprises => self.closed_account,
            RetentionRule::OldPaymentOrders => self.accounting,
            // The data map's period, which the ticket forms announce: not configured apart.
            RetentionRule::SupportTranscripts => crate::model::data_map::transcript_days(),
        }
    }
}

/// One rule's result in a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule: RetentionRule,
    /// Rows deleted or anonymised (a dry run: that would be).
    pub rows: i64,
    /// Rows left alone because their enterprise is under a legal hold.
    pub held: i64,
}

/// A run of the retention job, or a dry run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRun {
    pub id: String,
    pub dry_run: bool,
    /// `schedule`, or the name of the operator who asked.
    pub by: String,
    pub started_at: UtcMillis,
    pub finished_at: Option<UtcMillis>,
    pub counts: Vec<RuleCount>,
    /// Why it stopped, if it failed.
    pub error: Option<String>,
}

/// A legal hold on an enterprise: the retention job leaves its rows alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise: String,
    pub reason: String,
    /// The name of the operator who placed it.
    pub placed_by: String,
    pub placed_at: UtcMillis,
    pub released_at: Option<UtcMillis>,
}

/// The console's page: the periods, the runs (newest first), the holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionOverview {
    pub days: RetentionDays,
    pub runs: Vec<RetentionRun>,
    pub holds: Vec<LegalHold>,
}

/// A hold's reason: 1 to 500 characters.
pub const HOLD_REASON_MAX: u32 = 500;
