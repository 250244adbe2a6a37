//! Conflicts: the action is well formed but the current state does not allow it. Each has a
//! wire name (the same snake_case name in JSON and in the server log) and a message in both
//! languages (`i18n::conflict_text`, an exhaustive match: a conflict without a message does
//! not compile). Pages match these variants, never strings.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    // Accounts and login persons.
    /// Another login person already uses this mobile number or e-mail address.
    ContactTaken,
    /// Another operator already has this login name.
    LoginTaken,
    /// The policy versions in force changed while the user was reading them (P9).
    PolicyChanged,
    // Invitations and members.
    InviteUsed,
    InviteExpired,
    InviteRevoked,
    /// An admin cannot change their own role.
    OwnRole,
    /// An admin cannot disable themselves.
    OwnStatus,
    /// The enterprise would be left without an active admin.
    LastAdmin,
    /// A disabled member cannot be given a role or permissions.
    MemberDisabled,
    // Applications.
    /// The applicant already belongs to an enterprise.
    AlreadyMember,
    /// The application is with the reviewers or decided: it can no longer be edited.
    ApplicationLocked,
    /// Only a pending application can be decided.
    ApplicationNotPending,
    // Policy versions.
    PolicyPending,
    PolicyEdited,
    PolicyNotDraft,
    PolicyNotPending,
    // Funds and payments.
    InsufficientBalance,
    OrderIdReused,
    KeyReused,
    NoWithdrawalAccount,
    OrderNotCancellable,
    OrderNotSuspended,
    BatchAlreadyDecided,
    TransferAlreadyDecided,
    CreditNotUnmatched,
    /// Money leaving the platform, or a large credit, needs a second finance operator: the
    /// one who gave the first approval (or recorded the credit) cannot give the second
    /// (issue 14, four eyes).
    SecondApproverNeeded,
    /// A lawful disclosure is approved by a privacy officer other than its recorder (P3.1.2).
    SecondOfficerNeeded,
    /// The API credential is revoked, expired or already rotated: issue a new one.
    CredentialEnded,
    /// No callback address is set: a delivery cannot be re-sent (issue 19).
    NoCallbackAddress,
    /// The credit is not waiting for a second approval.
    CreditNotHeld,
    PayoutNotPaid,
    AlreadyDone,
    // Messages.
    NotResendable,
    // Forgotten passwords.
    ResetUsed,
    ResetExpired,
    /// A reset code that is wrong, expired, used up, or for no account (one answer for all).
    ResetCodeWrong,
    /// A registration code that is wrong, expired or used up (one answer for all).
    RegistrationCodeWrong,
    /// A contact-change code that is wrong, expired or used up.
    ContactCodeWrong,
    /// A new mobile number cannot be verified: no text messages can be sent.
    SmsUnavailable,
    // Operator management.
    LastSuperAdmin,
    OwnOperator,
    EnrolmentUsed,
    EnrolmentExpired,
    // Incidents.
    AffectedChanged,
    // WeChat login (issue 15).
    /// WeChat login is not configured on this platform.
    WechatUnavailable,
    /// The login person has a WeChat account bound already (unbind it first).
    WechatAlreadyBound,
    /// The scan-login ticket is not confirmed on the phone (or expired, or was used).
    ScanNotConfirmed,
    /// A new binding code needs the password again (the last one expired).
    WechatBindNeedsPassword,
    // Rights requests (issue 16).
    /// A request's code is wrong, expired or out of tries.
    RightsCodeWrong,
    /// The request has moved on (answered, withdrawn, or not yet verified): the step no longer
    /// applies.
    RequestNotOpen,
    /// A cost fee needs more same-kind requests in 12 months than the free number (P6.5).
    FeeNotAllowed,
    /// The account still has an available balance: transfer it out before closing (P6.3).
    ClosureHasBalance,
    /// Payment orders, batches or transfers are still in flight, or money is reserved.
    ClosureInFlight,
    /// The one who asked for a closure is no longer the enterprise's active admin.
    ClosureNotAdmin,
    /// The one who asked for an enterprise's request is no longer its active admin.
    RequesterNotAdmin,
    /// A correction of the enterprise's name or address waits for its new business licence.
    CorrectionNeedsLicence,
    /// A new licence was sent for a request that does not need one (or is no longer open).
    LicenceNotNeeded,
    /// A deletion asked for by the only active admin of an open enterprise (it needs its admin).
    DeletionAdmin,
    /// A deletion whose requester's enterprise is under a legal hold.
    DeletionHeld,
    /// Invoices need the invoice profile first (issue 17).
    InvoiceNoProfile,
    /// The profile's legacy taxpayer ID waits for (or was refused) a reviewer's override.
    TaxpayerIdNotAccepted,
    /// A special invoice (专票) needs every profile field.
    SpecialNeedsProfile,
    /// A paper invoice needs the profile's mailing contact, phone and address.
    PaperNeedsMailing,
    /// More than the not-yet-invoiced amount (applications running together included).
    InvoiceOverAmount,
    /// The application has moved on (issued, rejected, cancelled…): the step no longer applies.
    InvoiceMovedOn,
    /// The task's status changed (sent for review, decided, closed) since the page was loaded.
    TaskMovedOn,
    /// A reviewer's approval of a task whose end date has passed.
    TaskEnded,
    /// Completions are recorded on an open (or closed) task only.
    TaskNotOpen,
    /// The completion would take the task's records past its budget (or its units).
    OverBudget,
    /// The completion record was accepted, withdrawn or paid since the page was loaded.
    CompletionMovedOn,
    /// The task has no accepted completion left to pay.
    NothingToPay,
    /// The worker has signed the agreement (and it stands): no invitation is needed.
    WorkerSigned,
    /// The worker has no standing signature to release.
    WorkerNotSigned,
    /// An order to a payee who has not signed the agreement waits until they sign.
    PayeeNotSigned,
    /// The signing link is unknown, expired or used.
    SigningLinkGone,
    /// The signing code is wrong, expired or out of tries.
    SigningCodeWrong,
    /// A code was sent less than a minute ago.
    SigningCodeTooSoon,
    /// A new version of the agreement was published while the worker was reading it.
    AgreementChanged,
    /// This invoice number (or red-letter number) is already recorded.
    InvoiceNumberTaken,
    /// The operator who issued the invoice, or recorded its red letter, cannot approve the
    /// reversal (maker and checker).
    InvoiceCheckerSame,
    /// No taxpayer ID waits for a decision.
    TaxpayerIdNotPending,
    /// The support ticket has moved on (closed, already resolved, already rated).
    TicketMovedOn,
    /// The customer's identity is not verified on this ticket: the account panel stays closed
    /// (issue 18 §3, P1.1.7).
    IdentityNotVerified,
    /// No verification was asked for on this ticket (or it is already given).
    VerificationNotRequested,
    /// The verification code is wrong, expired or out of tries.
    SupportCodeWrong,
    /// A code was sent less than a minute ago.
    SupportCodeTooSoon,
    /// Only the person who opened the ticket can verify it.
    NotTicketOpener,
    /// The ticket holds the most attachments it may.
    TooManyAttachments,
}

super::codes!(Conflict {
    ContactTaken => "contact_taken",
    LoginTaken => "login_taken",
    PolicyChanged => "policy_changed",
    InviteUsed => "invite_used",
    InviteExpired => "invite_expired",
    InviteRevoked => "invite_revoked",
    OwnRole => "own_role",
    OwnStatus => "own_status",
    LastAdmin => "last_admin",
    MemberDisabled => "member_disabled",
    AlreadyMember => "already_member",
    ApplicationLocked => "application_locked",
    ApplicationNotPending => "application_not_pending",
    PolicyPending => "policy_pending",
    PolicyEdited => "policy_edited",
    PolicyNotDraft => "policy_not_draft",
    PolicyNotPending => "policy_not_pending",
    InsufficientBalance => "insufficient_balance",
    OrderIdReused => "order_id_reused",
    KeyReused => "key_reused",
    NoWithdrawalAccount => "no_withdrawal_account",
    OrderNotCancellable => "order_not_cancellable",
    OrderNotSuspended => "order_not_suspended",
    BatchAlreadyDecided => "batch_already_decided",
    TransferAlreadyDecided => "transfer_already_decided",
    CreditNotUnmatched => "credit_not_unmatched",
    SecondApproverNeeded => "second_approver_needed",
    SecondOfficerNeeded => "second_officer_needed",
    CredentialEnded => "credential_ended",
    NoCallbackAddress => "no_callback_address",
    CreditNotHeld => "credit_not_held",
    PayoutNotPaid => "payout_not_paid",
    AlreadyDone => "already_done",
    NotResendable => "not_resendable",
    ResetUsed => "reset_used",
    ResetExpired => "reset_expired",
    ResetCodeWrong => "reset_code_wrong",
    RegistrationCodeWrong => "registration_code_wrong",
    ContactCodeWrong => "contact_code_wrong",
    SmsUnavailable => "sms_unavailable",
    LastSuperAdmin => "last_super_admin",
    OwnOperator => "own_operator",
    EnrolmentUsed => "enrolment_used",
    EnrolmentExpired => "enrolment_expired",
    AffectedChanged => "affected_changed",
    WechatUnavailable => "wechat_unavailable",
    WechatAlreadyBound => "wechat_already_bound",
    ScanNotConfirmed => "scan_not_confirmed",
    WechatBindNeedsPassword => "wechat_bind_needs_password",
    RightsCodeWrong => "rights_code_wrong",
    RequestNotOpen => "request_not_open",
    FeeNotAllowed => "fee_not_allowed",
    ClosureHasBalance => "closure_has_balance",
    ClosureInFlight => "closure_in_flight",
    ClosureNotAdmin => "closure_not_admin",
    RequesterNotAdmin => "requester_not_admin",
    CorrectionNeedsLicence => "correction_needs_licence",
    LicenceNotNeeded => "licence_not_needed",
    DeletionAdmin => "deletion_admin",
    DeletionHeld => "deletion_held",
    InvoiceNoProfile => "invoice_no_profile",
    TaxpayerIdNotAccepted => "taxpayer_id_not_accepted",
    SpecialNeedsProfile => "special_needs_profile",
    PaperNeedsMailing => "paper_needs_mailing",
    InvoiceOverAmount => "invoice_over_amount",
    InvoiceMovedOn => "invoice_moved_on",
    TaskMovedOn => "task_moved_on",
    TaskEnded => "task_ended",
    TaskNotOpen => "task_not_open",
    OverBudget => "over_budget",
    CompletionMovedOn => "completion_moved_on",
    NothingToPay => "nothing_to_pay",
    WorkerSigned => "worker_signed",
    WorkerNotSigned => "worker_not_signed",
    PayeeNotSigned => "payee_not_signed",
    SigningLinkGone => "signing_link_gone",
    SigningCodeWrong => "signing_code_wrong",
    SigningCodeTooSoon => "signing_code_too_soon",
    AgreementChanged => "agreement_changed",
    InvoiceNumberTaken => "invoice_number_taken",
    InvoiceCheckerSame => "invoice_checker_same",
    TaxpayerIdNotPending => "taxpayer_id_not_pending",
    TicketMovedOn => "ticket_moved_on",
    IdentityNotVerified => "identity_not_verified",
    VerificationNotRequested => "verification_not_requested",
    SupportCodeWrong => "support_code_wrong",
    SupportCodeTooSoon => "support_code_too_soon",
    NotTicketOpener => "not_ticket_opener",
    TooManyAttachments => "too_many_attachments",
});

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_codes() {
        for c in Conflict::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code(), "{c:?}");
        }
    }
}
