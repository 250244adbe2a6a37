//! 工作台 (console) and 概览 (portal): one tile per queue the viewer can act on, with its count,
//! the age of its oldest item and a link. The queues are a registry
//! (`backend::dashboard::OPS_TILES`, `PORTAL_TILES`): a new domain adds its queue there and a
//! label in `i18n::queue_label` (an exhaustive match), and its tile appears for those who may
//! act on it.

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    // The console's.
    /// Applications submitted and waiting for a reviewer.
    Applications,
    /// Bank credits whose receiving account named no enterprise.
    UnmatchedCredits,
    /// Bank credits above the threshold waiting for a second finance operator (issue 14).
    CreditsToCheck,
    /// Transfers out waiting for finance's approval.
    TransfersToApprove,
    /// Messages not yet delivered (the messages capability will send them).
    OutboxFailed,
    /// Verified rights requests not yet answered (issue 16, P10.2); the oldest shows the age.
    RightsRequests,
    /// Invoice applications waiting to be issued (issue 17).
    InvoicesToIssue,
    /// Red-letter invoices recorded and waiting for a second finance operator.
    RedLettersToApprove,
    /// Legacy taxpayer IDs waiting for a reviewer.
    TaxpayerIds,
    /// Tasks sent for review (issue 18).
    TasksToReview,
    /// Support tickets waiting for the platform (new, or the customer answered; issue 18 §3).
    TicketsWaiting,
    // The portal's.
    /// Payment batches uploaded and waiting for confirmation.
    BatchesToConfirm,
    /// Payment orders suspended (not enough balance, or the channel refused).
    SuspendedOrders,
    /// The enterprise's transfers out waiting for the platform.
    MyTransfersWaiting,
    /// Invitations not yet accepted.
    OpenInvites,
    /// The enterprise's invoice applications the platform has not yet issued.
    MyInvoicesWaiting,
    /// The enterprise's tasks a reviewer sent back for changes.
    TasksToChange,
}

super::codes!(Queue {
    Applications => "applications",
    UnmatchedCredits => "unmatched_credits",
    CreditsToCheck => "credits_to_check",
    TransfersToApprove => "transfers_to_approve",
    OutboxFailed => "outbox_failed",
    RightsRequests => "rights_requests",
    InvoicesToIssue => "invoices_to_issue",
    RedLettersToApprove => "red_letters_to_approve",
    TaxpayerIds => "taxpayer_ids",
    TasksToReview => "tasks_to_review",
    TicketsWaiting => "tickets_waiting",
    BatchesToConfirm => "batches_to_confirm",
    SuspendedOrders => "suspended_orders",
    MyTransfersWaiting => "my_transfers_waiting",
    OpenInvites => "open_invites",
    MyInvoicesWaiting => "my_invoices_waiting",
    TasksToChange => "tasks_to_change",
});

impl Queue {
    /// Where the queue is worked.
    pub const fn href(self) -> &'static str {
        match self {
            Queue::Applications => "/ops/applications",
            Queue::UnmatchedCredits => "/ops/funds",
            Queue::CreditsToCheck => "/ops/funds",
            Queue::TransfersToApprove => "/ops/funds/transfers",
            Queue::OutboxFailed => "/ops/outbox",
            Queue::RightsRequests => "/ops/privacy/requests",
            Queue::InvoicesToIssue => "/ops/invoices",
            Queue::RedLettersToApprove => "/ops/invoices?status=issued",
            Queue::TaxpayerIds => "/ops/applications/taxpayer-ids",
            Queue::TasksToReview => "/ops/tasks",
            Queue::TicketsWaiting => "/ops/support",
            Queue::BatchesToConfirm => "/portal/funds/orders",
            Queue::SuspendedOrders => "/portal/funds/orders",
            Queue::MyTransfersWaiting => "/portal/funds/transfers",
            Queue::OpenInvites => "/portal/business/members",
            Queue::MyInvoicesWaiting => "/portal/finance/invoices",
            Queue::TasksToChange => "/portal/tasks",
        }
    }
}

/// One queue's tile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tile {
    pub queue: Queue,
    pub count: i64,
    /// When the oldest waiting item arrived (`None` when the queue is empty).
    pub oldest_at: Option<UtcMillis>,
}

/// The tiles a viewer may see, with the server's clock (ages are computed from it, so the
/// server's render and the browser's hydration agree).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub now: UtcMillis,
    pub tiles: Vec<Tile>,
}

/// How long an item has waited, in the largest whole unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl Age {
    pub fn between(then: UtcMillis, now: UtcMillis) -> Age {
        let minutes = (now.0 - then.0).max(0) / 60_000;
        match minutes {
            m if m < 60 => Age::Minutes(m),
            m if m < 48 * 60 => Age::Hours(m / 60),
            m => Age::Days(m / (24 * 60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_use_the_largest_whole_unit() {
        let now = UtcMillis(10 * 86_400_000);
        let ago = |ms: i64| Age::between(UtcMillis(now.0 - ms), now);
        assert_eq!(ago(59_999), Age::Minutes(0));
        assert_eq!(ago(59 * 60_000), Age::Minutes(59));
        assert_eq!(ago(3 * 3_600_000), Age::Hours(3));
        assert_eq!(ago(47 * 3_600_000), Age::Hours(47));
        assert_eq!(ago(3 * 86_400_000), Age::Days(3));
        assert_eq!(
            ago(-5),
            Age::Minutes(0),
            "a clock skew is not a negative age"
        );
    }

    #[test]
    fn every_queue_links_into_its_area() {
        for q in [
            Queue::Applications,
            Queue::UnmatchedCredits,
            Queue::CreditsToCheck,
            Queue::TransfersToApprove,
            Queue::OutboxFailed,
            Queue::RightsRequests,
            Queue::InvoicesToIssue,
            Queue::RedLettersToApprove,
            Queue::TaxpayerIds,
            Queue::TasksToReview,
            Queue::TicketsWaiting,
        ] {
            assert!(q.href().starts_with("/ops/"), "{q:?}");
        }
        for q in [
            Queue::BatchesToConfirm,
            Queue::SuspendedOrders,
            Queue::MyTransfersWaiting,
            Queue::OpenInvites,
            Queue::MyInvoicesWaiting,
            Queue::TasksToChange,
        ] {
            assert!(q.href().starts_with("/portal/"), "{q:?}");
        }
    }
}
