//! The open API's payment orders (issue 19; scope `orders`, receipts `funds_read`): create
//! (idempotent by `order_id`), query one or a page, cancel, retry, and a paid order's receipt.
//! Amounts are yuan strings; the enterprise's own `order_id` names an order; another
//! enterprise's is `not_found`.

use super::{answer, app_error, audit_read, ApiError, FundsRead, Orders, Path, Query, Signed};
use crate::state::ServerState;
use app::backend::openapi::verify::ApiCaller;
use app::error::AppError;
use app::model::funds::OrderView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A payment order as the API shows it (numbers masked).
#[derive(Serialize, ToSchema)]
pub(super) struct ApiOrder {
    /// The enterprise's own id of the order.
    order_id: String,
    /// `awaiting_confirmation`, `accepted`, `suspended`, `paying`, `paid`, `failed`,
    /// `returned` or `cancelled`.
    status: String,
    /// Why it is in its status (`funds_reserved`, `insufficient_funds`, `sent_to_channel`…).
    reason: String,
    payee_name: String,
    id_masked: String,
    /// `bank`, `alipay` or `wechat`.
    channel: String,
    account_masked: String,
    /// Yuan, two decimals.
    #[schema(example = "100.00")]
    amount: String,
    fee: String,
    tax: String,
    received: String,
    remark: String,
    project: String,
    channel_ref: Option<String>,
    /// RFC 3339, UTC.
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

/// A payment order to create: the portal's fields, `amount` in yuan. Idempotent by `order_id`:
/// the same order again answers the original (`replayed`); another body under the same
/// `order_id` is `order_id_reused` (409).
#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub(super) struct OrderBody {
    #[schema(example = "ERP-20261203-0001")]
    order_id: String,
    payee_name: String,
    /// The payee's resident ID number (18 characters).
    id_number: String,
    /// `bank`, `alipay` or `wechat`.
    channel: String,
    account: String,
    mobile: String,
    #[schema(example = "100.00")]
    amount: String,
    remark: String,
    project: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Created {
    order: ApiOrder,
    /// `true` when this answers an earlier identical request.
    replayed: bool,
}

/// Creates a payment order.
#[utoipa::path(operation_id = "create_order", post, path = "/openapi/v1/orders", tag = "orders", request_body = OrderBody,
    security(("signed" = [])),
    responses((status = 201, description = "Created", body = Created),
        (status = 200, description = "The same order again: the original", body = Created),
        (status = "4XX", description = "Refused (JSON error with a stable code)", body = ApiError)))]
pub(super) async fn create(State(s): State<ServerState>, req: Signed<Orders>) -> Response {
    let b: OrderBody = match req.json("the order's fields") {
        Ok(b) => b,
        Err(res) => return res,
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
    let created = async {
        let input = app::model::orders::OrderInput::parse(&form).map_err(AppError::Invalid)?;
        let c = &req.caller;
        // The answer's sharing event is written with the order (in the group's transaction).
        app::backend::orders::create_via_api(&s.app, &c.enterprise_id, &c.actor(), &input).await
    };
    match created.await {
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
            answer(&req.rid, status, Ok(body))
        }
        Err(e) => app_error(e, &req.rid),
    }
}

/// One of the key's enterprise's orders (another enterprise's is `not_found`).
#[utoipa::path(operation_id = "get_order", get, path = "/openapi/v1/orders/{order_id}", tag = "orders",
    params(("order_id" = String, Path, description = "The enterprise's own id of the order")),
    security(("signed" = [])),
    responses((status = 200, description = "The order", body = ApiOrder),
        (status = "4XX", description = "Refused or not found", body = ApiError)))]
pub(super) async fn get_one(
    State(s): State<ServerState>,
    Path(order_id): Path<String>,
    req: Signed<Orders>,
) -> Response {
    let c = &req.caller;
    let found = async {
        let o = app::backend::orders::get_by_order_id(&s.app, &c.enterprise_id, &order_id).await?;
        read_shared(&s, c, &[&o], &format!("order:{order_id}"), &order_id).await?;
        Ok(ApiOrder::from(o))
    };
    answer(&req.rid, StatusCode::OK, found.await)
}

/// Cancels an order that has not been paid out (`order_not_cancellable` otherwise).
#[utoipa::path(operation_id = "cancel_order", post, path = "/openapi/v1/orders/{order_id}/cancel", tag = "orders",
    params(("order_id" = String, Path, description = "The enterprise's own id of the order")),
    security(("signed" = [])),
    responses((status = 200, description = "The order, cancelled", body = ApiOrder),
        (status = "4XX", description = "Refused, not found or not cancellable", body = ApiError)))]
pub(super) async fn cancel(
    State(s): State<ServerState>,
    Path(order_id): Path<String>,
    req: Signed<Orders>,
) -> Response {
    act(&s, &order_id, &req, Act::Cancel).await
}

/// Sends a failed or returned order again (`order_not_suspended` otherwise).
#[utoipa::path(operation_id = "retry_order", post, path = "/openapi/v1/orders/{order_id}/retry", tag = "orders",
    params(("order_id" = String, Path, description = "The enterprise's own id of the order")),
    security(("signed" = [])),
    responses((status = 200, description = "The order, sent again", body = ApiOrder),
        (status = "4XX", description = "Refused, not found or not retriable", body = ApiError)))]
pub(super) async fn retry(
    State(s): State<ServerState>,
    Path(order_id): Path<String>,
    req: Signed<Orders>,
) -> Response {
    act(&s, &order_id, &req, Act::Retry).await
}

enum Act {
    Cancel,
    Retry,
}

async fn act(s: &ServerState, order_id: &str, req: &Signed<Orders>, what: Act) -> Response {
    let c = &req.caller;
    let (eid, actor) = (c.enterprise_id.as_str(), c.actor());
    let done = async {
        let o = app::backend::orders::get_by_order_id(&s.app, eid, order_id).await?;
        let o = match what {
            Act::Cancel => app::backend::orders::cancel(&s.app, eid, &o.id, &actor).await?,
            Act::Retry => app::backend::orders::retry(&s.app, eid, &o.id, &actor).await?,
        };
        shared(s, c, &[&o], order_id).await?;
        Ok(ApiOrder::from(o))
    };
    answer(&req.rid, StatusCode::OK, done.await)
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    /// Only orders in this status (a status code).
    status: String,
    /// The `next_cursor` of the page before.
    cursor: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct OrderList {
    orders: Vec<ApiOrder>,
    /// Give it as `cursor` for the next page (none: this is the last).
    next_cursor: Option<String>,
}

/// The enterprise's orders, newest first, 50 a page.
#[utoipa::path(operation_id = "list_orders", get, path = "/openapi/v1/orders", tag = "orders", params(ListQuery),
    security(("signed" = [])),
    responses((status = 200, description = "A page of orders", body = OrderList),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn list(
    State(s): State<ServerState>,
    Query(q): Query<ListQuery>,
    req: Signed<Orders>,
) -> Response {
    let c = &req.caller;
    let page = async {
        let status = match q.status.trim() {
            "" => None,
            code => Some(
                app::model::funds::OrderStatus::from_code(code)
                    .ok_or_else(|| AppError::invalid("status", app::error::Rule::Format))?,
            ),
        };
        let cursor = Some(q.cursor.trim()).filter(|c| !c.is_empty());
        let p = app::backend::orders::list(&s.app, &c.enterprise_id, status, None, cursor).await?;
        let all: Vec<&OrderView> = p.orders.iter().collect();
        read_shared(&s, c, &all, "orders", "orders").await?;
        Ok(OrderList {
            orders: p.orders.into_iter().map(ApiOrder::from).collect(),
            next_cursor: p.next_cursor,
        })
    };
    answer(&req.rid, StatusCode::OK, page.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct Issuer {
    zh: String,
    en: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Receipt {
    order: ApiOrder,
    /// The paying enterprise's name.
    payer: String,
    issuer: Issuer,
    /// The verification code anyone can check on the platform.
    code: String,
}

/// The receipt of a paid order (scope `funds_read`).
#[utoipa::path(operation_id = "get_receipt", get, path = "/openapi/v1/orders/{order_id}/receipt", tag = "funds",
    params(("order_id" = String, Path, description = "The enterprise's own id of the order")),
    security(("signed" = [])),
    responses((status = 200, description = "The receipt", body = Receipt),
        (status = "4XX", description = "Refused, not found or not paid", body = ApiError)))]
pub(super) async fn receipt(
    State(s): State<ServerState>,
    Path(order_id): Path<String>,
    req: Signed<FundsRead>,
) -> Response {
    let c = &req.caller;
    let eid = c.enterprise_id.as_str();
    let found = async {
        let order = app::backend::orders::get_by_order_id(&s.app, eid, &order_id).await?;
        let r = app::backend::funds::receipts::receipt(&s.app, eid, &order.id).await?;
        read_shared(
            &s,
            c,
            &[&r.order],
            &format!("receipt:{order_id}"),
            &order_id,
        )
        .await?;
        Ok(Receipt {
            order: ApiOrder::from(r.order),
            payer: r.payer,
            issuer: Issuer {
                zh: r.issuer.zh,
                en: r.issuer.en,
            },
            code: r.code,
        })
    };
    answer(&req.rid, StatusCode::OK, found.await)
}

/// Logs that the orders' personal fields went to the enterprise's own system (P3.1.3,
/// P3.1.4): the fields [`ApiOrder`] carries, which must be registered for the `enterprise_api`
/// recipient (otherwise the answer is refused), one event per answer (a page's under
/// `reference`).
async fn shared(
    s: &ServerState,
    caller: &ApiCaller,
    orders: &[&OrderView],
    reference: &str,
) -> Result<(), AppError> {
    if orders.is_empty() {
        return Ok(());
    }
    let mut conn = s.app.db.conn().await?;
    let rows = [(caller.enterprise_id.as_str(), reference)];
    app::backend::sharing::record_api_orders(&mut conn, &rows, s.app.clock.now()).await
}

/// A read of orders: audited by key id and logged as a sharing event.
async fn read_shared(
    s: &ServerState,
    caller: &ApiCaller,
    orders: &[&OrderView],
    what: &str,
    reference: &str,
) -> Result<(), AppError> {
    shared(s, caller, orders, reference).await?;
    audit_read(&s.app, caller, what).await
}
