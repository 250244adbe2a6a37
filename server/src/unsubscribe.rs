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
    // RFC 8058 §3.1: the form field `List-Unsubscribe=One-Click`, sent as
    // `multipart/form-data` (recommended) or `application/x-www-form-urlencoded`.
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"));
    let one_click = if multipart {
        one_click_part(&body)
    } else {
        body.split('&')
            .any(|field| field.trim() == "List-Unsubscribe=One-Click")
    };
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

/// Whether a `multipart/form-data` body has the part `List-Unsubscribe` with the value
/// `One-Click`.
fn one_click_part(body: &str) -> bool {
    // Header names are case-insensitive, and some clients end lines with a bare LF.
    let body = body.replace("\r\n", "\n");
    let lower = body.to_ascii_lowercase();
    lower.match_indices("content-disposition:").any(|(at, _)| {
        let Some(head_end) = lower[at..].find("\n\n").map(|e| at + e) else {
            return false;
        };
        lower[at..head_end].contains("name=\"list-unsubscribe\"")
            && body[head_end + 2..].split('\n').next().map(str::trim) == Some("One-Click")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_multipart_one_click_field() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
        assert!(super::one_click_part(body));
        assert!(!super::one_click_part(&body.replace("One-Click", "No")));
        assert!(!super::one_click_part("List-Unsubscribe=One-Click"));
        let lf =
            "--b\ncontent-disposition: form-data; name=\"List-Unsubscribe\"\n\nOne-Click\n--b--\n";
        assert!(super::one_click_part(lf));
    }
}
