//! The open API `/openapi/v1` (issue 19): enterprises' own systems create and query payment
//! orders and read their balance with signed requests (`app::backend::openapi::verify`). Every
//! request is verified before anything else, limited per key (429 with `Retry-After`), and
//! audited by key id; errors are JSON `{"code", "message", "request_id"}` with a stable code.
//! Amounts are strings in yuan with two decimals; they are stored as fen.

use crate::state::ServerState;
use app::backend::openapi::verify::{self, ApiCaller, Nonces, Refusal, SignedRequest};
use app::backend::AppState;
use app::error::AppError;
use app::model::funds::OrderView;
use app::model::openapi::Scope;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

/// The API's nonces and per-key rate limits, one per process.
pub struct Guard {
    nonces: Nonces,
    rate: u32,
    /// Per key: the second and the requests made in it.
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl Guard {
    pub fn new(rate_per_second: u32) -> Self {
        Guard {
            nonces: Nonces::default(),
            rate: rate_per_second,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `key_id` at `now_ms`; `Err(seconds)` to wait when over the limit.
    fn admit(&self, key_id: &str, now_ms: i64) -> Result<(), u64> {
        let second = now_ms.div_euclid(1000);
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 10_000 {
            w.retain(|_, (s, _)| *s >= second - 1);
        }
        let entry = w.entry(key_id.to_string()).or_insert((second, 0));
        if entry.0 != second {
            *entry = (second, 0);
        }
        if entry.1 >= self.rate {
            return Err(1);
        }
        entry.1 += 1;
        Ok(())
    }
}

pub fn routes() -> axum::Router<ServerState> {
    axum::Router::new()
        .route("/openapi/v1/orders", post(create_order))
        .route("/openapi/v1/orders/{order_id}", get(get_order))
        .route("/openapi/v1/balance", get(balance))
}

/// An error as the API answers it.
#[derive(Serialize)]
struct ApiError {
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

fn error(status: StatusCode, code: &str, message: &str, headers: &HeaderMap) -> Response {
    let body = ApiError {
        code: code.into(),
        message: message.into(),
        request_id: request_id(headers),
        fields: Vec::new(),
    };
    (status, Json(body)).into_response()
}

/// An application error as the API answers it (the message in English; the code is stable).
fn app_error(e: AppError, headers: &HeaderMap) -> Response {
    use app::model::Lang;
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match &e {
        AppError::Invalid(_) => "invalid".to_string(),
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
async fn authorise(
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
    let verified = verify::verify(&s.app, &s.api.nonces, &req, scope)
        .await
        .map_err(|e| app_error(e, headers))?;
    let caller = match verified {
        Ok(c) => c,
        Err(refusal) => {
            refused(&s.app, &req, refusal).await;
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            return Err(error(status, refusal.code(), refusal.message(), headers));
        }
    };
    if let Err(wait) = s.api.admit(&caller.key_id, s.app.clock.now().0) {
        let mut res = error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests for this key: wait and retry",
            headers,
        );
        res.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, wait.into());
        return Err(res);
    }
    Ok(caller)
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
async fn audit_read(state: &AppState, caller: &ApiCaller, what: &str) -> Result<(), AppError> {
    use app::backend::audit::{self, Event};
    let actor = caller.actor();
    let event = Event::in_enterprise(&actor, &caller.enterprise_id, "api.read", what, "");
    audit::record(&state.db, &event, state.clock.now()).await?;
    Ok(())
}

/// A payment order as the API shows it.
#[derive(Serialize)]
struct ApiOrder {
    order_id: String,
    status: String,
    reason: String,
    payee_name: String,
    id_masked: String,
    channel: String,
    account_masked: String,
    amount: String,
    fee: String,
    tax: String,
    received: String,
    remark: String,
    project: String,
    channel_ref: Option<String>,
    created_at: String,
    paid_at: Option<String>,
}

impl From<OrderView> for ApiOrder {
    fn from(o: OrderView) -> Self {
        ApiOrder {
            order_id: o.order_id,
            status: o.status.code().into(),
            reason: o.reason.code().into(),
            payee_name: o.payee_name,
            id_masked: o.id_masked,
            channel: o.channel.code().into(),
            account_masked: o.account_masked,
            amount: o.charges.amount.to_yuan_plain(),
            fee: o.charges.fee.to_yuan_plain(),
            tax: o.charges.tax.to_yuan_plain(),
            received: o.charges.received.to_yuan_plain(),
            remark: o.remark,
            project: o.project,
            channel_ref: o.channel_ref,
            created_at: o.created_at.rfc3339(),
            paid_at: o.paid_at.map(|t| t.rfc3339()),
        }
    }
}

/// `POST /openapi/v1/orders`: the body of a payment order (the portal's fields; `amount` in
/// yuan). Idempotent by `order_id`: the same order again answers the original (`replayed`);
/// another body under the same `order_id` is `order_id_reused` (409).
#[derive(Deserialize, Default)]
#[serde(default)]
struct OrderBody {
    order_id: String,
    payee_name: String,
    id_number: String,
    channel: String,
    account: String,
    mobile: String,
    amount: String,
    remark: String,
    project: String,
}

#[derive(Serialize)]
struct Created {
    order: ApiOrder,
    replayed: bool,
}

async fn create_order(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, &body, Scope::Orders).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let Ok(b) = serde_json::from_slice::<OrderBody>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "the body must be a JSON object with the order's fields",
            &headers,
        );
    };
    let form = app::model::orders::OrderForm {
        order_id: b.order_id,
        payee_name: b.payee_name,
        id_number: b.id_number,
        channel: b.channel,
        account: b.account,
        mobile: b.mobile,
        amount: b.amount,
        remark: b.remark,
        project: b.project,
    };
    let input = match app::model::orders::OrderInput::parse(&form) {
        Ok(i) => i,
        Err(errs) => return app_error(AppError::Invalid(errs), &headers),
    };
    match app::backend::orders::create(&s.app, &caller.enterprise_id, &caller.actor(), &input).await
    {
        Ok(out) => {
            let status = if out.replayed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            let body = Created {
                order: out.order.into(),
                replayed: out.replayed,
            };
            (status, Json(body)).into_response()
        }
        Err(e) => app_error(e, &headers),
    }
}

/// `GET /openapi/v1/orders/{order_id}`: one of the key's enterprise's orders (another
/// enterprise's is `not_found`).
async fn get_order(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(order_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::Orders).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let found =
        app::backend::orders::get_by_order_id(&s.app, &caller.enterprise_id, &order_id).await;
    let what = format!("order:{order_id}");
    match found {
        Ok(o) => match audit_read(&s.app, &caller, &what).await {
            Ok(()) => Json(ApiOrder::from(o)).into_response(),
            Err(e) => app_error(e, &headers),
        },
        Err(e) => app_error(e, &headers),
    }
}

#[derive(Serialize)]
struct Balance {
    available: String,
    reserved: String,
    pending_withdrawal: String,
    total: String,
}

/// `GET /openapi/v1/balance`: the enterprise's balances.
async fn balance(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::FundsRead).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let overview = app::backend::funds::overview(&s.app, &caller.enterprise_id).await;
    match overview {
        Ok(o) => match audit_read(&s.app, &caller, "balance").await {
            Ok(()) => Json(Balance {
                available: o.available.to_yuan_plain(),
                reserved: o.reserved.to_yuan_plain(),
                pending_withdrawal: o.pending_withdrawal.to_yuan_plain(),
                total: o.total.to_yuan_plain(),
            })
            .into_response(),
            Err(e) => app_error(e, &headers),
        },
        Err(e) => app_error(e, &headers),
    }
}
