//! Outgoing messages as the console lists them (no body: it may hold an invitation link), and
//! the delivery rules the worker follows: back-off with jitter, and the last attempt.

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// How a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxChannel {
    Email,
    Sms,
}

super::codes!(OutboxChannel { Email => "email", Sms => "sms" });

/// Why a message is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxPurpose {
    Invitation,
    ApplicationResult,
    JoinRequest,
    PolicyChange,
    /// A link to set a new password.
    PasswordReset,
    /// The password was changed (by a reset): the user is told.
    PasswordChanged,
    /// A service announcement or incident notice to everyone (P7.2).
    Announcement,
    /// A promotion, to those who allow them (P7.1).
    Promotion,
    /// A security incident notice to an affected person (P5.5).
    Incident,
    /// A code to a new mobile number or e-mail address, which takes effect once it is entered.
    ContactVerification,
    /// A new mobile number or e-mail address took effect: the person is told.
    ContactChanged,
    /// The enterprise's withdrawal account changed: its other admins are told (issue 14).
    WithdrawalAccountChanged,
    /// A registration's code (or, to an address that has an account, a note saying so).
    RegistrationCode,
    /// A WeChat account was bound to the login person or unbound (issue 15): they are told.
    WechatBinding,
    /// The code that verifies a rights request's requester (issue 16, P6.5).
    RightsVerification,
    /// A step of a rights request the requester is told of, or the privacy office's daily
    /// digest (issue 16, P10.2).
    RightsRequest,
    /// A step of an invoice application (issue 17): the applicant is told.
    InvoiceStatus,
    /// An electronic invoice with its file, to the receiving addresses (issue 17).
    InvoiceFile,
    /// A reviewer's decision on a task, or a task closed at its end date (issue 18).
    TaskReview,
    /// A worker's invitation to sign the service agreement (issue 18).
    WorkerSigning,
    /// The code a worker signs the agreement with (issue 18).
    WorkerSigningCode,
    /// A support operator's reply, or a step of the customer's ticket (issue 18 §3).
    SupportReply,
    /// The code that verifies a support ticket's customer (issue 18 §3, P1.1.7).
    SupportVerification,
    /// The subject told of a lawful disclosure about them (issue 19, P3.1.2).
    LawfulDisclosure,
    /// Everyone affected told of a transfer in a merger or the like (issue 19, P3.2).
    DataTransfer,
}

super::codes!(OutboxPurpose {
    Invitation => "invitation",
    ApplicationResult => "application_result",
    JoinRequest => "join_request",
    PolicyChange => "policy_change",
    PasswordReset => "password_reset",
    PasswordChanged => "password_changed",
    Announcement => "announcement",
    Promotion => "promotion",
    Incident => "incident",
    ContactVerification => "contact_verification",
    ContactChanged => "contact_changed",
    WithdrawalAccountChanged => "withdrawal_account_changed",
    RegistrationCode => "registration_code",
    WechatBinding => "wechat_binding",
    RightsVerification => "rights_verification",
    RightsRequest => "rights_request",
    InvoiceStatus => "invoice_status",
    InvoiceFile => "invoice_file",
    TaskReview => "task_review",
    WorkerSigning => "worker_signing",
    WorkerSigningCode => "worker_signing_code",
    SupportReply => "support_reply",
    SupportVerification => "support_verification",
    LawfulDisclosure => "lawful_disclosure",
    DataTransfer => "data_transfer",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A worker holds it and is handing it to the transport.
    Sending,
    /// The transport accepted it.
    Sent,
    /// Given up: every attempt failed, the transport refused it for good, or a worker stopped
    /// while sending it (it may or may not have gone out, so it is not sent again without an
    /// operator's decision). An operator can send it again.
    Dead,
}

super::codes!(OutboxStatus {
    Pending => "pending",
    Sending => "sending",
    Sent => "sent",
    Dead => "dead",
});

impl OutboxStatus {
    /// Whether an operator may send it again: a dead one, or a sent one (a recipient lost it);
    /// never one that waits or that a worker holds.
    pub fn resendable(self) -> bool {
        matches!(self, OutboxStatus::Dead | OutboxStatus::Sent)
    }
}

/// How many attempts a message gets before it is dead.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `attempts + 1`, in milliseconds: 30 s doubled per attempt, at most
/// an hour, scaled by `jitter` (0.5 to 1.5, so that messages failed together do not come back
/// together).
pub fn backoff_ms(attempts: i64, jitter: f64) -> i64 {
    let base = 30_000_i64.saturating_mul(1_i64 << attempts.clamp(0, 20));
    let capped = base.min(3_600_000) as f64;
    (capped * jitter.clamp(0.5, 1.5)) as i64
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    pub channel: OutboxChannel,
    pub recipient_masked: String,
    pub subject: String,
    pub purpose: OutboxPurpose,
    pub status: OutboxStatus,
    pub created_at: UtcMillis,
    pub sent_at: Option<UtcMillis>,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (pending messages).
    pub next_attempt_at: UtcMillis,
    /// Why the last attempt failed (empty when it did not).
    pub last_error: String,
    /// Who delivered it: `smtp`, or `dev_mailbox` in development.
    pub transport: String,
}

/// A message as the development mailbox shows it: in full, as it was delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: String,
    pub channel: OutboxChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub delivered_at: Option<UtcMillis>,
    /// The `List-Unsubscribe` link a promotion carried (RFC 8058); empty for others.
    pub unsubscribe_url: String,
    /// The name of the file it carried (an electronic invoice); empty for none.
    pub attachment: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        assert_eq!(backoff_ms(0, 1.0), 30_000);
        assert_eq!(backoff_ms(1, 1.0), 60_000);
        assert_eq!(backoff_ms(3, 1.0), 240_000);
        assert_eq!(backoff_ms(7, 1.0), 3_600_000);
        assert_eq!(backoff_ms(63, 1.0), 3_600_000);
        assert_eq!(backoff_ms(0, 0.5), 15_000);
        assert_eq!(backoff_ms(0, 9.0), 45_000);
        assert_eq!(backoff_ms(-4, 1.0), 30_000);
    }
}
