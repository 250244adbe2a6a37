//! The one status badge: every status enum says its label and its tone once, here.

use crate::i18n::{
    application_status_label, batch_label, members_status_label, order_status_label,
    outbox_status_label, transfer_label, FundCode, Lang, PolicyMsg, Translate,
};
use crate::model::account::{AccountStatus, LoginOutcome};
use crate::model::application::ApplicationStatus;
use crate::model::audit::AuditResult;
use crate::model::funds::{
    BatchStatus, CreditStatus, OrderStatus, SimPayoutStatus, TransferStatus,
};
use crate::model::outbox::OutboxStatus;
use crate::model::policy_change::PolicyStanding;
use leptos::prelude::*;

/// How a status reads at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Done,
    Pending,
    Failed,
    Neutral,
}

impl Tone {
    pub const fn class(self) -> &'static str {
        match self {
            Tone::Done => "badge badge-done",
            Tone::Pending => "badge badge-pending",
            Tone::Failed => "badge badge-failed",
            Tone::Neutral => "badge badge-neutral",
        }
    }
}

/// A status a badge can show.
pub trait Status: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
    fn tone(self) -> Tone;
}

#[component]
pub fn StatusBadge<S: Status>(
    status: S,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! { <span class=status.tone().class() data-testid=testid>{move || status.text(lang.get())}</span> }
}

/// The clock of a rights request (P10.2): "N days left" — green at 10 or more, amber at 5–9,
/// red under 5 — or "N days overdue" in red. An answered request shows no clock.
#[component]
pub fn DueBadge(due: crate::model::rights::Due) -> impl IntoView {
    use crate::model::rights::DueTone;
    let lang = crate::i18n::use_lang();
    let tone = match due.tone {
        DueTone::Green => Tone::Done,
        DueTone::Amber => Tone::Pending,
        DueTone::Red | DueTone::Overdue => Tone::Failed,
    };
    let tone_code = match due.tone {
        DueTone::Green => "green",
        DueTone::Amber => "amber",
        DueTone::Red => "red",
        DueTone::Overdue => "overdue",
    };
    view! {
        <span class=tone.class() data-testid="due-badge" data-tone=tone_code>
            {move || crate::i18n::due_text(lang.get(), due.days_left)}
        </span>
    }
}

impl Status for OrderStatus {
    fn text(self, lang: Lang) -> &'static str {
        order_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            OrderStatus::Paid => Tone::Done,
            OrderStatus::Failed | OrderStatus::Returned | OrderStatus::Suspended => Tone::Failed,
            OrderStatus::Cancelled => Tone::Neutral,
            _ => Tone::Pending,
        }
    }
}

impl Status for BatchStatus {
    fn text(self, lang: Lang) -> &'static str {
        batch_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            BatchStatus::AwaitingConfirmation => Tone::Pending,
            BatchStatus::Confirmed | BatchStatus::Cancelled => Tone::Neutral,
        }
    }
}

impl Status for crate::model::disclosure::DisclosureStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::disclosure_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::disclosure::DisclosureStatus as S;
        match self {
            S::Pending => Tone::Pending,
            S::Approved => Tone::Done,
            S::Rejected => Tone::Failed,
        }
    }
}

impl Status for crate::model::callbacks::DeliveryStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::delivery_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::callbacks::DeliveryStatus as S;
        match self {
            S::Pending => Tone::Pending,
            S::Delivered => Tone::Done,
            S::Failed => Tone::Failed,
        }
    }
}

impl Status for crate::model::openapi::CredentialStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::credential_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::openapi::CredentialStatus as S;
        match self {
            S::Active => Tone::Done,
            S::Rotating => Tone::Pending,
            S::Expired => Tone::Neutral,
            S::Revoked => Tone::Failed,
        }
    }
}

impl Status for TransferStatus {
    fn text(self, lang: Lang) -> &'static str {
        transfer_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            TransferStatus::Requested | TransferStatus::Checked => Tone::Pending,
            TransferStatus::Approved => Tone::Done,
            TransferStatus::Rejected => Tone::Failed,
        }
    }
}

impl Status for crate::model::invoice::InvoiceStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::invoice_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::invoice::InvoiceStatus as S;
        match self {
            S::Submitted | S::Issuing => Tone::Pending,
            S::Issued | S::Mailed => Tone::Done,
            S::Rejected => Tone::Failed,
            S::Reversed | S::Cancelled => Tone::Neutral,
        }
    }
}

impl Status for crate::model::task::TaskStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::task_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::task::TaskStatus as S;
        match self {
            S::InReview | S::ChangesRequested => Tone::Pending,
            S::Open => Tone::Done,
            S::Rejected => Tone::Failed,
            S::Draft | S::Closed => Tone::Neutral,
        }
    }
}

impl Status for crate::model::support::TicketStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::ticket_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::support::TicketStatus as S;
        match self {
            S::Open | S::WaitingUs => Tone::Pending,
            S::WaitingCustomer => Tone::Neutral,
            S::Resolved => Tone::Done,
            S::Closed => Tone::Neutral,
        }
    }
}

impl Status for crate::model::task::completion::CompletionStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::completion_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::task::completion::CompletionStatus as S;
        match self {
            S::Recorded => Tone::Pending,
            S::Accepted => Tone::Done,
            S::Withdrawn => Tone::Neutral,
        }
    }
}

impl Status for crate::model::worker::SigningStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::signing_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::worker::SigningStatus as S;
        match self {
            S::NotSigned => Tone::Pending,
            S::Signed => Tone::Done,
            S::Released => Tone::Neutral,
        }
    }
}

impl Status for CreditStatus {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            CreditStatus::Credited => crate::i18n::FundMsg::StatusCredited.text(lang),
            CreditStatus::Unmatched => crate::i18n::FundMsg::Unmatched.text(lang),
            CreditStatus::Held => crate::i18n::FundMsg::StatusHeld.text(lang),
            CreditStatus::Rejected => crate::i18n::FundMsg::StatusRejected.text(lang),
        }
    }
    fn tone(self) -> Tone {
        match self {
            CreditStatus::Credited => Tone::Done,
            CreditStatus::Unmatched | CreditStatus::Held => Tone::Pending,
            CreditStatus::Rejected => Tone::Failed,
        }
    }
}

impl Status for AccountStatus {
    fn text(self, lang: Lang) -> &'static str {
        members_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            AccountStatus::Active => Tone::Done,
            AccountStatus::Disabled => Tone::Failed,
        }
    }
}

impl Status for OutboxStatus {
    fn text(self, lang: Lang) -> &'static str {
        outbox_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            OutboxStatus::Pending | OutboxStatus::Sending => Tone::Pending,
            OutboxStatus::Sent => Tone::Done,
            OutboxStatus::Dead => Tone::Failed,
        }
    }
}

impl Status for ApplicationStatus {
    fn text(self, lang: Lang) -> &'static str {
        application_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            ApplicationStatus::Draft => Tone::Neutral,
            ApplicationStatus::Submitted | ApplicationStatus::MoreInfo => Tone::Pending,
            ApplicationStatus::Rejected => Tone::Failed,
            ApplicationStatus::Approved => Tone::Done,
        }
    }
}

impl Status for PolicyStanding {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            PolicyStanding::Draft => PolicyMsg::StatusDraft,
            PolicyStanding::Withdrawn => PolicyMsg::StatusWithdrawn,
            PolicyStanding::Scheduled => PolicyMsg::StatusScheduled,
            PolicyStanding::InForce => PolicyMsg::StatusInForce,
            PolicyStanding::Superseded => PolicyMsg::StatusSuperseded,
        }
        .text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            PolicyStanding::Draft | PolicyStanding::Superseded => Tone::Neutral,
            PolicyStanding::Withdrawn => Tone::Failed,
            PolicyStanding::Scheduled => Tone::Pending,
            PolicyStanding::InForce => Tone::Done,
        }
    }
}

/// A payout as the channel simulator's book has it: its status, or returned after payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayoutState {
    pub status: SimPayoutStatus,
    pub returned: bool,
}

impl Status for PayoutState {
    fn text(self, lang: Lang) -> &'static str {
        match (self.status, self.returned) {
            (_, true) => FundCode::StReturned,
            (SimPayoutStatus::Paid, _) => FundCode::StPaid,
            (SimPayoutStatus::Failed, _) => FundCode::StFailed,
            (SimPayoutStatus::Pending, _) => FundCode::StPaying,
        }
        .text(lang)
    }
    fn tone(self) -> Tone {
        match (self.status, self.returned) {
            (_, true) | (SimPayoutStatus::Failed, _) => Tone::Failed,
            (SimPayoutStatus::Paid, _) => Tone::Done,
            (SimPayoutStatus::Pending, _) => Tone::Pending,
        }
    }
}

impl Status for LoginOutcome {
    fn text(self, lang: Lang) -> &'static str {
        use crate::i18n::AccMsg;
        match self {
            LoginOutcome::Ok => AccMsg::OutcomeOk,
            LoginOutcome::BadPassword => AccMsg::OutcomeBadPassword,
            LoginOutcome::BadTotp => AccMsg::OutcomeBadTotp,
            LoginOutcome::Locked => AccMsg::OutcomeLocked,
            LoginOutcome::Disabled => AccMsg::OutcomeDisabled,
            LoginOutcome::UnknownLogin => AccMsg::OutcomeUnknownLogin,
        }
        .text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            LoginOutcome::Ok => Tone::Done,
            _ => Tone::Failed,
        }
    }
}

impl Status for AuditResult {
    fn text(self, lang: Lang) -> &'static str {
        use crate::i18n::AccMsg;
        match self {
            AuditResult::Ok => AccMsg::OutcomeOk,
            AuditResult::Denied => AccMsg::ResultDenied,
            AuditResult::Failed => AccMsg::ResultFailed,
            AuditResult::Genuine => AccMsg::ResultGenuine,
            AuditResult::Unknown => AccMsg::ResultUnknown,
        }
        .text(lang)
    }
    fn tone(self) -> Tone {
        match self {
            AuditResult::Ok | AuditResult::Genuine => Tone::Done,
            AuditResult::Denied | AuditResult::Failed | AuditResult::Unknown => Tone::Failed,
        }
    }
}

impl Status for crate::model::announcement::AnnouncementStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::announcement_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::announcement::AnnouncementStatus as A;
        match self {
            A::Published => Tone::Done,
            A::Scheduled => Tone::Pending,
            A::Withdrawn => Tone::Neutral,
        }
    }
}

impl Status for crate::model::rights::RequestStatus {
    fn text(self, lang: Lang) -> &'static str {
        crate::i18n::request_status_label(self).text(lang)
    }
    fn tone(self) -> Tone {
        use crate::model::rights::RequestStatus as S;
        match self {
            S::Unverified | S::Verified | S::InProgress => Tone::Pending,
            S::Completed => Tone::Done,
            S::Refused => Tone::Failed,
            S::Withdrawn | S::Lapsed => Tone::Neutral,
        }
    }
}
