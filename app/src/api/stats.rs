//! De-identified statistics (issue 16 §1, P1.4), for every operator.

use crate::error::AppError;
use crate::model::stats::PlatformStats;
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::access::roles::ANY_OPERATOR;

/// The platform's figures: counts and sums only.
#[server(prefix = "/api", endpoint = "platform_stats")]
pub async fn console_stats() -> Result<PlatformStats, AppError> {
    let caller = super::access::operator(ANY_OPERATOR).await?;
    crate::backend::stats::platform(&caller.state).await
}
