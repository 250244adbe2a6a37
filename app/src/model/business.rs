//! 业务信息: an enterprise's business details as its members see them (P6.1).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// Whether an enterprise's account is open. (Closure comes with the rights requests.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseStatus {
    Active,
    /// Closed at its admin's request (issue 16 §5): nobody can log in for it.
    Closed,
}

super::codes!(EnterpriseStatus { Active => "active", Closed => "closed" });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessDetails {
    pub enterprise_id: String,
    pub name: String,
    pub credit_code: String,
    pub registered_address: String,
    pub business_scope: String,
    pub status: EnterpriseStatus,
    pub opened_at: UtcMillis,
}

/// A row of the console's enterprise list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseSummary {
    pub id: String,
    pub name: String,
    pub credit_code: String,
    pub status: EnterpriseStatus,
    pub members: i64,
    pub opened_at: UtcMillis,
}

/// One enterprise as a reviewer or support sees it (the look is audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseDetail {
    pub details: BusinessDetails,
    pub application_id: Option<String>,
    pub members: Vec<crate::model::members::MemberView>,
}
