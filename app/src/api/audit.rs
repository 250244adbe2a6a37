//! The audit log in the console (P5.1): search and chain check. Super-admin.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::audit::AuditResult;
use crate::model::audit::{AuditQuery, AuditRecord};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(prefix = "/api", endpoint = "search_audit")]
pub async fn search_audit(query: AuditQuery) -> Result<Vec<AuditRecord>, AppError> {
    use crate::backend::audit::{self, Event};
    let caller = super::access::operator(crate::model::access::roles::SUPER_ADMINS).await?;
    let found = audit::search(&caller.state.db, &query).await?;
    // Reading the log is itself a privileged action.
    let detail = format!(
        "actor={} action={} target={} before={:?}",
        query.actor.as_deref().unwrap_or(""),
        query.action.as_deref().unwrap_or(""),
        query.target.as_deref().unwrap_or(""),
        query.before
    );
    audit::record(
        &caller.state.db,
        &Event {
            actor: &caller.actor(),
            enterprise_id: query.enterprise_id.as_deref(),
            action: "audit.search",
            target: "audit_log",
            result: AuditResult::Ok,
            detail: &detail.chars().take(300).collect::<String>(),
        },
        caller.state.clock.now(),
    )
    .await?;
    Ok(found)
}

/// The result of re-computing the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub entries: i64,
    pub first_broken: Option<i64>,
    /// The last entry covered by a verified seal.
    pub sealed_through: i64,
}

#[server(prefix = "/api", endpoint = "verify_audit")]
pub async fn verify_audit() -> Result<ChainStatus, AppError> {
    use crate::backend::audit::{self, Event};
    let caller = super::access::operator(crate::model::access::roles::SUPER_ADMINS).await?;
    // The check, then a seal of what it verified (`seal` verifies again and never seals a
    // broken chain).
    let state = &caller.state;
    let report = audit::verify(&state.db, &state.audit_key).await?;
    let mut sealed_through = report.sealed_through;
    if report.first_broken.is_none() {
        if let Some(seq) = audit::seal(&state.db, &state.audit_key, state.clock.now()).await? {
            sealed_through = seq;
        }
    }
    let detail = format!(
        "{} entries, first broken {:?}",
        report.entries, report.first_broken
    );
    audit::record(
        &caller.state.db,
        &Event {
            actor: &caller.actor(),
            enterprise_id: None,
            action: "audit.verify",
            target: "audit_log",
            result: if report.first_broken.is_none() {
                AuditResult::Ok
            } else {
                AuditResult::Failed
            },
            detail: &detail,
        },
        caller.state.clock.now(),
    )
    .await?;
    Ok(ChainStatus {
        entries: report.entries,
        first_broken: report.first_broken,
        sealed_through,
    })
}
