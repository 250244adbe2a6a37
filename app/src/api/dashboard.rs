//! The dashboards: the console's 工作台 and the portal's 概览, one tile per queue the caller may
//! act on (`backend::dashboard`).

use crate::error::AppError;
use crate::model::dashboard::Dashboard;
use leptos::prelude::*;

/// The console's queues for the calling operator's roles. Any operator.
#[server(prefix = "/api", endpoint = "ops_dashboard")]
pub async fn ops_dashboard() -> Result<Dashboard, AppError> {
    let c = super::access::operator(crate::model::access::roles::ANY_OPERATOR).await?;
    crate::backend::dashboard::ops(&c.state, &c.op.roles).await
}

/// The enterprise's queues the calling member may act on. Any member.
#[server(prefix = "/api", endpoint = "portal_dashboard")]
pub async fn portal_dashboard() -> Result<Dashboard, AppError> {
    let c = super::access::member(None).await?;
    let role = c.user.role.ok_or(AppError::Forbidden)?;
    crate::backend::dashboard::portal(&c.state, c.enterprise_id()?, role, &c.user.permissions).await
}
