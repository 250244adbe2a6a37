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
/// after the second factor.
async fn who(state: &AppState, headers: &HeaderMap, ops: bool) -> Result<Who, AppError> {
    let now = state.clock.now();
    if ops {
        let token =
            session_token(headers, state, PrincipalKind::Operator).ok_or(AppError::NotFound)?;
        let session = sessions::lookup(
            &state.db,
            PrincipalKind::Operator,
            &token,
            state.sessions,
            now,
        )
        .await?
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
    let (_, user) = users::by_session(state, &token)
        .await?
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

async fn events(state: ServerState, id: String, headers: HeaderMap, ops: bool) -> Response {
    let app = state.app.clone();
    let who = match who(&app, &headers, ops).await {
        Ok(w) => w,
        Err(e) => return error(e),
    };
    let first = match support::version(&app, who.party(), &id).await {
        Ok(Some(v)) => v,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return error(e),
    };
    let started = tokio::time::Instant::now();
    let who = std::sync::Arc::new(who);
    let stream = futures_util::stream::unfold(first, move |last| {
        let (app, who, id) = (app.clone(), who.clone(), id.clone());
        async move {
            loop {
                if started.elapsed() > STREAM_MAX {
                    return None;
                }
                tokio::time::sleep(STREAM_TICK).await;
                let now = match support::version(&app, who.party(), &id).await {
                    Ok(Some(v)) => v,
                    _ => return None,
                };
                if now != last {
                    let event = Event::default().event("changed").data("1");
                    return Some((Ok::<_, std::convert::Infallible>(event), now));
                }
            }
        }
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
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
        let who = who(state, headers, ops).await?;
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
