//! 资金管理 for the enterprise (P1.1.5, P6.1): balances, top-ups, payment orders and batches,
//! transfers, fund flow and bills. Orders, batches, flow and bills need the funds permission;
//! transfers and the withdrawal account are the admin's.

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::funds::{
    BatchView, Bill, FlowPage, FundsOverview, OrderOutcome, OrderPage, OrderSecrets, OrderView,
    TopupView, TransferView, TransfersPage,
};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
async fn funds_member() -> Result<super::access::UserCaller, AppError> {
    super::access::member(Some(crate::model::account::Permission::Funds)).await
}

/// Balances, this month's spend, the receiving account and the 90-day chart.
#[server(prefix = "/api", endpoint = "funds_overview")]
pub async fn load_funds_overview() -> Result<FundsOverview, AppError> {
    let c = funds_member().await?;
    crate::backend::funds::overview(&c.state, c.enterprise_id()?).await
}

/// The enterprise's top-ups.
#[server(prefix = "/api", endpoint = "list_topups")]
pub async fn list_topups() -> Result<Vec<TopupView>, AppError> {
    let c = funds_member().await?;
    crate::backend::funds::topups(&c.state, c.enterprise_id()?).await
}

/// Creates one payment order. The same `order_id` with the same details returns the
/// original order; with other details it is a conflict.
#[server(prefix = "/api", endpoint = "create_order")]
pub async fn create_order(
    order_id: String,
    payee_name: String,
    id_number: String,
    channel: String,
    account: String,
    mobile: String,
    amount: String,
    remark: String,
    project: String,
) -> Result<OrderOutcome, AppError> {
    use crate::model::orders::{OrderForm, OrderInput};
    let c = funds_member().await?;
    let eid = c.enterprise_id()?;
    let form = OrderForm {
        order_id,
        payee_name,
        id_number,
        channel,
        account,
        mobile,
        amount,
        remark,
        project,
    };
    let input = OrderInput::parse(&form).map_err(AppError::Invalid)?;
    crate::backend::orders::create(&c.state, eid, &c.actor(), &input).await
}

/// The enterprise's orders, newest first (`status` and `batch` filter; `cursor` pages).
#[server(prefix = "/api", endpoint = "list_orders")]
pub async fn list_orders(
    status: String,
    batch: String,
    cursor: String,
) -> Result<OrderPage, AppError> {
    let c = funds_member().await?;
    let status = match status.trim() {
        "" => None,
        s => Some(
            crate::model::funds::OrderStatus::from_code(s)
                .ok_or_else(|| AppError::invalid("status", crate::error::Rule::Format))?,
        ),
    };
    let batch = Some(batch.trim()).filter(|b| !b.is_empty());
    let cursor = Some(cursor.trim()).filter(|b| !b.is_empty());
    crate::backend::orders::list(&c.state, c.enterprise_id()?, status, batch, cursor).await
}

/// One order (numbers masked).
#[server(prefix = "/api", endpoint = "get_order")]
pub async fn get_order(id: String) -> Result<OrderView, AppError> {
    let c = funds_member().await?;
    crate::backend::orders::get(&c.state, c.enterprise_id()?, &id).await
}

/// The receipt of a paid order: payer, issuer, masked payee, amounts, references and its
/// verification code.
#[server(prefix = "/api", endpoint = "get_receipt")]
pub async fn get_receipt(id: String) -> Result<crate::model::receipt::Receipt, AppError> {
    let c = funds_member().await?;
    crate::backend::funds::receipts::receipt(&c.state, c.enterprise_id()?, &id).await
}

/// The full numbers of one order; every look is audited.
#[server(prefix = "/api", endpoint = "reveal_order")]
pub async fn reveal_order(id: String) -> Result<OrderSecrets, AppError> {
    let c = funds_member().await?;
    crate::backend::orders::reveal(&c.state, c.enterprise_id()?, &id, &c.actor()).await
}

#[server(prefix = "/api", endpoint = "cancel_order")]
pub async fn cancel_order(id: String) -> Result<OrderView, AppError> {
    let c = funds_member().await?;
    crate::backend::orders::cancel(&c.state, c.enterprise_id()?, &id, &c.actor()).await
}

#[server(prefix = "/api", endpoint = "retry_order")]
pub async fn retry_order(id: String) -> Result<OrderView, AppError> {
    let c = funds_member().await?;
    crate::backend::orders::retry(&c.state, c.enterprise_id()?, &id, &c.actor()).await
}

/// Reads the `file` field of an upload, refusing more than `max` bytes with a clear error.
/// A file that is too large is still read to its end (and dropped), so that the browser gets
/// the answer instead of a connection broken in the middle of its upload.
#[cfg(feature = "ssr")]
pub(crate) async fn read_upload(
    data: MultipartData,
    max: usize,
) -> Result<(String, Vec<u8>), AppError> {
    read_upload_with(data, max)
        .await
        .map(|(_, name, bytes)| (name, bytes))
}

/// [`read_upload`], with the text fields sent before the file (`(name, value)`).
#[cfg(feature = "ssr")]
pub(crate) async fn read_upload_with(
    data: MultipartData,
    max: usize,
) -> Result<(Vec<(String, String)>, String, Vec<u8>), AppError> {
    use crate::error::Rule;
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("multipart".into()))?;
    let mut texts = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        if field.name() != Some("file") {
            if texts.len() < 8 {
                let name = field.name().unwrap_or("").to_string();
                let text = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?;
                texts.push((name, text.chars().take(200).collect()));
            }
            continue;
        }
        let name = field.file_name().unwrap_or("upload.csv").to_string();
        let mut bytes = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?
        {
            if too_large || bytes.len() + chunk.len() > max {
                too_large = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if too_large {
            return Err(AppError::invalid(
                "file",
                Rule::FileTooLarge {
                    max_mb: (max >> 20) as u32,
                },
            ));
        }
        return Ok((texts, name, bytes));
    }
    Err(AppError::invalid("file", Rule::Required))
}

/// Row errors as field errors named `L<line>:<field>` (at most 200 of them), so the form
/// shows each with its line, with or without JavaScript.
#[cfg(feature = "ssr")]
pub(crate) fn row_errors(errors: Vec<crate::model::orders::RowError>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .take(200)
            .map(|e| crate::error::FieldError::new(format!("L{}:{}", e.line, e.field), e.rule))
            .collect(),
    )
}

/// Uploads a batch CSV (`file`). All rows are created awaiting confirmation, or none.
#[server(prefix = "/api", endpoint = "upload_batch", input = MultipartFormData)]
pub async fn upload_batch(data: MultipartData) -> Result<BatchView, AppError> {
    use crate::backend::orders::batches::{self, Upload};
    let c = funds_member().await?;
    let (name, bytes) = read_upload(data, crate::model::orders::BATCH_MAX_BYTES).await?;
    match batches::upload(&c.state, c.enterprise_id()?, &c.actor(), &name, &bytes).await? {
        Upload::Created(batch) => Ok(batch),
        Upload::Rejected(errors) => Err(row_errors(errors)),
    }
}

#[server(prefix = "/api", endpoint = "list_batches")]
pub async fn list_batches() -> Result<Vec<BatchView>, AppError> {
    let c = funds_member().await?;
    crate::backend::orders::batches::list(&c.state, c.enterprise_id()?).await
}

/// Confirms (`confirm` = true) or cancels a batch awaiting confirmation.
#[server(prefix = "/api", endpoint = "decide_batch")]
pub async fn decide_batch(id: String, confirm: bool) -> Result<BatchView, AppError> {
    use crate::backend::orders::batches;
    let c = funds_member().await?;
    let eid = c.enterprise_id()?;
    if confirm {
        batches::confirm(&c.state, eid, &id, &c.actor()).await
    } else {
        batches::cancel(&c.state, eid, &id, &c.actor()).await
    }
}

/// Transfers, the withdrawal account and a fresh form key. Admin.
#[server(prefix = "/api", endpoint = "transfers_page")]
pub async fn load_transfers_page() -> Result<TransfersPage, AppError> {
    let c = super::access::admin().await?;
    crate::backend::funds::transfers::page(&c.state, c.enterprise_id()?).await
}

/// Sets the enterprise's own bank account for transfers. Admin, with their password; the
/// other admins are told.
#[server(prefix = "/api", endpoint = "set_withdrawal_account")]
pub async fn set_withdrawal_account(
    account_name: String,
    bank_name: String,
    account_no: String,
    password: String,
) -> Result<(), AppError> {
    let c = super::access::admin().await?;
    // Money leaves to this account: the admin's password again (issue 14).
    crate::backend::accounts::confirm_password(&c.state, &c.user, &password, "password", &c.meta)
        .await?;
    crate::backend::funds::transfers::set_account(
        &c.state,
        c.enterprise_id()?,
        &c.actor(),
        &account_name,
        &bank_name,
        &account_no,
    )
    .await
}

/// Asks for a transfer of part of the available balance. Admin.
#[server(prefix = "/api", endpoint = "request_transfer")]
pub async fn request_transfer(amount: String, key: String) -> Result<TransferView, AppError> {
    let c = super::access::admin().await?;
    crate::backend::funds::transfers::request(
        &c.state,
        c.enterprise_id()?,
        &c.actor(),
        &amount,
        &key,
    )
    .await
}

/// The fund flow: China-time dates `from`/`to` (inclusive), a category, a cursor.
#[server(prefix = "/api", endpoint = "fund_flow")]
pub async fn fund_flow(
    from: String,
    to: String,
    category: String,
    cursor: String,
) -> Result<FlowPage, AppError> {
    let c = funds_member().await?;
    let filter = crate::backend::funds::FlowFilter::parse(&from, &to, &category)?;
    let cursor = match cursor.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("cursor", crate::error::Rule::Format))?,
        ),
    };
    crate::backend::funds::flow(&c.state, c.enterprise_id()?, &filter, cursor).await
}

/// The months that have a bill, newest first.
#[server(prefix = "/api", endpoint = "bill_months")]
pub async fn bill_months() -> Result<Vec<String>, AppError> {
    let c = funds_member().await?;
    crate::backend::funds::bill_months(&c.state, c.enterprise_id()?).await
}

/// The bill of a month (`2026-11`).
#[server(prefix = "/api", endpoint = "get_bill")]
pub async fn get_bill(month: String) -> Result<Bill, AppError> {
    let c = funds_member().await?;
    crate::backend::funds::bill(&c.state, c.enterprise_id()?, &month).await
}
