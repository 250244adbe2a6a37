//! The open API's funds (issue 19; scope `funds_read`): the balance, the fund flow (cursor
//! pages) and monthly bills. Amounts are yuan strings.

use super::{answer, audit_read, ApiError, FundsRead, Path, Query, Signed};
use crate::state::ServerState;
use app::error::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub(super) struct Balance {
    #[schema(example = "1000.00")]
    available: String,
    reserved: String,
    pending_withdrawal: String,
    total: String,
}

/// The enterprise's balances.
#[utoipa::path(operation_id = "get_balance", get, path = "/openapi/v1/balance", tag = "funds", security(("signed" = [])),
    responses((status = 200, description = "The balances", body = Balance),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn balance(State(s): State<ServerState>, req: Signed<FundsRead>) -> Response {
    let c = &req.caller;
    let read = async {
        let o = app::backend::funds::overview(&s.app, &c.enterprise_id).await?;
        audit_read(&s.app, c, "balance").await?;
        Ok(Balance {
            available: o.available.to_yuan_plain(),
            reserved: o.reserved.to_yuan_plain(),
            pending_withdrawal: o.pending_withdrawal.to_yuan_plain(),
            total: o.total.to_yuan_plain(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub(super) struct FlowQuery {
    /// The first day, China time (`YYYY-MM-DD`, inclusive).
    from: String,
    /// The last day, China time (`YYYY-MM-DD`, inclusive).
    to: String,
    /// A category code (`topup`, `payment`, `fee`, `refund`, `transfer`…).
    category: String,
    /// The `next_cursor` of the page before.
    cursor: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct FlowLine {
    seq: i64,
    at: String,
    account: String,
    category: String,
    amount: String,
    balance_after: String,
    reference: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct FlowPage {
    lines: Vec<FlowLine>,
    next_cursor: Option<String>,
}

/// The fund flow, newest first.
#[utoipa::path(operation_id = "get_fund_flow", get, path = "/openapi/v1/fund-flow", tag = "funds", params(FlowQuery),
    security(("signed" = [])),
    responses((status = 200, description = "A page of the fund flow", body = FlowPage),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn flow(
    State(s): State<ServerState>,
    Query(q): Query<FlowQuery>,
    req: Signed<FundsRead>,
) -> Response {
    let c = &req.caller;
    let page = async {
        let filter = app::backend::funds::FlowFilter::parse(&q.from, &q.to, &q.category)?;
        let cursor = match q.cursor.trim() {
            "" => None,
            c => Some(
                c.parse::<i64>()
                    .map_err(|_| AppError::invalid("cursor", app::error::Rule::Format))?,
            ),
        };
        let p = app::backend::funds::flow(&s.app, &c.enterprise_id, &filter, cursor).await?;
        audit_read(&s.app, c, "fund_flow").await?;
        Ok(FlowPage {
            lines: p
                .lines
                .into_iter()
                .map(|l| FlowLine {
                    seq: l.seq,
                    at: l.at.rfc3339(),
                    account: l.account.code().into(),
                    category: l.category.code().into(),
                    amount: l.amount.to_yuan_plain(),
                    balance_after: l.balance_after.to_yuan_plain(),
                    reference: l.reference,
                })
                .collect(),
            next_cursor: p.next_cursor.map(|c| c.to_string()),
        })
    };
    answer(&req.rid, StatusCode::OK, page.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct Bill {
    #[schema(example = "2026-11")]
    month: String,
    opening: String,
    topups: String,
    payments: String,
    fees: String,
    refunds: String,
    transfers: String,
    closing: String,
    generated_at: String,
}

/// A month's bill, as the portal's.
#[utoipa::path(operation_id = "get_bill", get, path = "/openapi/v1/bills/{month}", tag = "funds",
    params(("month" = String, Path, description = "The month, `YYYY-MM`")),
    security(("signed" = [])),
    responses((status = 200, description = "The bill", body = Bill),
        (status = "4XX", description = "Refused or no such bill", body = ApiError)))]
pub(super) async fn bill(
    State(s): State<ServerState>,
    Path(month): Path<String>,
    req: Signed<FundsRead>,
) -> Response {
    let c = &req.caller;
    let read = async {
        let b = app::backend::funds::bill(&s.app, &c.enterprise_id, &month).await?;
        audit_read(&s.app, c, &format!("bill:{month}")).await?;
        let y = |f: app::model::Fen| f.to_yuan_plain();
        Ok(Bill {
            month: b.month,
            opening: y(b.opening),
            topups: y(b.topups),
            payments: y(b.payments),
            fees: y(b.fees),
            refunds: y(b.refunds),
            transfers: y(b.transfers),
            closing: y(b.closing),
            generated_at: b.generated_at.rfc3339(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}
