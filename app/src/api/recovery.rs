//! Forgotten passwords: asking for a link, checking it, setting the new password (P5.2).
//! Public: the person is not logged in.

use crate::error::AppError;
use leptos::server;

/// Sends a reset link to the account's e-mail address, or a code by text message when a
/// mobile number was typed (and texts can be sent), if an active account has this login. The
/// answer depends only on what was typed, never on whether the account exists; the page then
/// says "if an account exists, a link (or a code) is on its way" and, for a code, asks for it.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(login: String) -> Result<(), AppError> {
    use crate::backend::accounts::recovery::{request, SentBy};
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let origin = super::access::request_origin(&state);
    match request(&state, &login, &origin, &meta).await? {
        SentBy::Email => leptos_axum::redirect("/forgot-password?sent=1"),
        SentBy::Sms(mobile) => {
            leptos_axum::redirect(&format!("/forgot-password?sent=sms&login={mobile}"));
        }
    }
    Ok(())
}

/// Sets the new password with the code sent by text message; every session of the account
/// ends. A wrong code counts against its five tries.
#[server(prefix = "/api", endpoint = "reset_password_with_code")]
pub async fn reset_password_with_code(
    login: String,
    code: String,
    password: String,
) -> Result<(), AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    crate::backend::accounts::recovery::reset_with_code(&state, &login, &code, &password, &meta)
        .await?;
    leptos_axum::redirect("/login?reset=1");
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
