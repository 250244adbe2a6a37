//! 成员: login persons and invitations (P1.1.2). The admin manages; an invitee accepts.

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::members::{InviteCreated, InviteDetails, MembersPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn parse_role(role: &str) -> Result<crate::model::account::MemberRole, AppError> {
    crate::model::account::MemberRole::from_code(role)
        .ok_or_else(|| AppError::invalid("role", crate::error::Rule::Required))
}

/// The enterprise's login persons and open invitations. Admin.
#[server(prefix = "/api", endpoint = "list_members")]
pub async fn list_members() -> Result<MembersPage, AppError> {
    let caller = super::access::admin().await?;
    crate::backend::members::list(&caller.state, &caller.user).await
}

/// Invites a login person; returns the one-time link. Admin.
#[server(prefix = "/api", endpoint = "invite_member")]
pub async fn invite_member(
    name: String,
    mobile: String,
    email: String,
    role: String,
    perm_funds: Option<String>,
    perm_finance: Option<String>,
    perm_tasks: Option<String>,
) -> Result<InviteCreated, AppError> {
    use crate::model::members::permissions_from_form;
    let caller = super::access::admin().await?;
    let role = crate::model::account::MemberRole::from_code(&role);
    let perms = permissions_from_form(&perm_funds, &perm_finance, &perm_tasks);
    let origin = super::access::request_origin(&caller.state);
    crate::backend::members::invite(
        &caller.state,
        &caller.user,
        &origin,
        &name,
        &mobile,
        &email,
        role,
        &perms,
        &caller.actor(),
    )
    .await
}

/// Sets a login person's role and permissions. Admin.
#[server(prefix = "/api", endpoint = "set_member_access")]
pub async fn set_member_access(
    id: String,
    role: String,
    perm_funds: Option<String>,
    perm_finance: Option<String>,
    perm_tasks: Option<String>,
) -> Result<(), AppError> {
    use crate::model::members::permissions_from_form;
    let caller = super::access::admin().await?;
    let role = parse_role(&role)?;
    let perms = permissions_from_form(&perm_funds, &perm_finance, &perm_tasks);
    crate::backend::members::set_access(
        &caller.state,
        &caller.user,
        &id,
        role,
        &perms,
        &caller.actor(),
    )
    .await
}

/// Disables (`active` = `false`) or re-enables a login person. Admin.
#[server(prefix = "/api", endpoint = "set_member_status")]
pub async fn set_member_status(id: String, active: bool) -> Result<(), AppError> {
    let caller = super::access::admin().await?;
    crate::backend::members::set_status(&caller.state, &caller.user, &id, active, &caller.actor())
        .await
}

/// Hands the admin role to another login person (the admin's password confirms). Admin.
#[server(prefix = "/api", endpoint = "transfer_admin")]
pub async fn transfer_admin(id: String, password: String) -> Result<(), AppError> {
    let caller = super::access::admin().await?;
    crate::backend::members::transfer_admin(
        &caller.state,
        &caller.user,
        &id,
        &password,
        &caller.actor(),
        &caller.meta,
    )
    .await?;
    leptos_axum::redirect("/portal/business/members");
    Ok(())
}

/// Withdraws an invitation not used yet. Admin.
#[server(prefix = "/api", endpoint = "revoke_invite")]
pub async fn revoke_invite(id: String) -> Result<(), AppError> {
    let caller = super::access::admin().await?;
    crate::backend::members::revoke_invite(&caller.state, &caller.user, &id, &caller.actor()).await
}

/// What an invitation link is for (public: the token is the credential).
#[server(prefix = "/api", endpoint = "invite_preview")]
pub async fn invite_preview(token: String) -> Result<InviteDetails, AppError> {
    let state = super::access::public()?;
    crate::backend::members::preview(&state, &token).await
}

/// Accepts an invitation: password, policy acceptance, login (public: the token is the
/// credential, and it works once).
#[server(prefix = "/api", endpoint = "accept_invite")]
pub async fn accept_invite(
    token: String,
    password: String,
    accept: Option<String>,
    privacy_version_id: String,
    terms_version_id: String,
) -> Result<(), AppError> {
    use crate::backend::accounts::sessions::PrincipalKind;
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let session = crate::backend::members::accept(
        &state,
        &token,
        &password,
        accept.is_some_and(|v| !v.is_empty()),
        &privacy_version_id,
        &terms_version_id,
        &meta,
    )
    .await?;
    if let Some(old) = super::access::session_token(&state, PrincipalKind::User) {
        let _ = crate::backend::accounts::logout(&state, &old).await;
    }
    super::access::set_session_cookie(&state, PrincipalKind::User, &session);
    leptos_axum::redirect("/portal");
    Ok(())
}
