//! The console's 资金 area (finance role): bank credits and statement import, the
//! to-be-matched queue, transfer approvals and the payout channel's status.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::audit::AuditResult;
use crate::model::funds::{BankCreditView, ImportSummary, SimPayoutView, TransferView};
use crate::model::statement::CreditOutcome;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
async fn finance() -> Result<super::access::OperatorCaller, AppError> {
    super::access::operator(crate::model::access::roles::FINANCE).await
}

/// One incoming bank credit. Without `confirm` nothing is recorded: the answer names the
/// owner of the receiving account, for finance to check; with `confirm` it is recorded.
#[server(prefix = "/api", endpoint = "record_credit")]
pub async fn record_credit(
    bank_ref: String,
    value_date: String,
    payer_name: String,
    payer_account: String,
    receiving_account_no: String,
    amount: String,
    bank_fee: String,
    confirm: Option<String>,
) -> Result<CreditOutcome, AppError> {
    use crate::backend::funds::credits::{self, Recorded};
    use crate::model::orders::{BankCreditForm, BankCreditInput};
    let c = finance().await?;
    let form = BankCreditForm {
        bank_ref,
        value_date,
        payer_name,
        payer_account,
        receiving_account_no,
        amount,
        bank_fee,
    };
    let input = BankCreditInput::parse(&form).map_err(AppError::Invalid)?;
    let owner = credits::owner_of(&c.state, &input.receiving_account_no).await?;
    let credited = crate::model::Fen(input.amount.0 - input.bank_fee.0);
    if confirm.as_deref() != Some("yes") {
        // A reference recorded before is said at once, not after the confirmation.
        match credits::recorded_before(&c.state, &input).await? {
            Some(true) => return Ok(CreditOutcome::AlreadyRecorded),
            Some(false) => return Err(AppError::invalid("bank_ref", crate::error::Rule::Mismatch)),
            None => {}
        }
        return Ok(CreditOutcome::Preview {
            enterprise: owner,
            amount: input.amount,
            credited,
        });
    }
    Ok(match credits::record(&c.state, &c.actor(), &input).await? {
        Recorded::Credited => CreditOutcome::Credited {
            enterprise: owner.unwrap_or_default(),
            credited,
        },
        Recorded::Unmatched => CreditOutcome::Unmatched { credited },
        Recorded::Held => CreditOutcome::Held {
            credited,
            limit: c.state.settings.credit_check_above,
        },
        Recorded::AlreadyRecorded => CreditOutcome::AlreadyRecorded,
    })
}

/// Imports a bank statement CSV (`file`): every line or none.
#[server(prefix = "/api", endpoint = "import_statement", input = MultipartFormData)]
pub async fn import_statement(data: MultipartData) -> Result<ImportSummary, AppError> {
    let c = finance().await?;
    let (_, bytes) = super::funds::read_upload(data, crate::model::orders::BATCH_MAX_BYTES).await?;
    crate::backend::funds::credits::import(&c.state, &c.actor(), &bytes)
        .await?
        .map_err(super::funds::row_errors)
}

/// Recent bank credits, or only those waiting to be matched.
#[server(prefix = "/api", endpoint = "list_credits")]
pub async fn list_credits(unmatched_only: bool) -> Result<Vec<BankCreditView>, AppError> {
    let c = finance().await?;
    use crate::model::funds::CreditStatus;
    let status = unmatched_only.then_some(CreditStatus::Unmatched);
    crate::backend::funds::credits::list(&c.state, status).await
}

/// Credits above the threshold waiting for a second finance operator (issue 14).
#[server(prefix = "/api", endpoint = "list_held_credits")]
pub async fn list_held_credits() -> Result<Vec<BankCreditView>, AppError> {
    let c = finance().await?;
    let held = Some(crate::model::funds::CreditStatus::Held);
    crate::backend::funds::credits::list(&c.state, held).await
}

/// Approves (`approve` = true; not by the operator who recorded it) or rejects (with a
/// reason) a held credit (issue 14, four eyes).
#[server(prefix = "/api", endpoint = "decide_credit")]
pub async fn decide_credit(
    id: String,
    approve: bool,
    reason: String,
) -> Result<crate::model::funds::CreditStatus, AppError> {
    let c = finance().await?;
    crate::backend::funds::credits::decide(&c.state, &c.actor(), &id, approve, &reason).await
}

/// Assigns a to-be-matched credit to the enterprise with this receiving account number or
/// credit code.
#[server(prefix = "/api", endpoint = "assign_credit")]
pub async fn assign_credit(id: String, enterprise: String) -> Result<(), AppError> {
    let c = finance().await?;
    crate::backend::funds::credits::assign(&c.state, &c.actor(), &id, &enterprise).await
}

/// Transfer requests (only those waiting, when asked).
#[server(prefix = "/api", endpoint = "list_transfer_requests")]
pub async fn list_transfer_requests(waiting_only: bool) -> Result<Vec<TransferView>, AppError> {
    let c = finance().await?;
    crate::backend::funds::transfers::list(&c.state, None, waiting_only).await
}

/// Approves (`approve` = true) or rejects (with a reason) a transfer request. Two different
/// finance operators approve: the first approval checks it, the second sends it (issue 14).
#[server(prefix = "/api", endpoint = "decide_transfer")]
pub async fn decide_transfer(
    id: String,
    approve: bool,
    reason: String,
) -> Result<TransferView, AppError> {
    let c = finance().await?;
    crate::backend::funds::transfers::decide(&c.state, &c.actor(), &id, approve, &reason).await
}

/// The payout channel: the simulator's recent payouts.
#[server(prefix = "/api", endpoint = "payout_status")]
pub async fn payout_status() -> Result<Vec<SimPayoutView>, AppError> {
    let c = finance().await?;
    match &c.state.simulator {
        Some(sim) => sim.recent(100).await.map_err(AppError::internal),
        None => Ok(Vec::new()),
    }
}

/// Tells the simulator to send a paid payout back (development and tests).
#[server(prefix = "/api", endpoint = "simulate_return")]
pub async fn simulate_return(key: String) -> Result<(), AppError> {
    let c = finance().await?;
    let sim = c.state.simulator.as_ref().ok_or(AppError::NotFound)?;
    if !sim.return_payout(&key).await? {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::PayoutNotPaid,
        ));
    }
    crate::backend::audit::record(
        &c.state.db,
        &crate::backend::audit::Event {
            actor: &c.actor(),
            enterprise_id: None,
            action: "payout.simulate_return",
            target: &format!("order:{key}"),
            result: AuditResult::Ok,
            detail: "",
        },
        c.state.clock.now(),
    )
    .await?;
    Ok(())
}

/// Checks a receipt's platform reference and verification code (finance; audited).
#[server(prefix = "/api", endpoint = "verify_receipt")]
pub async fn verify_receipt(
    reference: String,
    code: String,
) -> Result<crate::model::receipt::ReceiptCheck, AppError> {
    let c = finance().await?;
    crate::backend::funds::receipts::verify(&c.state, &reference, &code, &c.actor()).await
}
