//! Registration, login and the caller's own account (P0.2, P1.1.2, P5.2).

use crate::error::AppError;
use crate::model::account::{LoginEvent, Me, Profile, SessionInfo};
use leptos::prelude::*;

/// Starts a registration (P0.2, P1.1.1): checks the form, e-mails a code to the address and
/// texts one to the number (issue 14: the answer never says whether the address or the number
/// has an account), then goes to the code page. `accept` is the policy checkbox (`on` when ticked).
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    name: String,
    mobile: String,
    email: String,
    password: String,
    accept: Option<String>,
    privacy_version_id: String,
    terms_version_id: String,
) -> Result<crate::model::account::RegistrationStarted, AppError> {
    use crate::backend::accounts::{registration, Registration};
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let started = registration::start(
        &state,
        Registration {
            name,
            mobile,
            email,
            password,
            accept: accept.is_some_and(|v| !v.is_empty()),
            privacy_version_id,
            terms_version_id,
        },
        &meta,
    )
    .await?;
    leptos_axum::redirect(&format!("/register/verify/{}", started.id));
    Ok(started)
}

/// Where a pending registration's code went (public: the id is unguessable, and the address
/// is masked).
#[server(prefix = "/api", endpoint = "pending_registration")]
pub async fn pending_registration(
    id: String,
) -> Result<crate::model::account::PendingRegistration, AppError> {
    let state = super::access::public()?;
    crate::backend::accounts::registration::pending(&state, &id).await
}

/// Takes the registration code asked for now. The e-mailed one, when a texted one follows,
/// sends that text and comes back to the code page; the last one creates the login person,
/// logs them in, and the application form follows.
#[server(prefix = "/api", endpoint = "confirm_registration")]
pub async fn confirm_registration(
    id: String,
    code: String,
) -> Result<crate::model::account::RegistrationOutcome, AppError> {
    use crate::backend::accounts::{self, registration::Confirmed, sessions::PrincipalKind};
    use crate::model::account::RegistrationOutcome;
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    match accounts::registration::confirm(&state, &id, &code, &meta).await? {
        Confirmed::Texted => {
            leptos_axum::redirect(&format!("/register/verify/{id}"));
            Ok(RegistrationOutcome::Texted)
        }
        Confirmed::Registered(token) => {
            if let Some(old) = super::access::session_token(&state, PrincipalKind::User) {
                let _ = accounts::logout(&state, &old).await;
            }
            super::access::set_session_cookie(&state, PrincipalKind::User, &token);
            leptos_axum::redirect("/register");
            Ok(RegistrationOutcome::Registered)
        }
    }
}

/// Password login by mobile or e-mail (P5.2). Goes to `next` (a local path) or the portal.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(login: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::backend::accounts::{self, sessions::PrincipalKind};
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let old = super::access::session_token(&state, PrincipalKind::User);
    let token = accounts::login_user(&state, &login, &password, old.as_deref(), &meta).await?;
    super::access::set_session_cookie(&state, PrincipalKind::User, &token);
    // Convenience (P2.2), only with that consent: remember the login name.
    let name = login.trim();
    if !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@._+-".contains(&b))
    {
        super::access::set_cookie(&state, "esp_login", name, None, None);
    }
    // The visitor's cookie decisions now belong to the account (P2).
    if let Some(choice) = super::access::consent_choice() {
        let session = crate::backend::accounts::sessions::lookup(
            &state.db,
            PrincipalKind::User,
            &token,
            state.sessions,
            state.clock.now(),
        )
        .await?;
        if let Some(session) = session {
            crate::backend::consent::link_to_user(
                &state.db,
                &choice.consent_id,
                &session.principal_id,
            )
            .await?;
        }
    }
    leptos_axum::redirect(&super::safe_next(next.as_deref(), "/portal"));
    Ok(())
}

/// Ends this session.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::accounts::{self, sessions::PrincipalKind};
    let state = super::access::public()?;
    if let Some(token) = super::access::session_token(&state, PrincipalKind::User) {
        accounts::logout(&state, &token).await?;
    }
    super::access::clear_session_cookie(&state, PrincipalKind::User);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends every session of the caller, on every device.
#[server(prefix = "/api", endpoint = "logout_all")]
pub async fn logout_all() -> Result<(), AppError> {
    use crate::backend::accounts::sessions::PrincipalKind;
    let caller = super::access::user().await?;
    crate::backend::accounts::logout_all(&caller.state, &caller.user).await?;
    super::access::clear_session_cookie(&caller.state, PrincipalKind::User);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends one of the caller's other sessions.
#[server(prefix = "/api", endpoint = "end_session")]
pub async fn end_session(handle: String) -> Result<(), AppError> {
    use crate::backend::accounts::sessions::{self, PrincipalKind};
    let caller = super::access::user().await?;
    let ended = sessions::end_by_handle(
        &caller.state.db,
        PrincipalKind::User,
        &caller.user.id,
        &handle,
    )
    .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/portal/account");
    Ok(())
}

/// The logged-in login person, or `None` for a visitor. Public.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    match super::access::user().await {
        Ok(caller) => crate::backend::accounts::me(&caller.state, &caller.user)
            .await
            .map(Some),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The caller's own name, mobile and e-mail, in full.
#[server(prefix = "/api", endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let caller = super::access::user().await?;
    crate::backend::accounts::profile(&caller.state, &caller.user).await
}

/// Enters the code sent to a new mobile number or e-mail address (`kind`: `mobile` or
/// `email`); the change then takes effect. A wrong code counts against its five tries.
#[server(prefix = "/api", endpoint = "confirm_contact_change")]
pub async fn confirm_contact_change(kind: String, code: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    crate::backend::accounts::contacts::confirm(
        &caller.state,
        &caller.user,
        &kind,
        &code,
        &caller.actor(),
    )
    .await
}

/// Changes the caller's name; a new mobile or e-mail needs the current password and a code sent
/// to it (`confirm_contact_change`).
#[server(prefix = "/api", endpoint = "update_profile")]
pub async fn update_profile(
    name: String,
    mobile: String,
    email: String,
    current_password: Option<String>,
) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    crate::backend::accounts::update_profile(
        &caller.state,
        &caller.user,
        &name,
        &mobile,
        &email,
        current_password.as_deref().unwrap_or(""),
        &caller.actor(),
        &caller.meta,
    )
    .await
}

/// Changes the caller's password; their other sessions end.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    crate::backend::accounts::change_password(
        &caller.state,
        &caller.user,
        &current_password,
        &new_password,
        &caller.session.handle,
        &caller.actor(),
        &caller.meta,
    )
    .await
}

/// The caller's login history, newest first (P5.2).
#[server(prefix = "/api", endpoint = "login_history")]
pub async fn login_history() -> Result<Vec<LoginEvent>, AppError> {
    use crate::backend::accounts::{login, sessions::PrincipalKind};
    let caller = super::access::user().await?;
    login::history(&caller.state.db, PrincipalKind::User, &caller.user.id, 50).await
}

/// The caller's live sessions.
#[server(prefix = "/api", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::backend::accounts::sessions::{self, PrincipalKind};
    let caller = super::access::user().await?;
    sessions::list(
        &caller.state.db,
        PrincipalKind::User,
        &caller.user.id,
        &caller.session.handle,
        caller.state.sessions,
        caller.state.clock.now(),
    )
    .await
    .map_err(AppError::internal)
}
