//! WeChat scan-login and binding (P1.1.3; issue 15). The desktop asks for a ticket (its QR
//! code), follows it, and finishes the login; the phone sees what it is asked and decides; a
//! login person binds and unbinds their WeChat account.

use crate::error::AppError;
use crate::model::scan::{ScanView, TicketProgress, WechatBinding, WechatStart};
use leptos::prelude::*;

/// The desktop browser's own scan-login cookie (made the first time it asks for a ticket).
#[cfg(feature = "ssr")]
fn browser_cookie(state: &crate::backend::AppState, create: bool) -> Option<String> {
    let name = crate::model::consent::wire_name("esp_wx_browser", state.settings.production);
    let existing = super::access::cookie(&name).filter(|v| !v.is_empty() && v.len() <= 128);
    if !create {
        return existing;
    }
    // Sent again with every new code, so that it outlives the ticket it is bound to.
    let token = existing.unwrap_or_else(crate::backend::crypto::random_token);
    super::access::set_cookie(state, "esp_wx_browser", &token, None, None);
    Some(token)
}

/// The phone's own scan-login cookie, set when it went into WeChat's authorisation.
#[cfg(feature = "ssr")]
fn phone_cookie(state: &crate::backend::AppState) -> Option<String> {
    let name = crate::model::consent::wire_name("esp_wx_phone", state.settings.production);
    super::access::cookie(&name).filter(|v| !v.is_empty() && v.len() <= 128)
}

/// A new QR code for this browser: `purpose` `login` (anyone; limited per address) or `bind`
/// (the logged-in login person). `lang` is the page's language, which the phone page keeps.
///
/// With a website application (`--wechat-website`) there is no code of the platform's: a login
/// gets the link to WeChat's own QR page, a binding the link for its live ticket.
#[server(prefix = "/api", endpoint = "start_wechat_scan")]
pub async fn start_wechat_scan(purpose: String, lang: String) -> Result<WechatStart, AppError> {
    use crate::model::scan::TicketPurpose;
    let purpose = TicketPurpose::from_code(&purpose)
        .ok_or_else(|| AppError::invalid("purpose", crate::error::Rule::Format))?;
    let (state, user) = match purpose {
        TicketPurpose::Login => (super::access::public()?, None),
        TicketPurpose::Bind => {
            let caller = super::access::user_accepted().await?;
            (caller.state, Some(caller.user.id))
        }
    };
    let lang = crate::model::Lang::parse(&lang).unwrap_or_default();
    let website = state.wechat.as_ref().is_some_and(|w| w.website);
    if website && purpose == TicketPurpose::Login {
        let href = crate::i18n::localized_href("/wx/website?purpose=login", lang);
        return Ok(WechatStart::Website { href });
    }
    let meta = super::access::client_meta();
    let origin = super::access::request_origin(&state);
    let browser = browser_cookie(&state, true).ok_or(AppError::Forbidden)?;
    let desktop = crate::backend::wechat::tickets::Desktop {
        browser: &browser,
        meta: &meta,
        lang,
        origin: &origin,
    };
    let t =
        crate::backend::wechat::tickets::create(&state, purpose, user.as_deref(), &desktop, false)
            .await?;
    Ok(if website {
        WechatStart::Website {
            href: format!("/wx/website?ticket={}", t.ticket),
        }
    } else {
        WechatStart::Ticket(t)
    })
}

/// Starts binding a WeChat account to the caller: the password is entered again (a stolen
/// session alone cannot add a way in), then the binding code is shown on the account page.
#[server(prefix = "/api", endpoint = "begin_wechat_bind")]
pub async fn begin_wechat_bind(password: String, lang: String) -> Result<(), AppError> {
    use crate::model::scan::TicketPurpose;
    let caller = super::access::user_accepted().await?;
    crate::backend::accounts::confirm_password(
        &caller.state,
        &caller.user,
        &password,
        "password",
        &caller.meta,
    )
    .await?;
    let lang = crate::model::Lang::parse(&lang).unwrap_or_default();
    let origin = super::access::request_origin(&caller.state);
    let browser = browser_cookie(&caller.state, true).ok_or(AppError::Forbidden)?;
    let desktop = crate::backend::wechat::tickets::Desktop {
        browser: &browser,
        meta: &caller.meta,
        lang,
        origin: &origin,
    };
    let user = Some(caller.user.id.as_str());
    crate::backend::wechat::tickets::create(
        &caller.state,
        TicketPurpose::Bind,
        user,
        &desktop,
        true,
    )
    .await?;
    // The account page draws the code (or, for a website application, links to WeChat's page).
    leptos_axum::redirect(&crate::i18n::localized_href(
        "/portal/account?bind=wechat#wechat",
        lang,
    ));
    Ok(())
}

/// Where this browser's ticket stands (the fallback of the server-sent events).
#[server(prefix = "/api", endpoint = "wechat_scan_progress")]
pub async fn wechat_scan_progress(ticket: String) -> Result<TicketProgress, AppError> {
    let state = super::access::public()?;
    let browser = browser_cookie(&state, false).ok_or(AppError::NotFound)?;
    crate::backend::wechat::tickets::progress(&state, &ticket, &browser).await
}

/// Logs this browser in once the phone confirmed its ticket (the "I have confirmed" button
/// without JavaScript; called by the page when the ticket says confirmed). Goes to the portal.
#[server(prefix = "/api", endpoint = "finish_wechat_login")]
pub async fn finish_wechat_login(ticket: String) -> Result<(), AppError> {
    use crate::backend::accounts::sessions::PrincipalKind;
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let browser = browser_cookie(&state, false).ok_or(AppError::NotFound)?;
    let old = super::access::session_token(&state, PrincipalKind::User);
    let (token, user_id) = crate::backend::wechat::tickets::finish_login(
        &state,
        &ticket,
        &browser,
        old.as_deref(),
        &meta,
    )
    .await?;
    super::access::set_session_cookie(&state, PrincipalKind::User, &token);
    // The visitor's cookie decisions now belong to the account (P2), as with a password login.
    if let Some(choice) = super::access::consent_choice() {
        crate::backend::consent::link_to_user(&state.db, &choice.consent_id, &user_id).await?;
    }
    leptos_axum::redirect("/portal");
    Ok(())
}

/// What the phone page shows for `ticket` (`problem`: what WeChat's return reported).
#[server(prefix = "/api", endpoint = "wechat_scan_view")]
pub async fn wechat_scan_view(
    ticket: String,
    problem: Option<String>,
) -> Result<ScanView, AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let problem = problem
        .as_deref()
        .and_then(crate::model::scan::ScanProblem::from_code);
    crate::backend::wechat::phone::view(
        &state,
        &ticket,
        phone_cookie(&state).as_deref(),
        crate::model::wechat::inside_wechat(
            &meta.user_agent,
            state.wechat.as_ref().is_some_and(|w| w.simulated),
            super::access::cookie(crate::model::wechat::SIM_INSIDE_COOKIE).as_deref(),
        ),
        problem,
    )
    .await
}

/// The phone confirms (`decision` = `confirm`) or cancels (`cancel`) the ticket it scanned.
#[server(prefix = "/api", endpoint = "decide_wechat_scan")]
pub async fn decide_wechat_scan(ticket: String, decision: String) -> Result<ScanView, AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let confirm = match decision.as_str() {
        "confirm" => true,
        "cancel" => false,
        _ => return Err(AppError::invalid("decision", crate::error::Rule::Format)),
    };
    crate::backend::wechat::phone::decide(
        &state,
        &ticket,
        phone_cookie(&state).as_deref(),
        confirm,
        &meta,
    )
    .await
}

/// The caller's bound WeChat account, if any.
#[server(prefix = "/api", endpoint = "my_wechat")]
pub async fn my_wechat() -> Result<Option<WechatBinding>, AppError> {
    let caller = super::access::user().await?;
    crate::backend::wechat::bindings::of_user(&caller.state, &caller.user.id).await
}

/// Unbinds the caller's WeChat account; its nickname and avatar are deleted (P1.1.3).
#[server(prefix = "/api", endpoint = "unbind_wechat")]
pub async fn unbind_wechat() -> Result<(), AppError> {
    let caller = super::access::user().await?;
    crate::backend::wechat::bindings::unbind(
        &caller.state,
        &caller.user.id,
        &caller.actor(),
        caller.user.enterprise_id.as_deref(),
    )
    .await?;
    leptos_axum::redirect("/portal/account");
    Ok(())
}
