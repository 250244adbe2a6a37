//! Policy documents (P0.1-P0.4). Public.

use crate::error::AppError;
use crate::model::policy::{PolicyKind, PolicyPageData, PolicySet};
use leptos::prelude::*;

/// A policy page: `version` or, when absent, the version in force; with the list of versions.
#[server(prefix = "/api", endpoint = "policy_page")]
pub async fn policy_page(
    kind: PolicyKind,
    version: Option<String>,
) -> Result<PolicyPageData, AppError> {
    let state = super::access::public()?;
    crate::backend::policy::page(&state.db, kind, version.as_deref(), state.clock.now()).await
}

/// The versions a registration accepts now (P0.2).
#[server(prefix = "/api", endpoint = "current_policies")]
pub async fn current_policies() -> Result<PolicySet, AppError> {
    let state = super::access::public()?;
    crate::backend::policy::current_pair(&state.db, state.clock.now()).await
}
