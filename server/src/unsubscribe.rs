//! One-click unsubscribe (RFC 8058, P7.1): every promotional e-mail carries
//! `List-Unsubscribe: <https://…/unsubscribe/{token}>` and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; a mail client then unsubscribes with
//! one `POST` of `List-Unsubscribe=One-Click` to that address, without cookies or a login. A
//! `GET` of the same address is the page (`app::pages::public::UnsubscribePage`), which
//! changes nothing until its button is pressed, so link scanners cannot unsubscribe anyone.

use crate::http::error;
use crate::state::ServerState;
use app::error::AppError;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

pub async fn one_click(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    // RFC 8058 §3.2: the body is exactly this form field.
    let one_click = body
        .split('&')
        .any(|field| field.trim() == "List-Unsubscribe=One-Click");
    if !one_click {
        return (
            StatusCode::BAD_REQUEST,
            "expected List-Unsubscribe=One-Click",
        )
            .into_response();
    }
    let meta = app::backend::request::ClientMeta {
        ip: ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    match app::backend::messages::prefs::unsubscribe(&state.app, token.trim(), &meta).await {
        Ok(()) => (StatusCode::OK, "unsubscribed").into_response(),
        Err(e @ AppError::NotFound) => error(e),
        Err(e) => {
            tracing::error!(error = ?e, "one-click unsubscribe failed");
            error(e)
        }
    }
}
