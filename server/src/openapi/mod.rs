//! The open API `/openapi/v1` (issue 19): enterprises' own systems create and query payment
//! orders, read their funds, apply for invoices and record tasks' completions with signed
//! requests (`app::backend::openapi::verify`). Every request is verified before anything else
//! ([`Signed`]), limited per key (429 with `Retry-After`), and audited by key id; errors are
//! JSON `{"code", "message", "request_id"}` with a stable code — also where axum would answer
//! plain text: a malformed path or query ([`Path`], [`Query`]: `bad_request`, answered before
//! the signature, as it names nothing), an unknown route (`not_found`) and a method a route does
//! not take (`method_not_allowed`). Amounts are strings in yuan with
//! two decimals; they are stored as fen.
//!
//! The routes and the OpenAPI 3.1 document come from the same list ([`routes`]): a handler is
//! served only with its `#[utoipa::path]`, so the document names every route
//! (`/openapi/v1/openapi.json`, readable at `/openapi/v1/docs`).

use crate::state::ServerState;
use app::backend::openapi::verify::{self, ApiCaller, Refusal, SignedRequest};
use app::backend::AppState;
use app::error::AppError;
use app::model::openapi::Scope;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use std::net::SocketAddr;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub mod docs;
mod funds;
mod invoices;
mod orders;
mod tasks;

/// The open API's routes and its OpenAPI document, built from one list.
pub fn routes() -> (axum::Router<ServerState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(docs::base())
        .routes(routes!(orders::create, orders::list))
        .routes(routes!(orders::get_one))
        .routes(routes!(orders::cancel))
        .routes(routes!(orders::retry))
        .routes(routes!(orders::receipt))
        .routes(routes!(funds::balance))
        .routes(routes!(funds::flow))
        .routes(routes!(funds::bill))
        .routes(routes!(invoices::apply, invoices::list))
        .routes(routes!(invoices::stats))
        .routes(routes!(tasks::list))
        .routes(routes!(tasks::record_completion, tasks::completions))
        .routes(routes!(tasks::completion_step))
        .split_for_parts();
    let router = router
        .method_not_allowed_fallback(method_not_allowed)
        .route("/openapi/v1", axum::routing::any(unknown_route))
        .route("/openapi/v1/", axum::routing::any(unknown_route))
        .route("/openapi/v1/{*rest}", axum::routing::any(unknown_route));
    (router, doc)
}

/// A route the API does not have: its JSON `not_found`, not the portal's page.
async fn unknown_route(headers: HeaderMap) -> Response {
    let message = "no such route: see /openapi/v1/openapi.json";
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        message,
        &request_id(&headers),
    )
}

/// A method the route does not take (axum adds the `Allow` header).
pub(crate) async fn method_not_allowed(headers: HeaderMap) -> Response {
    let message = "the route does not take this method: see /openapi/v1/openapi.json";
    let rid = request_id(&headers);
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        message,
        &rid,
    )
}

/// A path's values, or the API's JSON `bad_request` (axum's own `Path` answers plain text).
pub(crate) struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<ServerState> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &ServerState) -> Result<Self, Response> {
        match axum::extract::Path::<T>::from_request_parts(parts, s).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => Err(malformed(&e.body_text(), &parts.headers)),
        }
    }
}

/// A query's values, or the API's JSON `bad_request` (axum's own `Query` answers plain text).
pub(crate) struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<ServerState> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &ServerState) -> Result<Self, Response> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(malformed(&e.body_text(), &parts.headers)),
        }
    }
}

fn malformed(why: &str, headers: &HeaderMap) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        why,
        &request_id(headers),
    )
}

/// An error as the API answers it.
#[derive(Serialize, ToSchema)]
pub(crate) struct ApiError {
    /// Stable: `bad_signature`, `key_revoked`, `not_found`, `invalid`, `order_id_reused`…
    code: String,
    /// In English, for a person reading a log.
    message: String,
    /// The request's id (`X-Request-Id`), for support.
    request_id: String,
    /// The fields a bad request broke, with the rule each broke.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldRule>,
}

#[derive(Serialize, ToSchema)]
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

pub(crate) fn error(status: StatusCode, code: &str, message: &str, rid: &str) -> Response {
    let body = ApiError {
        code: code.into(),
        message: message.into(),
        request_id: rid.into(),
        fields: Vec::new(),
    };
    (status, Json(body)).into_response()
}

/// An application error as the API answers it (the message in English; the code is stable).
pub(crate) fn app_error(e: AppError, rid: &str) -> Response {
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
        request_id: rid.into(),
        fields,
    };
    (status, Json(body)).into_response()
}

/// The answer to a request: `ok` with the value as JSON, or the error.
pub(crate) fn answer<T: Serialize>(rid: &str, ok: StatusCode, r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => (ok, Json(v)).into_response(),
        Err(e) => app_error(e, rid),
    }
}

/// The scope a route needs, as a type (so that [`Signed`] can name it).
pub(crate) trait Needs: Send + Sync {
    const SCOPE: Scope;
}

macro_rules! scopes {
    ($($name:ident => $scope:expr),*) => {$(
        pub(crate) struct $name;
        impl Needs for $name {
            const SCOPE: Scope = $scope;
        }
    )*};
}
scopes!(Orders => Scope::Orders, FundsRead => Scope::FundsRead, Invoices => Scope::Invoices, Tasks => Scope::Tasks);

/// The most a request's body may hold.
const BODY_MAX: usize = 64 * 1024;

/// A request verified for scope `N` (signature, time, nonce, key, IP allow-list, scope, rate):
/// its caller, its body and its request id. Anything else is answered before the handler runs.
pub(crate) struct Signed<N> {
    pub caller: ApiCaller,
    pub body: Bytes,
    pub rid: String,
    scope: PhantomData<N>,
}

impl<N: Needs> FromRequest<ServerState> for Signed<N> {
    type Rejection = Response;

    async fn from_request(req: Request, s: &ServerState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let rid = request_id(&parts.headers);
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>().copied()
        else {
            return Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "no peer address",
                &rid,
            ));
        };
        let Ok(body) = axum::body::to_bytes(body, BODY_MAX).await else {
            return Err(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the body is larger than 64 KB",
                &rid,
            ));
        };
        let caller = authorise(
            s,
            peer,
            &parts.method,
            &parts.uri,
            &parts.headers,
            &body,
            N::SCOPE,
        )
        .await?;
        Ok(Signed {
            caller,
            body,
            rid,
            scope: PhantomData,
        })
    }
}

impl<N> Signed<N> {
    /// The body as JSON of type `T`, or the `bad_json` answer (an answer, as axum's
    /// rejections are).
    #[allow(clippy::result_large_err)]
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T, Response> {
        serde_json::from_slice(&self.body).map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                "bad_json",
                &format!("the body must be a JSON object with {what}"),
                &self.rid,
            )
        })
    }
}

/// Verifies, limits and audits a request for `scope`; the caller, or the answer to send.
async fn authorise(
    s: &ServerState,
    peer: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    scope: Scope,
) -> Result<ApiCaller, Response> {
    let rid = request_id(headers);
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
            &rid,
        ));
    }
    let verified = verify::verify(&s.app, s.api.nonces(), &req, scope)
        .await
        .map_err(|e| app_error(e, &rid))?;
    let caller = match verified {
        Ok(c) => c,
        Err(refusal) => {
            s.api.refused(ip, now);
            refused(&s.app, &req, refusal).await;
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            return Err(error(status, refusal.code(), refusal.message(), &rid));
        }
    };
    if let Err(wait) = s.api.admit(&caller.key_id, now) {
        return Err(too_many(
            wait,
            "too many requests for this key: wait and retry",
            &rid,
        ));
    }
    Ok(caller)
}

/// `429` with `Retry-After`.
fn too_many(wait: u64, message: &str, rid: &str) -> Response {
    let mut res = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message, rid);
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
