//! Operator login (password, then TOTP) and the console's own views.

use crate::error::AppError;
use crate::model::account::{OperatorMe, OperatorSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an operator's login stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpsState {
    Anonymous,
    /// The password was right; the TOTP code is still needed.
    NeedsTotp,
    In(OperatorMe),
}

/// Step 1: login name and password.
#[server(prefix = "/api", endpoint = "ops_login")]
pub async fn ops_login(login: String, password: String) -> Result<(), AppError> {
    use crate::backend::accounts::{operators, sessions::PrincipalKind};
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let old = super::access::session_token(&state, PrincipalKind::Operator);
    let token = operators::login_password(&state, &login, &password, old.as_deref(), &meta).await?;
    super::access::set_session_cookie(&state, PrincipalKind::Operator, &token);
    leptos_axum::redirect("/ops/login");
    Ok(())
}

/// Step 2: the current TOTP code.
#[server(prefix = "/api", endpoint = "ops_totp")]
pub async fn ops_totp(code: String) -> Result<(), AppError> {
    use crate::backend::accounts::{operators, sessions::PrincipalKind};
    let (state, session, _) = super::access::operator_session().await?;
    let meta = super::access::client_meta();
    let token = operators::login_totp(&state, &session, &code, &meta).await?;
    super::access::set_session_cookie(&state, PrincipalKind::Operator, &token);
    leptos_axum::redirect("/ops");
    Ok(())
}

#[server(prefix = "/api", endpoint = "ops_logout")]
pub async fn ops_logout() -> Result<(), AppError> {
    use crate::backend::accounts::{self, sessions::PrincipalKind};
    let state = super::access::public()?;
    if let Some(token) = super::access::session_token(&state, PrincipalKind::Operator) {
        accounts::logout(&state, &token).await?;
    }
    super::access::clear_session_cookie(&state, PrincipalKind::Operator);
    leptos_axum::redirect("/ops/login");
    Ok(())
}

/// The operator login state. Public.
#[server(prefix = "/api", endpoint = "ops_whoami")]
pub async fn ops_whoami() -> Result<OpsState, AppError> {
    match super::access::operator_session().await {
        Ok((_, session, op)) if session.second_factor_ok => Ok(OpsState::In(op.me())),
        Ok(_) => Ok(OpsState::NeedsTotp),
        Err(AppError::Unauthenticated) => Ok(OpsState::Anonymous),
        Err(e) => Err(e),
    }
}

/// Every operator account. Super-admin.
#[server(prefix = "/api", endpoint = "list_operators")]
pub async fn list_operators() -> Result<Vec<OperatorSummary>, AppError> {
    let caller = super::access::operator(crate::model::access::roles::SUPER_ADMINS).await?;
    crate::backend::accounts::operators::list(&caller.state, &caller.op.id).await
}
