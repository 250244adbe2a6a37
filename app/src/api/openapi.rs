//! The open API's credentials in the portal (issue 19; `/portal/business/api`, the enterprise's
//! admin): list, issue (the secret is answered once), rotate, revoke.
// The issuing form has one argument per field (the server macro's client code too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::openapi::{CredentialView, IssuedSecret, ShownOnce};
use leptos::prelude::*;

/// The enterprise's credentials, newest first (never a secret).
#[server(prefix = "/api", endpoint = "api_credentials")]
pub async fn api_credentials() -> Result<Vec<CredentialView>, AppError> {
    let c = super::access::admin().await?;
    crate::backend::openapi::list(&c.state, c.enterprise_id()?).await
}

/// Issues a credential: `scope_<code>` = `on` for each scope, `ip_allow` one address or network
/// per line (empty: any), `valid_days` one of 30, 90, 180, 365. The secret is in the answer,
/// this once.
#[server(prefix = "/api", endpoint = "create_api_credential")]
pub async fn create_api_credential(
    name: String,
    scope_orders: Option<String>,
    scope_funds_read: Option<String>,
    scope_invoices: Option<String>,
    scope_tasks: Option<String>,
    ip_allow: Option<String>,
    valid_days: String,
) -> Result<IssuedSecret, AppError> {
    let c = super::access::admin().await?;
    let form = crate::model::openapi::CredentialForm {
        name,
        scope_orders: scope_orders.unwrap_or_default(),
        scope_funds_read: scope_funds_read.unwrap_or_default(),
        scope_invoices: scope_invoices.unwrap_or_default(),
        scope_tasks: scope_tasks.unwrap_or_default(),
        ip_allow: ip_allow.unwrap_or_default(),
        valid_days,
    };
    let draft = form.parse().map_err(AppError::Invalid)?;
    let issued =
        crate::backend::openapi::create(&c.state, &c.actor(), c.enterprise_id()?, &draft).await?;
    Ok(hold_for_page(&c, issued))
}

/// A key issued by a plain form post waits for the page (its answer is a redirect).
#[cfg(feature = "ssr")]
fn hold_for_page(c: &super::access::UserCaller, issued: IssuedSecret) -> IssuedSecret {
    use crate::backend::openapi::shown_once::{hold_if_plain_post, Put};
    let plain = super::access::plain_form_post();
    hold_if_plain_post(
        &c.state,
        &c.session.id_hash,
        plain,
        Put::Key(issued.clone()),
    );
    issued
}

/// What a form posted without the WASM issued (a key, a callback secret) for this session,
/// taken: the page shows it this once (`backend::openapi::shown_once`).
#[server(prefix = "/api", endpoint = "api_shown_once")]
pub async fn api_shown_once() -> Result<ShownOnce, AppError> {
    let c = super::access::admin().await?;
    Ok(crate::backend::openapi::shown_once::take(
        &c.state,
        &c.session.id_hash,
    ))
}

/// Rotates a credential: a new secret (answered this once); the old one works for 24 hours.
#[server(prefix = "/api", endpoint = "rotate_api_credential")]
pub async fn rotate_api_credential(id: String) -> Result<IssuedSecret, AppError> {
    let c = super::access::admin().await?;
    let eid = c.enterprise_id()?;
    let issued = crate::backend::openapi::rotate(&c.state, &c.actor(), eid, id.trim()).await?;
    Ok(hold_for_page(&c, issued))
}

/// Revokes a credential at once.
#[server(prefix = "/api", endpoint = "revoke_api_credential")]
pub async fn revoke_api_credential(id: String) -> Result<(), AppError> {
    let c = super::access::admin().await?;
    crate::backend::openapi::revoke(&c.state, &c.actor(), c.enterprise_id()?, id.trim()).await
}
