//! Transfers (withdrawals of unused prepayment to the enterprise's own bank account, P1.1.5):
//! their states and views. Two finance operators approve one (issue 14, `approval.rs`).

use super::{Fen, UtcMillis};
use serde::{Deserialize, Serialize};

/// What the enterprise sees of a transfer (withdrawal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    Requested,
    /// A first finance operator approved it; a second must (issue 14, four eyes).
    Checked,
    Approved,
    Rejected,
}
super::codes!(TransferStatus { Requested => "requested", Checked => "checked", Approved => "approved", Rejected => "rejected" });

impl TransferStatus {
    /// Still waiting for the platform (first or second approval).
    pub fn waiting(self) -> bool {
        matches!(self, TransferStatus::Requested | TransferStatus::Checked)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub id: String,
    pub enterprise_name: String,
    pub amount: Fen,
    pub status: TransferStatus,
    pub reason: String,
    pub account_name: String,
    pub bank_name: String,
    pub account_masked: String,
    pub requested_at: UtcMillis,
    pub decided_at: Option<UtcMillis>,
    /// Who gave the first approval (finance's list only; never shown to the enterprise).
    pub checked_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalAccount {
    pub account_name: String,
    pub bank_name: String,
    pub account_masked: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransfersPage {
    pub account: Option<WithdrawalAccount>,
    pub available: Fen,
    pub transfers: Vec<TransferView>,
    /// A fresh idempotency key for the request form.
    pub form_key: String,
}
