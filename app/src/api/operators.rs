//! Operator management (`/ops/operators`, super-admins; P5.1, P5.2) and the enrolment page a
//! new or reset operator opens (`/ops/enrol/:token`, where the link is the credential).

use crate::error::AppError;
use crate::model::operators::{EnrolmentLink, OperatorEnrolment};
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::access::roles::SUPER_ADMINS;

/// The role checkboxes of a form, as codes.
#[cfg(feature = "ssr")]
fn ticked(boxes: [(&str, &Option<String>); 5]) -> Vec<String> {
    boxes
        .iter()
        .filter(|(_, v)| v.as_deref() == Some("on"))
        .map(|(code, _)| code.to_string())
        .collect()
}

/// Creates an operator with the ticked roles; answers the one-time enrolment link (shown once).
/// Super-admin; audited.
#[server(prefix = "/api", endpoint = "create_operator")]
#[allow(clippy::too_many_arguments)]
pub async fn create_operator(
    login: String,
    display_name: String,
    reviewer: Option<String>,
    finance: Option<String>,
    privacy_officer: Option<String>,
    support: Option<String>,
    super_admin: Option<String>,
) -> Result<EnrolmentLink, AppError> {
    let caller = super::access::operator(SUPER_ADMINS).await?;
    let roles = ticked([
        ("reviewer", &reviewer),
        ("finance", &finance),
        ("privacy_officer", &privacy_officer),
        ("support", &support),
        ("super_admin", &super_admin),
    ]);
    let origin = super::access::request_origin(&caller.state);
    crate::backend::accounts::operator_admin::create(
        &caller.state,
        &caller.actor(),
        &login,
        &display_name,
        &roles,
        &origin,
    )
    .await
}

/// Gives an operator exactly the ticked roles. Super-admin; audited; not one's own, and never
/// the last super-admin's.
#[server(prefix = "/api", endpoint = "set_operator_roles")]
#[allow(clippy::too_many_arguments)]
pub async fn set_operator_roles(
    id: String,
    reviewer: Option<String>,
    finance: Option<String>,
    privacy_officer: Option<String>,
    support: Option<String>,
    super_admin: Option<String>,
) -> Result<(), AppError> {
    let caller = super::access::operator(SUPER_ADMINS).await?;
    let roles = ticked([
        ("reviewer", &reviewer),
        ("finance", &finance),
        ("privacy_officer", &privacy_officer),
        ("support", &support),
        ("super_admin", &super_admin),
    ]);
    crate::backend::accounts::operator_admin::set_roles(
        &caller.state,
        &caller.actor(),
        id.trim(),
        &roles,
    )
    .await
}

/// Disables (`active` = `off`, ending their sessions) or re-enables an operator. Super-admin;
/// audited.
#[server(prefix = "/api", endpoint = "set_operator_status")]
pub async fn set_operator_status(id: String, active: String) -> Result<(), AppError> {
    let caller = super::access::operator(SUPER_ADMINS).await?;
    crate::backend::accounts::operator_admin::set_status(
        &caller.state,
        &caller.actor(),
        id.trim(),
        active == "on",
    )
    .await
}

/// Resets an operator's password (`what` = `password`) or authenticator (`totp`): their
/// sessions end; answers the new enrolment link. Super-admin; audited.
#[server(prefix = "/api", endpoint = "reset_operator")]
pub async fn reset_operator(id: String, what: String) -> Result<EnrolmentLink, AppError> {
    let caller = super::access::operator(SUPER_ADMINS).await?;
    let what = crate::model::operators::OperatorReset::from_code(what.trim())
        .ok_or_else(|| AppError::invalid("what", crate::error::Rule::Format))?;
    let origin = super::access::request_origin(&caller.state);
    crate::backend::accounts::operator_admin::reset(
        &caller.state,
        &caller.actor(),
        id.trim(),
        what,
        &origin,
    )
    .await
}

/// The enrolment page's content: who, and the new authenticator when there is one. Public: the
/// link is the credential; an unknown one is `NotFound`, a used or expired one a conflict.
#[server(prefix = "/api", endpoint = "operator_enrolment")]
pub async fn load_operator_enrolment(token: String) -> Result<OperatorEnrolment, AppError> {
    let state = super::access::public()?;
    crate::backend::accounts::operator_admin::enrolment(&state, &token).await
}

/// Completes an enrolment with a new password and one current authenticator code. Public (the
/// link is the credential); audited.
#[server(prefix = "/api", endpoint = "enrol_operator")]
pub async fn enrol_operator(token: String, password: String, code: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    crate::backend::accounts::operator_admin::enrol(&state, &token, &password, &code, &meta.ip)
        .await?;
    leptos_axum::redirect("/ops/login?enrolled=1");
    Ok(())
}
