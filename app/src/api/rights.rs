//! Rights requests (issue 16 §2; P6.2, P6.3, P6.5, P10.2): the requester's functions (any
//! logged-in login person — one who declined a new policy version too, as the rights do not
//! depend on accepting it) and the privacy officers' (the console's queue).

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::rights::{CorrectionRecord, MyRequests, RequestDetail, RequestSummary};
use leptos::server;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::model::access::roles::PRIVACY_OFFICERS;

/// The caller's requests, a fresh form key, and what they may ask for.
#[server(prefix = "/api", endpoint = "my_privacy_requests")]
pub async fn my_privacy_requests() -> Result<MyRequests, AppError> {
    let caller = super::access::user().await?;
    crate::backend::rights::mine(&caller.state, &caller.user).await
}

/// Submits a request after the password; a code goes to the registered `channel` (`mobile` or
/// `email`). Answers with the request's id and shows its page, where the code is entered.
#[server(prefix = "/api", endpoint = "submit_privacy_request")]
pub async fn submit_privacy_request(
    key: String,
    kind: String,
    scope: Option<String>,
    ground: Option<String>,
    details: Option<String>,
    channel: Option<String>,
    password: String,
    new_name: Option<String>,
    new_enterprise_name: Option<String>,
    new_registered_address: Option<String>,
    new_business_scope: Option<String>,
) -> Result<String, AppError> {
    use crate::model::rights::CorrectionField as F;
    let caller = super::access::user().await?;
    let form = crate::model::rights::RequestForm {
        kind,
        scope: scope.unwrap_or_default(),
        ground: ground.unwrap_or_default(),
        details: details.unwrap_or_default(),
        channel: channel.unwrap_or_default(),
        corrections: vec![
            (F::PersonName, new_name.unwrap_or_default()),
            (F::EnterpriseName, new_enterprise_name.unwrap_or_default()),
            (
                F::RegisteredAddress,
                new_registered_address.unwrap_or_default(),
            ),
            (F::BusinessScope, new_business_scope.unwrap_or_default()),
        ],
    };
    let id = crate::backend::rights::submit(
        &caller.state,
        &caller.user,
        &caller.meta,
        &caller.actor(),
        &key,
        &form,
        &password,
    )
    .await?;
    leptos_axum::redirect(&format!("/portal/privacy/requests/{id}"));
    Ok(id)
}

/// One of the caller's requests with its steps.
#[server(prefix = "/api", endpoint = "my_privacy_request")]
pub async fn my_privacy_request(id: String) -> Result<RequestDetail, AppError> {
    let caller = super::access::user().await?;
    crate::backend::rights::mine_one(&caller.state, &caller.user, id.trim()).await
}

/// Enters the code that verifies the caller's request.
#[server(prefix = "/api", endpoint = "verify_privacy_request")]
pub async fn verify_privacy_request(id: String, code: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    let actor = caller.actor();
    crate::backend::rights::verify(&caller.state, &caller.user, &actor, id.trim(), &code).await
}

/// Sends a new code for the caller's unverified request.
#[server(prefix = "/api", endpoint = "resend_privacy_code")]
pub async fn resend_privacy_code(id: String, channel: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    let actor = caller.actor();
    crate::backend::rights::resend(&caller.state, &caller.user, &actor, id.trim(), &channel).await
}

/// The caller withdraws their open request.
#[server(prefix = "/api", endpoint = "withdraw_privacy_request")]
pub async fn withdraw_privacy_request(id: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    let actor = caller.actor();
    crate::backend::rights::withdraw(&caller.state, &caller.user, &actor, id.trim()).await
}

/// The requester uploads the new business licence for their correction of the enterprise's
/// name or address: a multipart form with `request` (the request's id) and then `file`.
#[server(prefix = "/api", endpoint = "upload_correction_licence", input = MultipartFormData)]
pub async fn upload_correction_licence(data: MultipartData) -> Result<String, AppError> {
    let caller = super::access::user().await?;
    let max = crate::model::application::MAX_UPLOAD_BYTES;
    let (texts, name, bytes) = super::funds::read_upload_with(data, max).await?;
    let request = texts
        .iter()
        .find(|(k, _)| k == "request")
        .map(|(_, v)| v.trim().to_string())
        .ok_or(AppError::NotFound)?;
    crate::backend::rights::correction::attach_licence(
        &caller.state,
        &caller.user,
        &caller.actor(),
        &request,
        &name,
        bytes,
    )
    .await
}

/// The enterprise's applied corrections, before and after (P6.2), for its members.
#[server(prefix = "/api", endpoint = "business_corrections")]
pub async fn business_corrections() -> Result<Vec<CorrectionRecord>, AppError> {
    let caller = super::access::member(None).await?;
    crate::backend::rights::correction::history(&caller.state, caller.enterprise_id()?).await
}

/// The console's queue: `open` (default: verified, not answered, soonest due first),
/// `unverified`, `closed` or `all`.
#[server(prefix = "/api", endpoint = "privacy_request_queue")]
pub async fn privacy_request_queue(
    filter: Option<String>,
) -> Result<Vec<RequestSummary>, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::rights::queue(&caller.state, filter.as_deref().unwrap_or("")).await
}

/// One request as the officer sees it (audited).
#[server(prefix = "/api", endpoint = "privacy_request")]
pub async fn privacy_request(id: String) -> Result<RequestDetail, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::rights::for_officer(&caller.state, &caller.actor(), id.trim()).await
}

/// The officer starts handling a verified request.
#[server(prefix = "/api", endpoint = "start_privacy_request")]
pub async fn start_privacy_request(id: String) -> Result<(), AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::rights::start(&caller.state, &caller.actor(), id.trim()).await
}

/// The officer completes a request with an answer to the requester.
#[server(prefix = "/api", endpoint = "complete_privacy_request")]
pub async fn complete_privacy_request(id: String, answer: String) -> Result<(), AppError> {
    use crate::backend::rights::{answer as answer_request, Outcome};
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let actor = caller.actor();
    answer_request(
        &caller.state,
        &actor,
        id.trim(),
        Outcome::Completed,
        &answer,
    )
    .await
}

/// The officer refuses a request with one of the policy's reasons and an explanation.
#[server(prefix = "/api", endpoint = "refuse_privacy_request")]
pub async fn refuse_privacy_request(
    id: String,
    reason: String,
    answer: String,
) -> Result<(), AppError> {
    use crate::backend::rights::{answer as answer_request, Outcome};
    use crate::error::Rule;
    use crate::model::rights::RefusalReason;
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let reason = RefusalReason::from_code(reason.trim())
        .ok_or_else(|| AppError::invalid("reason", Rule::Required))?;
    let actor = caller.actor();
    answer_request(
        &caller.state,
        &actor,
        id.trim(),
        Outcome::Refused(reason),
        &answer,
    )
    .await
}

/// The officer marks a request for a cost fee, with the reason (P6.5).
#[server(prefix = "/api", endpoint = "mark_privacy_fee")]
pub async fn mark_privacy_fee(id: String, fee_reason: String) -> Result<(), AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let actor = caller.actor();
    crate::backend::rights::mark_fee(&caller.state, &actor, id.trim(), &fee_reason).await
}
