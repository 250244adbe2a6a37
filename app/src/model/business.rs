//! 业务信息: an enterprise's business details as its members see them (P6.1).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessDetails {
    pub enterprise_id: String,
    pub name: String,
    pub credit_code: String,
    pub registered_address: String,
    pub business_scope: String,
    pub status: String,
    pub opened_at: UtcMillis,
}
