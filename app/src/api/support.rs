//! Customer service (issue 18 §3, P1.1.7): the portal's tickets (any login person of an open
//! business account: their own tickets; the admin: the enterprise's) and the console's queue
//! (support operators).

use crate::error::AppError;
use crate::model::support::{AccountPanel, SupportHome, SupportQueue, TicketPage};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::backend::support::{self, Party};
#[cfg(feature = "ssr")]
use crate::model::access::roles::SUPPORT;

#[cfg(feature = "ssr")]
fn op_party(c: &super::access::OperatorCaller) -> Party<'_> {
    Party::Operator {
        id: &c.op.id,
        name: &c.op.display_name,
    }
}

/// The caller's tickets, a fresh form key and how long conversations are kept.
#[server(prefix = "/api", endpoint = "support_home")]
pub async fn load_support_home() -> Result<SupportHome, AppError> {
    let c = super::access::member(None).await?;
    support::home(&c.state, &c.user).await
}

/// One of the caller's tickets with its thread.
#[server(prefix = "/api", endpoint = "support_ticket")]
pub async fn load_support_ticket(id: String) -> Result<TicketPage, AppError> {
    let c = super::access::member(None).await?;
    support::page(&c.state, Party::Customer(&c.user), id.trim()).await
}

/// Opens a ticket with its first message; its id (`key` makes a repeat harmless).
#[server(prefix = "/api", endpoint = "open_ticket")]
pub async fn open_ticket(
    key: String,
    category: String,
    subject: String,
    body: String,
) -> Result<String, AppError> {
    use crate::model::support::{TicketForm, TicketInput};
    let c = super::access::member(None).await?;
    let form = TicketForm {
        category,
        subject,
        body,
    };
    let input = TicketInput::parse(&form).map_err(AppError::Invalid)?;
    support::open(&c.state, &c.actor(), &c.user, &key, &input).await
}

/// The customer replies in the thread.
#[server(prefix = "/api", endpoint = "reply_ticket")]
pub async fn reply_ticket(id: String, body: String) -> Result<(), AppError> {
    let c = super::access::member(None).await?;
    let party = Party::Customer(&c.user);
    support::post(&c.state, &c.actor(), party, id.trim(), &body, None).await
}

/// Reads a multipart upload for a ticket: its id (`ticket`) and the checked, stripped, sealed
/// file (only once `party` may add it to that ticket).
#[cfg(feature = "ssr")]
async fn ticket_upload(
    state: &crate::backend::AppState,
    party: Party<'_>,
    data: MultipartData,
) -> Result<(String, support::Attachment), AppError> {
    let max = crate::model::application::MAX_UPLOAD_BYTES;
    let (texts, name, bytes) = super::funds::read_upload_with(data, max).await?;
    let ticket = texts
        .iter()
        .find(|(k, _)| k == "ticket")
        .map(|(_, v)| v.trim().to_string())
        .ok_or(AppError::NotFound)?;
    support::may_attach(state, party, &ticket).await?;
    let sealed = crate::backend::applications::seal_checked(state, |_| true, bytes).await?;
    let name = crate::backend::applications::clean_name(&name);
    Ok((ticket, support::Attachment { sealed, name }))
}

/// The customer attaches a file (JPEG, PNG or PDF; checked by content and stripped): a
/// multipart form with `ticket` and then `file`.
#[server(prefix = "/api", endpoint = "attach_ticket_file", input = MultipartFormData)]
pub async fn attach_ticket_file(data: MultipartData) -> Result<(), AppError> {
    let c = super::access::member(None).await?;
    let party = Party::Customer(&c.user);
    let (ticket, file) = ticket_upload(&c.state, party, data).await?;
    support::post(&c.state, &c.actor(), party, &ticket, "", Some(file)).await
}

/// The customer closes the ticket.
#[server(prefix = "/api", endpoint = "close_ticket")]
pub async fn close_ticket(id: String) -> Result<(), AppError> {
    let c = super::access::member(None).await?;
    support::close(&c.state, &c.actor(), Party::Customer(&c.user), id.trim()).await
}

/// The person who opened a closed ticket rates the service (1–5) with an optional note.
#[server(prefix = "/api", endpoint = "rate_ticket")]
pub async fn rate_ticket(id: String, rating: String, note: String) -> Result<(), AppError> {
    let c = super::access::member(None).await?;
    let rating =
        crate::model::support::parse_rating(&rating).map_err(|r| AppError::invalid("rating", r))?;
    support::rate(&c.state, &c.actor(), &c.user, id.trim(), rating, &note).await
}

/// The person who opened the ticket gives the verification support asked for: the texted
/// `code`, or (no code) the portal's confirmation.
#[server(prefix = "/api", endpoint = "confirm_ticket_identity")]
pub async fn confirm_ticket_identity(id: String, code: Option<String>) -> Result<(), AppError> {
    use crate::backend::support::verify::{self, Proof};
    let c = super::access::member(None).await?;
    let code = code.unwrap_or_default();
    let proof = if code.trim().is_empty() {
        Proof::Portal
    } else {
        Proof::Code(&code)
    };
    verify::confirm(&c.state, &c.actor(), &c.user, id.trim(), proof).await
}

/// The console's queue: tickets of `status` (default: not closed), or only the overdue ones
/// (`overdue` = `on`); overdue first.
#[server(prefix = "/api", endpoint = "support_queue")]
pub async fn load_support_queue(
    status: String,
    overdue: Option<String>,
) -> Result<SupportQueue, AppError> {
    use crate::model::support::TicketStatus;
    let c = super::access::operator(SUPPORT).await?;
    let status = match status.trim() {
        "" => None,
        s => Some(
            TicketStatus::from_code(s)
                .ok_or_else(|| AppError::invalid("status", crate::error::Rule::Format))?,
        ),
    };
    support::queue(&c.state, status, overdue.as_deref() == Some("on")).await
}

/// A ticket as support sees it.
#[server(prefix = "/api", endpoint = "ops_ticket")]
pub async fn load_ops_ticket(id: String) -> Result<TicketPage, AppError> {
    let c = super::access::operator(SUPPORT).await?;
    support::page(&c.state, op_party(&c), id.trim()).await
}

/// Support replies (the customer is told through the messages capability).
#[server(prefix = "/api", endpoint = "ops_reply_ticket")]
pub async fn ops_reply_ticket(id: String, body: String) -> Result<(), AppError> {
    let c = super::access::operator(SUPPORT).await?;
    support::post(&c.state, &c.actor(), op_party(&c), id.trim(), &body, None).await
}

/// Support attaches a file: a multipart form with `ticket` and then `file`.
#[server(prefix = "/api", endpoint = "ops_attach_ticket_file", input = MultipartFormData)]
pub async fn ops_attach_ticket_file(data: MultipartData) -> Result<(), AppError> {
    let c = super::access::operator(SUPPORT).await?;
    let (ticket, file) = ticket_upload(&c.state, op_party(&c), data).await?;
    support::post(&c.state, &c.actor(), op_party(&c), &ticket, "", Some(file)).await
}

/// Support marks the ticket resolved.
#[server(prefix = "/api", endpoint = "resolve_ticket")]
pub async fn resolve_ticket(id: String) -> Result<(), AppError> {
    let c = super::access::operator(SUPPORT).await?;
    support::resolve(&c.state, &c.actor(), id.trim()).await
}

/// Support closes the ticket.
#[server(prefix = "/api", endpoint = "ops_close_ticket")]
pub async fn ops_close_ticket(id: String) -> Result<(), AppError> {
    let c = super::access::operator(SUPPORT).await?;
    support::close(&c.state, &c.actor(), op_party(&c), id.trim()).await
}

/// Support asks the customer to verify their identity (`method`: `sms_code` or `portal`).
#[server(prefix = "/api", endpoint = "request_ticket_verification")]
pub async fn request_ticket_verification(id: String, method: String) -> Result<(), AppError> {
    use crate::model::support::VerifyMethod;
    let c = super::access::operator(SUPPORT).await?;
    let method = VerifyMethod::from_code(method.trim())
        .ok_or_else(|| AppError::invalid("method", crate::error::Rule::Required))?;
    support::verify::request(&c.state, &c.actor(), id.trim(), method).await
}

/// The enterprise's account details from a ticket: refused until the customer is verified;
/// every look audited with the ticket's id.
#[server(prefix = "/api", endpoint = "ticket_account_panel")]
pub async fn load_ticket_account_panel(id: String) -> Result<AccountPanel, AppError> {
    let c = super::access::operator(SUPPORT).await?;
    support::verify::panel(&c.state, &c.actor(), id.trim()).await
}
