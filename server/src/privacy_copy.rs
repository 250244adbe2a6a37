//! `GET /portal/privacy/requests/{id}/copy.zip`: a copy of one's data (issue 16 §3, P6.1), for
//! the person who asked only (anyone else, and an expired copy, get 404), each download
//! audited. The sealed file is opened frame by frame as it is sent, so memory stays flat.

use crate::http::{error, session_token};
use crate::state::ServerState;
use app::backend::accounts::sessions::PrincipalKind;
use app::backend::accounts::users;
use app::backend::audit::Actor;
use app::backend::files::sealed_stream::{next_frame, FrameOpener};
use app::backend::rights::export;
use app::error::AppError;
use app::model::audit::ActorKind;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

pub async fn download(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let state = s.app.clone();
    let ip = ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string());
    // Any logged-in person: the rights do not wait for a new policy version's acceptance.
    let user = match session_token(&headers, &state, PrincipalKind::User) {
        Some(token) => match users::by_session(&state, &token).await {
            Ok(Some((_, user))) => user,
            Ok(None) => return error(AppError::Unauthenticated),
            Err(e) => return error(e),
        },
        None => return error(AppError::Unauthenticated),
    };
    let actor = Actor {
        kind: ActorKind::User,
        id: user.id.clone(),
        role: user.role_code().into(),
        ip,
    };
    let found = match export::download(&state, &user.id, &actor, id.trim()).await {
        Ok(d) => d,
        Err(e) => return error(e),
    };
    let file = match tokio::fs::File::open(&found.path).await {
        Ok(f) => f,
        Err(e) => return error(AppError::internal(e)),
    };
    let opener = FrameOpener::new(state.cipher.clone(), &found.context);
    // Each step reads and opens one frame; a file cut off, altered or with bytes after its end
    // ends the download with an error, so the browser shows it failed rather than saving a
    // broken archive.
    let frames = futures_util::stream::unfold(Some((file, opener)), |st| async move {
        let (mut file, mut opener) = st?;
        match next_frame(&mut file, &mut opener).await {
            Ok(Some(plain)) => Some((Ok(Bytes::from(plain)), Some((file, opener)))),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "a sealed copy of data could not be read");
                Some((Err(e), None))
            }
        }
    });
    let body = futures_util::StreamExt::fuse(frames);
    let mut res = Body::from_stream(body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", found.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
