//! Forgotten passwords: asking for a link, checking it, setting the new password (P5.2).
//! Public: the person is not logged in.

use crate::error::AppError;
use leptos::server;

/// Sends a reset link to the account's e-mail address if an active account has this mobile
/// number or e-mail address. The answer is the same either way (no account enumeration);
/// the page then says "if an account exists, a link is on its way".
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(login: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let origin = super::access::request_origin(&state);
    crate::backend::accounts::recovery::request(&state, &login, &origin, &meta).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link still works: 404 for an unknown one, a conflict for a used or
/// expired one.
#[server(prefix = "/api", endpoint = "check_password_reset")]
pub async fn check_password_reset(token: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    crate::backend::accounts::recovery::check(&state, &token).await
}

/// Sets the new password with a reset link; every session of the account ends.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    crate::backend::accounts::recovery::reset(&state, &token, &password, &meta).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}
