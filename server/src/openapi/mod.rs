//! The open API `/openapi/v1` (issue 19): enterprises' own systems create and query payment
//! orders and read their balance with signed requests (`app::backend::openapi::verify`). Every
//! request is verified before anything else, limited per key (429 with `Retry-After`), and
//! audited by key id; errors are JSON `{"code", "message", "request_id"}` with a stable code.
//! Amounts are strings in yuan with two decimals; they are stored as fen.

use crate::state::ServerState;
use app::backend::openapi::verify::{self, ApiCaller, Refusal, SignedRequest};
use app::backend::AppState;
use app::error::AppError;
use app::model::openapi::Scope;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::Serialize;
use std::net::SocketAddr;

mod funds;
mod orders;
mod work;

pub fn routes() -> axum::Router<ServerState> {
    axum::Router::new()
        .route("/openapi/v1/orders", post(orders::create).get(orders::list))
        .route("/openapi/v1/orders/{order_id}", get(orders::get_one))
        .route("/openapi/v1/orders/{order_id}/cancel", post(orders::cancel))
        .route("/openapi/v1/orders/{order_id}/retry", post(orders::retry))
        .route("/openapi/v1/balance", get(funds::balance))
        .route("/openapi/v1/fund-flow", get(funds::flow))
        .route("/openapi/v1/bills/{month}", get(funds::bill))
        .route("/openapi/v1/orders/{order_id}/receipt", get(work::receipt))
        .route("/openapi/v1/invoices/stats", get(work::invoice_stats))
        .route("/openapi/v1/tasks", get(work::tasks))
}

/// An error as the API answers it.
#[derive(Serialize)]
pub(crate) struct ApiError {
    code: String,
    message: String,
    request_id: String,
    /// The fields a bad request broke, with the rule each broke.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldRule>,
}

#[derive(Serialize)]
struct FieldRule {
    field: String,
    rule: String,
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string()
}

pub(crate) fn error(
    status: StatusCode,
    code: &str,
    message: &str,
    headers: &HeaderMap,
) -> Response {
    let body = ApiError {
        code: code.into(),
        message: message.into(),
        request_id: request_id(headers),
        fields: Vec::new(),
    };
    (status, Json(body)).into_response()
}

/// An application error as the API answers it (the message in English; the code is stable).
pub(crate) fn app_error(e: AppError, headers: &HeaderMap) -> Response {
    use app::model::Lang;
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match &e {
        AppError::Invalid(_) => "invalid".to_string(),
        AppError::BadRequest(_) => "bad_request".to_string(),
        AppError::Unauthenticated | AppError::BadCredentials => "unauthenticated".to_string(),
        AppError::Forbidden | AppError::PolicyNotAccepted => "forbidden".to_string(),
        AppError::NotFound => "not_found".to_string(),
        AppError::Conflict(c) => serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "conflict".into()),
        AppError::RateLimited => "rate_limited".to_string(),
        AppError::Unavailable => "unavailable".to_string(),
        _ => "internal".to_string(),
    };
    let fields = match &e {
        AppError::Invalid(errs) => errs
            .iter()
            .map(|f| FieldRule {
                field: f.field.clone(),
                rule: serde_json::to_value(f.rule)
                    .ok()
                    .and_then(|v| v["rule"].as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = ApiError {
        code,
        message: e.message(Lang::En),
        request_id: request_id(headers),
        fields,
    };
    (status, Json(body)).into_response()
}

/// Verifies, limits and audits a request for `scope`; the caller, or the answer to send.
pub(crate) async fn authorise(
    s: &ServerState,
    peer: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    scope: Scope,
) -> Result<ApiCaller, Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let ip = match s.trust_forwarded_for {
        true => header("x-forwarded-for")
            .and_then(|v| v.split(',').next_back())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(peer.ip()),
        false => peer.ip(),
    };
    let req = SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        key_id: header("x-key-id"),
        timestamp: header("x-timestamp"),
        nonce: header("x-nonce"),
        signature: header("x-signature"),
        body,
        ip,
    };
    let now = s.app.clock.now().0;
    // An address refused many times this second waits, before the database is asked.
    if let Err(wait) = s.api.may_try(ip, now) {
        return Err(too_many(
            wait,
            "too many refused requests from this address",
            headers,
        ));
    }
    let verified = verify::verify(&s.app, s.api.nonces(), &req, scope)
        .await
        .map_err(|e| app_error(e, headers))?;
    let caller = match verified {
        Ok(c) => c,
        Err(refusal) => {
            s.api.refused(ip, now);
            refused(&s.app, &req, refusal).await;
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            return Err(error(status, refusal.code(), refusal.message(), headers));
        }
    };
    if let Err(wait) = s.api.admit(&caller.key_id, now) {
        return Err(too_many(
            wait,
            "too many requests for this key: wait and retry",
            headers,
        ));
    }
    Ok(caller)
}

/// `429` with `Retry-After`.
fn too_many(wait: u64, message: &str, headers: &HeaderMap) -> Response {
    let mut res = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        message,
        headers,
    );
    res.headers_mut()
        .insert(axum::http::header::RETRY_AFTER, wait.into());
    res
}

/// A refused request is audited under the key id it named (if any).
async fn refused(state: &AppState, req: &SignedRequest<'_>, refusal: Refusal) {
    use app::backend::audit::{self, Actor, Event};
    let actor = Actor {
        kind: app::model::audit::ActorKind::ApiKey,
        id: req.key_id.unwrap_or("-").chars().take(40).collect(),
        role: "api".into(),
        ip: req.ip.to_string(),
    };
    let target = format!("{} {}", req.method, req.path);
    let event = Event {
        result: app::model::audit::AuditResult::Denied,
        ..Event::ok(&actor, "api.refused", &target, refusal.code())
    };
    if let Err(e) = audit::record(&state.db, &event, state.clock.now()).await {
        tracing::error!(error = %e, "audit of a refused API request failed");
    }
}

/// A successful read is audited by key id.
pub(crate) async fn audit_read(
    state: &AppState,
    caller: &ApiCaller,
    what: &str,
) -> Result<(), AppError> {
    use app::backend::audit::{self, Event};
    let actor = caller.actor();
    let event = Event::in_enterprise(&actor, &caller.enterprise_id, "api.read", what, "");
    audit::record(&state.db, &event, state.clock.now()).await?;
    Ok(())
}
