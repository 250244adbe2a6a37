//! Audit records as the console and the operation-records page show them (P1.1.5, P5.1).

use crate::model::account::{MemberRole, OperatorRole};
use crate::model::{UnknownCode, UtcMillis};
use serde::{Deserialize, Serialize};

/// Who acted (`audit_log.actor_kind`): the codes the backend's `Actor` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A login person (an applicant or a member of an enterprise).
    User,
    /// Platform staff.
    Operator,
    /// The platform itself (the seed, the lockout, scheduled work).
    System,
    /// An enterprise's system through the open API, by its credential's key id (issue 19).
    ApiKey,
}

super::codes!(ActorKind { User => "user", Operator => "operator", System => "system", ApiKey => "api_key" });

/// How an audited action ended (`audit_log.result`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditResult {
    /// Done.
    Ok,
    /// Refused: the caller was not allowed to.
    Denied,
    /// A check that found a problem (the audit chain broken).
    Failed,
    /// A receipt check: the receipt is the platform's.
    Genuine,
    /// A receipt check: no such receipt.
    Unknown,
}

super::codes!(AuditResult {
    Ok => "ok",
    Denied => "denied",
    Failed => "failed",
    Genuine => "genuine",
    Unknown => "unknown",
});

/// The actor's role when they acted (`audit_log.actor_role`), which the kind determines: a
/// login person's `applicant`, `admin` or `member`; an operator's comma-separated roles; the
/// system's `system`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// A login person whose enterprise is not open yet.
    Applicant,
    /// A login person in an enterprise.
    Member(MemberRole),
    /// An operator's roles (none when the list was empty).
    Operator(Vec<OperatorRole>),
    System,
    /// An enterprise's system through the open API (`api`).
    Api,
}

impl ActorRole {
    /// Reads `audit_log.actor_role` as the kind writes it; an unknown code is an error.
    pub fn from_stored(kind: ActorKind, s: &str) -> Result<Self, UnknownCode> {
        const COLUMN: &str = "audit_log.actor_role";
        match (kind, s) {
            (ActorKind::User, "applicant") => Ok(ActorRole::Applicant),
            (ActorKind::User, _) => MemberRole::from_stored(s, COLUMN).map(ActorRole::Member),
            (ActorKind::Operator, _) => {
                OperatorRole::list_from_stored(s, COLUMN).map(ActorRole::Operator)
            }
            (ActorKind::System, "system") => Ok(ActorRole::System),
            (ActorKind::System, _) => Err(UnknownCode::new("ActorRole", COLUMN, s)),
            (ActorKind::ApiKey, "api") => Ok(ActorRole::Api),
            (ActorKind::ApiKey, _) => Err(UnknownCode::new("ActorRole", COLUMN, s)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: UtcMillis,
    pub actor_kind: ActorKind,
    pub actor_id: String,
    pub actor_role: ActorRole,
    pub enterprise_id: Option<String>,
    pub action: String,
    pub target: String,
    pub result: AuditResult,
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
    pub result: AuditResult,
    pub ip: String,
}
