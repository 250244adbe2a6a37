//! Customer service's plain routes (issue 18 §3, P1.1.7): a ticket's live updates as
//! server-sent events, and its attached files. Each has a customer's path (the portal's
//! session: the ticket's opener, or the enterprise's admin) and a support operator's path (the
//! console's session with the support role; each file look audited with the ticket). Anyone
//! else gets 404, so a ticket's existence is not disclosed.

use crate::http::{error, session_token};
use crate::state::ServerState;
use app::backend::accounts::operators::{self, OperatorRow};
use app::backend::accounts::sessions::{self, PrincipalKind};
use app::backend::accounts::users::{self, UserRow};
use app::backend::audit::Actor;
use app::backend::support::{self, Party};
use app::backend::AppState;
use app::error::AppError;
use app::model::account::AccountStatus;
use app::model::audit::ActorKind;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::time::Duration;

/// How often an open stream looks for a change, and how long it lasts (the browser then
/// reconnects by itself).
const STREAM_TICK: Duration = Duration::from_secs(1);
const STREAM_MAX: Duration = Duration::from_secs(120);

/// The routes.
pub fn routes() -> axum::Router<ServerState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/support/tickets/{id}/events", get(customer_events))
        .route("/support/ops/tickets/{id}/events", get(operator_events))
        .route("/support/files/{id}", get(customer_file))
        .route("/support/ops/files/{id}", get(operator_file))
}

/// Who is asking.
enum Who {
    Customer(UserRow),
    Operator(OperatorRow),
}

impl Who {
    fn party(&self) -> Party<'_> {
        match self {
            Who::Customer(u) => Party::Customer(u),
            Who::Operator(op) => Party::Operator {
                id: &op.id,
                name: &op.display_name,
            },
        }
    }
}

/// The portal's login person (a member of an open business account), or a support operator
/// after the second factor. With `touch` false the session's idle timer is left alone (what a
/// page does by itself does not keep its session alive).
async fn who(
    state: &AppState,
    headers: &HeaderMap,
    ops: bool,
    touch: bool,
) -> Result<Who, AppError> {
    let now = state.clock.now();
    if ops {
        let token =
            session_token(headers, state, PrincipalKind::Operator).ok_or(AppError::NotFound)?;
        let (db, policy) = (&state.db, state.sessions);
        let session = if touch {
            sessions::lookup(db, PrincipalKind::Operator, &token, policy, now).await?
        } else {
            sessions::peek(db, PrincipalKind::Operator, &token, policy, now).await?
        };
        let session = session
            .filter(|s| s.second_factor_ok)
            .ok_or(AppError::NotFound)?;
        let mut conn = state.db.pool().acquire().await?;
        let op = operators::get(&mut conn, &session.principal_id)
            .await?
            .filter(|o| o.status == AccountStatus::Active)
            .filter(|o| o.has_any(app::model::access::roles::SUPPORT))
            .ok_or(AppError::NotFound)?;
        return Ok(Who::Operator(op));
    }
    let token = session_token(headers, state, PrincipalKind::User).ok_or(AppError::NotFound)?;
    let found = if touch {
        users::by_session(state, &token).await?
    } else {
        users::by_session_untouched(state, &token).await?
    };
    let (_, user) = found
        .filter(|(_, u)| u.holds(None))
        .ok_or(AppError::NotFound)?;
    // P9: business pages wait until the policies in force are accepted.
    app::backend::policy::gate::require_accepted(state, &user.id).await?;
    Ok(Who::Customer(user))
}

/// `GET /support/tickets/{id}/events` and `/support/ops/tickets/{id}/events`: a `changed`
/// event each time the ticket changes (a message, a step, a verification), for as long as the
/// page is open.
pub async fn customer_events(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    events(state, id, headers, false).await
}

pub async fn operator_events(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    events(state, id, headers, true).await
}

/// The ticket's version for whoever `headers` name now (`None`: the session ended, the role
/// went, or the ticket is not theirs).
async fn current(app: &AppState, headers: &HeaderMap, ops: bool, id: &str) -> Option<String> {
    let who = who(app, headers, ops, false).await.ok()?;
    support::version(app, who.party(), id).await.ok().flatten()
}

/// The stream sends the ticket's version first (what changed between the page's load and the
/// connection is not missed), then each new one; it re-checks the session at every tick and
/// ends with it, without keeping it alive.
async fn events(state: ServerState, id: String, headers: HeaderMap, ops: bool) -> Response {
    let app = state.app.clone();
    let first = match who(&app, &headers, ops, false).await {
        Ok(who) => match support::version(&app, who.party(), &id).await {
            Ok(Some(v)) => v,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return error(e),
        },
        Err(e) => return error(e),
    };
    let started = tokio::time::Instant::now();
    let initial = futures_util::stream::once(std::future::ready(
        Ok::<_, std::convert::Infallible>(changed(&first)),
    ));
    let later = futures_util::stream::unfold(first, move |last| {
        let (app, headers, id) = (app.clone(), headers.clone(), id.clone());
        async move {
            loop {
                if started.elapsed() > STREAM_MAX {
                    return None;
                }
                tokio::time::sleep(STREAM_TICK).await;
                let now = current(&app, &headers, ops, &id).await?;
                if now != last {
                    return Some((Ok(changed(&now)), now));
                }
            }
        }
    });
    let stream = futures_util::StreamExt::chain(initial, later);
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn changed(version: &str) -> Event {
    Event::default().event("changed").data(version)
}

/// `GET /support/files/{id}` and `/support/ops/files/{id}`: a file of a ticket the caller may
/// see, sandboxed and never cached.
pub async fn customer_file(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ip = ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string());
    file(&state.app, &id, &headers, &ip, false).await
}

pub async fn operator_file(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ip = ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string());
    file(&state.app, &id, &headers, &ip, true).await
}

async fn file(state: &AppState, id: &str, headers: &HeaderMap, ip: &str, ops: bool) -> Response {
    let read = async {
        let who = who(state, headers, ops, true).await?;
        let actor = match &who {
            Who::Operator(op) => Actor {
                kind: ActorKind::Operator,
                id: op.id.clone(),
                role: op.role_codes(),
                ip: ip.to_string(),
            },
            Who::Customer(u) => Actor {
                kind: ActorKind::User,
                id: u.id.clone(),
                role: u.role_code().into(),
                ip: ip.to_string(),
            },
        };
        support::read_file(state, &actor, who.party(), id).await
    };
    match read.await {
        Ok((name, kind, bytes)) => crate::http::sandboxed_file(&name, kind.mime(), bytes),
        Err(e) => error(e),
    }
}
