//! Signing the worker service agreement (issue 18 §2, P6.1): the enterprise invites a worker
//! and releases one, and sees each worker's signing history; the worker, holding only the
//! link's token, reads the agreement on their phone, asks for a code and signs with it. The
//! privacy officer publishes new versions of the agreement, which texts the workers who signed
//! an earlier one.

use crate::error::AppError;
use crate::model::agreement::AgreementAdmin;
use crate::model::worker::{SigningView, WorkerPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn tasks_member() -> Result<super::access::UserCaller, AppError> {
    super::access::member(Some(crate::model::account::Permission::Tasks)).await
}

/// One of the enterprise's workers, with their signing history and invitations.
#[server(prefix = "/api", endpoint = "worker")]
pub async fn load_worker(id: String) -> Result<WorkerPage, AppError> {
    let c = tasks_member().await?;
    crate::backend::signing::page(&c.state, c.enterprise_id()?, &id).await
}

/// Texts the worker a link to sign the service agreement.
#[server(prefix = "/api", endpoint = "invite_worker")]
pub async fn invite_worker(id: String) -> Result<(), AppError> {
    let c = tasks_member().await?;
    let origin = link_origin(&c.state)?;
    crate::backend::signing::invite(&c.state, &c.actor(), c.enterprise_id()?, &id, &origin).await
}

/// The origin of the links texts carry: in production the configured one, never the
/// request's Host.
#[cfg(feature = "ssr")]
fn link_origin(state: &crate::backend::AppState) -> Result<String, AppError> {
    if state.settings.production && state.settings.public_origin.is_none() {
        return Err(AppError::internal(
            "texts carry links: --public-origin is needed",
        ));
    }
    Ok(super::access::request_origin(state))
}

/// Releases the worker from the agreement, with a reason (recorded).
#[server(prefix = "/api", endpoint = "release_worker")]
pub async fn release_worker(id: String, reason: String) -> Result<(), AppError> {
    let c = tasks_member().await?;
    crate::backend::signing::release(&c.state, &c.actor(), c.enterprise_id()?, &id, &reason).await
}

/// What the phone's signing page shows (the link's token is the credential).
#[server(prefix = "/api", endpoint = "signing_view")]
pub async fn load_signing_view(token: String, lang: String) -> Result<SigningView, AppError> {
    let state = super::access::public()?;
    let lang = crate::model::Lang::parse(&lang).unwrap_or_default();
    crate::backend::signing::view(&state, &token, lang).await
}

/// Sends the invited worker a code to sign with.
#[server(prefix = "/api", endpoint = "send_signing_code")]
pub async fn send_signing_code(token: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    crate::backend::signing::send_code(&state, &token).await
}

/// The worker signs: the code they were sent, `agree` ticked, and the `version` they read.
#[server(prefix = "/api", endpoint = "sign_agreement")]
pub async fn sign_agreement(
    token: String,
    code: String,
    agree: Option<String>,
    version: String,
) -> Result<SigningView, AppError> {
    use crate::backend::signing::{sign, Signature};
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let form = Signature {
        code: &code,
        agree: agree.as_deref() == Some("on"),
        version: &version,
    };
    sign(&state, &token, form, &meta).await
}

/// An operator's look at an enterprise's workers and their signing histories, from the
/// enterprise view (reviewers and support; audited).
#[server(prefix = "/api", endpoint = "enterprise_workers")]
pub async fn load_enterprise_workers(enterprise_id: String) -> Result<Vec<WorkerPage>, AppError> {
    let c = super::access::operator(crate::model::access::roles::ENTERPRISE_VIEWERS).await?;
    crate::backend::signing::operator_view(&c.state, &c.actor(), &enterprise_id).await
}

/// Every version of the worker service agreement, for the privacy officer.
#[server(prefix = "/api", endpoint = "agreement_versions")]
pub async fn agreement_versions() -> Result<AgreementAdmin, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    crate::backend::signing::versions::list(&c.state).await
}

/// Publishes a new version of the worker service agreement, which workers sign from now on,
/// and texts every worker who signed an earlier one a link to read and sign it (the
/// agreement's §6). Returns how many were texted.
#[server(prefix = "/api", endpoint = "publish_agreement")]
pub async fn publish_agreement(
    version: String,
    content_zh: String,
    content_en: String,
) -> Result<i64, AppError> {
    let c = super::access::operator(crate::model::access::roles::PRIVACY_OFFICERS).await?;
    let origin = link_origin(&c.state)?;
    let input = crate::model::agreement::AgreementInput {
        version,
        content_zh,
        content_en,
    };
    crate::backend::signing::versions::publish(&c.state, &c.actor(), &input, &origin).await
}
