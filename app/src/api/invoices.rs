//! VAT invoices (issue 17, P1.1.4): the enterprise's profile, applications and statistics (the
//! admin and members with the finance permission), finance's queue and steps in the console,
//! and the reviewers' decision on a legacy taxpayer ID.

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::invoice::{
    InvoiceStats, InvoiceView, InvoicesPage, PendingTaxpayerId, ProfilePage,
};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
async fn finance_member() -> Result<super::access::UserCaller, AppError> {
    super::access::member(Some(crate::model::account::Permission::Finance)).await
}

#[cfg(feature = "ssr")]
async fn finance() -> Result<super::access::OperatorCaller, AppError> {
    super::access::operator(crate::model::access::roles::FINANCE).await
}

/// The enterprise's invoice profile and its history.
#[server(prefix = "/api", endpoint = "invoice_profile")]
pub async fn load_invoice_profile() -> Result<ProfilePage, AppError> {
    let c = finance_member().await?;
    crate::backend::invoices::profile::page(&c.state, c.enterprise_id()?).await
}

/// Saves the invoice profile (every version is kept).
#[server(prefix = "/api", endpoint = "save_invoice_profile")]
pub async fn save_invoice_profile(
    taxpayer_type: String,
    title: String,
    taxpayer_id: String,
    reg_address: String,
    reg_phone: String,
    bank_name: String,
    bank_account: String,
    mail_name: String,
    mail_phone: String,
    mail_address: String,
    emails: String,
) -> Result<ProfilePage, AppError> {
    use crate::model::invoice::{ProfileForm, ProfileInput};
    let c = finance_member().await?;
    let input = ProfileInput::parse(&ProfileForm {
        taxpayer_type,
        title,
        taxpayer_id,
        reg_address,
        reg_phone,
        bank_name,
        bank_account,
        mail_name,
        mail_phone,
        mail_address,
        emails,
    })
    .map_err(AppError::Invalid)?;
    crate::backend::invoices::profile::save(&c.state, c.enterprise_id()?, &c.actor(), &input).await
}

/// The invoices page: the standing, whether the enterprise may apply, its applications.
#[server(prefix = "/api", endpoint = "invoices_page")]
pub async fn load_invoices_page() -> Result<InvoicesPage, AppError> {
    let c = finance_member().await?;
    crate::backend::invoices::applications::page(&c.state, c.enterprise_id()?).await
}

/// Applies for invoices (idempotent by `key`; split over the per-invoice limit).
#[server(prefix = "/api", endpoint = "apply_invoice")]
pub async fn apply_invoice(
    amount: String,
    kind: String,
    medium: String,
    goods: String,
    remark: String,
    emails: String,
    key: String,
) -> Result<Vec<InvoiceView>, AppError> {
    use crate::model::invoice::{ApplyForm, ApplyInput};
    let c = finance_member().await?;
    let form = ApplyForm {
        amount,
        kind,
        medium,
        goods,
        remark,
        emails,
        key,
    };
    let input =
        ApplyInput::parse(&form, &c.state.settings.invoice_goods).map_err(AppError::Invalid)?;
    crate::backend::invoices::applications::apply(
        &c.state,
        c.enterprise_id()?,
        &c.actor(),
        &input,
        &form.key,
    )
    .await
}

/// Cancels an application that has not been taken up yet.
#[server(prefix = "/api", endpoint = "cancel_invoice")]
pub async fn cancel_invoice(id: String) -> Result<InvoiceView, AppError> {
    let c = finance_member().await?;
    crate::backend::invoices::applications::cancel(&c.state, c.enterprise_id()?, &c.actor(), &id)
        .await
}

/// The statistics: the standing and the last 12 months.
#[server(prefix = "/api", endpoint = "invoice_stats")]
pub async fn load_invoice_stats() -> Result<InvoiceStats, AppError> {
    let c = finance_member().await?;
    crate::backend::invoices::applications::stats(&c.state, c.enterprise_id()?, 12).await
}

/// Finance's queue (`status` empty: waiting; `kind`, `medium` filter).
#[server(prefix = "/api", endpoint = "invoice_queue")]
pub async fn load_invoice_queue(
    status: String,
    kind: String,
    medium: String,
) -> Result<Vec<InvoiceView>, AppError> {
    let c = finance().await?;
    let status = match status.trim() {
        "" => None,
        s => Some(
            crate::model::invoice::InvoiceStatus::from_code(s)
                .ok_or_else(|| AppError::invalid("status", crate::error::Rule::Format))?,
        ),
    };
    crate::backend::invoices::issuing::queue(&c.state, &c.actor(), status, &kind, &medium).await
}

/// Finance takes an application up.
#[server(prefix = "/api", endpoint = "start_invoice")]
pub async fn start_invoice(id: String) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    crate::backend::invoices::issuing::start(&c.state, &c.actor(), &id).await
}

/// Issues an invoice: `id`, `number`, `date`, `rate` and the `file` (PDF, OFD or XML).
#[server(prefix = "/api", endpoint = "issue_invoice", input = MultipartFormData)]
pub async fn issue_invoice(data: MultipartData) -> Result<InvoiceView, AppError> {
    use crate::model::invoice::{IssueForm, MAX_INVOICE_FILE_BYTES};
    let c = finance().await?;
    let (texts, _name, bytes) =
        super::funds::read_upload_with(data, MAX_INVOICE_FILE_BYTES).await?;
    let field = |n: &str| {
        texts
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = IssueForm {
        id: field("id"),
        number: field("number"),
        date: field("date"),
        rate: field("rate"),
    };
    crate::backend::invoices::issuing::issue(&c.state, &c.actor(), &form, bytes).await
}

/// Rejects an application with a reason.
#[server(prefix = "/api", endpoint = "reject_invoice")]
pub async fn reject_invoice(id: String, reason: String) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    crate::backend::invoices::issuing::reject(&c.state, &c.actor(), &id, &reason).await
}

/// Records that a paper invoice was mailed.
#[server(prefix = "/api", endpoint = "mail_invoice")]
pub async fn mail_invoice(
    id: String,
    courier: String,
    waybill: String,
) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    crate::backend::invoices::issuing::mail(&c.state, &c.actor(), &id, &courier, &waybill).await
}

/// Records a red-letter invoice voiding an issued one (the maker).
#[server(prefix = "/api", endpoint = "record_red_invoice")]
pub async fn record_red_invoice(
    id: String,
    number: String,
    date: String,
    reason: String,
) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    crate::backend::invoices::red::record_red(&c.state, &c.actor(), &id, &number, &date, &reason)
        .await
}

/// Approves a recorded red-letter invoice (the checker: not its maker, nor the blue invoice's
/// issuer); `red_number` is the one the page showed.
#[server(prefix = "/api", endpoint = "approve_red_invoice")]
pub async fn approve_red_invoice(
    id: String,
    red_number: Option<String>,
) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    let shown = red_number.as_deref();
    crate::backend::invoices::red::approve_red(&c.state, &c.actor(), &id, shown).await
}

/// Withdraws a recorded red letter not yet approved (typed wrong), with a reason.
#[server(prefix = "/api", endpoint = "withdraw_red_invoice")]
pub async fn withdraw_red_invoice(id: String, reason: String) -> Result<InvoiceView, AppError> {
    let c = finance().await?;
    crate::backend::invoices::red::withdraw_red(&c.state, &c.actor(), &id, &reason).await
}

/// Legacy taxpayer IDs waiting for a reviewer.
#[server(prefix = "/api", endpoint = "pending_taxpayer_ids")]
pub async fn load_pending_taxpayer_ids() -> Result<Vec<PendingTaxpayerId>, AppError> {
    let c = super::access::operator(crate::model::access::roles::REVIEWERS).await?;
    crate::backend::invoices::profile::pending(&c.state).await
}

/// A reviewer accepts (`accept`) or refuses a legacy taxpayer ID, with a reason.
#[server(prefix = "/api", endpoint = "decide_taxpayer_id")]
pub async fn decide_taxpayer_id(
    enterprise_id: String,
    taxpayer_id: String,
    accept: bool,
    reason: String,
) -> Result<(), AppError> {
    let c = super::access::operator(crate::model::access::roles::REVIEWERS).await?;
    crate::backend::invoices::profile::decide_taxpayer_id(
        &c.state,
        &c.actor(),
        &enterprise_id,
        &taxpayer_id,
        accept,
        &reason,
    )
    .await
}
