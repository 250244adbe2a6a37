//! Platform facts for the footer, the privacy centre and the policy pages (P4.1, P10.1).

use crate::error::AppError;
use crate::model::system::PlatformInfo;
use leptos::prelude::*;

/// The operator's name and contact e-mail and the storage region. Public.
#[server(prefix = "/api", endpoint = "platform_info")]
pub async fn get_platform_info() -> Result<PlatformInfo, AppError> {
    let state = super::access::public()?;
    Ok(state.settings.platform_info())
}
