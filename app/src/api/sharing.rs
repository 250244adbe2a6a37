//! The sharing register's log for the enterprise's privacy centre (issue 19; P3.1.3): who
//! outside the platform received what; the console's register and lawful disclosures (P3.1.2).
// The forms have one argument per field (the server macro's client code too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::sharing::SharingLog;
use leptos::prelude::*;

/// The recipients and a page of the log (`recipient`: a recipient's code; `cursor`: the last
/// event of the page before). The admin sees the enterprise's and all its people's events, a
/// member their own.
#[server(prefix = "/api", endpoint = "sharing_log")]
pub async fn load_sharing_log(
    recipient: Option<String>,
    cursor: Option<String>,
) -> Result<SharingLog, AppError> {
    let c = super::access::member(None).await?;
    let admin = c.user.role == Some(crate::model::account::MemberRole::Admin);
    let own = (!admin).then_some(c.user.id.as_str());
    crate::backend::sharing::log(
        &c.state,
        c.enterprise_id()?,
        own,
        recipient.as_deref(),
        cursor.as_deref(),
    )
    .await
}

/// The console's sharing register (privacy officers): every recipient, the storage region and
/// the lawful disclosures.
#[server(prefix = "/api", endpoint = "sharing_register")]
pub async fn sharing_register() -> Result<crate::model::sharing::Register, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    crate::backend::sharing::register::register(&c.state, &c.op.id).await
}

/// Adds a recipient to the register, or changes the one with the same code (P3.1.3, P4.1:
/// the data map's fields only, the storage region only, the purpose never changes). Dates are
/// China dates (`YYYY-MM-DD`).
#[server(prefix = "/api", endpoint = "save_recipient")]
pub async fn save_recipient(
    code: String,
    name_zh: String,
    name_en: String,
    kind: String,
    purpose: String,
    fields: String,
    region: String,
    contract_ref: String,
    active_from: String,
    active_to: Option<String>,
) -> Result<String, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    let form = crate::model::sharing::RecipientForm {
        code,
        name_zh,
        name_en,
        kind,
        purpose,
        fields,
        region,
        contract_ref,
        active_from,
        active_to: active_to.unwrap_or_default(),
    };
    let id = crate::backend::sharing::register::save(&c.state, &c.actor(), &form).await?;
    leptos_axum::redirect("/ops/privacy/sharing");
    Ok(id)
}

/// Records a lawful disclosure (P3.1.2, P3.4), pending a second officer's approval. `tell`:
/// `yes` or `no` (then `tell_reason` is required); `disclosed_at`: China time
/// (`YYYY-MM-DDTHH:MM`).
#[server(prefix = "/api", endpoint = "record_disclosure")]
pub async fn record_disclosure(
    authority: String,
    ground: String,
    legal_basis: String,
    document_ref: String,
    fields: String,
    credit_code: String,
    person_mobile: Option<String>,
    disclosed_at: String,
    tell: Option<String>,
    tell_reason: Option<String>,
) -> Result<String, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    let form = crate::model::disclosure::DisclosureForm {
        authority,
        ground,
        legal_basis,
        document_ref,
        fields,
        credit_code,
        person_mobile: person_mobile.unwrap_or_default(),
        disclosed_at,
        tell: tell.unwrap_or_default(),
        tell_reason: tell_reason.unwrap_or_default(),
    };
    crate::backend::sharing::disclosures::record(&c.state, &c.actor(), &form).await
}

/// A second privacy officer approves a recorded disclosure (`approve` = true; never the one who
/// recorded it: four eyes), or any officer refuses it with a reason.
#[server(prefix = "/api", endpoint = "decide_disclosure")]
pub async fn decide_disclosure(
    id: String,
    approve: bool,
    reason: String,
) -> Result<crate::model::disclosure::DisclosureStatus, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    let (decision, reason) = crate::model::approval::Decision::parse(approve, &reason)
        .map_err(|rule| AppError::invalid("reason", rule))?;
    crate::backend::sharing::disclosures::decide(&c.state, &c.actor(), id.trim(), decision, &reason)
        .await
}

/// Every recorded transfer in a merger, an acquisition, a bankruptcy or an asset transfer
/// (P3.2), newest first.
#[server(prefix = "/api", endpoint = "successions")]
pub async fn successions() -> Result<Vec<crate::model::succession::SuccessionView>, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    crate::backend::sharing::succession::list(&c.state).await
}

/// Records a transfer (P3.2) and tells every affected login person; returns how many were
/// told. `everyone`: `on` for every enterprise, otherwise `enterprises` (credit codes).
#[server(prefix = "/api", endpoint = "record_succession")]
pub async fn record_succession(
    successor: String,
    kind: String,
    basis: String,
    effective_on: String,
    everyone: Option<String>,
    enterprises: Option<String>,
    summary_zh: String,
    summary_en: String,
) -> Result<String, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    let form = crate::model::succession::SuccessionForm {
        successor,
        kind,
        basis,
        effective_on,
        everyone: everyone.unwrap_or_default(),
        enterprises: enterprises.unwrap_or_default(),
        summary_zh,
        summary_en,
    };
    crate::backend::sharing::succession::record(&c.state, &c.actor(), &form).await
}
