//! Audit records as the console and the operation-records page show them (P1.1.5, P5.1).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: UtcMillis,
    pub actor_kind: String,
    pub actor_id: String,
    pub actor_role: String,
    pub enterprise_id: Option<String>,
    pub action: String,
    pub target: String,
    pub result: String,
    pub ip: String,
    pub detail: String,
}

/// Search filters; every one is optional. `before` is the cursor (a sequence number).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub enterprise_id: Option<String>,
    pub before: Option<i64>,
    pub limit: u32,
}

/// An operation record shown to an enterprise admin: one of their members' actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationRecord {
    pub seq: i64,
    pub at: UtcMillis,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub result: String,
    pub ip: String,
}
