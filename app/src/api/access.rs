//! Who may call what. Each server function calls exactly one of these first:
//!
//! | check | who passes |
//! |---|---|
//! | [`public`] | anyone |
//! | [`user`] | a logged-in login person, including an applicant without a business account |
//! | [`member`] | a login person of an open business account, with the given permission |
//! | [`admin`] | that account's admin |
//! | [`operator`] | an operator who passed the TOTP step and holds one of the roles (super-admins hold all) |
//!
//! Refusals of logged-in callers are audited (result `denied`).

use crate::backend::accounts::operators::{self, OperatorRow};
use crate::backend::accounts::sessions::{self, ClientMeta, PrincipalKind, Session};
use crate::backend::accounts::users::{self, UserRow};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{MemberRole, OperatorRole, Permission};
use crate::model::audit::{ActorKind, AuditResult};
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::HeaderValue;
use leptos::prelude::{expect_context, use_context};
use std::net::SocketAddr;

pub fn state() -> AppResult<AppState> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("application state is missing from the request context"))
}

/// A function any visitor may call.
pub fn public() -> AppResult<AppState> {
    state()
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The caller's address and browser.
pub fn client_meta() -> ClientMeta {
    let Some(parts) = parts() else {
        return ClientMeta::default();
    };
    let ip = parts
        .extensions
        .get::<crate::model::net::ClientIp>()
        .map(|c| c.0.clone())
        .or_else(|| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "-".into());
    let user_agent = parts
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    ClientMeta { ip, user_agent }
}

/// The origin browsers use to reach this site (`https://platform.example`), for links that
/// leave the page (invitation links a user copies, links in e-mails): `--public-origin` when
/// configured, else the request's own `Origin` or `Host`. Empty when none can be trusted, and
/// the link then stays relative.
pub fn request_origin(state: &AppState) -> String {
    if let Some(origin) = &state.settings.public_origin {
        return origin.trim_end_matches('/').to_string();
    }
    let Some(parts) = parts() else {
        return String::new();
    };
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let Some(host) = header(http::header::HOST).filter(|h| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    }) else {
        return String::new();
    };
    // A browser's `Origin` names the scheme; it is only trusted for this very host.
    if let Some(origin) = header(http::header::ORIGIN) {
        for scheme in ["https", "http"] {
            if origin
                .strip_prefix(scheme)
                .and_then(|r| r.strip_prefix("://"))
                == Some(host)
            {
                return format!("{scheme}://{host}");
            }
        }
    }
    let scheme = if state.settings.production {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Whether the call is a plain form post, sent by a browser without the WASM (it accepts
/// `text/html`; the WASM's calls accept the answer's encoding): its answer is a redirect back
/// to the page, so what the page must show once has to wait for it (`shown_once`).
pub fn plain_form_post() -> bool {
    parts().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// The value of a request cookie.
pub fn cookie(name: &str) -> Option<String> {
    let parts = parts()?;
    let values = parts.headers.get_all(COOKIE);
    crate::model::net::cookie_value(values.iter().filter_map(|v| v.to_str().ok()), name)
}

/// The session token of `kind` that the request carries, under the cookie's production or
/// development name (never the other: in production only the `__Host-` cookie counts).
pub fn session_token(state: &AppState, kind: PrincipalKind) -> Option<String> {
    let name = crate::model::consent::wire_name(kind.cookie_name(), state.settings.production);
    cookie(&name)
}

/// The request's current cookie choice, if any.
pub fn consent_choice() -> Option<crate::model::consent::ConsentChoice> {
    cookie("esp_consent")
        .and_then(|v| crate::model::consent::ConsentChoice::from_cookie(&v))
        .filter(|c| c.is_current())
}

/// The one cookie writer (P2.1, P2.2). The cookie must be in the registry
/// (`model::consent::COOKIES`); an optional one is written only when `consent` (the choice
/// being made) or the request's own choice allows its category. Returns whether it was set.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
    consent: Option<&crate::model::consent::ConsentChoice>,
) -> bool {
    use crate::model::consent::{cookie_spec, CookieCategory};
    let Some(spec) = cookie_spec(name) else {
        tracing::error!(
            cookie = name,
            "refused to set a cookie that is not in the registry"
        );
        return false;
    };
    if spec.category != CookieCategory::Necessary {
        let allowed = match consent {
            Some(c) => c.allows(spec.category),
            None => consent_choice().is_some_and(|c| c.allows(spec.category)),
        };
        if !allowed {
            return false;
        }
    }
    append_set_cookie(&spec.header(value, max_age_secs, state.settings.production));
    true
}

/// Deletes a registered cookie (an empty value that expires at once).
pub fn clear_cookie(state: &AppState, name: &str) {
    if let Some(spec) = crate::model::consent::cookie_spec(name) {
        append_set_cookie(&spec.header("", Some(0), state.settings.production));
    }
}

/// Sets the session cookie: HttpOnly, SameSite=Lax, Secure in production (P2.1, P5.2).
pub fn set_session_cookie(state: &AppState, kind: PrincipalKind, token: &str) {
    let max_age = state.sessions.absolute_ms / 1000;
    set_cookie(state, kind.cookie_name(), token, Some(max_age), None);
}

pub fn clear_session_cookie(state: &AppState, kind: PrincipalKind) {
    clear_cookie(state, kind.cookie_name());
}

fn append_set_cookie(value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        expect_context::<leptos_axum::ResponseOptions>().append_header(SET_COOKIE, v);
    }
}

/// A logged-in login person.
pub struct UserCaller {
    pub state: AppState,
    pub user: UserRow,
    pub session: Session,
    pub meta: ClientMeta,
}

impl UserCaller {
    pub fn actor(&self) -> Actor {
        Actor {
            kind: ActorKind::User,
            id: self.user.id.clone(),
            role: self.user.role_code().into(),
            ip: self.meta.ip.clone(),
        }
    }
    /// The caller's enterprise (present for [`member`] and [`admin`] callers).
    pub fn enterprise_id(&self) -> AppResult<&str> {
        self.user
            .enterprise_id
            .as_deref()
            .ok_or(AppError::Forbidden)
    }
}

/// The session of the given kind named by the request's cookie, if it is live.
pub async fn session_of(state: &AppState, kind: PrincipalKind) -> AppResult<Option<Session>> {
    let Some(token) = session_token(state, kind) else {
        return Ok(None);
    };
    sessions::lookup(&state.db, kind, &token, state.sessions, state.clock.now())
        .await
        .map_err(AppError::internal)
}

/// What one request has learnt of its logged-in caller (issue 14 §2): a page whose resources
/// each ask who is calling reads the session and the user once, and checks the policy gate
/// once. A fresh one is provided for every request (`request_context`); resources that ask at
/// the same moment wait for the first answer. Only a passed gate is remembered.
#[derive(Clone, Default)]
pub struct RequestMemo(std::sync::Arc<MemoInner>);

#[derive(Default)]
struct MemoInner {
    user: tokio::sync::OnceCell<Option<(Session, UserRow)>>,
    accepted: tokio::sync::OnceCell<()>,
}

/// A logged-in, active login person (applicants included).
pub async fn user() -> AppResult<UserCaller> {
    let state = state()?;
    let token = session_token(&state, PrincipalKind::User).ok_or(AppError::Unauthenticated)?;
    let found = match use_context::<RequestMemo>() {
        Some(memo) => memo
            .0
            .user
            .get_or_try_init(|| users::by_session(&state, &token))
            .await?
            .clone(),
        None => users::by_session(&state, &token).await?,
    };
    let (session, user) = found.ok_or(AppError::Unauthenticated)?;
    Ok(UserCaller {
        state,
        user,
        session,
        meta: client_meta(),
    })
}

/// A login person who has accepted the policy versions in force (P9): business functions are
/// closed to anyone who has not, whatever the page shows.
pub async fn user_accepted() -> AppResult<UserCaller> {
    use crate::backend::policy::gate::require_accepted;
    let caller = user().await?;
    match use_context::<RequestMemo>() {
        Some(memo) => {
            memo.0
                .accepted
                .get_or_try_init(|| require_accepted(&caller.state, &caller.user.id))
                .await?;
        }
        None => require_accepted(&caller.state, &caller.user.id).await?,
    }
    Ok(caller)
}

/// A login person of an open business account who holds `needs` (admins hold every
/// permission; `None` asks only for membership), and who has accepted the policies in force.
pub async fn member(needs: Option<Permission>) -> AppResult<UserCaller> {
    let caller = user_accepted().await?;
    if !caller.user.holds(needs) {
        deny(
            &caller.state,
            &caller.actor(),
            caller.user.enterprise_id.as_deref(),
            needs.map_or("member", Permission::code),
        )
        .await;
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

/// The admin of an open business account (who has accepted the policies in force).
pub async fn admin() -> AppResult<UserCaller> {
    let caller = user_accepted().await?;
    if caller.user.enterprise_id.is_none() || caller.user.role != Some(MemberRole::Admin) {
        deny(
            &caller.state,
            &caller.actor(),
            caller.user.enterprise_id.as_deref(),
            "admin",
        )
        .await;
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

/// An operator who passed both login steps.
pub struct OperatorCaller {
    pub state: AppState,
    pub op: OperatorRow,
    pub meta: ClientMeta,
}

impl OperatorCaller {
    pub fn actor(&self) -> Actor {
        Actor {
            kind: ActorKind::Operator,
            id: self.op.id.clone(),
            role: self.op.role_codes(),
            ip: self.meta.ip.clone(),
        }
    }
}

/// The operator session named by the cookie, whether or not the TOTP step is done.
pub async fn operator_session() -> AppResult<(AppState, Session, OperatorRow)> {
    let state = state()?;
    let session = session_of(&state, PrincipalKind::Operator)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let mut conn = state.db.conn().await?;
    let op = operators::get(&mut conn, &session.principal_id)
        .await?
        .filter(|o| o.status == crate::model::account::AccountStatus::Active)
        .ok_or(AppError::Unauthenticated)?;
    drop(conn);
    Ok((state, session, op))
}

/// An operator with one of `roles` (super-admins pass every check), after TOTP.
pub async fn operator(roles: &[OperatorRole]) -> AppResult<OperatorCaller> {
    let (state, session, op) = operator_session().await?;
    if !session.second_factor_ok {
        return Err(AppError::Unauthenticated);
    }
    let caller = OperatorCaller {
        state,
        op,
        meta: client_meta(),
    };
    if !caller.op.has_any(roles) {
        let needed = OperatorRole::list_to_codes(roles);
        deny(&caller.state, &caller.actor(), None, &needed).await;
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

/// Records a refused call by a logged-in caller.
/// Whether a refusal was recorded for this request already. A page a user may not open is
/// answered with its 403 page while its own queries are refused too: the audit log gets one
/// entry for the request, not one per query. (Provided per request by the server.)
#[derive(Clone, Default)]
pub struct DenialRecorded(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

async fn deny(state: &AppState, actor: &Actor, enterprise_id: Option<&str>, needed: &str) {
    if use_context::<DenialRecorded>()
        .is_some_and(|d| d.0.swap(true, std::sync::atomic::Ordering::Relaxed))
    {
        return;
    }
    let path = parts()
        .map(|p| p.uri.path().to_string())
        .unwrap_or_default();
    let event = Event {
        actor,
        enterprise_id,
        action: "access.denied",
        target: &path,
        result: AuditResult::Denied,
        detail: &format!("needs {needed}"),
    };
    if let Err(e) = audit::record(&state.db, &event, state.clock.now()).await {
        tracing::error!(error = %e, "could not record a refused call");
    }
}
