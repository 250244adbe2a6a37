//! Cookie consent (P2.1, P2.2): the banner's state and the visitor's decisions. Both are
//! public: a visitor decides before logging in.

use crate::error::AppError;
use crate::model::consent::{ConsentRecordView, ConsentState};
use leptos::prelude::*;

/// Whether to ask, and what was chosen. A browser sending `Sec-GPC: 1` is never asked: its
/// "reject optional" decision is recorded by the server's GPC middleware before the page is
/// rendered (`server::middleware::global_privacy_control`), which also sets the cookie.
#[server(prefix = "/api", endpoint = "consent_state")]
pub async fn load_consent_state(lang: String) -> Result<ConsentState, AppError> {
    let _ = (super::access::public()?, lang);
    let gpc = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get("sec-gpc")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            == Some("1")
    });
    Ok(match super::access::consent_choice() {
        Some(choice) => ConsentState {
            ask: false,
            convenience: choice.convenience,
            gpc,
        },
        None => ConsentState {
            ask: !gpc,
            convenience: false,
            gpc,
        },
    })
}

/// Records a decision, keeps it in the consent cookie, and deletes the cookies of any
/// category now refused.
#[cfg(feature = "ssr")]
async fn decide(
    state: &crate::backend::AppState,
    choice: &crate::model::consent::ConsentChoice,
    method: crate::model::consent::ConsentMethod,
    lang: &str,
) -> Result<(), AppError> {
    use crate::model::consent::{CookieCategory, COOKIES};
    let user = match super::access::session_of(
        state,
        crate::backend::accounts::sessions::PrincipalKind::User,
    )
    .await?
    {
        Some(s) => Some(s.principal_id),
        None => None,
    };
    let lang = crate::i18n::Lang::parse(lang).unwrap_or_default();
    crate::backend::consent::record(
        &state.db,
        &crate::backend::consent::Decision {
            consent_id: &choice.consent_id,
            user_id: user.as_deref(),
            convenience: choice.convenience,
            method,
            lang: lang.code(),
        },
        &super::access::client_meta(),
        state.clock.now(),
    )
    .await?;
    super::access::set_cookie(
        state,
        "esp_consent",
        &choice.to_cookie(),
        None,
        Some(choice),
    );
    for c in COOKIES
        .iter()
        .filter(|c| c.category != CookieCategory::Necessary)
    {
        if !choice.allows(c.category) && super::access::cookie(c.name).is_some() {
            super::access::clear_cookie(state, c.name);
        }
    }
    Ok(())
}

/// "Accept all" (`choice` = `accept_all`), "Reject all" (`reject_all`) or the customised
/// toggles (`custom`, with `convenience` = `on` when ticked). Turning a category off that was
/// on is recorded as a withdrawal.
#[server(prefix = "/api", endpoint = "save_consent")]
pub async fn save_consent(
    choice: String,
    convenience: Option<String>,
    lang: String,
) -> Result<ConsentState, AppError> {
    use crate::model::consent::{ConsentChoice, ConsentMethod, COOKIE_REVISION};
    let state = super::access::public()?;
    let previous = super::access::consent_choice();
    let (method, wanted) = ConsentMethod::for_choice(
        &choice,
        convenience.as_deref() == Some("on"),
        previous.as_ref(),
    )
    .ok_or_else(|| AppError::invalid("choice", crate::error::Rule::Format))?;
    let next = ConsentChoice {
        revision: COOKIE_REVISION,
        consent_id: previous.map_or_else(crate::backend::ids::new_id, |p| p.consent_id),
        convenience: wanted,
    };
    decide(&state, &next, method, &lang).await?;
    Ok(ConsentState {
        ask: false,
        convenience: wanted,
        gpc: false,
    })
}

/// The logged-in user's cookie decisions, newest first.
#[server(prefix = "/api", endpoint = "my_consents")]
pub async fn my_consents() -> Result<Vec<ConsentRecordView>, AppError> {
    let caller = super::access::user().await?;
    crate::backend::consent::history(&caller.state.db, &caller.user.id).await
}

/// The login name remembered by the convenience cookie (only with that consent).
#[server(prefix = "/api", endpoint = "remembered_login")]
pub async fn remembered_login() -> Result<Option<String>, AppError> {
    super::access::public()?;
    let allowed = super::access::consent_choice().is_some_and(|c| c.convenience);
    Ok(allowed
        .then(|| super::access::cookie("esp_login"))
        .flatten())
}
