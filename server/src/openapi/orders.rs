//! The open API's payment orders (issue 19): create (idempotent by `order_id`), query one or
//! a page, cancel, retry. Amounts are yuan strings; the enterprise's own `order_id` names an
//! order; another enterprise's is `not_found`.

use super::{app_error, audit_read, authorise, error};
use crate::state::ServerState;
use app::error::AppError;
use app::model::funds::OrderView;
use app::model::openapi::Scope;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// A payment order as the API shows it.
#[derive(Serialize)]
pub(super) struct ApiOrder {
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

pub(super) async fn create(
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
            if let Err(e) = shared(&s, &caller, &[&out.order], &out.order.order_id).await {
                return app_error(e, &headers);
            }
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
pub(super) async fn get_one(
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
        Ok(o) => match read_shared(&s, &caller, &[&o], &what, &order_id).await {
            Ok(()) => Json(ApiOrder::from(o)).into_response(),
            Err(e) => app_error(e, &headers),
        },
        Err(e) => app_error(e, &headers),
    }
}

/// The key's caller and the internal id of its enterprise's order `order_id`.
async fn order_of(
    s: &ServerState,
    enterprise_id: &str,
    order_id: &str,
) -> Result<OrderView, AppError> {
    app::backend::orders::get_by_order_id(&s.app, enterprise_id, order_id).await
}

/// `POST /openapi/v1/orders/{order_id}/cancel`: cancels an order that has not been paid out
/// (`order_not_cancellable` otherwise).
pub(super) async fn cancel(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(order_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    act(s, peer, order_id, method, uri, headers, body, Act::Cancel).await
}

/// `POST /openapi/v1/orders/{order_id}/retry`: sends a failed or returned order again.
pub(super) async fn retry(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(order_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    act(s, peer, order_id, method, uri, headers, body, Act::Retry).await
}

enum Act {
    Cancel,
    Retry,
}

#[allow(clippy::too_many_arguments)]
async fn act(
    s: ServerState,
    peer: SocketAddr,
    order_id: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
    what: Act,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, &body, Scope::Orders).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let eid = caller.enterprise_id.clone();
    let done = match order_of(&s, &eid, &order_id).await {
        Ok(o) => match what {
            Act::Cancel => app::backend::orders::cancel(&s.app, &eid, &o.id, &caller.actor()).await,
            Act::Retry => app::backend::orders::retry(&s.app, &eid, &o.id, &caller.actor()).await,
        },
        Err(e) => Err(e),
    };
    let done = match done {
        Ok(o) => shared(&s, &caller, &[&o], &order_id).await.map(|()| o),
        Err(e) => Err(e),
    };
    match done {
        Ok(o) => Json(ApiOrder::from(o)).into_response(),
        Err(e) => app_error(e, &headers),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    status: String,
    cursor: String,
}

#[derive(Serialize)]
struct OrderList {
    orders: Vec<ApiOrder>,
    /// Give it as `cursor` for the next page (none: this is the last).
    next_cursor: Option<String>,
}

/// `GET /openapi/v1/orders?status=&cursor=`: the enterprise's orders, newest first, 50 a page.
pub(super) async fn list(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::Orders).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let status = match q.status.trim() {
        "" => None,
        code => match app::model::funds::OrderStatus::from_code(code) {
            Some(st) => Some(st),
            None => {
                let e = AppError::invalid("status", app::error::Rule::Format);
                return app_error(e, &headers);
            }
        },
    };
    let cursor = Some(q.cursor.trim()).filter(|c| !c.is_empty());
    let page =
        app::backend::orders::list(&s.app, &caller.enterprise_id, status, None, cursor).await;
    match page {
        Ok(p) => match read_shared(
            &s,
            &caller,
            &p.orders.iter().collect::<Vec<_>>(),
            "orders",
            "orders",
        )
        .await
        {
            Ok(()) => Json(OrderList {
                orders: p.orders.into_iter().map(ApiOrder::from).collect(),
                next_cursor: p.next_cursor,
            })
            .into_response(),
            Err(e) => app_error(e, &headers),
        },
        Err(e) => app_error(e, &headers),
    }
}

/// Logs that the orders' personal fields went to the enterprise's own system (P3.1.3,
/// P3.1.4): the payload is checked with a `Provision` for the `enterprise_api` recipient, whose
/// registered fields are exactly [`ApiOrder`]'s personal ones, and the event names them.
pub(super) async fn shared(
    s: &ServerState,
    caller: &app::backend::openapi::verify::ApiCaller,
    orders: &[&OrderView],
    reference: &str,
) -> Result<(), AppError> {
    use app::model::sharing::{codes, Provision};
    let Some(o) = orders.first() else {
        return Ok(());
    };
    let now = s.app.clock.now();
    let mut conn = s.app.db.conn().await?;
    let r = app::backend::sharing::recipient(&mut conn, codes::ENTERPRISE_API).await?;
    let c = &o.charges;
    let p = Provision::new(&r, now)
        .and_then(|p| p.put("payment_orders.payee_name", o.payee_name.clone()))
        .and_then(|p| p.put("payment_orders.id_hint", o.id_masked.clone()))
        .and_then(|p| p.put("payment_orders.account_hint", o.account_masked.clone()))
        .and_then(|p| p.put("payment_orders.amount", c.amount.to_yuan_plain()))
        .and_then(|p| p.put("payment_orders.fee", c.fee.to_yuan_plain()))
        .and_then(|p| p.put("payment_orders.tax", c.tax.to_yuan_plain()))
        .and_then(|p| p.put("payment_orders.received", c.received.to_yuan_plain()))
        .and_then(|p| p.put("payment_orders.remark", o.remark.clone()))
        .map_err(|e| AppError::internal(e.to_string()))?;
    let whose = app::backend::sharing::Whose {
        enterprise_id: Some(&caller.enterprise_id),
        user_id: None,
    };
    app::backend::sharing::record(&mut conn, &p, whose, reference, now).await
}

/// A read of orders: audited by key id and logged as a sharing event.
async fn read_shared(
    s: &ServerState,
    caller: &app::backend::openapi::verify::ApiCaller,
    orders: &[&OrderView],
    what: &str,
    reference: &str,
) -> Result<(), AppError> {
    shared(s, caller, orders, reference).await?;
    audit_read(&s.app, caller, what).await
}
