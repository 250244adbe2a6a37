//! The open API's callbacks in the portal (issue 19; `/portal/business/api`, the enterprise's
//! admin): the address and the latest deliveries, setting or removing the address (a signing
//! secret answered once), and re-sending a delivery.

use crate::error::AppError;
use crate::model::callbacks::{CallbackSaved, CallbackSettings};
use leptos::prelude::*;

/// The callback address and the latest 50 deliveries (never the secret).
#[server(prefix = "/api", endpoint = "api_callbacks")]
pub async fn api_callbacks() -> Result<CallbackSettings, AppError> {
    let c = super::access::admin().await?;
    crate::backend::callbacks::settings(&c.state, c.enterprise_id()?).await
}

/// Sets the callback address (empty: removes it). `new_secret` = `on` issues a new signing
/// secret (the first address always gets one); the secret is in the answer, this once.
#[server(prefix = "/api", endpoint = "save_api_callback")]
pub async fn save_api_callback(
    url: String,
    new_secret: Option<String>,
) -> Result<CallbackSaved, AppError> {
    let c = super::access::admin().await?;
    let public_only = c.state.settings.production;
    let url = crate::model::callbacks::parse_url(&url, public_only)
        .map_err(|r| AppError::invalid("url", r))?;
    let rotate = new_secret.is_some_and(|v| !v.is_empty());
    let eid = c.enterprise_id()?;
    let saved =
        crate::backend::callbacks::save(&c.state, &c.actor(), eid, url.as_deref(), rotate).await?;
    // A secret issued by a plain form post waits for the page (its answer is a redirect).
    if let Some(secret) = saved.secret.clone() {
        use crate::backend::openapi::shown_once::{hold_if_plain_post, Put};
        let plain = super::access::plain_form_post();
        hold_if_plain_post(
            &c.state,
            &c.session.id_hash,
            plain,
            Put::CallbackSecret(secret),
        );
    }
    Ok(saved)
}

/// Sends a delivery again now (a new 24-hour window).
#[server(prefix = "/api", endpoint = "resend_api_callback")]
pub async fn resend_api_callback(id: String) -> Result<(), AppError> {
    let c = super::access::admin().await?;
    crate::backend::callbacks::resend(&c.state, &c.actor(), c.enterprise_id()?, id.trim()).await
}
