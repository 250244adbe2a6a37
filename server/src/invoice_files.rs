//! Invoice downloads (issue 17, P6.1): an issued invoice's file, `GET
//! /portal/finance/invoices/{id}/file` for the enterprise's admin and finance members and `GET
//! /ops/invoices/{id}/file` for finance operators (every look audited; anyone else gets 404 or
//! the login's refusal; never cached), and the enterprise's invoices as CSV, `GET
//! /portal/finance/invoices.csv?lang=&variant=excel`.

use crate::http::{error, session_token};
use crate::state::ServerState;
use app::backend::accounts::operators;
use app::backend::accounts::sessions::{self, PrincipalKind};
use app::backend::audit::Actor;
use app::backend::invoices::issuing::{self, FileReader};
use app::backend::AppState;
use app::error::AppError;
use app::model::account::{AccountStatus, OperatorRole, Permission};
use app::model::audit::ActorKind;
use app::model::invoice::InvoiceFile;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::SocketAddr;

/// The invoice downloads' routes.
pub fn routes() -> axum::Router<ServerState> {
    axum::Router::new()
        .route("/portal/finance/invoices.csv", get(portal_csv))
        .route("/portal/finance/invoices/{id}/file", get(portal_file))
        .route("/ops/invoices/{id}/file", get(ops_file))
}

/// The enterprise's download.
pub async fn portal_file(
    State(s): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let state = &s.app;
    let read = async {
        let (_, eid) = crate::exports::member_holding(state, &headers, Permission::Finance).await?;
        issuing::file(state, FileReader::Enterprise(&eid), &id).await
    };
    respond(read.await)
}

/// Finance's download in the console.
pub async fn ops_file(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ip = ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string());
    let state = &s.app;
    let read = async {
        let actor = finance_operator(state, &headers, &ip).await?;
        issuing::file(state, FileReader::Finance(&actor), &id).await
    };
    respond(read.await)
}

/// The operator of the request's console session, after TOTP, holding the finance role (or
/// super-admin).
async fn finance_operator(
    state: &AppState,
    headers: &HeaderMap,
    ip: &str,
) -> Result<Actor, AppError> {
    let token =
        session_token(headers, state, PrincipalKind::Operator).ok_or(AppError::Unauthenticated)?;
    let s = sessions::lookup(
        &state.db,
        PrincipalKind::Operator,
        &token,
        state.sessions,
        state.clock.now(),
    )
    .await?
    .filter(|s| s.second_factor_ok)
    .ok_or(AppError::Unauthenticated)?;
    let mut conn = state.db.pool().acquire().await?;
    let op = operators::get(&mut conn, &s.principal_id)
        .await?
        .filter(|o| o.status == AccountStatus::Active)
        .ok_or(AppError::Unauthenticated)?;
    if !op.has_any(&[OperatorRole::Finance]) {
        return Err(AppError::Forbidden);
    }
    Ok(Actor {
        kind: ActorKind::Operator,
        id: op.id.clone(),
        role: op.role_codes(),
        ip: ip.to_string(),
    })
}

fn respond(read: Result<(InvoiceFile, String, Vec<u8>), AppError>) -> Response {
    let (kind, name, bytes) = match read {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    res
}

#[derive(serde::Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    lang: String,
    /// `excel`: the variant Excel opens with the Chinese intact (BOM, CRLF).
    #[serde(default)]
    variant: String,
}

/// The enterprise's invoices as CSV, in the page's language.
pub async fn portal_csv(
    State(s): State<ServerState>,
    Query(q): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    let state = &s.app;
    let rows = async {
        let (_, eid) = crate::exports::member_holding(state, &headers, Permission::Finance).await?;
        app::backend::invoices::applications::export_rows(state, &eid).await
    };
    let rows = match rows.await {
        Ok(r) => r,
        Err(e) => return error(e),
    };
    let lang = app::i18n::Lang::parse(&q.lang).unwrap_or_default();
    let excel = q.variant == "excel";
    let name = if excel {
        "invoices-excel.csv"
    } else {
        "invoices.csv"
    };
    crate::http::csv_download(app::i18n::invoices_csv(&rows, lang, excel), name)
}
