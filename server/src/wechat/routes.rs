//! The plain HTTP routes of scan-login (P1.1.3; issue 15), beside the pages and server
//! functions:
//!
//! - [`phone_entry`] (middleware): a phone inside WeChat that opens `/wx/scan/{ticket}` is sent
//!   straight into WeChat's authorisation, with a new `state` bound to its `esp_wx_phone`
//!   cookie; anything else goes on to the page.
//! - `GET /wx/callback?code&state` ([`callback`]): WeChat's return; the code is exchanged once
//!   and the phone goes back to its page.
//! - `GET /wx/tickets/{ticket}/events` ([`ticket_events`]): the desktop follows its ticket by
//!   server-sent events (`event: state`, data the `DesktopState` code), only from the browser
//!   that asked for it; the page falls back to polling when the stream fails.
//! - With a website application (`--wechat-website`): `GET /wx/website?purpose=login` or
//!   `?ticket=…` ([`website`]) sends the desktop to WeChat's own QR page, and
//!   `GET /wx/website/finish/{ticket}` ([`website_finish`]) logs it in when WeChat sent it back.

use crate::http::{cookie, error};
use crate::state::ServerState;
use app::backend::accounts::sessions::ClientMeta;
use app::backend::crypto::random_token;
use app::backend::wechat::{phone, tickets};
use app::model::consent::{cookie_spec, wire_name};
use app::model::scan::DesktopState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use std::time::Duration;

/// How often a stream looks at its ticket.
const STREAM_TICK: Duration = Duration::from_secs(1);
/// The longest a stream stays open (a ticket lives two minutes; the page reconnects).
const STREAM_MAX: Duration = Duration::from_secs(180);

/// The origin phones and browsers reach the site at: `--public-origin`, else this request's
/// `Host` (over HTTPS in production, as `app::api::access::request_origin` says it).
fn origin(state: &ServerState, headers: &HeaderMap) -> String {
    if let Some(o) = &state.public_origin {
        return o.trim_end_matches('/').to_string();
    }
    let scheme = if state.app.settings.production {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("{scheme}://{host}")
}

fn meta(req_headers: &HeaderMap, ip: Option<&app::model::net::ClientIp>) -> ClientMeta {
    ClientMeta {
        ip: ip.map(|i| i.0.clone()).unwrap_or_else(|| "-".into()),
        user_agent: req_headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    }
}

/// `(name, value)` of a scan-login cookie, read under its name in this mode.
fn read_cookie(state: &ServerState, headers: &HeaderMap, name: &'static str) -> Option<String> {
    cookie(headers, &wire_name(name, state.app.settings.production))
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The ticket of a phone page's path (`/wx/scan/{ticket}`).
fn scanned_ticket(path: &str) -> Option<&str> {
    path.strip_prefix("/wx/scan/")
        .filter(|t| !t.is_empty() && t.len() <= 128 && t.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Sends a phone inside WeChat that opens a live ticket's page into WeChat's authorisation.
pub async fn phone_entry(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let simulated = state.app.wechat.as_ref().is_some_and(|w| w.simulated);
    // A website application has no phone page of its own to enter from.
    if state.app.wechat.as_ref().is_none_or(|w| w.website) {
        return next.run(req).await;
    }
    let sim_cookie = cookie(headers, app::model::wechat::SIM_INSIDE_COOKIE);
    let inside = app::model::wechat::inside_wechat(ua, simulated, sim_cookie.as_deref());
    let problem = req.uri().query().is_some_and(|q| q.contains("problem="));
    let ticket = match scanned_ticket(req.uri().path()) {
        Some(t) if inside && !problem && req.method() == http::Method::GET => t.to_string(),
        _ => return next.run(req).await,
    };
    let existing = read_cookie(&state, headers, "esp_wx_phone");
    let phone = existing.unwrap_or_else(random_token);
    let ip = req
        .extensions()
        .get::<app::model::net::ClientIp>()
        .map(|i| i.0.clone())
        .unwrap_or_default();
    let to = match phone::begin(&state.app, &ticket, &phone, &origin(&state, headers), &ip).await {
        Ok(Some(url)) => url,
        Ok(None) => return next.run(req).await,
        // Too many starts: the page says so (a page, not an error body).
        Err(app::error::AppError::RateLimited) => {
            return Redirect::to(&format!("/wx/scan/{ticket}?problem=rate_limited")).into_response()
        }
        Err(e) => return error(e),
    };
    let mut res = Redirect::to(&to).into_response();
    // Sent again with every new `state`, so that it outlives the state it is bound to.
    if let Some(spec) = cookie_spec("esp_wx_phone") {
        let v = spec.header(&phone, None, state.app.settings.production);
        if let Ok(v) = HeaderValue::from_str(&v) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    #[serde(default)]
    state: String,
}

/// `GET /wx/callback`: WeChat's return to the phone.
pub async fn callback(
    State(state): State<ServerState>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let phone = read_cookie(&state, &headers, "esp_wx_phone");
    let meta = meta(&headers, ip.as_ref().map(|e| &e.0));
    match phone::callback(
        &state.app,
        q.code.as_deref(),
        &q.state,
        phone.as_deref(),
        &meta,
    )
    .await
    {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e @ app::error::AppError::Internal { .. }) => error(e),
        // WeChat is not configured, or the like: the phone page says it is unavailable.
        Err(_) => Redirect::to("/wx/scan/-?problem=unavailable").into_response(),
    }
}

/// `GET /wx/tickets/{ticket}/events`: the ticket's desktop state, each time it changes, until
/// it is final (or the stream is old; the page then reconnects or polls).
pub async fn ticket_events(
    State(state): State<ServerState>,
    Path(ticket): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(browser) = read_cookie(&state, &headers, "esp_wx_browser") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let first = match tickets::progress(&state.app, &ticket, &browser).await {
        Ok(p) => p.state,
        Err(e) => return error(e),
    };
    let app = state.app.clone();
    let started = tokio::time::Instant::now();
    // (the ticket, the browser, the last state sent (None before the first), finished)
    let seed = (ticket, browser, None::<DesktopState>, false);
    let stream = futures_util::stream::unfold(seed, move |(ticket, browser, last, done)| {
        let app = app.clone();
        async move {
            if done {
                return None;
            }
            let mut current = if last.is_none() { Some(first) } else { None };
            while current.is_none() || current == last {
                if started.elapsed() > STREAM_MAX {
                    return None;
                }
                tokio::time::sleep(STREAM_TICK).await;
                current = match tickets::progress(&app, &ticket, &browser).await {
                    Ok(p) => Some(p.state),
                    Err(_) => return None,
                };
            }
            let state = current?;
            let event = Event::default().event("state").data(state.code());
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (ticket, browser, Some(state), state.is_final()),
            ))
        }
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Sets a registered cookie on a response (renewing its lifetime).
fn set_cookie(
    res: &mut Response,
    state: &ServerState,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) {
    if let Some(spec) = cookie_spec(name) {
        let v = spec.header(value, max_age, state.app.settings.production);
        if let Ok(v) = HeaderValue::from_str(&v) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

#[derive(serde::Deserialize)]
pub struct WebsiteQuery {
    purpose: Option<String>,
    ticket: Option<String>,
    lang: Option<String>,
}

/// `GET /wx/website`: a new login ticket (`purpose=login`) or this browser's binding ticket
/// (`ticket=…`, made after the password), and on to WeChat's own QR page.
pub async fn website(
    State(state): State<ServerState>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Query(q): Query<WebsiteQuery>,
    headers: HeaderMap,
) -> Response {
    use app::model::scan::{DesktopState, ScanProblem, TicketPurpose};
    if !state.app.wechat.as_ref().is_some_and(|w| w.website) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let meta = meta(&headers, ip.as_ref().map(|e| &e.0));
    let lang = q
        .lang
        .as_deref()
        .and_then(app::model::Lang::parse)
        .unwrap_or_default();
    let origin = origin(&state, &headers);
    let browser = read_cookie(&state, &headers, "esp_wx_browser").unwrap_or_else(random_token);
    let phone = read_cookie(&state, &headers, "esp_wx_phone").unwrap_or_else(random_token);
    let told = |purpose, lang: app::model::Lang, p| {
        Redirect::to(&app::backend::wechat::website::problem_path(
            purpose,
            lang.code(),
            p,
        ))
        .into_response()
    };
    let ticket = match (q.ticket, q.purpose.as_deref()) {
        // A binding code: this browser's, for the login person logged in on it now.
        (Some(t), _) => match tickets::owner(&state.app, &t, &browser).await {
            Ok((TicketPurpose::Bind, Some(user), lang, p)) if p.state == DesktopState::Waiting => {
                if session_user(&state, &headers).await.as_deref() != Some(user.as_str()) {
                    return told(TicketPurpose::Bind, lang, ScanProblem::BadState);
                }
                t
            }
            Ok((purpose, _, lang, _)) => return told(purpose, lang, ScanProblem::BadState),
            Err(_) => return told(TicketPurpose::Login, lang, ScanProblem::BadState),
        },
        (None, Some("login")) => {
            let desktop = tickets::Desktop {
                browser: &browser,
                meta: &meta,
                lang,
                origin: &origin,
            };
            match tickets::create(&state.app, TicketPurpose::Login, None, &desktop, false).await {
                Ok(t) => t.ticket,
                Err(app::error::AppError::RateLimited) => {
                    return told(TicketPurpose::Login, lang, ScanProblem::RateLimited)
                }
                Err(e) => return error(e),
            }
        }
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let to = match phone::begin(&state.app, &ticket, &phone, &origin, &meta.ip).await {
        Ok(Some(url)) => url,
        Ok(None) => return told(TicketPurpose::Login, lang, ScanProblem::BadState),
        Err(app::error::AppError::RateLimited) => {
            return told(TicketPurpose::Login, lang, ScanProblem::RateLimited)
        }
        Err(e) => return error(e),
    };
    let mut res = Redirect::to(&to).into_response();
    set_cookie(&mut res, &state, "esp_wx_browser", &browser, None);
    set_cookie(&mut res, &state, "esp_wx_phone", &phone, None);
    res
}

/// `GET /wx/website/finish/{ticket}`: WeChat's own QR page was confirmed; this browser (the one
/// that owns the ticket) is logged in, under the password login's rules.
pub async fn website_finish(
    State(state): State<ServerState>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(ticket): Path<String>,
    headers: HeaderMap,
) -> Response {
    use app::backend::accounts::sessions::PrincipalKind;
    use app::model::scan::{ScanProblem, TicketPurpose};
    if !state.app.wechat.as_ref().is_some_and(|w| w.website) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let meta = meta(&headers, ip.as_ref().map(|e| &e.0));
    let browser = read_cookie(&state, &headers, "esp_wx_browser").unwrap_or_default();
    let lang = match tickets::owner(&state.app, &ticket, &browser).await {
        Ok((_, _, lang, _)) => lang,
        Err(_) => app::model::Lang::default(),
    };
    let problem = |p| {
        Redirect::to(&app::backend::wechat::website::problem_path(
            TicketPurpose::Login,
            lang.code(),
            p,
        ))
        .into_response()
    };
    let old = crate::http::session_token(&headers, &state.app, PrincipalKind::User);
    match tickets::finish_login(&state.app, &ticket, &browser, old.as_deref(), &meta).await {
        Ok((token, user_id)) => {
            let mut res = Redirect::to("/portal").into_response();
            let max_age = state.app.sessions.absolute_ms / 1000;
            set_cookie(
                &mut res,
                &state,
                PrincipalKind::User.cookie_name(),
                &token,
                Some(max_age),
            );
            // The visitor's cookie decisions now belong to the account (P2).
            let choice = cookie(&headers, "esp_consent")
                .and_then(|v| app::model::consent::ConsentChoice::from_cookie(&v))
                .filter(|c| c.is_current());
            if let Some(choice) = choice {
                let linked = app::backend::consent::link_to_user(
                    &state.app.db,
                    &choice.consent_id,
                    &user_id,
                )
                .await;
                if let Err(e) = linked {
                    tracing::warn!(error = %e, "the cookie choice could not be linked");
                }
            }
            res
        }
        Err(app::error::AppError::Locked { .. } | app::error::AppError::AccountDisabled) => {
            problem(ScanProblem::LoginRefused)
        }
        Err(app::error::AppError::NotFound | app::error::AppError::Conflict(_)) => {
            problem(ScanProblem::BadState)
        }
        Err(e) => error(e),
    }
}

/// The login person logged in on this request, if any.
async fn session_user(state: &ServerState, headers: &HeaderMap) -> Option<String> {
    use app::backend::accounts::sessions::{self, PrincipalKind};
    let token = crate::http::session_token(headers, &state.app, PrincipalKind::User)?;
    sessions::lookup(
        &state.app.db,
        PrincipalKind::User,
        &token,
        state.app.sessions,
        state.app.clock.now(),
    )
    .await
    .ok()
    .flatten()
    .map(|s| s.principal_id)
}
