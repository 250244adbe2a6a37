//! The open API's funds (issue 19; scope `funds_read`): the balance, the fund flow (cursor
//! pages) and monthly bills. Amounts are yuan strings.

use super::{app_error, audit_read, authorise};
use crate::state::ServerState;
use app::model::openapi::Scope;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Serialize)]
struct Balance {
    available: String,
    reserved: String,
    pending_withdrawal: String,
    total: String,
}

/// `GET /openapi/v1/balance`: the enterprise's balances.
pub(super) async fn balance(
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FlowQuery {
    from: String,
    to: String,
    category: String,
    cursor: String,
}

#[derive(Serialize)]
struct FlowLine {
    seq: i64,
    at: String,
    account: String,
    category: String,
    amount: String,
    balance_after: String,
    reference: String,
}

#[derive(Serialize)]
struct FlowPage {
    lines: Vec<FlowLine>,
    next_cursor: Option<String>,
}

/// `GET /openapi/v1/fund-flow?from=&to=&category=&cursor=`: the fund flow, newest first
/// (China-time dates `YYYY-MM-DD`, inclusive; a category code; the cursor of the page before).
pub(super) async fn flow(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<FlowQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::FundsRead).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let page = async {
        let filter = app::backend::funds::FlowFilter::parse(&q.from, &q.to, &q.category)?;
        let cursor =
            match q.cursor.trim() {
                "" => None,
                c => Some(c.parse::<i64>().map_err(|_| {
                    app::error::AppError::invalid("cursor", app::error::Rule::Format)
                })?),
            };
        let page =
            app::backend::funds::flow(&s.app, &caller.enterprise_id, &filter, cursor).await?;
        audit_read(&s.app, &caller, "fund_flow").await?;
        Ok::<_, app::error::AppError>(page)
    };
    match page.await {
        Ok(p) => Json(FlowPage {
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
        .into_response(),
        Err(e) => app_error(e, &headers),
    }
}

/// `GET /openapi/v1/bills/{month}` (`2026-11`): the month's bill, as the portal's, amounts in
/// yuan.
pub(super) async fn bill(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(month): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::FundsRead).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let bill = async {
        let b = app::backend::funds::bill(&s.app, &caller.enterprise_id, &month).await?;
        audit_read(&s.app, &caller, &format!("bill:{month}")).await?;
        Ok::<_, app::error::AppError>(b)
    };
    match bill.await {
        Ok(b) => Json(serde_json::json!({
            "month": b.month,
            "opening": b.opening.to_yuan_plain(),
            "topups": b.topups.to_yuan_plain(),
            "payments": b.payments.to_yuan_plain(),
            "fees": b.fees.to_yuan_plain(),
            "refunds": b.refunds.to_yuan_plain(),
            "transfers": b.transfers.to_yuan_plain(),
            "closing": b.closing.to_yuan_plain(),
            "generated_at": b.generated_at.rfc3339(),
        }))
        .into_response(),
        Err(e) => app_error(e, &headers),
    }
}
