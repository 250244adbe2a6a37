//! Four eyes on money (issue 14): a transfer to an enterprise's bank account, and a bank
//! credit above a configured threshold, need two different finance operators. The rules are
//! pure, so the console and the server apply the same ones.

use super::conflict::Conflict;
use super::funds::{CreditStatus, TransferStatus};
use super::Fen;
use crate::error::Rule;
use serde::{Deserialize, Serialize};

/// What a finance operator decides on a transfer or a held credit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    /// The decision a form posts (`approve`, and the reason a rejection needs: at most 200
    /// characters). Approving keeps no reason.
    pub fn parse(approve: bool, reason: &str) -> Result<(Decision, String), Rule> {
        if approve {
            Ok((Decision::Approve, String::new()))
        } else {
            Ok((Decision::Reject, super::form::parse_text(reason, 200)?))
        }
    }
}

/// The state a transfer moves to when `actor` decides, given who gave the first approval.
///
/// - A requested transfer is approved once (→ checked) or rejected.
/// - A checked transfer is approved by a second, different operator (→ approved: the money
///   leaves) or rejected by anyone (refusing is always safe).
/// - A decided transfer stays as it is.
pub fn transfer_next(
    status: TransferStatus,
    decision: Decision,
    checked_by: Option<&str>,
    actor: &str,
) -> Result<TransferStatus, Conflict> {
    use TransferStatus as S;
    match (status, decision) {
        (S::Requested, Decision::Approve) => Ok(S::Checked),
        (S::Requested | S::Checked, Decision::Reject) => Ok(S::Rejected),
        (S::Checked, Decision::Approve) if checked_by == Some(actor) => {
            Err(Conflict::SecondApproverNeeded)
        }
        (S::Checked, Decision::Approve) => Ok(S::Approved),
        (S::Approved | S::Rejected, _) => Err(Conflict::TransferAlreadyDecided),
    }
}

/// Whether a credit of `amount` waits for a second approval before it is booked: above the
/// threshold (strictly), and never when the threshold is zero (the check is off).
pub fn credit_needs_check(amount: Fen, threshold: Fen) -> bool {
    threshold.0 > 0 && amount.0 > threshold.0
}

/// Who may assign a to-be-matched credit to an enterprise: for a credit large enough to need
/// a second operator, anyone but the operator who recorded it, who could otherwise record a
/// line without an enterprise and direct it alone (issue 14, four eyes).
pub fn assign_allowed(
    amount: Fen,
    threshold: Fen,
    recorded_by: &str,
    actor: &str,
) -> Result<(), Conflict> {
    if credit_needs_check(amount, threshold) && recorded_by == actor {
        return Err(Conflict::SecondApproverNeeded);
    }
    Ok(())
}

/// The state a held credit moves to when `actor` decides: approved by someone other than the
/// one who recorded it, it is booked to its enterprise (or waits to be matched if its
/// receiving account named none); rejected, nothing is booked.
pub fn credit_next(
    status: CreditStatus,
    decision: Decision,
    recorded_by: &str,
    actor: &str,
    matched: bool,
) -> Result<CreditStatus, Conflict> {
    if status != CreditStatus::Held {
        return Err(Conflict::CreditNotHeld);
    }
    Ok(match decision {
        Decision::Reject => CreditStatus::Rejected,
        Decision::Approve if recorded_by == actor => return Err(Conflict::SecondApproverNeeded),
        Decision::Approve if matched => CreditStatus::Credited,
        Decision::Approve => CreditStatus::Unmatched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;
    use TransferStatus as S;

    /// Issue 14: the first approval only checks; the second must come from someone else.
    #[test]
    fn transfers_need_two_different_approvers() {
        assert_eq!(
            transfer_next(S::Requested, Approve, None, "a"),
            Ok(S::Checked)
        );
        assert_eq!(
            transfer_next(S::Checked, Approve, Some("a"), "a"),
            Err(Conflict::SecondApproverNeeded)
        );
        assert_eq!(
            transfer_next(S::Checked, Approve, Some("a"), "b"),
            Ok(S::Approved)
        );
        // Refusing is allowed at either step, to the first approver too.
        assert_eq!(
            transfer_next(S::Requested, Reject, None, "a"),
            Ok(S::Rejected)
        );
        assert_eq!(
            transfer_next(S::Checked, Reject, Some("a"), "a"),
            Ok(S::Rejected)
        );
        for done in [S::Approved, S::Rejected] {
            for d in [Approve, Reject] {
                assert_eq!(
                    transfer_next(done, d, Some("a"), "b"),
                    Err(Conflict::TransferAlreadyDecided)
                );
            }
        }
        assert!(S::Requested.waiting() && S::Checked.waiting());
        assert!(!S::Approved.waiting() && !S::Rejected.waiting());
    }

    /// Issue 14: credits above the threshold are held; the one who recorded one cannot approve it.
    #[test]
    fn large_credits_need_a_second_approver() {
        let limit = Fen(5_000_000);
        assert!(!credit_needs_check(Fen(5_000_000), limit));
        assert!(credit_needs_check(Fen(5_000_001), limit));
        assert!(
            !credit_needs_check(Fen(i64::MAX), Fen(0)),
            "0 turns the check off"
        );
        let held = CreditStatus::Held;
        assert_eq!(
            credit_next(held, Approve, "a", "a", true),
            Err(Conflict::SecondApproverNeeded)
        );
        assert_eq!(
            credit_next(held, Approve, "a", "b", true),
            Ok(CreditStatus::Credited)
        );
        assert_eq!(
            credit_next(held, Approve, "a", "b", false),
            Ok(CreditStatus::Unmatched)
        );
        assert_eq!(
            credit_next(held, Reject, "a", "a", true),
            Ok(CreditStatus::Rejected)
        );
        for s in [
            CreditStatus::Credited,
            CreditStatus::Unmatched,
            CreditStatus::Rejected,
        ] {
            assert_eq!(
                credit_next(s, Approve, "a", "b", true),
                Err(Conflict::CreditNotHeld)
            );
        }
    }

    /// Issue 14: a large credit is not assigned by the operator who recorded it; a small
    /// one, or a large one by someone else, is.
    #[test]
    fn large_credits_are_assigned_by_someone_other_than_their_recorder() {
        let t = Fen(5_000_000);
        assert_eq!(
            assign_allowed(Fen(6_000_000), t, "a", "a"),
            Err(Conflict::SecondApproverNeeded)
        );
        assert_eq!(assign_allowed(Fen(6_000_000), t, "a", "b"), Ok(()));
        assert_eq!(assign_allowed(Fen(100), t, "a", "a"), Ok(()));
        assert_eq!(assign_allowed(Fen(6_000_000), Fen(0), "a", "a"), Ok(()));
    }
}
