//! 业务管理 → 业务信息: business info and operation records (P6.1, P1.1.5).

use crate::error::AppError;
use crate::model::audit::OperationRecord;
use crate::model::business::BusinessDetails;
use leptos::prelude::*;

/// The caller's enterprise's business details. Any member.
#[server(prefix = "/api", endpoint = "business_info")]
pub async fn business_info() -> Result<BusinessDetails, AppError> {
    let caller = super::access::member(None).await?;
    crate::backend::business::info(&caller.state.db, caller.enterprise_id()?).await
}

/// What the enterprise's members did, newest first (P1.1.5). Admin.
#[server(prefix = "/api", endpoint = "operation_records")]
pub async fn operation_records(before: Option<i64>) -> Result<Vec<OperationRecord>, AppError> {
    let caller = super::access::admin().await?;
    crate::backend::business::operation_records(&caller.state.db, caller.enterprise_id()?, before)
        .await
}
