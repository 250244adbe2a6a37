//! The privacy centre's consent centre (P1.2, P1.3, P6.4). Open to every logged-in user, also
//! to one who declined a policy version (P9): it is where they manage their data.

use crate::error::AppError;
use crate::model::purpose::{Area, ConsentCentre};
use leptos::prelude::*;

/// The caller's purposes with legal bases, their browser's cookie choice and their consent
/// history.
#[server(prefix = "/api", endpoint = "privacy_centre")]
pub async fn privacy_centre() -> Result<ConsentCentre, AppError> {
    let caller = super::access::user().await?;
    let cookies = super::access::consent_choice().is_some_and(|c| c.convenience);
    crate::backend::purposes::centre(&caller.state, &caller.user.id, cookies).await
}

/// Switches a consent-based purpose on (`on` = `on`) or off; recorded and audited (P6.4).
#[server(prefix = "/api", endpoint = "set_purpose")]
pub async fn set_purpose(purpose: String, on: Option<String>) -> Result<bool, AppError> {
    let caller = super::access::user().await?;
    let purpose = crate::model::purpose::Purpose::from_code(&purpose)
        .ok_or_else(|| AppError::invalid("purpose", crate::error::Rule::Format))?;
    let on = on.as_deref() == Some("on");
    let actor = caller.actor();
    crate::backend::purposes::set(
        &caller.state,
        &caller.user.id,
        purpose,
        on,
        &actor,
        &caller.meta,
    )
    .await?;
    Ok(on)
}

/// The portal areas the caller uses most (personalised features, P1.2): empty unless they
/// switched personalisation on.
#[server(prefix = "/api", endpoint = "frequent_areas")]
pub async fn my_frequent_areas() -> Result<Vec<Area>, AppError> {
    let caller = super::access::member(None).await?;
    crate::backend::purposes::frequent_areas(&caller.state, &caller.user.id).await
}
